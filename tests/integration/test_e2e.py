# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end: playbooks/onboard.yml against the simulated fleet, outcomes read from scenarios.yml.

* one fleet with every scenario, a policy that allows the automatic fixes: each host ends as its
  scenario says (state, code, category, Azure resource), failures fail fast with the right code and
  no useless retries; a second run changes nothing;
* a fleet of the destructive scenarios with the default policy: a run in check mode changes neither
  the simulator nor the mock Azure, and the real run deletes and disconnects nothing and says what to do;
* the role argument specs and defaults agree (fast, no fleet).
"""

from __future__ import annotations

import os

import pytest
import yaml

import fleet_checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONBOARD = os.path.join(ROOT, "playbooks", "onboard.yml")
E2E = os.path.join(ROOT, "tests", "integration", "e2e")
# local connections run as root: without this ansible skips `become` (root to root), which the simulator needs to see
BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}
NO_RETRY_CATEGORIES = {"credentials", "permissions", "input", "proxy", "dns", "network", "tls"}


def _vars(name, report_dir):
    with open(os.path.join(E2E, name), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["azcmagent_report_dir"] = report_dir
    return data


@pytest.mark.slow
def test_onboard_every_scenario_with_the_fix_policy(fleet_factory, run_playbook, scenario_table, tmp_path):
    names = sorted(scenario_table.SCENARIOS)
    fleet = fleet_factory(scenarios={name: 1 for name in names})
    extra = _vars("fix_policy.yml", str(tmp_path / "report"))
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=25, env=BECOME_ENV, timeout=600)
    results = fleet_checks.results(run, fleet)
    problems = []
    for host, entry in fleet.hosts.items():
        scenario = entry["scenario"]
        expect = scenario_table.expect(scenario)
        result = results[host]
        if result is None:
            problems.append("%s (%s): no azcmagent_result\n%s" % (host, scenario, run.stdout[-3000:]))
            continue
        connects = [a for a in result["actions"] if a["action"] == "connect"]
        first = connects[0]
        machine = fleet.machine(host, subscription=fleet.host_vars(host)["azcmagent_subscription_id"])
        checks = [
            ("state", result["state"], expect["state"]),
            ("azure", "present" if machine else "absent", expect["azure"]),
        ]
        if expect["state"] == "Connected":
            checks.append(("ok", result["ok"], True))
            if expect["fixable"]:
                # repaired: the first connect failed, a fix (or a retry) ran, a later connect succeeded
                checks += [("first connect failed", first["ok"], False), ("repaired", result["repaired"], True),
                           ("attempts within the budget", 1 < result["attempts"] <= 3, True)]
            else:
                checks += [("attempts", result["attempts"], 1), ("repaired", result["repaired"], False)]
        else:
            checks += [("ok", result["ok"], False), ("category", result["category"], expect["category"])]
            if expect.get("timeout"):
                checks += [("timeout code", result["code"], "AZCM0011"), ("attempts", result["attempts"], 3)]
            else:
                checks.append(("code", result["code"], expect["code"]))
            if expect["category"] in NO_RETRY_CATEGORIES:
                checks.append(("attempts (no useless retry)", result["attempts"], 1))
            checks.append(("message names the code", (result["code"] or "") in result["message"] and result["remediation"] in result["message"], True))
            checks.append(("remediation given", bool(result["remediation"]), True))
        if scenario == "throttled":
            # the retry waited at least the Retry-After (2 s) the mock's 429 asked for
            delays = [a.get("args", {}).get("delay", 0) for a in result["actions"] if a["action"] == "retry"]
            checks.append(("retry honours Retry-After", bool(delays) and min(delays) >= 2, True))
        for label, got, wanted in checks:
            if got != wanted:
                problems.append("%s (%s): %s is %r, expected %r; actions: %s" % (host, scenario, label, got, wanted, result["actions"]))
    assert not problems, "\n".join(problems)

    unfixable = sorted(h for h, e in fleet.hosts.items() if scenario_table.expect(e["scenario"])["state"] != "Connected")
    assert run.failed_hosts == unfixable, run.stdout[-3000:]
    assert run.rc != 0
    assert "Onboarding: %d hosts" % len(names) in run.stdout
    with open(tmp_path / "report" / "fleet_report.html", encoding="utf-8") as handle:
        html = handle.read()
    assert "<svg" in html and "AZCM0041" in html and "<script" not in html
    with open(tmp_path / "report" / "fleet_report.md", encoding="utf-8") as handle:
        assert "| AZCM0041 | credentials |" in handle.read()

    # a second run changes nothing, and retries nothing that cannot help
    again = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=25, env=BECOME_ENV, timeout=600)
    changed = {h: again.changed(h) for h in fleet.hosts if again.changed(h)}
    assert not changed, changed
    assert again.failed_hosts == unfixable
    second = fleet_checks.results(again, fleet)
    for host in fleet.hosts:
        if second[host]["ok"]:
            assert second[host]["attempts"] == 1 and not second[host]["repaired"], (host, second[host])


@pytest.mark.slow
def test_not_root_without_become_fails_fast(fleet_factory, run_playbook, tmp_path):
    # Without ANSIBLE_BECOME_ALLOW_SAME_USER, become from root to root is skipped, so escalation cannot
    # help: one escalated attempt, then the host fails with AZCM0018 and its remediation, no more retries.
    fleet = fleet_factory(scenarios={"not_root": 1})
    extra = _vars("fix_policy.yml", str(tmp_path / "report"))
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=2, env={"ANSIBLE_BECOME_ALLOW_SAME_USER": "false"})
    [host] = fleet.hosts
    result = fleet_checks.results(run, fleet)[host]
    assert (result["ok"], result["code"], result["category"]) == (False, "AZCM0018", "permissions"), result
    assert result["attempts"] == 2, result["actions"]
    assert [a["action"] for a in result["actions"]] == ["connect", "escalate", "connect"]
    assert not any(a.get("changed") for a in result["actions"] if a["action"] == "escalate")
    assert "AZCM0018" in result["message"] and result["remediation"] in result["message"]
    assert run.failed_hosts == [host]


@pytest.mark.slow
def test_default_policy_and_check_mode_change_nothing_destructive(fleet_factory, run_playbook, scenario_table, tmp_path):
    scenarios = ["clean", "stale_resource", "partial_connect", "connected_elsewhere", "disconnected", "himds_stopped", "bad_secret"]
    fleet = fleet_factory(scenarios={name: 1 for name in scenarios})
    extra = _vars("default_policy.yml", str(tmp_path / "report"))

    before_local, before_azure = fleet_checks.local_state(fleet), fleet.state()["machines"]
    check = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, check=True, forks=10, env=BECOME_ENV)
    assert fleet_checks.local_state(fleet) == before_local
    assert fleet.state()["machines"] == before_azure
    assert fleet_checks.writes(fleet) == []
    predicted = fleet_checks.results(check, fleet)
    assert all(r["check_mode"] for r in predicted.values())

    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=10, env=BECOME_ENV)
    results = fleet_checks.results(run, fleet)
    assert [r for r in fleet_checks.writes(fleet) if r["method"] == "DELETE"] == []
    for host, entry in fleet.hosts.items():
        scenario, result = entry["scenario"], results[host]
        expect = scenario_table.expect(scenario)
        if scenario in ("clean", "himds_stopped"):
            assert result["ok"] and result["state"] == "Connected", result
            continue
        assert not result["ok"], result
        if expect["policy"]:
            # the fix needs a destructive step that the default policy does not allow: say so, do nothing
            blocked = sorted(expect["policy"])[0] if "reonboard" not in expect["policy"] else "reonboard"
            assert blocked in result["remediation"], result
            assert not [a for a in result["actions"] if a.get("destructive") and a.get("done")], result["actions"]
            assert result["attempts"] == 1
        # the Azure resource of the scenario is still there
        if scenario in ("stale_resource", "partial_connect", "disconnected"):
            assert fleet.machine(host) is not None
        if scenario == "connected_elsewhere":
            assert fleet.machine(host, group=fleet.identity["other_resource_group"]) is not None


ROLES = os.path.join(ROOT, "roles")


@pytest.mark.parametrize("role", ["install", "onboard", "remediate", "offboard"])
def test_role_defaults_match_the_argument_spec(role):
    with open(os.path.join(ROLES, role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
        options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    with open(os.path.join(ROLES, role, "defaults", "main.yml"), encoding="utf-8") as handle:
        defaults = yaml.safe_load(handle)
    for name, spec in options.items():
        assert name.startswith("azcmagent_"), name
        if spec.get("required"):
            assert name not in defaults, "%s: a required option has a default" % name
        else:
            assert name in defaults, "%s: documented default missing from defaults/main.yml" % name
            assert defaults[name] == spec.get("default"), "%s: %r != %r" % (name, defaults[name], spec.get("default"))
    assert sorted(set(defaults) - set(options)) == []
