#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: onboarding a simulated fleet with playbooks/onboard.yml against the plain way (bench/baseline.yml).

For each fleet size (default 10, 50 and 200 hosts of the ``clean`` scenario), on one fleet: the baseline's first run
and second run (nothing to do), then the fleet is reset (every agent disconnected locally, every machine resource
deleted in the mock Azure), then ``playbooks/onboard.yml``'s first and second run. For every run: wall time, agent
invocations per host (each host's agent is wrapped by a counter), task results per host (a callback counts them,
skipped tasks excluded), and the controller's peak memory (the summed PSS of ``ansible-playbook`` and its workers,
sampled every 0.2 s). Then the ratios and the goals:

* the second run invokes the agent once per host;
* the second run is no slower than the baseline's second run;
* the first run (preflight and parsing included) takes at most 1.3 times the baseline's first run.

Everything runs on 127.0.0.1 and is stopped at the end. The figures go to ``build/bench/onboard.json``; with
``--docs`` also into ``docs/performance.md`` (between its markers) and ``docs/performance.png`` (needs matplotlib:
``make bench`` installs requirements-bench.txt).

Usage: python bench/onboard.py [--sizes 10,50,200] [--forks 50] [--docs]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
OUT = os.path.join(ROOT, "build", "bench", "onboard.json")
DOC = os.path.join(ROOT, "docs", "performance.md")
PLOT = os.path.join(ROOT, "docs", "performance.png")
BEGIN, END = "<!-- bench/onboard.py: begin -->", "<!-- bench/onboard.py: end -->"
FIRST_RUN_GOAL = 1.3
TOP_TASKS = 8

COUNTING_WRAPPER = """#!/bin/sh
# bench/onboard.py: count this host's agent invocations, then run the agent.
echo "$1" >> {log}
exec {real} "$@"
"""


def _pss_kib(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[str]:
    children: dict[str, list[str]] = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                ppid = handle.read().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
    found, todo = [], [str(root)]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


class PeakMemory(threading.Thread):
    """The peak of the summed PSS of the ansible-playbook processes (the controller and its forks) under ``pid``."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            total = 0
            for pid in _tree(self.pid):
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as handle:
                        cmdline = handle.read()
                except OSError:
                    continue
                if b"ansible-playbook" in cmdline:
                    total += _pss_kib(pid)
            self.peak_kib = max(self.peak_kib, total)
            self.done.wait(0.2)


def instrument(fleet) -> dict[str, str]:
    """Wrap every host's agent with a counter; returns host -> invocation log."""
    logs = {}
    for name, entry in fleet.hosts.items():
        executable = entry["executable"]
        real = executable + ".bench-real"
        if not os.path.exists(real):
            os.rename(executable, real)
        log = os.path.join(entry["host_dir"], "bench-invocations.log")
        with open(executable, "w", encoding="utf-8") as handle:
            handle.write(COUNTING_WRAPPER.format(log=shlex.quote(log), real=shlex.quote(real)))
        os.chmod(executable, 0o755)
        logs[name] = log
    return logs


def count_invocations(logs: dict[str, str]) -> int:
    total = 0
    for log in logs.values():
        if os.path.exists(log):
            with open(log, encoding="utf-8") as handle:
                total += sum(1 for _ in handle)
            os.remove(log)
    return total


def reset(fleet, logs: dict[str, str]) -> None:
    """Every agent disconnected locally and every machine resource of the fleet deleted (not measured)."""
    for entry in fleet.hosts.values():
        subprocess.run([entry["executable"], "disconnect", "--force-local-only"], capture_output=True, check=False)
    client = fleet.client()
    ident = fleet.identity
    token = client.token(ident["tenant_id"], ident["admin_client_id"], ident["admin_client_secret"])
    for machine_id in list(client.state().get("machines", {})):
        client.request("DELETE", machine_id + "?api-version=2024-07-10", token=token)
    count_invocations(logs)


def run_playbook(playbook: str, inventory: str, forks: int, hosts: int, logs: dict[str, str], extra: list[str]) -> dict:
    """One ansible-playbook run, from the fleet's directory (where the fleet report goes), measured."""
    with tempfile.NamedTemporaryFile(prefix="arcops-bench-counts-", suffix=".json", delete=False) as handle:
        counts_path = handle.name
    collections = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, "build", "dev")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_CALLBACK_PLUGINS=os.path.join(BENCH, "callback"), ANSIBLE_CALLBACKS_ENABLED="bench_counts",
               ARCOPS_BENCH_COUNTS=counts_path, ANSIBLE_FORKS=str(forks), ANSIBLE_HOST_KEY_CHECKING="false")
    argv = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, playbook, *extra]
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=os.path.dirname(inventory), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = PeakMemory(process.pid)
    sampler.start()
    output = process.communicate()[0].decode("utf-8", "replace")
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    with open(counts_path, encoding="utf-8") as handle:
        recorded = json.load(handle)
    os.remove(counts_path)
    counts = recorded["counts"]
    results = sum(sum(per_action.values()) for host, per_action in counts.items() if host != "localhost")
    slowest = sorted(recorded["task_seconds"].items(), key=lambda item: -item[1])[:TOP_TASKS]
    return {"rc": process.returncode, "wall_s": round(wall, 2), "agent_invocations_per_host": round(count_invocations(logs) / hosts, 2),
            "task_results_per_host": round(results / hosts, 2), "peak_memory_mib": round(sampler.peak_kib / 1024, 1),
            "slowest_tasks": [{"task": name, "seconds": seconds} for name, seconds in slowest],
            "tail": output[-3000:] if process.returncode else ""}


