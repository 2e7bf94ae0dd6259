# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix (issue 10): every scenario x {onboard.yml, remediate.yml} x {default, permissive policy} x
{check mode, first run, second run} on ONE fleet (one host per scenario and column), six ansible-playbook runs in all.

* every cell ends as tests/integration/matrix/expected.yml says (the result, the agent, the Azure machine, the lock,
  the resource provider);
* check mode changes nothing anywhere (agent files, no lock file either, Azure, temporary files) and forecasts what
  the real run does with the same policy (ok, end state, repaired), except where the table names why it cannot;
* a second run changes nothing and repairs nothing;
* never worse than before: a machine connected to the requested target stays connected, a machine connected elsewhere
  moves only when the policy allows re-onboarding and the playbook onboards, and Azure deletes hit only the resource
  proven stale (or the old resource of a re-onboarding the policy allows).

docs/reliability.md is rendered from this run (tools/reliability_report.py); the counts go to tests/counts.py.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
for _path in (HERE, os.path.join(ROOT, "tools")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position
import reliability_report  # noqa: E402  pylint: disable=wrong-import-position
from matrix import harness  # noqa: E402  pylint: disable=wrong-import-position

from tests.counts import record  # noqa: E402  pylint: disable=wrong-import-position

LAST_RUN = os.path.join(ROOT, "build", "matrix", "last-run.json")
# what the real run of each kind of scenario may delete in Azure (the resource proven stale, or the old resource of a
# re-onboarding the policy allows): anything else deleted is a failure
MAY_DELETE = {"stale_resource", "partial_connect", "connected_elsewhere", "disconnected", "expired"}


def _temp_files():
    """The runner's private directories (its --config files with the secrets) in the temporary directory."""
    # (not the installed collections of `make install`, $TMPDIR/arcops-azcmagent-<checkout>/collections, of any checkout)
    return {p for p in glob.glob(os.path.join(tempfile.gettempdir(), "arcops-azcmagent-*"))
            if os.path.isdir(p) and not os.path.isdir(os.path.join(p, "collections"))}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, callback_dir, scenario_table):
    from conftest import run_ansible_playbook  # pylint: disable=import-outside-toplevel
    work = str(tmp_path_factory.mktemp("matrix"))
    expected = harness.load_expected()
    ncols = len(harness.columns(expected))
    fleet = fleetlib.up(os.path.join(work, "fleet"), scenarios={name: ncols for name in scenario_table.NAMES})
    temp_before = {}

    def on_run(playbook, phase, run):
        assert run.stats, "%s %s gave no per-host stats:\n%s\n%s" % (playbook, phase, run.stdout[-3000:], run.stderr[-3000:])

    try:
        temp_before["start"] = _temp_files()

        def run_playbook(playbook, **kwargs):
            # one work directory per playbook: the two playbooks' runs go side by side, each numbers its own results
            name = os.path.splitext(os.path.basename(playbook))[0]
            return run_ansible_playbook(playbook, os.path.join(work, "ansible-" + name), callback_dir=callback_dir, **kwargs)

        data = harness.run_matrix(fleet, run_playbook, scenario_table, expected, work, on_run=on_run)
        # after every run has ended (the two playbooks run side by side: one's live files are no leftovers of the other)
        data["temp_left"] = sorted(_temp_files() - temp_before["start"])
        data["expected"] = expected
        yield data
    finally:
        fleetlib.down(os.path.join(work, "fleet"))


def _cells(matrix, phase=None):
    return {key: cell for key, cell in matrix["cells"].items() if phase is None or key[3] == phase}


def _label(key):
    return "%s %s/%s/%s" % key


def _compare(matrix):
    """Every difference between the run and the table, as readable lines."""
    table = matrix["expected"]["cells"]
    problems = []
    for key, cell in sorted(matrix["cells"].items()):
        scenario, playbook, policy, phase = key
        wanted = (table.get(scenario) or {}).get("%s/%s/%s" % (playbook, policy, phase))
        if wanted is None:
            problems.append("%s: not in expected.yml" % _label(key))
            continue
        for field, value in wanted.items():
            got = cell.get(field)
            if field == "forecast":
                got = {k: (cell.get("forecast") or {}).get(k) for k in value}
            if got != value:
                problems.append("%s: %s is %r, expected %r (%s)" % (_label(key), field, got, value, cell.get("message") or cell.get("actions")))
    return problems


