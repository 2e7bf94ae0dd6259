# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: every scenario of the simulator x playbook x policy x phase on ONE fleet.

One host per (scenario, column); a column is a playbook (onboard.yml, remediate.yml) and a policy (default,
permissive). Each column's hosts carry its policy as an inventory host variable, so ONE ansible-playbook run per
(playbook, phase) covers both policies: 6 runs in all (check, first, second for each playbook), the two playbooks'
runs side by side.

What a cell is (``observe``): the host's ``azcmagent_result`` (ok, changed, repaired, code, attempts, actions, the
check-mode forecast) and the world after the run, read from the simulator's files and the mock's state: the agent's
status and resource group, the machine at the fleet target (absent, this machine's, another machine's), the old
machine of the other resource group, the management lock, the resource providers, every Azure write the run made for
the host, and whether the host's files changed.

Used by tests/integration/test_matrix.py and test_invariants.py; tools/reliability_report.py renders the JSON
written by ``save`` into docs/reliability.md.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import time
import uuid

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
EXPECTED_FILE = os.path.join(HERE, "expected.yml")
VARS_FILE = os.path.join(HERE, "vars.yml")
PLAYBOOKS = {"onboard": os.path.join(ROOT, "playbooks", "onboard.yml"), "remediate": os.path.join(ROOT, "playbooks", "remediate.yml")}
PHASES = ("check", "first", "second")
# local connections run as root: without this ansible skips `become` (root to root), which the simulator needs to see
BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}


def load_expected(path=EXPECTED_FILE):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_vars():
    with open(VARS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def columns(expected):
    """[(playbook, policy)] in the table's order; the index of each is its hosts' number (scenario-NN)."""
    return [(playbook, policy) for playbook in expected["playbooks"] for policy in expected["policies"]]


def host_of(scenario_table, scenario, column_index):
    return scenario_table.host_name(scenario, column_index + 1, 2)


# -- the world of one host ------------------------------------------------------------------------------------------------
def _agent(entry):
    path = os.path.join(entry["host_dir"], "root", "var", "opt", "azcmagent", "agentconfig.json")
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    status = config.get("status") or ("Pending" if config.get("resourceId") else "Disconnected")
    return {"status": status, "group": config.get("resourceGroup") or "", "vm_id": config.get("vmId") or "",
            "resource_id": config.get("resourceId") or ""}


def files(entry):
    """The host's agent files (logs left out: every command, also a read, appends to them) with size and mtime."""
    root = os.path.join(entry["host_dir"], "root", "var", "opt", "azcmagent")
    found = {}
    for base, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "log"]
        for name in names:
            path = os.path.join(base, name)
            st = os.lstat(path)
            found[os.path.relpath(path, root)] = (st.st_size, st.st_mtime_ns)
    sim_state = os.path.join(entry["host_dir"], "sim-state.json")
    if os.path.exists(sim_state):
        st = os.stat(sim_state)
        found["../sim-state.json"] = (st.st_size, st.st_mtime_ns)
    return found


def world(fleet, hosts, subscriptions):
    """{host: facts} for the given hosts, from their files and ONE read of the mock's state."""
    state = fleet.state()
    machines = state["machines"]
    ident = fleet.identity
    out = {}
    for host in hosts:
        entry = fleet.hosts[host]
        agent = _agent(entry)
        sub = subscriptions.get(host, ident["subscription_id"])
        here = machines.get(fleet.machine_id(host, subscription=sub).lower())
        old = machines.get(fleet.machine_id(host, subscription=sub, group=ident["other_resource_group"]).lower())
        mine = agent["vm_id"]

        def which(machine):
            if machine is None:
                return "absent"
            return "this" if mine and machine["properties"].get("vmId", "").lower() == mine.lower() else "other"

        lock_ids = [lock for lock in state.get("locks", []) if lock.get("scope", "").lower().endswith("/machines/" + host.lower())]
        providers = state["subscriptions"].get(sub, {}).get("providers", {})
        out[host] = {
            "agent": agent["status"],
            "agent_group": ("fleet" if agent["group"] == ident["resource_group"] else "elsewhere" if agent["group"] else ""),
            "azure": which(here),
            "azure_elsewhere": which(old),
            "lock": bool(lock_ids),
            "hybridcompute": providers.get("Microsoft.HybridCompute", ""),
            "files": files(entry),
        }
    return out


def isolate_subscriptions(fleet, scenario_table):
    """Give every host of a scenario on the unregistered subscription a subscription of its own (a registration by one
    host must not change another's cell). Returns {host: subscription id} for those hosts."""
    ident = fleet.identity
    seed = {"subscriptions": {}, "resource_groups": {}, "role_assignments": []}
    own = {}
    for host, entry in fleet.hosts.items():
        if scenario_table.setup(entry["scenario"])["subscription"] != "unregistered":
            continue
        sub = str(uuid.uuid4())
        own[host] = sub
        providers = {p: "Registered" for p in ("Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity")}
        providers["Microsoft.HybridCompute"] = "NotRegistered"
        seed["subscriptions"][sub] = {"display_name": "arcsim-matrix-%s" % host, "tenant": ident["tenant_id"], "providers": providers}
        rg = ident["resource_group"]
        seed["resource_groups"]["/subscriptions/%s/resourcegroups/%s" % (sub, rg)] = {"name": rg, "location": ident["location"]}
        scope = "/subscriptions/%s/resourceGroups/%s" % (sub, rg)
        seed["role_assignments"] += [
            {"object_id": ident["object_id"], "role": "Azure Connected Machine Onboarding", "scope": scope},
            {"object_id": ident["object_id"], "role": "Azure Connected Machine Resource Administrator", "scope": scope},
            {"object_id": ident["admin_object_id"], "role": "Owner", "scope": "/subscriptions/%s" % sub},
        ]
    if own:
        fleet.client().seed(seed)
    return own


