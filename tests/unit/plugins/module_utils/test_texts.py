# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import re
import string

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import LANGUAGES, TEXTS, normalize_lang, text


def _placeholders(template):
    return sorted((name, conversion, spec) for _literal, name, spec, conversion in string.Formatter().parse(template) if name is not None)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_has_en_and_nl_with_the_same_placeholders(key):
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES), key
    assert re.match(r"^[a-z]+\.[a-z0-9_.]+$", key), key
    for lang in LANGUAGES:
        assert isinstance(entry[lang], str) and entry[lang].strip() == entry[lang] and entry[lang], (key, lang)
    assert _placeholders(entry["en"]) == _placeholders(entry["nl"]), key


def test_text_fills_placeholders_and_falls_back_to_english():
    assert text("validation.missing", "nl", option="tenant_id") == "tenant_id is verplicht"
    assert text("validation.guid", "en", option="x", value="y") == "x must be a GUID such as 00000000-0000-0000-0000-000000000000, got 'y'"
    assert text("diagnosis.ok", "nl-BE").startswith("Geen fout")
    with pytest.raises(KeyError):
        text("no.such_key")


@pytest.mark.parametrize("lang, expected", [("en", "en"), ("NL", "nl"), ("nl-NL", "nl"), ("nl_BE", "nl"), (" en-US ", "en")])
def test_normalize_lang(lang, expected):
    assert normalize_lang(lang) == expected


@pytest.mark.parametrize("lang", ["de", "nl-", "english", "", None, 1, ["nl"]], ids=repr)
def test_normalize_lang_rejects(lang):
    with pytest.raises(ValueError, match="en, nl"):
        normalize_lang(lang)
