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

import json
import os
import subprocess
import uuid

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
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=25, env=BECOME_ENV, timeout=1500)
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
    again = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=extra, forks=25, env=BECOME_ENV, timeout=1500)
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


def _conflict_steps(result, action="delete_resource"):
    """The recorded steps of the conflict lookup (a delete_resource step, or the report that stands for a blocked one)."""
    return [a for a in result["actions"] if a["action"] == action and "conflict" in a.get("args", {})]


@pytest.mark.slow
def test_conflict_repairs_never_depend_on_the_agent_naming_the_resource(fleet_factory, run_playbook, tmp_path):
    # Issue 9, item 7: the stale-resource (AZCM0044) and partial-connect (AZCM0062) repairs find the resource in
    # Resource Manager at the requested name, and decide by vmId and provisioning state, with agent output that
    # names no resource at all (sim knob name_resource: false).
    # tests/simulator/agent and tests/simulator are on sys.path (conftest, fleetlib)
    import hostlib  # pylint: disable=import-outside-toplevel
    from mockazure.model import Mock  # pylint: disable=import-outside-toplevel

    fleet = fleet_factory(scenarios={"stale_resource": 1, "partial_connect": 1})
    stale = [h for h, e in fleet.hosts.items() if e["scenario"] == "stale_resource"][0]
    partial = [h for h, e in fleet.hosts.items() if e["scenario"] == "partial_connect"][0]
    for entry in fleet.hosts.values():
        hostlib.update_sim(entry["host_dir"], name_resource=False)
    # healthy machines of other servers that own the same names in another resource group: never touched
    other_group = fleet.identity["other_resource_group"]
    healthy = {}
    for host in fleet.hosts:
        machine_id = fleet.machine_id(host, group=other_group)
        healthy[host] = Mock.new_machine(machine_id, host, "westeurope", {"vmId": str(uuid.uuid4()), "status": "Connected"},
                                         tenant=fleet.identity["tenant_id"])
    fleet.client().seed({"machines": {fleet.machine_id(h, group=other_group).lower(): m for h, m in healthy.items()}})
    stale_vm, partial_vm = fleet.machine(stale)["properties"]["vmId"], fleet.machine(partial)["properties"]["vmId"]

    def untouched():
        for host, machine in healthy.items():
            now = fleet.machine(host, group=other_group)
            assert now is not None and now["properties"]["vmId"] == machine["properties"]["vmId"], host
        assert not [r for r in fleet_checks.writes(fleet) if other_group.lower() in r["path"].lower()]

    # 1. check mode with the fix policy: the onboarding predicts and changes nothing; the remediate role, given the
    #    plan of each host's code, says what it would delete (resource id, vmId) and deletes nothing
    before_local, before_azure = fleet_checks.local_state(fleet), fleet.state()["machines"]
    check = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=_vars("fix_policy.yml", str(tmp_path / "check")), check=True,
                         forks=4, env=BECOME_ENV)
    assert check.rc == 0, check.stdout[-3000:]
    codes = "{{ 'AZCM0044' if sim_scenario == 'stale_resource' else 'AZCM0062' }}"
    check = run_playbook(os.path.join(E2E, "remediate_conflict.yml"), inventory=fleet.inventory, check=True, env=BECOME_ENV,
                         extra_vars=dict(_vars("fix_policy.yml", str(tmp_path / "check")), sim_code=codes))
    assert check.rc == 0, check.stdout[-3000:]
    assert fleet_checks.local_state(fleet) == before_local
    assert fleet.state()["machines"] == before_azure
    assert fleet_checks.writes(fleet) == []
    for host, vm_id in ((stale, stale_vm), (partial, partial_vm)):
        steps = check.facts[host]["azcmagent_remediation_result"]["steps"]
        [step] = [s for s in steps if s["action"] == "delete_resource"]
        assert step["conflict"]["decision"] == "delete" and step["check_mode"] and not step["done"], step
        assert "would be deleted" in step["detail"] and fleet.machine_id(host) in step["detail"] and vm_id in step["detail"], step

    # 2. AZCM0044 on a host whose own vmId the same-named resource carries: not deleted, the step says what it found
    same = run_playbook(os.path.join(E2E, "remediate_conflict.yml"), inventory=fleet.inventory, limit=partial, env=BECOME_ENV,
                        extra_vars=dict(_vars("fix_policy.yml", str(tmp_path / "same")), sim_code="AZCM0044"))
    assert same.rc == 0, same.stdout[-3000:]
    steps = same.facts[partial]["azcmagent_remediation_result"]["steps"]
    [step] = [s for s in steps if s["action"] == "delete_resource"]
    assert (step["done"], step["ok"], step["conflict"]["decision"]) == (True, False, "same_machine"), step
    assert fleet.machine_id(partial) in step["detail"] and partial_vm in step["detail"] and "Creating" in step["detail"], step
    assert [s["done"] for s in steps if s["action"] != "delete_resource"] == [False] * (len(steps) - 1), "the plan stops there"
    assert fleet.machine(partial)["properties"]["vmId"] == partial_vm
    assert fleet_checks.writes(fleet) == []

    # 3. the default policy: each host reports the resource it found (id, vmId, state), nothing is deleted
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=_vars("default_policy.yml", str(tmp_path / "default")), forks=4,
                       env=BECOME_ENV)
    results = fleet_checks.results(run, fleet)
    for host, vm_id, state in ((stale, stale_vm, "Succeeded"), (partial, partial_vm, "Creating")):
        result = results[host]
        assert not result["ok"] and "delete_resource" in result["remediation"], result
        [step] = _conflict_steps(result, "report")
        assert step["conflict"]["decision"] == "blocked" and not step["destructive"], step
        assert fleet.machine_id(host) in step["detail"] and vm_id in step["detail"] and state in step["detail"], step
        assert fleet.machine(host)["properties"]["vmId"] == vm_id
    assert [r for r in fleet_checks.writes(fleet) if r["method"] == "DELETE"] == []
    untouched()

    # 4. the fix policy: both reach Connected; only the conflicting resources at the requested name were deleted
    run = run_playbook(ONBOARD, inventory=fleet.inventory, extra_vars=_vars("fix_policy.yml", str(tmp_path / "fix")), forks=4,
                       env=BECOME_ENV)
    results = fleet_checks.results(run, fleet)
    for host, old_vm, why in ((stale, stale_vm, "another machine"), (partial, partial_vm, "unfinished connect")):
        result = results[host]
        assert result["ok"] and result["state"] == "Connected" and result["repaired"], result
        [step] = _conflict_steps(result)
        assert step["args"]["hint_resource_id"] == "" and step["done"] and step["ok"] and step["changed"], step
        assert step["conflict"]["decision"] == "delete" and why in step["detail"], step
        machine = fleet.machine(host)
        assert machine is not None and machine["properties"]["vmId"] != old_vm
        # the new resource is this machine's: the vmId the agent now shows
        proc = subprocess.run([fleet.hosts[host]["executable"], "show", "-j"], capture_output=True, text=True, timeout=60, check=True)
        assert json.loads(proc.stdout)["vmId"] == machine["properties"]["vmId"]
    deleted = sorted(r["path"].split("?")[0].lower() for r in fleet_checks.writes(fleet) if r["method"] == "DELETE")
    assert deleted == sorted(fleet.machine_id(h).lower() for h in (stale, partial)), deleted
    untouched()


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
