# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The install role's plan (_install_plan) and its private filter."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.arcops.azcmagent.plugins.filter._azcm_install_plan import FilterModule
from ansible_collections.arcops.azcmagent.plugins.module_utils._install_plan import install_plan, installed_version

DEBIAN = {"pkg_mgr": "apt", "distribution": "Debian", "distribution_version": "12.7", "distribution_major_version": "12",
          "distribution_release": "bookworm"}
UBUNTU = dict(DEBIAN, distribution="Ubuntu", distribution_version="22.04", distribution_major_version="22", distribution_release="jammy")
RHEL = {"pkg_mgr": "dnf", "distribution": "RedHat", "distribution_version": "9.4", "distribution_major_version": "9",
        "distribution_release": "Plow"}
SLES = {"pkg_mgr": "zypper", "distribution": "SLES", "distribution_version": "15.5", "distribution_major_version": "15",
        "distribution_release": "5"}
AGENT = [{"name": "azcmagent", "version": "1.58.03228.700", "release": ""}]


def plan(host, records=None, **variables):
    return install_plan(package_records=records, package_name="azcmagent", package_dest="/var/tmp", **host, **variables)


@pytest.mark.parametrize("host, records, variables, action", [
    (DEBIAN, None, {}, "install"),
    (DEBIAN, AGENT, {}, "none"),
    (DEBIAN, AGENT, {"version": "1.58"}, "none"),
    (DEBIAN, AGENT, {"version": "1.58.03228.700"}, "none"),
    (DEBIAN, AGENT, {"version": "1.5"}, "mismatch"),
    (DEBIAN, AGENT, {"version": "1.60"}, "mismatch"),
    (DEBIAN, AGENT, {"version": "1.60", "version_change": True}, "change"),
    (RHEL, [{"version": "1.58.03228.700", "release": "1"}], {"version": "1.58.03228.700-1"}, "none"),
    (RHEL, [{"version": "1.58.03228.700", "release": "1"}], {"version": "1.58.03228"}, "none"),
], ids=["absent", "any-version", "short-version", "full-version", "prefix-is-not-a-version", "other", "other-change",
        "version-release", "release-prefix"])
def test_action(host, records, variables, action):
    assert plan(host, records, **variables)["action"] == action


@pytest.mark.parametrize("host, version, spec, repo, path", [
    (DEBIAN, "", "azcmagent", "https://packages.microsoft.com/debian/12/prod", "/var/tmp/azcmagent.deb"),
    (UBUNTU, "1.58", "azcmagent=1.58*", "https://packages.microsoft.com/ubuntu/22.04/prod", "/var/tmp/azcmagent.deb"),
    (RHEL, "1.58", "azcmagent-1.58*", "https://packages.microsoft.com/rhel/9/prod/", "/var/tmp/azcmagent.rpm"),
    (SLES, "1.58", "azcmagent>=1.58", "https://packages.microsoft.com/sles/15/prod/", "/var/tmp/azcmagent.rpm"),
    (SLES, "1.58.03228.700", "azcmagent=1.58.03228.700", "https://packages.microsoft.com/sles/15/prod/", "/var/tmp/azcmagent.rpm"),
    (SLES, "1.58-1", "azcmagent=1.58-1", "https://packages.microsoft.com/sles/15/prod/", "/var/tmp/azcmagent.rpm"),
], ids=["debian-any", "ubuntu-short", "rhel-short", "sles-short", "sles-full", "sles-release"])
def test_family_spec_repository_and_path(host, version, spec, repo, path):
    result = plan(host, version=version)
    assert (result["package_spec"], result["repo_url"], result["package_path"]) == (spec, repo, path)
    assert result["family"] == {"apt": "apt", "dnf": "dnf", "zypper": "zypper"}[host["pkg_mgr"]]
    assert result["suite"] == host["distribution_release"]