def measure(size: int, forks: int) -> dict:
    sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
    import fleetlib  # pylint: disable=import-error,import-outside-toplevel

    figures: dict = {"hosts": size, "forks": forks}
    with tempfile.TemporaryDirectory(prefix="arcops-bench-onboard-") as directory:
        try:
            fleet = fleetlib.up(directory, scenarios={"clean": size})
            logs = instrument(fleet)
            inventory = fleet.inventory
            baseline = os.path.join(BENCH, "baseline.yml")
            ours = os.path.join(ROOT, "playbooks", "onboard.yml")
            ours_extra = ["-e", "azcmagent_install=false"]
            figures["baseline_first"] = run_playbook(baseline, inventory, forks, size, logs, [])
            figures["baseline_second"] = run_playbook(baseline, inventory, forks, size, logs, [])
            reset(fleet, logs)
            figures["ours_first"] = run_playbook(ours, inventory, forks, size, logs, ours_extra)
            figures["ours_second"] = run_playbook(ours, inventory, forks, size, logs, ours_extra)
            states = fleet.client().state().get("machines", {})
            figures["machines_in_azure"] = len(states)
        finally:
            fleetlib.down(directory)
    for run in ("first", "second"):
        figures[f"ratio_{run}"] = round(figures[f"ours_{run}"]["wall_s"] / max(figures[f"baseline_{run}"]["wall_s"], 0.01), 2)
    runs_ok = not any(figures[k]["rc"] for k in ("baseline_first", "baseline_second", "ours_first", "ours_second"))
    figures["goals"] = {
        "every run passed (exit status 0)": runs_ok,
        "second run: one agent invocation per host": figures["ours_second"]["agent_invocations_per_host"] <= 1.0,
        "second run no slower than the baseline's": figures["ratio_second"] <= 1.0,
        f"first run within {FIRST_RUN_GOAL} x the baseline's": figures["ratio_first"] <= FIRST_RUN_GOAL,
    }
    return figures