@pytest.mark.slow
def test_every_cell_ends_as_the_table_says(matrix, scenario_table):
    problems = _compare(matrix)
    matrix["mismatches"] = problems
    out = harness.save(matrix, LAST_RUN)
    with open(out, encoding="utf-8") as handle:
        saved = json.load(handle)
    saved["mismatches"] = problems
    reliability_report.write(saved)
    table = matrix["expected"]["cells"]
    record("fault_matrix", {"scenario x mode cells": len(matrix["cells"]), "scenarios": len(scenario_table.NAMES),
                            "ansible-playbook runs": len(matrix["runs"]), "differences from the table": len(problems),
                            # the playbooks run side by side, each its phases one after the other
                            "matrix seconds": round(max(sum(r["seconds"] for r in matrix["runs"] if r["playbook"] == pb)
                                                        for pb in {r["playbook"] for r in matrix["runs"]}), 1)})
    assert sorted(table) == sorted(scenario_table.NAMES), "expected.yml covers every scenario, and only those"
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_check_mode_changes_nothing_anywhere(matrix):
    problems = []
    for key, cell in sorted(_cells(matrix, "check").items()):
        if cell["files_changed"]:
            problems.append("%s: check mode changed agent files %s" % (_label(key), cell["files_changed"]))
        if cell["azure_writes"]:
            problems.append("%s: check mode wrote to Azure: %s" % (_label(key), cell["azure_writes"]))
    assert not problems, "\n".join(problems)
    assert matrix["temp_left"] == [], "runs left temporary files of the collection behind"
    record("fault_matrix", {"check-mode cells that changed nothing": len(_cells(matrix, "check"))})


@pytest.mark.slow
def test_check_mode_forecasts_the_real_run(matrix):
    unforeseeable = matrix["expected"].get("unforeseeable") or {}
    problems, compared, excused = [], 0, 0
    fields = ("ok", "state", "repaired")
    for key, check in sorted(_cells(matrix, "check").items()):
        real = matrix["cells"][key[:3] + ("first",)]
        forecast = check["forecast"] or {}
        said = dict(zip(fields, (forecast.get("ok"), forecast.get("state"), forecast.get("repaired"))))
        # (an interrupted connect: `show`, and so the forecast, says Disconnected; the table says Pending)
        happened = dict(zip(fields, (real["ok"], "Disconnected" if real["agent"] == "Pending" else real["agent"], real["repaired"])))
        compared += 1
        differ = sorted(f for f in fields if said[f] != happened[f])
        if not differ:
            continue
        # a scenario whose failure only acting shows (the table says why) may differ in the fields it names, no other
        allowed = (unforeseeable.get(key[0]) or {}).get("fields") or []
        if all(f in allowed for f in differ):
            excused += 1
            continue
        problems.append("%s: check mode forecast %r, the real run gave %r" % (_label(key), said, happened))
    assert not problems, "\n".join(problems)
    record("fault_matrix", {"forecasts compared with the real run": compared, "forecasts unforeseeable (named in the table)": excused})


@pytest.mark.slow
def test_a_second_run_changes_and_repairs_nothing(matrix):
    problems = []
    for key, cell in sorted(_cells(matrix, "second").items()):
        first = matrix["cells"][key[:3] + ("first",)]
        # a write Azure refused changed nothing (the 1.2x-and-later agent tries to register an unregistered provider on every
        # connect, which the Onboarding role may not)
        done = [w for w in cell["azure_writes"] if not w.rsplit(" ", 1)[-1].isdigit() or int(w.rsplit(" ", 1)[-1]) < 400]
        if cell["changed"] or cell["repaired"] or done:
            problems.append("%s: changed %s repaired %s writes %s" % (_label(key), cell["changed"], cell["repaired"], done))
        if (cell["ok"], cell["agent"], cell["azure"]) != (first["ok"], first["agent"], first["azure"]):
            problems.append("%s: the second run ends otherwise than the first" % _label(key))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_never_worse_than_before(matrix, scenario_table):
    policies = matrix["expected"]["policies"]
    problems, checks = [], 0
    for key, cell in sorted(matrix["cells"].items()):
        scenario, playbook, policy, _phase = key
        setup = scenario_table.setup(scenario)
        connected_here = setup["local"] == "connected" and setup["target"] == "fleet" and setup["local_status"] == "Connected"
        checks += 1
        if connected_here and (cell["agent"], cell["agent_group"]) != ("Connected", "fleet"):
            problems.append("%s: was connected to the target, now %s in %s" % (_label(key), cell["agent"], cell["agent_group"]))
        checks += 1
        if setup["target"] == "elsewhere" and cell["agent_group"] != "elsewhere":
            asked = policies[policy].get("reonboard") and playbook == "onboard"
            if not asked:
                problems.append("%s: moved from the other resource group without being asked" % _label(key))
        for write in cell["azure_writes"]:
            checks += 1
            # (every DELETE counts, also one Azure refused: trying is already too much)
            if write.startswith("DELETE") and scenario not in MAY_DELETE:
                problems.append("%s: deleted %s" % (_label(key), write))
            if write.startswith("DELETE") and not (policies[policy].get("delete_resource") or policies[policy].get("reonboard")):
                problems.append("%s: deleted %s with a policy that allows no deletion" % (_label(key), write))
    record("fault_matrix", {"never-worse checks": checks})
    assert not problems, "\n".join(problems)
