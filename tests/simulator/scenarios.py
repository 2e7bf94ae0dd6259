# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The scenario table of the simulated fleet, read from scenarios.yml (the one source).

    from scenarios import SCENARIOS, setup, expect, host_name
    SCENARIOS["stale_resource"]["expect"]["code"]    -> "AZCM0044"
"""

from __future__ import annotations

import os

import yaml

TABLE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios.yml")

SETUP_DEFAULTS = {
    "sim": {}, "identity": "fleet", "subscription": "main", "network": "direct", "himds": "running", "local": "none",
    "local_status": "Connected", "target": "fleet", "machine": "none", "lock": None, "fault": None, "inventory": {},
}
SETUP_VALUES = {
    "identity": ("fleet", "wrong_secret", "unknown_app", "unknown_tenant", "no_role"),
    "subscription": ("main", "unregistered"),
    "network": ("direct", "dns_failure", "port_closed", "tls_intercepted", "proxy_blocked"),
    "himds": ("running", "stopped"),
    "local": ("none", "connected", "pending"),
    "local_status": ("Connected", "Disconnected", "Expired"),
    "target": ("fleet", "elsewhere"),
    "machine": ("none", "same_vm", "other_vm"),
    "lock": (None, "CanNotDelete", "ReadOnly"),
}
EXPECT_KEYS = ("code", "category", "action", "fixable", "policy", "state", "azure")


def _load(path=TABLE_FILE):
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    defaults = data.get("defaults") or {}
    table = {}
    for name, entry in (data.get("scenarios") or {}).items():
        setup_ = dict(SETUP_DEFAULTS)
        setup_.update(entry.get("setup") or {})
        for key, value in setup_.items():
            if key not in SETUP_DEFAULTS:
                raise ValueError("scenario %s: unknown setup key %r" % (name, key))
            if key in SETUP_VALUES and value not in SETUP_VALUES[key]:
                raise ValueError("scenario %s: %s must be one of %s, not %r" % (name, key, SETUP_VALUES[key], value))
        if not isinstance(setup_["inventory"], dict) or not all(k.startswith("azcmagent_") for k in setup_["inventory"]):
            raise ValueError("scenario %s: inventory must map role variables (azcmagent_*) to values" % name)
        for block in ("expect", "offboard"):
            if block in entry:
                missing = [k for k in EXPECT_KEYS if k not in entry[block]]
                if missing:
                    raise ValueError("scenario %s: %s lacks %s" % (name, block, ", ".join(missing)))
        table[name] = {"name": name, "description": entry.get("description", ""), "setup": setup_,
                       "expect": dict(entry["expect"]), "offboard": dict(entry["offboard"]) if "offboard" in entry else None}
    return defaults, table


DEFAULTS, SCENARIOS = _load()
NAMES = tuple(SCENARIOS)


def setup(name):
    """The normalized setup block of a scenario (KeyError names the known scenarios)."""
    if name not in SCENARIOS:
        raise KeyError("unknown scenario %r; known: %s" % (name, ", ".join(NAMES)))
    return SCENARIOS[name]["setup"]


def expect(name, phase="onboard"):
    """The expected outcome of onboarding (``phase="onboard"``) or offboarding a scenario."""
    entry = SCENARIOS[name]
    return entry["expect"] if phase == "onboard" else entry["offboard"]


def host_name(scenario, index, width=2):
    """``stale_resource`` #3 -> ``stale-resource-03`` (a valid host name and Arc resource name)."""
    return "%s-%0*d" % (scenario.replace("_", "-"), width, index)