def table(results: list[dict]) -> str:
    lines = ["| hosts | forks | run | baseline (s) | ours (s) | ratio | agent calls/host (baseline / ours) "
             "| task results/host (baseline / ours) | peak controller memory MiB (baseline / ours) |",
             "|---:|---:|---|---:|---:|---:|---|---|---|"]
    for fig in results:
        for run in ("first", "second"):
            base, ours = fig[f"baseline_{run}"], fig[f"ours_{run}"]
            lines.append(f"| {fig['hosts']} | {fig['forks']} | {run} | {base['wall_s']} | {ours['wall_s']} | {fig[f'ratio_{run}']} "
                         f"| {base['agent_invocations_per_host']} / {ours['agent_invocations_per_host']} "
                         f"| {base['task_results_per_host']} / {ours['task_results_per_host']} "
                         f"| {base['peak_memory_mib']} / {ours['peak_memory_mib']} |")
    return "\n".join(lines)


def write_docs(results: list[dict], meta: dict) -> None:
    goals = []
    for fig in results:
        for goal, met in fig["goals"].items():
            goals.append(f"* {fig['hosts']} hosts: {goal}: {'met' if met else 'NOT met'}")
    largest = max(results, key=lambda fig: fig["hosts"])
    where = [f"Where the time goes on the largest fleet ({largest['hosts']} hosts; wall seconds from a task's start to the next "
             "task's, all hosts together; the baseline's second run for comparison):", "",
             "| run | task | seconds |", "|---|---|---:|"]
    for key, label in (("ours_second", "onboard.yml, second"), ("ours_first", "onboard.yml, first"), ("baseline_second", "baseline, second")):
        for entry in largest[key].get("slowest_tasks", []):
            where.append(f"| {label} | {entry['task']} | {entry['seconds']} |")
    section = "\n".join([BEGIN, "", f"Measured {meta['date']} on {meta['machine']} (`{meta['command']}`).", "", table(results), "",
                         *goals, "", *where, "", END])
    with open(DOC, encoding="utf-8") as handle:
        doc = handle.read()
    head, _, rest = doc.partition(BEGIN)
    _, _, tail = rest.partition(END)
    with open(DOC, "w", encoding="utf-8") as handle:
        handle.write(head + section + tail)
    import matplotlib  # pylint: disable=import-outside-toplevel,import-error
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel,import-error
    sizes = [fig["hosts"] for fig in results]
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=100)
    for key, label, style in (("baseline_first", "baseline, first run", "o--"), ("ours_first", "onboard.yml, first run", "o-"),
                              ("baseline_second", "baseline, second run", "s--"), ("ours_second", "onboard.yml, second run", "s-")):
        axes.plot(sizes, [fig[key]["wall_s"] for fig in results], style, label=label)
    axes.set_xlabel("simulated hosts")
    axes.set_ylabel("wall time (s)")
    axes.set_title(f"Onboarding wall time, forks {results[0]['forks']} ({meta['machine']})")
    axes.grid(True, alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(PLOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,200", help="fleet sizes, comma separated")
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--docs", action="store_true", help="write docs/performance.md and docs/performance.png")
    args = parser.parse_args(argv)
    results = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        figures = measure(size, args.forks)
        results.append(figures)
        for key in ("baseline_first", "baseline_second", "ours_first", "ours_second"):
            if figures[key]["rc"]:
                print(f"{size} hosts, {key}: ansible-playbook exit {figures[key]['rc']}:\n{figures[key]['tail']}", file=sys.stderr)
        print(table([figures]).splitlines()[-2])
        print(table([figures]).splitlines()[-1], flush=True)
    meta = {"date": datetime.date.today().isoformat(), "command": "python bench/onboard.py " + " ".join(argv or sys.argv[1:]),
            "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}"}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump({"meta": meta, "results": results}, handle, indent=2)
    print(table(results))
    failed = False
    for fig in results:
        for goal, met in fig["goals"].items():
            print(f"{fig['hosts']} hosts: {goal}: {'met' if met else 'NOT met'}")
            failed = failed or not met
    if args.docs:
        write_docs(results, meta)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
