# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The config module's plan: which ``azcmagent config`` command brings one local setting where it should be.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Pure functions: the setting as ``config list`` prints it and the request in, the command (or
none) and the predicted value out.
"""

from __future__ import annotations

import typing as t

# The agent's multi-value settings.
LIST_SETTINGS = frozenset(("proxy.bypass", "extensions.allowlist", "extensions.blocklist", "incomingconnections.ports"))

# What `config clear` gives back (an unknown setting's default is taken to be empty).
DEFAULTS: t.Mapping[str, t.Union[str, t.List[str]]] = {
    "proxy.url": "", "proxy.bypass": [], "extensions.allowlist": [], "extensions.blocklist": [], "extensions.enabled": "true",
    "guestconfiguration.enabled": "true", "config.mode": "full", "incomingconnections.enabled": "true",
    "incomingconnections.ports": [], "connection.type": "default",
}


class Plan(t.NamedTuple):
    """``argv`` after the executable (None: nothing to change) and the value the setting will have."""

    argv: t.Optional[t.List[str]]
    value: t.Any


def scalar(value: object) -> str:
    """A setting value as the agent prints it: booleans lower-case, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def as_list(value: object) -> t.List[str]:
    """A multi-value setting as a list of strings ('[a b]', 'a,b', ['a', 'b'] and '' all accepted)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [scalar(v) for v in value if scalar(v) != ""]
    text = scalar(value)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return [part for part in (p.strip() for p in text.replace(",", " ").split()) if part]


def is_list_setting(name: str, value: object) -> bool:
    """Whether ``name`` is handled as a multi-value setting (a known one, or a list value)."""
    return name.lower() in LIST_SETTINGS or isinstance(value, (list, tuple))


def lookup_setting(settings: t.Mapping[str, t.Any], name: str) -> t.Any:
    """The value of name in the parsed list (keys compared case-insensitively, '(preview)' suffixes ignored)."""
    wanted = name.strip().lower()
    for key, value in settings.items():
        if key.replace("(preview)", "").strip().lower() == wanted:
            return value
    return None


def plan(name: str, is_list: bool, current: t.Any, value: t.Any, list_mode: str, state: str) -> Plan:
    """The command for the request (``argv`` None: nothing to change) and the predicted value."""
    if state == "absent":
        default = DEFAULTS.get(name, [] if is_list else "")
        empty = as_list(current) == as_list(default) if is_list else scalar(current) in ("", scalar(default))
        return Plan(None, current) if empty else Plan(["config", "clear", name], default)
    if is_list:
        have = as_list(current)
        items = as_list(value)
        if list_mode == "add":
            missing = [item for item in items if item not in have]
            return Plan(["config", "set", name, ",".join(missing), "--add"], have + missing) if missing else Plan(None, have)
        if list_mode == "remove":
            present = [item for item in items if item in have]
            if not present:
                return Plan(None, have)
            return Plan(["config", "set", name, ",".join(present), "--remove"], [h for h in have if h not in present])
        if sorted(have) == sorted(items):
            return Plan(None, have)
        if not items:
            return Plan(["config", "clear", name], [])
        return Plan(["config", "set", name, ",".join(items)], items)
    if scalar(current) == scalar(value) or (isinstance(value, bool) and scalar(current).lower() == scalar(value)):
        return Plan(None, scalar(current))
    return Plan(["config", "set", name, scalar(value)], scalar(value))
