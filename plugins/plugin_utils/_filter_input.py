# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks shared by the filters of arcops.azcmagent.

PRIVATE: this plugin_util is internal to the arcops.azcmagent collection and may change at any time.

With ansible-core 2.19 data tagging a filter may receive ``AnsibleTaggedObject`` subclasses of
str, dict and list, so every check here uses ``isinstance`` against ``str`` / ``Mapping`` /
``Sequence`` and never compares types directly. Errors become ``AnsibleFilterError`` whose
message names the filter, what it expected and what it was given.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang

MAX_SHOWN = 80

T = t.TypeVar("T")


def describe(value: object) -> str:
    """A short description of a value for an error message: its type and a cut-off repr."""
    if isinstance(value, Mapping):
        kind = "dict"
    elif isinstance(value, str):
        kind = "str"
    elif isinstance(value, (list, tuple)):
        kind = "list"
    else:
        kind = type(value).__name__
    shown = repr(value)
    if len(shown) > MAX_SHOWN:
        shown = shown[:MAX_SHOWN] + "..."
    return f"{kind} {shown}"


def fail(filter_name: str, message: str) -> t.NoReturn:
    """Raise the AnsibleFilterError of filter_name."""
    raise AnsibleFilterError(f"{filter_name}: {message}")


def check_lang(filter_name: str, lang: object) -> str:
    """Return 'en' or 'nl'; AnsibleFilterError for anything else."""
    try:
        return normalize_lang(lang)
    except ValueError:
        fail(filter_name, f"option lang expects 'en' or 'nl', got {describe(lang)}")


def check_dict(filter_name: str, value: object, expected: str, optional: bool = False) -> t.Any:
    """value when it is a dict (or None when optional); AnsibleFilterError "<expected>, got <value>" otherwise."""
    if (optional and value is None) or isinstance(value, Mapping):
        return value
    fail(filter_name, f"{expected}, got {describe(value)}")


def check_diagnosis_ok(filter_name: str, diagnosis: t.Mapping[str, t.Any]) -> None:
    """The ``ok`` of a diagnosis must be a boolean: a malformed ``ok`` (``"abc"``, ``1``) is never taken for a success."""
    if "ok" in diagnosis and not isinstance(diagnosis["ok"], bool):
        fail(filter_name, f"the diagnosis key 'ok' must be a boolean (true/false) as azcm_diagnose returns it, got {describe(diagnosis['ok'])}")


def check_text_input(filter_name: str, data: object, what: str = "a text, a list of strings or a registered result (dict)") -> object:
    """Accept str, Mapping or a list/tuple of str; AnsibleFilterError for anything else."""
    if isinstance(data, (str, Mapping)):
        return data
    if isinstance(data, (list, tuple)):
        for index, item in enumerate(data):
            if not isinstance(item, str):
                fail(filter_name, f"expected {what}, got a list whose item {index} is {describe(item)}")
        return data
    fail(filter_name, f"expected {what}, got {describe(data)}")


def call(filter_name: str, function: t.Callable[..., T], *args: t.Any, **kwargs: t.Any) -> T:
    """Call function and turn TypeError / ValueError (CodeError included) into AnsibleFilterError."""
    try:
        return function(*args, **kwargs)
    except AnsibleFilterError:
        raise
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError(f"{filter_name}: {exc}", orig_exc=exc) from exc
