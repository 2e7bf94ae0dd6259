# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The layers of docs/architecture.md, checked on the imports of every plugin file.

module_utils import only module_utils (and the standard library; ansible only in the client, the
one place that talks to AnsibleModule); plugin_utils import module_utils and plugin_utils;
filters and modules import module_utils / plugin_utils, never each other; nothing imports a
test double.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
PREFIX = "ansible_collections.arcops.azcmagent.plugins."

# The module_utils that may import ansible itself: the client owns AnsibleModule.
ANSIBLE_IN_MODULE_UTILS = {"_client"}


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from ...plugins.module_utils import _outcome" names the module in the alias.
            if node.module.endswith(".module_utils") or node.module.endswith(".plugin_utils"):
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _layer(module: str) -> str | None:
    if not module.startswith(PREFIX):
        return None
    return module[len(PREFIX):].split(".")[0]


def _files(kind: str) -> list[pathlib.Path]:
    return sorted(p for p in (PLUGINS / kind).glob("*.py") if p.name != "__init__.py")


ALLOWED = {
    "module_utils": {"module_utils"},
    "plugin_utils": {"module_utils", "plugin_utils"},
    "filter": {"module_utils", "plugin_utils"},
    "modules": {"module_utils"},
    "doc_fragments": set(),
}


@pytest.mark.parametrize("path", [p for kind in ALLOWED for p in _files(kind)], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_imports_follow_the_layers(path):
    kind = path.parent.name
    for module in _imports(path):
        layer = _layer(module)
        if layer is not None:
            assert layer in ALLOWED[kind], f"{kind}/{path.name} imports {module}"
        assert "tests" not in module.split("."), f"{kind}/{path.name} imports a test module {module}"
        if kind == "module_utils" and path.stem not in ANSIBLE_IN_MODULE_UTILS:
            assert not (module == "ansible" or module.startswith("ansible.")), f"{path.name} imports {module}: only the client talks to ansible"


def test_every_kind_is_checked():
    assert all(_files(kind) for kind in ("module_utils", "plugin_utils", "filter", "modules"))
