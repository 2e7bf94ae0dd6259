# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the unit tests need from ansible-core, on every version the collection admits (2.16 to the newest).

``patch_module_args``: ansible-core 2.19 ships it (``ansible.module_utils.testing``); older versions read the
arguments from ``basic._ANSIBLE_ARGS``, which this stand-in sets the same way.
``tagged``: a value as a filter receives it from the inventory. ansible-core 2.19 tags it with its origin
(a subclass of ``str`` / ``dict`` / ``list``); older versions hand over unsafe-wrapped values.
"""

from __future__ import annotations

import contextlib
import json
import typing as t

try:
    from ansible.module_utils.testing import patch_module_args  # ansible-core >= 2.19
except ImportError:  # ansible-core < 2.19
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager  # type: ignore[no-redef]
    def patch_module_args(args: dict[str, t.Any] | None = None) -> t.Iterator[None]:
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

try:
    from ansible._internal._datatag._tags import Origin  # pylint: disable=import-error

    def tagged(value: t.Any) -> t.Any:
        """The value as ansible-core 2.19+ hands it to a filter: an AnsibleTaggedObject subclass."""
        return Origin(path="/inventory/host_vars/h1.yml", line_num=3).tag(value)

except ImportError:
    from ansible.utils.unsafe_proxy import wrap_var

    def tagged(value: t.Any) -> t.Any:
        """The value as ansible-core < 2.19 hands it to a filter from the inventory: unsafe-wrapped."""
        return wrap_var(value)

__all__ = ["patch_module_args", "tagged"]
