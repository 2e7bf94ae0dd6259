# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input, role side (issue 10): every variable of the four roles, from their meta/argument_specs.yml.

One ansible-playbook run covers the whole table: one inventory host per bad case (local connection), each with the
valid variables of its role and one bad value, and one play per role. Every bad host must fail in the role's first
tasks (Ansible's argument spec validation, or the role's check of the values) with a message that names the variable
and the expected form, and run nothing else: the run's callback records every task of every host, and the agent
(``azcmagent_executable``, a stub that records each invocation) is never started. One good host per agent role runs
the same stub, to prove that the recorder sees a real run.
"""

from __future__ import annotations

import json
import os
import stat

import pytest
import yaml

from tests.counts import record

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = ("install", "onboard", "remediate", "offboard")
GUID = "0f0f0f0f-1111-2222-3333-444444444444"
# The tasks a bad host may reach: Ansible's validation of the argument spec, then the role's check of the values.
VALIDATION_TASKS = ("Validating arguments against arg spec", "Check the values of the role variables", "Run the role of this host")
FORM_WORDS = ("must", "expected", "one of", "unable to convert", "is required", "Supported parameters include", "is invalid: ")

VALID = {
    "install": {},
    "onboard": {"azcmagent_subscription_id": GUID, "azcmagent_resource_group": "rg-arc", "azcmagent_location": "westeurope",
                "azcmagent_tenant_id": GUID, "azcmagent_service_principal_id": GUID, "azcmagent_service_principal_secret": "s3cr3t-value"},
    "remediate": {"azcmagent_subscription_id": GUID, "azcmagent_resource_group": "rg-arc", "azcmagent_location": "westeurope",
                  "azcmagent_tenant_id": GUID},
    "offboard": {},
}

INJECTIONS = ("x; reboot", "$(reboot)", "`reboot`")


def specs():
    out = {}
    for role in ROLES:
        with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as handle:
            out[role] = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    return out


SPECS = specs()


def cases_for(name, spec, index):
    """(case id, bad value) for one role variable, by its spec (the injection rotates over the table)."""
    kind = spec.get("type", "str")
    injection = INJECTIONS[index % len(INJECTIONS)]
    out = []
    if spec.get("choices"):
        return [("not-a-choice", "bogus; reboot"), ("dict", {"a": 1})]
    if kind in ("str", "path"):
        if spec.get("no_log"):
            return [("dict", {"Q7": 1}), ("newline", "Q7secret\nQ7"), ("overlong", "Q" * 40000)]
        out += [("dict", {"a": 1}), ("list", ["a"]), ("newline", "x\ny"), ("overlong", "a" * 3000), ("injection", injection),
                ("leading-dash", "--help")]
        if spec.get("required") or (isinstance(spec.get("default"), str) and spec.get("default")):
            out.append(("empty", ""))
    elif kind == "int":
        out += [("text", "abc"), ("negative", -1), ("huge", 10 ** 12)]
    elif kind == "bool":
        out += [("text", "abc")]
    elif kind == "list":
        elements = spec.get("elements", "raw")
        out += [("not-a-list", {"a": 1}), ("item-newline", ["x\ny"]), ("item-injection", [injection])]
        if elements == "dict":
            out += [("item-not-a-dict", ["step"]), ("item-unknown-action", [{"action": "bogus"}])]
        else:
            out += [("item-leading-dash", ["--help"]), ("item-nested", [{"a": {"b": [1]}}] if elements == "raw" else [{"a": 1}])]
    elif kind == "dict":
        if spec.get("options"):
            out += [("not-a-dict", "abc"), ("unknown-key", {"bogus": True}), ("bad-type", {"max_attempts": "many"}),
                    ("out-of-range", {"max_attempts": 0}), ("key-injection", {"proxy_url": injection})]
        else:
            out += [("not-a-dict", "abc"), ("key-equals", {"a=b": "c"}), ("value-newline", {"k": "x\ny"}),
                    ("nested", {"k": {"n": [1]}}), ("key-leading-dash", {"-k": "v"})]
    return out


def table():
    rows = []
    for role in ROLES:
        for index, (name, spec) in enumerate(sorted(SPECS[role].items())):
            for case, value in cases_for(name, spec, index):
                rows.append((role, name, case, value))
    return rows


TABLE = table()

STUB = "#!/bin/sh\nprintf '%s\\n' \"$*\" >> {log}\nexit 1\n"


def write_inventory(workdir, stub):
    hosts = {role: {} for role in ROLES}
    for number, (role, name, case, value) in enumerate(TABLE):
        host = f"bad{number:04d}_{role}"
        variables = dict(VALID[role], azcmagent_executable=stub, azcmagent_fail_on_error=True, bad_input_role=role)
        variables[name] = value
        hosts[role][host] = variables
    for role in ("onboard", "offboard"):
        hosts[role][f"good_{role}"] = dict(VALID[role], azcmagent_executable=stub, bad_input_role=role)
    common = {"ansible_connection": "local", "ansible_python_interpreter": os.path.join(ROOT, ".venv", "bin", "python"),
              "azcmagent_arm_delegate": "localhost"}
    inventory = {"all": {"vars": common, "children": {role: {"hosts": hosts[role]} for role in ROLES}}}
    path = os.path.join(workdir, "inventory.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(inventory, handle)  # JSON is YAML, and keeps every control character exact
    return path


INCLUDE_TASK = "Run the role of this host"


def write_playbook(workdir):
    # One play for all roles: when every host of a play fails, ansible-playbook ends the run, and all bad hosts fail.
    play = {"name": "Bad input of the roles", "hosts": "all", "gather_facts": False,
            "tasks": [{"name": INCLUDE_TASK, "ansible.builtin.include_role": {"name": "arcops.azcmagent.{{ bad_input_role }}"}}]}
    path = os.path.join(workdir, "bad_role_input.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump([play], handle)
    return path


def test_every_bad_role_variable_fails_before_anything_runs(run_playbook, tmp_path):
    workdir = str(tmp_path)
    log = os.path.join(workdir, "agent-invocations.log")
    stub = os.path.join(workdir, "azcmagent")
    with open(stub, "w", encoding="utf-8") as handle:
        handle.write(STUB.format(log=log))
    os.chmod(stub, stat.S_IRWXU)
    result = run_playbook(write_playbook(workdir), inventory=write_inventory(workdir, stub), forks=10, timeout=1500)
    problems = []
    for number, (role, name, case, value) in enumerate(TABLE):
        host = f"bad{number:04d}_{role}"
        records = result.hosts.get(host, [])
        failed = [r for r in records if r["status"] == "failed"]
        others = [r["task"] for r in records if not any(task in r["task"] for task in VALIDATION_TASKS)]
        msg = str(failed[-1]["result"].get("msg", "")) if failed else ""
        if not failed or others or name not in msg or not any(word in msg for word in FORM_WORDS):
            problems.append(f"{role} {name} {case}: failed={bool(failed)} other tasks={others} msg={msg[:300]!r}")
        if isinstance(value, str) and value.startswith("Q7"):
            assert value not in json.dumps(records)
    assert problems == [], "\n".join(problems[:40]) + f"\n({len(problems)} of {len(TABLE)} cases)"
    # The agent never ran for a bad host; the recorder works (the good hosts ran it).
    invocations = open(log, encoding="utf-8").read().splitlines() if os.path.exists(log) else []
    assert invocations, "the good hosts should have run the stub agent"
    assert all("--help" not in line and "reboot" not in line for line in invocations), invocations
    good = {h for h in result.hosts if h.startswith("good_")}
    assert good == {"good_onboard", "good_offboard"}
    bad_ran = [h for h in result.hosts if h.startswith("bad") and len(result.hosts[h]) > 3]
    assert bad_ran == []
    record("bad_input", {"role_cases": len(TABLE), "role_variables": sum(len(spec) for spec in SPECS.values())})


def test_table_covers_every_role_variable():
    covered = {(role, name) for role, name, _case, _value in TABLE}
    every = {(role, name) for role in ROLES for name in SPECS[role]}
    assert every - covered == set()
