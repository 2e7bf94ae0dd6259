# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the AZCM code catalog (_catalog, _catalog_data)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.arcops.azcmagent.plugins.module_utils import _catalog
from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import (
    ACTIONS,
    CATEGORIES,
    CODES,
    DESTRUCTIVE_ACTIONS,
    TROUBLESHOOTING_URL,
    CodeError,
    is_code,
    is_known,
    lookup,
    normalize_code,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog_data import CATALOG
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import normalize_lang

# The 69 codes of the newest troubleshooting guide and the 5 legacy codes (reference/azcm-codes.tsv).
CURRENT_NUMBERS = (
    0, 1, 2, 3, 4, 5, 6, 11, 12, 16, 18, 19, 20, 23, 26, 27, 28, 41, 42, 43, 44, 45, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70,
    72, 73, 74, 75, 76, 81, 82, 83, 101, 102, 103, 105, 107, 108, 130, 131, 132, 133, 141, 143, 145, 146, 147, 148, 149,
    150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 171,
)
LEGACY_NUMBERS = (13, 14, 15, 17, 104)
ALL_CODES = tuple("AZCM%04d" % number for number in sorted(CURRENT_NUMBERS + LEGACY_NUMBERS))

# Codes whose meaning changed over the guide's history (agent-reference.md section 1), plus 0104 whose
# process exit code was reassigned in the newest exit-code table.
NOTED_CODES = ("AZCM0065", "AZCM0066", "AZCM0068", "AZCM0101", "AZCM0104", "AZCM0105", "AZCM0146", "AZCM0157")

LOOKUP_KEYS = {
    "code", "exit_code", "title", "console_title", "cause", "remediation", "category", "retryable", "action",
    "legacy", "known", "note", "url", "lang",
}
TEXT_KEYS = ("title", "cause", "remediation")

# English words that have no place in a Dutch sentence (after names, flags, URLs and quotations are removed).
ENGLISH_MARKERS = frozenset((
    "the", "and", "with", "please", "ensure", "verify", "failed", "retry", "try", "again", "should", "your", "to", "for",
    "error", "occurred", "unknown", "available", "supported", "during", "missing", "specify", "use", "install", "no",
    "invalid", "required", "already", "unsupported", "detected", "not", "found", "insufficient", "another", "too",
))

# What is the same in both languages and removed before looking for English words: "quotations",
# URLs, Windows paths, flags (--resource-name, -n) and placeholders (<command>).
_VERBATIM_RE = re.compile(r'"[^"]*"|\S+://\S+|%\S+%\S*|(?<!\S)--?[a-z][a-z-]*|<[^>]*>')
_WORD_RE = re.compile(r"[A-Za-z]+")


def _english_words(text):
    return sorted(set(w.lower() for w in _WORD_RE.findall(_VERBATIM_RE.sub(" ", text))) & ENGLISH_MARKERS)


# --- the data ------------------------------------------------------------------------------------------


def test_all_74_codes_present():
    assert len(CODES) == 74
    assert set(CODES) == set(ALL_CODES)
    assert set(CATALOG) == set(ALL_CODES)


def test_codes_are_in_numeric_order():
    assert list(CODES) == sorted(CODES)


@pytest.mark.parametrize("code", ALL_CODES)
def test_exit_code_is_the_number(code):
    assert CATALOG[code]["exit_code"] == int(code[4:])
    assert lookup(code)["exit_code"] == int(code[4:])


@pytest.mark.parametrize("code", ALL_CODES)
def test_entry_is_complete(code):
    entry = CATALOG[code]
    assert entry["category"] in CATEGORIES
    assert entry["action"] in ACTIONS
    assert isinstance(entry["retryable"], bool)
    assert isinstance(entry["legacy"], bool)
    assert entry["console_title"] and entry["console_title"].strip() == entry["console_title"]
    for key in TEXT_KEYS:
        assert set(entry[key]) == {"en", "nl"}, key
        for lang in ("en", "nl"):
            text = entry[key][lang]
            assert isinstance(text, str) and text.strip() == text and len(text) > 3, (key, lang)
            assert "  " not in text, (key, lang)


@pytest.mark.parametrize("code", ALL_CODES)
def test_sentence_shape(code):
    """Causes carry no full stop (messages read 'AZCM0041: <cause>. <remediation>'); remediations do."""
    entry = CATALOG[code]
    for lang in ("en", "nl"):
        assert not entry["cause"][lang].endswith("."), lang
        assert entry["remediation"][lang].endswith("."), lang
        assert entry["cause"][lang][0].isupper(), lang


@pytest.mark.parametrize("code", ALL_CODES)
def test_no_markdown_left(code):
    entry = CATALOG[code]
    for key in TEXT_KEYS + ("note",):
        for text in (entry[key] or {}).values():
            assert "`" not in text and "](" not in text and "**" not in text and ".md" not in text, (key, text)


@pytest.mark.parametrize("code", ALL_CODES)
def test_dutch_is_a_translation(code):
    entry = CATALOG[code]
    for key in TEXT_KEYS + ("note",):
        if entry[key] is None:
            continue
        english, dutch = entry[key]["en"], entry[key]["nl"]
        assert dutch != english, key
        assert _english_words(dutch) == [], (key, dutch)


@pytest.mark.parametrize("code", ALL_CODES)
def test_seed_machine_translation_corrected(code):
    """The broken phrases of the 2021 machine translation are gone."""
    for key in TEXT_KEYS + ("note",):
        for text in (CATALOG[code][key] or {}).values():
            for broken in ("Contact opnemen", "afbreekstreeping", "toegangs token", "CTRL +C", "Azure Active Directory"):
                assert broken not in text, (key, broken)


@pytest.mark.parametrize("code", ALL_CODES)
def test_legacy_flag(code):
    assert CATALOG[code]["legacy"] is (int(code[4:]) in LEGACY_NUMBERS)
    assert lookup(code)["legacy"] is (int(code[4:]) in LEGACY_NUMBERS)


@pytest.mark.parametrize("code", ALL_CODES)
def test_note_only_for_meaning_drift(code):
    note = CATALOG[code]["note"]
    if code in NOTED_CODES:
        assert set(note) == {"en", "nl"}
        assert note["en"] != note["nl"]
        assert "20" in note["en"] and "20" in note["nl"], "a note names the era of the old meaning"
    else:
        assert note is None


@pytest.mark.parametrize(
    "code, current_nl, old_nl",
    [
        pytest.param("AZCM0068", "abonnement", "loskoppelen", id="0068-subscription-lookup"),
        pytest.param("AZCM0101", "uitvoeren van de opdracht", "geparseerd", id="0101-command-execution"),
        pytest.param("AZCM0065", "reageert niet", "communicatiefout", id="0065-service-not-responding"),
        pytest.param("AZCM0066", "reageert niet", "webservice", id="0066-service-not-responding"),
    ],
)
def test_dutch_cause_has_the_current_meaning(code, current_nl, old_nl):
    entry = lookup(code, lang="nl")
    assert current_nl in entry["cause"]
    assert old_nl not in entry["cause"]
    assert old_nl in entry["note"]


@pytest.mark.parametrize(
    "code, english",
    [
        pytest.param("AZCM0068", "An internal error occurred while disconnecting the server from Azure", id="0068"),
        pytest.param("AZCM0101", "The command was not parsed successfully", id="0101"),
        pytest.param("AZCM0105", "managed identity certificate", id="0105"),
        pytest.param("AZCM0157", "Unable to download repo metadata", id="0157"),
        pytest.param("AZCM0146", "AZCM0127 to AZCM0146", id="0146"),
    ],
)
def test_note_states_the_old_meaning(code, english):
    assert english in lookup(code)["note"]


@pytest.mark.parametrize(
    "code, console_title",
    [
        pytest.param("AZCM0043", "Failed to Delete Resource", id="0043"),
        pytest.param("AZCM0026", "Network Error", id="0026"),
        pytest.param("AZCM0070", "Unable To Obtain Local Config", id="0070"),
        pytest.param("AZCM0042", "Failed to Create Resource", id="0042"),
        pytest.param("AZCM0104", "Failed To Get OS Information", id="0104"),
    ],
)
def test_console_titles_seen_in_real_output(code, console_title):
    assert lookup(code)["console_title"] == console_title
    assert lookup(code, lang="nl")["console_title"] == console_title


@pytest.mark.parametrize(
    "code, title",
    [
        pytest.param("AZCM0016", "Missing mandatory parameter", id="0016-empty-exit-title"),
        pytest.param("AZCM0013", "Invalid tags", id="0013-legacy"),
        pytest.param("AZCM0044", "Resource already exists", id="0044"),
        pytest.param("AZCM0082", "Failed to get MSI certificate using TPM", id="0082-elided-title"),
    ],
)
def test_titles(code, title):
    assert lookup(code)["title"] == title


@pytest.mark.parametrize(
    "code, action",
    [
        pytest.param("AZCM0000", "none", id="0000-success"),
        pytest.param("AZCM0067", "reonboard", id="0067-already-connected"),
        pytest.param("AZCM0044", "delete_resource", id="0044-name-exists"),
        pytest.param("AZCM0062", "delete_resource", id="0062-connect-failed"),
        pytest.param("AZCM0081", "delete_resource", id="0081-msi-certificate"),
        pytest.param("AZCM0043", "force_local_disconnect", id="0043-delete-failed"),
        pytest.param("AZCM0063", "force_local_disconnect", id="0063-disconnect-failed"),
        pytest.param("AZCM0061", "restart_services", id="0061"),
        pytest.param("AZCM0064", "restart_services", id="0064"),
        pytest.param("AZCM0065", "restart_services", id="0065"),
        pytest.param("AZCM0066", "restart_services", id="0066"),
        pytest.param("AZCM0070", "restart_services", id="0070"),
        pytest.param("AZCM0004", "restart_services", id="0004"),
        pytest.param("AZCM0018", "escalate", id="0018-not-root"),
        pytest.param("AZCM0026", "retry", id="0026-network-error"),
        pytest.param("AZCM0011", "retry", id="0011-interrupted"),
        pytest.param("AZCM0041", "report", id="0041-credentials"),
        pytest.param("AZCM0012", "report", id="0012-token"),
        pytest.param("AZCM0016", "report", id="0016-input"),
    ],
)
def test_design_automatic_fix_table(code, action):
    assert lookup(code)["action"] == action


@pytest.mark.parametrize(
    "code, category",
    [
        pytest.param("AZCM0000", "success", id="0000"),
        pytest.param("AZCM0041", "credentials", id="0041"),
        pytest.param("AZCM0012", "credentials", id="0012"),
        pytest.param("AZCM0018", "permissions", id="0018"),
        pytest.param("AZCM0026", "network", id="0026"),
        pytest.param("AZCM0067", "already_connected", id="0067"),
        pytest.param("AZCM0044", "resource_conflict", id="0044"),
        pytest.param("AZCM0064", "agent_service", id="0064"),
        pytest.param("AZCM0130", "platform", id="0130"),
        pytest.param("AZCM0145", "install", id="0145"),
        pytest.param("AZCM0028", "tpm", id="0028"),
        pytest.param("AZCM0017", "input", id="0017"),
    ],
)
def test_categories(code, category):
    assert lookup(code)["category"] == category


@pytest.mark.parametrize("code", ALL_CODES)
def test_action_is_consistent(code):
    entry = CATALOG[code]
    if entry["category"] in ("credentials", "permissions", "input"):
        assert entry["action"] not in ("retry", "restart_services"), "a retry with a bad secret can lock the account"
        assert entry["retryable"] is False
    if entry["action"] == "retry":
        assert entry["retryable"] is True
    if entry["action"] in DESTRUCTIVE_ACTIONS or entry["category"] == "success":
        assert entry["retryable"] is False


def test_vocabularies():
    assert len(set(CATEGORIES)) == len(CATEGORIES) and "unknown" in CATEGORIES
    assert len(set(ACTIONS)) == len(ACTIONS)
    assert DESTRUCTIVE_ACTIONS == frozenset(("force_local_disconnect", "delete_resource", "reonboard"))
    assert DESTRUCTIVE_ACTIONS <= set(ACTIONS)
    assert isinstance(DESTRUCTIVE_ACTIONS, frozenset)
    # every action and most categories are used by some code; unused categories are for findings
    assert {CATALOG[c]["action"] for c in CODES} <= set(ACTIONS)
    assert {CATALOG[c]["action"] for c in CODES} >= {"retry", "restart_services", "escalate", "delete_resource", "reonboard", "report", "none"}


def test_data_is_plain():
    """Plain JSON types only: modules return these values as they are."""
    assert json.loads(json.dumps(CATALOG)) == CATALOG


# --- normalize_code / is_code ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("AZCM0044", id="canonical"),
        pytest.param("azcm0044", id="lower-case"),
        pytest.param("Azcm0044", id="mixed-case"),
        pytest.param(44, id="int"),
        pytest.param("44", id="digits"),
        pytest.param("0044", id="four-digits"),
        pytest.param(" AZCM0044 ", id="blanks"),
        pytest.param("\tazcm0044\n", id="tab-newline"),
        pytest.param("AZCM44", id="short-prefixed"),
    ],
)
def test_normalize_code_accepts(value):
    assert normalize_code(value) == "AZCM0044"
    assert is_code(value) is True
    assert lookup(value)["code"] == "AZCM0044"


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(0, "AZCM0000", id="zero"),
        pytest.param("0", "AZCM0000", id="zero-text"),
        pytest.param(9999, "AZCM9999", id="max"),
        pytest.param("AZCM0171", "AZCM0171", id="three-digit-number"),
        pytest.param(104, "AZCM0104", id="int-104"),
    ],
)
def test_normalize_code_edges(value, expected):
    assert normalize_code(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="none"),
        pytest.param(True, id="true"),
        pytest.param(False, id="false"),
        pytest.param(44.0, id="float"),
        pytest.param({"code": "AZCM0044"}, id="dict"),
        pytest.param(["AZCM0044"], id="list"),
        pytest.param(b"AZCM0044", id="bytes"),
        pytest.param("hello", id="word"),
        pytest.param("AZCM44x", id="trailing-garbage"),
        pytest.param("AZCM0044 AZCM0043", id="two-codes"),
        pytest.param("AZCM 0044", id="inner-blank"),
        pytest.param("AZCM-0044", id="dash"),
        pytest.param("AZCM", id="prefix-only"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param(-1, id="negative"),
        pytest.param("-1", id="negative-text"),
        pytest.param("+44", id="plus-sign"),
        pytest.param(10000, id="too-big"),
        pytest.param("10000", id="five-digits"),
        pytest.param("AZCM00044", id="prefixed-five-digits"),
        pytest.param("\u0664\u0664", id="arabic-indic-digits"),
        pytest.param("4_4", id="underscore"),
    ],
)
def test_normalize_code_rejects(value):
    with pytest.raises(CodeError) as excinfo:
        normalize_code(value)
    message = str(excinfo.value)
    assert repr(value) in message
    assert "AZCM0044" in message and "44" in message
    assert isinstance(excinfo.value, ValueError)
    assert is_code(value) is False
    with pytest.raises(ValueError):
        lookup(value)


