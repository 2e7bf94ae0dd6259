# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _versions
from ansible_collections.arcops.azcmagent.plugins.module_utils._versions import (
    RELEASES, parse_version, release_date, short_version, support_finding, support_status, upgrade_method,
)


@pytest.mark.parametrize("value, expected", [
    ("1.58.03228.700", (1, 58, 3228, 700)),
    ("1.50.02986-239", (1, 50, 2986, 239)),            # rpm version-release
    ("azcmagent version  1.7.21162.003", (1, 7, 21162, 3)),  # the legacy agent's version line
    ("v1.63", (1, 63)),
    ("", None), ("unknown", None), (None, None), (158, None),
])
def test_parse_version(value, expected):
    assert parse_version(value) == expected


def test_the_table_covers_every_minor_up_to_the_newest_and_is_in_order():
    assert sorted(RELEASES) == list(range(0, max(RELEASES) + 1))
    dates = [RELEASES[minor] for minor in sorted(RELEASES)]
    assert dates == sorted(dates)
    # spot checks against the release notes: 1.0 September 2020, 1.42 (second release) May 2024, 1.62 March 2026
    assert RELEASES[0] == (2020, 9) and RELEASES[42] == (2024, 5) and RELEASES[62] == (2026, 3) and RELEASES[67] == (2026, 8)


def test_a_release_counts_from_the_last_day_of_its_month():
    assert release_date("1.57.03197.640") == datetime.date(2025, 10, 31)
    assert release_date("1.49.02952.2030") == datetime.date(2025, 2, 28)
    assert release_date("1.99.00001.1") is None and release_date("2.1.0.0") is None and release_date("") is None


@pytest.mark.parametrize("today, status, days_over", [
    ("2026-10-31", "supported", 0),      # the window's last day: 2025-10-31 + 365 days
    ("2026-11-01", "out_of_support", 1),
    ("2026-11-30", "out_of_support", 30),
    (datetime.date(2025, 10, 1), "supported", 0),
    (datetime.datetime(2027, 1, 1, 12, 0), "out_of_support", 62),
])
def test_support_status_of_an_october_2025_agent(today, status, days_over):
    found = support_status("1.57.03197.640", today)
    assert (found["status"], found["days_over"]) == (status, days_over)
    assert (found["released"], found["supported_until"], found["upgrade_method"]) == ("2025-10", "2026-10-31", "package")


def test_versions_the_table_does_not_hold_are_unknown_and_never_a_finding():
    newer = support_status("1.99.04000.1", "2030-01-01")
    assert (newer["status"], newer["reason"], newer["released"]) == ("unknown", "newer_than_table", "")
    assert newer["upgrade_method"] == "agent"
    garbage = support_status("not installed", "2030-01-01")
    assert (garbage["status"], garbage["reason"], garbage["upgrade_method"]) == ("unknown", "not_a_version", "")
    assert support_status(None)["status"] == "unknown" and support_status("2.0.1.1")["reason"] == "not_a_version"
    assert support_finding("1.99.04000.1", "2030-01-01") is None and support_finding("", "2030-01-01") is None


def test_default_today_is_the_real_date(monkeypatch):
    class _Date(datetime.date):
        @classmethod
        def today(cls):
            return cls(2027, 12, 1)
    monkeypatch.setattr(_versions.datetime, "date", _Date)
    assert support_status("1.67.03504.1320")["status"] == "out_of_support"


def test_support_finding_in_english_and_dutch():
    finding = support_finding("1.57.03197.640", "2026-11-30")
    assert finding is not None
    assert (finding["id"], finding["category"], finding["action"], finding["retryable"]) == ("agent_out_of_support", "install", "report", False)
    assert finding["cause"] == ("Agent version 1.57.03197.640 was released in 2025-10 and left Microsoft's one-year support window on "
                                "2026-10-31 (30 days ago).")
    assert "arcops.azcmagent.upgrade" in finding["remediation"] and finding["evidence"] == "agent version 1.57.03197.640"
    dutch = support_finding("1.57.03197.640", "2026-11-30", lang="nl")
    assert dutch is not None and dutch["cause"].startswith("Agentversie 1.57.03197.640 is uitgebracht in 2025-10")
    assert support_finding("1.67.03504.1320", "2026-11-30") is None


@pytest.mark.parametrize("version, method", [
    ("1.61.03310.848", "package"), ("1.62.03400.1", "agent"), ("1.67.03504.1320", "agent"), ("1.7.21162.003", "package"), ("", ""),
])
def test_upgrade_method_follows_the_agent_that_has_the_upgrade_command(version, method):
    assert upgrade_method(version) == method


def test_short_version():
    assert short_version("1.67.03504.1320") == "1.67" and short_version("1.63") == "1.63" and short_version("") == ""
