# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import dataclasses

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _probes
from ansible_collections.arcops.azcmagent.plugins.module_utils._catalog import ACTIONS, CATEGORIES
from ansible_collections.arcops.azcmagent.plugins.module_utils._classifier import RULE_IDS
from ansible_collections.arcops.azcmagent.plugins.module_utils._findings import FINDING_KINDS, KINDS, kind, weight
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import TEXTS


@pytest.mark.parametrize("item", FINDING_KINDS, ids=lambda item: item.id)
def test_every_kind_speaks_the_catalog_vocabulary_and_has_its_texts(item):
    assert item.category in CATEGORIES and item.action in ACTIONS and isinstance(item.retryable, bool)
    assert item.rule or item.probe_texts or item.producer, "a kind nobody produces"
    if item.rule or item.producer:
        assert f"diagnosis.{item.id}.cause" in TEXTS and f"diagnosis.{item.id}.remediation" in TEXTS
    if item.rule:
        assert item.weight > 0
        assert f"diagnosis.{item.id}.cause" in TEXTS and f"diagnosis.{item.id}.remediation" in TEXTS
    else:
        assert item.weight == 0
    if item.probe_texts:
        assert f"probes.{item.probe_texts}.cause" in TEXTS and f"probes.{item.probe_texts}.remediation" in TEXTS
    if item.category in ("credentials", "permissions", "input"):
        assert item.action != "retry"


def test_one_kind_per_id_and_who_produces_it():
    assert len(KINDS) == len(FINDING_KINDS)
    assert {item.id for item in FINDING_KINDS if item.rule} == set(RULE_IDS)
    assert {item.id for item in FINDING_KINDS if item.probe_texts} == set(_probes.FINDING_IDS)
    assert {item.id for item in FINDING_KINDS if item.producer} == {"agent_out_of_support"}
    assert kind("io_timeout").rule and kind("io_timeout").probe_texts == "io_timeout"
    assert kind("connection_refused").probe_texts == "tcp_connect_failed"
    with pytest.raises(KeyError):
        kind("no_such_finding")


def test_kinds_are_frozen_records_and_weights_default_to_zero():
    with pytest.raises(dataclasses.FrozenInstanceError):
        kind("throttled").action = "none"  # type: ignore[misc]
    assert weight("not_root") == 96 and weight("tcp_connect_failed") == 0 and weight("unknown") == 0 and weight(None) == 0
    assert kind("io_timeout").rule_text("cause", "nl", host="h").startswith("De verbinding met h")
    assert kind("io_timeout").probe_text("cause", "en", url="https://h") == "The probe of https://h did not finish within the time limit"
