# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Roles talk to each other through documented variables and results, never through private facts.

A private name (``_azcmagent_…``) belongs to the role or the playbooks that set it (``register:``,
``set_fact`` / ``vars:`` keys, ``loop_var:``); no other role and no playbook may read it.
"""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
# A name ending in "_" is the prefix of a name built at run time (lookup('vars', '_azcmagent_step_' ~ action)).
PRIVATE_RE = re.compile(r"\b_azcmagent_\w*[A-Za-z0-9]\b")
DEFINE_RES = (
    re.compile(r"^\s*register:\s*(_azcmagent_\w+)", re.M),
    re.compile(r"^\s*(?:-\s+)?(_azcmagent_\w+):", re.M),
    re.compile(r"^\s*loop_var:\s*(_azcmagent_\w+)", re.M),
)


def _units() -> dict[str, list[pathlib.Path]]:
    units = {f"role {role.name}": sorted(role.rglob("*.y*ml")) + sorted(role.rglob("*.j2")) for role in (ROOT / "roles").iterdir()
             if role.is_dir()}
    units["playbooks"] = sorted((ROOT / "playbooks").rglob("*.y*ml")) + sorted((ROOT / "playbooks").rglob("*.j2"))
    return units


def _scan() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    defined: dict[str, set[str]] = {}
    used: dict[str, set[str]] = {}
    for unit, files in _units().items():
        for path in files:
            text = path.read_text(encoding="utf-8")
            used.setdefault(unit, set()).update(PRIVATE_RE.findall(text))
            for regex in DEFINE_RES:
                for name in regex.findall(text):
                    defined.setdefault(name, set()).add(unit)
    return defined, used


def test_no_unit_reads_a_private_fact_of_another():
    defined, used = _scan()
    crossings = sorted(f"{unit} reads {name} (set by {', '.join(sorted(defined.get(name, {'nobody'})))})"
                       for unit, names in used.items() for name in names if unit not in defined.get(name, set()))
    assert not crossings, "\n".join(crossings)


def test_the_scan_sees_the_roles_private_names():
    defined, used = _scan()
    assert {"role install", "role onboard", "role remediate", "role offboard", "playbooks"} <= set(_units())
    # Every role keeps private facts of its own: a scan that found none would prove nothing.
    for unit in ("role install", "role onboard", "role remediate"):
        assert used[unit] and any(unit in units for units in defined.values()), unit