@given(st.integers(min_value=0, max_value=9999))
def test_every_number_has_one_canonical_form(number):
    canonical = "AZCM%04d" % number
    assert normalize_code(number) == canonical
    assert normalize_code(str(number)) == canonical
    assert normalize_code(canonical.lower()) == canonical
    assert lookup(number)["exit_code"] == number


@given(st.text(max_size=12))
def test_normalize_code_never_returns_garbage(text):
    try:
        result = normalize_code(text)
    except CodeError:
        return
    assert re.match(r"^AZCM[0-9]{4}$", result)


def test_is_known():
    assert is_known("azcm0044") is True
    assert is_known(999) is False
    assert is_known("hello") is False


# --- lookup ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("code", ALL_CODES)
def test_lookup_resolves_language(code, lang):
    info = lookup(code, lang=lang)
    assert set(info) == LOOKUP_KEYS
    assert info["code"] == code and info["known"] is True and info["lang"] == lang
    for key in TEXT_KEYS:
        assert info[key] == CATALOG[code][key][lang]
    assert info["url"] == TROUBLESHOOTING_URL == "https://aka.ms/arc/azcmerror"
    json.dumps(info)


def test_lookup_default_language_is_english():
    assert lookup("AZCM0044")["cause"] == "A resource with the same name already exists"
    assert lookup("AZCM0044", "nl")["cause"] == "Er bestaat al een resource met dezelfde naam"