def write_inventory(path, fleet, expected, scenario_table, subscriptions):
    """The matrix's own inventory source (given after the fleet's, so its host variables win): each host's policy."""
    policies = expected["policies"]
    hosts = {}
    for index, (playbook, policy) in enumerate(columns(expected)):
        for scenario in scenario_table.NAMES:
            host = host_of(scenario_table, scenario, index)
            hvars = {"azcmagent_policy": dict(policies[policy]), "matrix_column": "%s/%s" % (playbook, policy)}
            if host in subscriptions:
                hvars["azcmagent_subscription_id"] = subscriptions[host]
            hosts[host] = hvars
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"all": {"children": {"arc_fleet": {"hosts": hosts}}}}, handle, sort_keys=True)
    return path


# -- a cell ---------------------------------------------------------------------------------------------------------------
def _writes(requests, host, subscription=None):
    """Azure writes (not GET, not token requests) to the host's machine name, and to the resource providers of the
    host's own subscription (when it has one: the matrix gives each unregistered-subscription host its own)."""
    out = []
    for req in requests:
        if req["method"] in ("GET", "HEAD") or "/oauth2/" in req["path"]:
            continue
        path = req["path"].split("?")[0]
        lower = path.lower().rstrip("/")
        mine = lower.endswith("/machines/" + host.lower())
        if subscription and lower.startswith("/subscriptions/%s/providers/" % subscription.lower()) and lower.endswith("/register"):
            mine = True
        if mine:
            out.append("%s %s %s" % (req["method"], path, req.get("status", "")))
    return out


def observe(result, before, after, writes, stats):
    """One cell: what the host's result says and what changed around it."""
    result = result or {}
    done = [a for a in result.get("actions", []) if a.get("action") != "connect" and a.get("done")]
    forecast = result.get("forecast") or {}
    return {
        "ok": bool(result.get("ok")) if result else None,
        "changed": bool(result.get("changed")),
        "task_changes": stats.get("changed", 0),
        "repaired": bool(result.get("repaired")),
        "code": result.get("code"),
        "category": result.get("category"),
        "attempts": result.get("attempts", 0),
        "result_state": result.get("state"),
        "actions": ["%s%s" % (a["action"], "" if a.get("ok", True) else "!") for a in done],
        "planned": [a["action"] for a in result.get("actions", []) if a.get("action") != "connect" and not a.get("done")],
        "forecast": forecast,
        "agent": after["agent"],
        "agent_group": after["agent_group"],
        "azure": after["azure"],
        "azure_elsewhere": after["azure_elsewhere"],
        "lock": after["lock"],
        "hybridcompute": after["hybridcompute"],
        "files_changed": sorted(k for k in set(before["files"]) | set(after["files"]) if before["files"].get(k) != after["files"].get(k)),
        "azure_writes": writes,
        "message": result.get("message", ""),
    }


def run_matrix(fleet, run_playbook, scenario_table, expected, workdir, forks=50, playbooks=None, on_run=None):
    """Run every (playbook, phase) once over its hosts; returns {"cells": {(scenario, playbook, policy, phase): cell},
    "runs": [{playbook, phase, seconds, rc}]}."""
    subscriptions = isolate_subscriptions(fleet, scenario_table)
    inventory = write_inventory(os.path.join(workdir, "matrix-inventory.yml"), fleet, expected, scenario_table, subscriptions)
    extra = load_vars()
    extra["azcmagent_report_dir"] = os.path.join(workdir, "reports")
    cols = columns(expected)
    cells, runs = {}, []

    def one_playbook(playbook):
        mine = [(i, pb, pol) for i, (pb, pol) in enumerate(cols) if pb == playbook]
        hosts = {host_of(scenario_table, s, i): (s, pb, pol) for i, pb, pol in mine for s in scenario_table.NAMES}
        pattern = ":".join("*-%02d" % (i + 1) for i, _pb, _pol in mine)
        for phase in PHASES:
            before = world(fleet, hosts, subscriptions)
            seen = len(fleet.requests())
            started = time.monotonic()
            run = run_playbook(PLAYBOOKS[playbook], inventory=fleet.inventory, args=["-i", inventory], check=phase == "check",
                               extra_vars=dict(extra, azcmagent_hosts=pattern), forks=forks, env=BECOME_ENV, timeout=1800)
            seconds = time.monotonic() - started
            runs.append({"playbook": playbook, "phase": phase, "seconds": round(seconds, 1), "rc": run.rc, "hosts": len(hosts)})
            after = world(fleet, hosts, subscriptions)
            # (the other playbook's run goes on meanwhile: its requests concern other hosts, which _writes leaves out)
            requests = fleet.requests()[seen:]
            results = run.results(list(hosts))
            for host, (scenario, pb, policy) in hosts.items():
                cells[(scenario, pb, policy, phase)] = dict(
                    observe(results.get(host), before[host], after[host], _writes(requests, host, subscriptions.get(host)),
                            run.stats.get(host, {})), host=host)
            if on_run:
                on_run(playbook, phase, run)

    # the two playbooks run side by side (their hosts are disjoint): two controllers use two cores
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(one_playbook, playbook) for playbook in playbooks or expected["playbooks"]]:
            future.result()
    runs.sort(key=lambda r: (r["playbook"], PHASES.index(r["phase"])))
    return {"cells": cells, "runs": runs}


def save(matrix, path):
    """Write the matrix as JSON (the input of tools/reliability_report.py)."""
    data = {"runs": matrix["runs"],
            "cells": [dict(cell, scenario=key[0], playbook=key[1], policy=key[2], phase=key[3]) for key, cell in sorted(matrix["cells"].items())]}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
    return path