def test_unsupported_manager_overrides_and_proxy():
    result = plan(dict(DEBIAN, pkg_mgr="pacman"), repo_url="https://mirror.example/arc", repo_suite="stable", proxy=" http://p:3128 ")
    assert result["family"] == "unsupported" and result["action"] == "install"
    assert result["repo_url"] == "https://mirror.example/arc" and result["suite"] == "stable"
    assert result["proxy_env"] == {k: "http://p:3128" for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}
    assert plan(DEBIAN)["proxy_env"] == {}
    for manager in ("dnf5", "yum"):
        assert plan(dict(RHEL, pkg_mgr=manager))["family"] == "dnf"


def test_installed_version_takes_the_last_record():
    assert installed_version([{"version": "1.1"}, {"version": "1.2", "release": "3"}]) == "1.2-3"
    assert installed_version(None) == installed_version([]) == ""


def test_filter_refuses_bad_input_naming_it():
    azcm_install_plan = FilterModule().filters()["_azcm_install_plan"]
    assert azcm_install_plan(dict(DEBIAN, package_records=[], package_name="azcmagent"))["action"] == "install"
    with pytest.raises(AnsibleFilterError, match="_azcm_install_plan: expected a dict of facts"):
        azcm_install_plan("apt")
    with pytest.raises(AnsibleFilterError, match="_azcm_install_plan: .*unexpected keyword argument 'pkg_manager'"):
        azcm_install_plan({"pkg_manager": "apt", "package_name": "azcmagent"})


@pytest.mark.parametrize("output, variables, action, version, managed", [
    ("azcmagent version 1.58.03228.700\n", {}, "none", "1.58.03228.700", False),
    ("azcmagent version  1.7.21162.003\n", {"version": "1.7"}, "none", "1.7.21162.003", False),
    ("azcmagent version 1.58.03228.700\n", {"version": "1.60", "version_change": True}, "mismatch", "1.58.03228.700", False),
    ("", {}, "install", "", True),
    ("sh: 1: azcmagent: not found\n", {}, "install", "", True),
], ids=["unmanaged-any", "unmanaged-legacy-prefix", "unmanaged-never-changed", "nothing-found", "no-version-in-answer"])
def test_unmanaged_agent(output, variables, action, version, managed):
    result = plan(DEBIAN, None, unmanaged_output=output, **variables)
    assert (result["action"], result["version_before"], result["managed"]) == (action, version, managed)


def test_package_record_wins_over_an_unmanaged_answer():
    result = plan(DEBIAN, AGENT, unmanaged_output="azcmagent version 1.7.21162.003", version="1.58")
    assert (result["action"], result["version_before"], result["managed"]) == ("none", "1.58.03228.700", True)


NEW_AGENT = [{"name": "azcmagent", "version": "1.63.03420.1", "release": ""}]


@pytest.mark.parametrize("records, variables, action, state, method, short", [
    (None, {}, "not_installed", "present", "", ""),
    (AGENT, {}, "upgrade", "latest", "package", ""),                         # 1.58 has no azcmagent upgrade
    (AGENT, {"version": "1.67"}, "upgrade", "present", "package", "1.67"),
    (AGENT, {"version": "1.58"}, "none", "present", "", "1.58"),
    (AGENT, {"version": "1.57.03197.640"}, "none", "present", "", "1.57"),   # never a downgrade
    (NEW_AGENT, {"version": "1.67"}, "upgrade", "present", "agent", "1.67"),  # 1.62 and later: azcmagent upgrade
    (NEW_AGENT, {}, "upgrade", "latest", "agent", ""),
    (NEW_AGENT, {"version": "1.67", "method": "package"}, "upgrade", "present", "package", "1.67"),
    (AGENT, {"version": "1.67", "method": "agent"}, "upgrade", "present", "agent", "1.67"),
], ids=["absent", "latest-old-agent", "wanted-old-agent", "same", "older-wanted", "wanted-new-agent", "latest-new-agent",
        "forced-package", "forced-agent"])
def test_upgrade_plan(records, variables, action, state, method, short):
    result = plan(DEBIAN, records, upgrade=True, **variables)
    assert (result["action"], result["package_state"], result["upgrade_method"], result["upgrade_version"]) == (action, state, method, short)


def test_without_upgrade_the_plan_never_says_upgrade():
    result = plan(DEBIAN, AGENT, version="1.67", version_change=True)
    assert (result["action"], result["upgrade_method"], result["package_state"]) == ("change", "", "present")