def test_lookup_returns_independent_dicts():
    first = lookup("AZCM0044")
    second = lookup("AZCM0044")
    assert first == second and first is not second
    first["cause"] = "changed"
    first["action"] = "none"
    first.clear()
    again = lookup("AZCM0044")
    assert again == second
    assert CATALOG["AZCM0044"]["cause"]["en"] == "A resource with the same name already exists"
    assert CATALOG["AZCM0044"]["action"] == "delete_resource"


def test_lookup_unknown_returns_independent_dicts():
    first = lookup("AZCM0999")
    first["remediation"] = "changed"
    assert lookup("AZCM0999")["remediation"] != "changed"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("AZCM0999", id="0999"),
        pytest.param(7, id="gap-7"),
        pytest.param("AZCM0106", id="0106-exit-table-only"),
        pytest.param(9999, id="9999"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_lookup_unknown_code(value, lang):
    code = normalize_code(value)
    info = lookup(value, lang=lang)
    assert set(info) == LOOKUP_KEYS
    assert code not in CODES
    assert info["code"] == code
    assert info["exit_code"] == int(code[4:])
    assert info["known"] is False
    assert info["category"] == "unknown"
    assert info["retryable"] is False
    assert info["action"] == "report"
    assert info["legacy"] is False
    assert info["note"] is None
    assert code in info["cause"]
    assert TROUBLESHOOTING_URL in info["remediation"]
    assert "azcmagent connect --verbose" in info["remediation"]
    assert "/var/opt/azcmagent/log/azcmagent.log" in info["remediation"]
    assert info["title"]


def test_unknown_code_is_translated():
    english, dutch = lookup("AZCM0999"), lookup("AZCM0999", lang="nl")
    for key in TEXT_KEYS:
        assert english[key] != dutch[key]
        assert _english_words(dutch[key]) == [], key


@pytest.mark.parametrize(
    "lang, expected",
    [
        pytest.param("en", "en", id="en"),
        pytest.param("nl", "nl", id="nl"),
        pytest.param("EN", "en", id="EN"),
        pytest.param("NL", "nl", id="NL"),
        pytest.param("nl-NL", "nl", id="nl-NL"),
        pytest.param("nl_BE", "nl", id="nl_BE"),
        pytest.param("en-US", "en", id="en-US"),
        pytest.param(" nl ", "nl", id="blanks"),
    ],
)
def test_lang_forms(lang, expected):
    assert normalize_lang(lang) == expected
    assert lookup("AZCM0044", lang=lang)["lang"] == expected
    assert lookup("AZCM0044", lang=lang)["cause"] == CATALOG["AZCM0044"]["cause"][expected]


@pytest.mark.parametrize(
    "lang",
    [
        pytest.param("de", id="german"),
        pytest.param("fr-FR", id="french"),
        pytest.param("english", id="word"),
        pytest.param("dutch", id="dutch-word"),
        pytest.param("n", id="one-letter"),
        pytest.param("nl-", id="dangling-dash"),
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
        pytest.param(1, id="int"),
        pytest.param(["nl"], id="list"),
    ],
)
def test_lang_rejected(lang):
    with pytest.raises(ValueError) as excinfo:
        lookup("AZCM0044", lang=lang)
    assert repr(lang) in str(excinfo.value)
    assert "en" in str(excinfo.value) and "nl" in str(excinfo.value)
    assert not isinstance(excinfo.value, CodeError)


def test_private_marker():
    for module in (_catalog,):
        assert "PRIVATE" in module.__doc__ and "may change at any time" in module.__doc__
