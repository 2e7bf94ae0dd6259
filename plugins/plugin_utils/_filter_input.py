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

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import normalize_lang

MAX_SHOWN = 80


def describe(value):
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
    return "%s %s" % (kind, shown)


def fail(filter_name, message):
    """Raise the AnsibleFilterError of filter_name."""
    raise AnsibleFilterError("%s: %s" % (filter_name, message))


def check_lang(filter_name, lang):
    """Return 'en' or 'nl'; AnsibleFilterError for anything else."""
    try:
        return normalize_lang(lang)
    except ValueError:
        fail(filter_name, "option lang expects 'en' or 'nl', got %s" % describe(lang))


def check_text_input(filter_name, data, what="a text, a list of strings or a registered result (dict)"):
    """Accept str, Mapping or a list/tuple of str; AnsibleFilterError for anything else."""
    if isinstance(data, (str, Mapping)):
        return data
    if isinstance(data, (list, tuple)):
        for index, item in enumerate(data):
            if not isinstance(item, str):
                fail(filter_name, "expected %s, got a list whose item %d is %s" % (what, index, describe(item)))
        return data
    fail(filter_name, "expected %s, got %s" % (what, describe(data)))
    return None


def call(filter_name, function, *args, **kwargs):
    """Call function and turn TypeError / ValueError (CodeError included) into AnsibleFilterError."""
    try:
        return function(*args, **kwargs)
    except AnsibleFilterError:
        raise
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError("%s: %s" % (filter_name, exc), orig_exc=exc)
