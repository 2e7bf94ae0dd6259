#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: connect on a host whose azcmagent.log holds 1 GB takes no longer than on an empty log.

Brings up two clean simulated hosts, fills the first host's ``azcmagent.log`` with realistic
logfmt lines (bench/parse.py's generator, one block written repeatedly) up to --size-mb, and
leaves the second host's log empty. Then, for --rounds rounds on each host, disconnects locally
(``disconnect --force-local-only`` through the collection's AgentRunner, not timed) and times one
run of the arcops.azcmagent.connect module itself under a fresh resource name (the local-only
disconnect leaves the Azure resource behind); the module file is run by the fleet's Python with an
args file, as Ansible runs it on a managed node, and captures the appended log lines through
AgentRunner. Prints the median connect time of each host, the ratio big/empty (goal <= 1.25)
and the log size. The big log is removed and the fleet brought down at the end, also on failure.

Usage: python bench/log_capture.py [--size-mb 1024] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.join(ROOT, "build", "dev")
MODULE = os.path.join(DEV, "ansible_collections", "arcops", "azcmagent", "plugins", "modules", "connect.py")
GOAL_RATIO = 1.25
BLOCK_MB = 8
LOG_RELATIVE = os.path.join("var", "opt", "azcmagent", "log", "azcmagent.log")


def fill_log(path, size_mb, scratch):
    """Append realistic logfmt lines to path until it holds size_mb MiB; returns its size in bytes."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import parse  # pylint: disable=import-error,import-outside-toplevel

    block_path = os.path.join(scratch, "block.log")
    parse.generate(block_path, BLOCK_MB)
    with open(block_path, "rb") as handle:
        block = handle.read()
    os.remove(block_path)
    target = size_mb * 1024 * 1024
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "ab") as handle:
        written = handle.tell()
        while written < target:
            chunk = block[:target - written]
            handle.write(chunk)
            written += len(chunk)
    return os.path.getsize(path)


def connect_params(host_vars):
    return {
        "executable": host_vars["azcmagent_executable"], "timeout": 120,
        "subscription_id": host_vars["azcmagent_subscription_id"], "resource_group": host_vars["azcmagent_resource_group"],
        "location": host_vars["azcmagent_location"], "tenant_id": host_vars["azcmagent_tenant_id"],
        "cloud": host_vars["azcmagent_cloud"], "service_principal_id": host_vars["azcmagent_service_principal_id"],
        "service_principal_secret": host_vars["azcmagent_service_principal_secret"],
    }


def run_module(python, params, scratch):
    """Run the connect module once (args file, as on a managed node); returns (seconds, parsed result)."""
    args_path = os.path.join(scratch, "connect-args.json")
    fd = os.open(args_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": params}, handle)
    env = dict(os.environ, PYTHONPATH=DEV)
    start = time.perf_counter()
    proc = subprocess.run([python, MODULE, args_path], stdin=subprocess.DEVNULL, capture_output=True, env=env, check=False)
    seconds = time.perf_counter() - start
    try:
        result = json.loads(proc.stdout.decode("utf-8", "replace"))
    except ValueError:
        result = {"failed": True, "msg": (proc.stdout + proc.stderr).decode("utf-8", "replace")[-2000:]}
    return seconds, result


def disconnect_local(executable):
    """``azcmagent disconnect --force-local-only`` through the collection's runner (not timed)."""
    from ansible_collections.arcops.azcmagent.plugins.module_utils import _runner  # pylint: disable=import-error,import-outside-toplevel

    run = _runner.AgentRunner(executable=executable, timeout=120).run(["disconnect", "--force-local-only"], capture_log=False)
    if not run.ok:
        raise RuntimeError("disconnect --force-local-only failed (rc {0}): {1}".format(run.rc, (run.stdout + run.stderr)[-500:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the big azcmagent.log in MiB")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
    sys.path.insert(0, DEV)
    import fleetlib  # pylint: disable=import-error

    if not os.path.isfile(MODULE):
        print("missing {0}: link the working tree as build/dev (run the unit tests once)".format(MODULE), file=sys.stderr)
        return 1
    times = {"big": [], "empty": []}
    captured = {"big": [], "empty": []}
    failures = []
    with tempfile.TemporaryDirectory(prefix="arcops-bench-logcap-") as directory:
        fleet_dir = os.path.join(directory, "fleet")
        big_log = None
        try:
            fleet = fleetlib.up(fleet_dir, scenario="clean", hosts=2)
            python = fleet.data.get("python") or sys.executable
            names = sorted(fleet.hosts)
            hosts = {"big": names[0], "empty": names[1]}
            logs = {role: os.path.join(fleet.hosts[name]["root"], LOG_RELATIVE) for role, name in hosts.items()}
            big_log = logs["big"]
            start = time.perf_counter()
            size = fill_log(big_log, args.size_mb, directory)
            fill_s = time.perf_counter() - start
            os.makedirs(os.path.dirname(logs["empty"]), exist_ok=True)
            with open(logs["empty"], "wb"):
                pass
            for round_no in range(args.rounds):
                for role in ("big", "empty") if round_no % 2 == 0 else ("empty", "big"):
                    host_vars = fleet.host_vars(hosts[role])
                    disconnect_local(host_vars["azcmagent_executable"])
                    # A local-only disconnect leaves the Azure resource: each round connects under a fresh name.
                    params = dict(connect_params(host_vars), resource_name="{0}-r{1}".format(hosts[role], round_no + 1))
                    seconds, result = run_module(python, params, directory)
                    if result.get("failed") or not result.get("changed"):
                        failures.append("{0} round {1}: {2}".format(hosts[role], round_no + 1, result.get("msg")))
                    times[role].append(seconds)
                    captured[role].append(len(result.get("log_lines") or []))
            end_sizes = {role: os.path.getsize(path) for role, path in logs.items()}
        finally:
            if big_log and os.path.exists(big_log):
                os.remove(big_log)
            fleetlib.down(fleet_dir)

    big = statistics.median(times["big"])
    empty = statistics.median(times["empty"])
    ratio = big / empty if empty else float("inf")
    print("log       {0:.0f} MiB ({1} bytes) on {2}, empty at start ({3} bytes at the end) on {4}; filled in {5:.1f} s".format(
        size / 1048576.0, size, hosts["big"], end_sizes["empty"], hosts["empty"], fill_s))
    print("rounds    {0} connects per host (disconnect --force-local-only between, not timed)".format(args.rounds))
    print("big log   median {0:.3f} s  ({1})".format(big, ", ".join("{0:.3f}".format(t) for t in times["big"])))
    print("empty log median {0:.3f} s  ({1})".format(empty, ", ".join("{0:.3f}".format(t) for t in times["empty"])))
    print("ratio     {0:.2f} (goal <= {1:.2f})".format(ratio, GOAL_RATIO))
    print("captured  log lines per connect: big {0}, empty {1}".format(captured["big"], captured["empty"]))
    if not all(captured["big"] + captured["empty"]):
        failures.append("a connect captured no log lines: the capture path was not exercised")
    for failure in failures:
        print("FAILED    " + failure)
    return 0 if ratio <= GOAL_RATIO and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
