#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the stages of ``make test``: groups one after the other, the stages of a group side by side.

Usage: ``stages.py [--done TARGET,...] LOGDIR GROUP [GROUP ...]`` where a group is
``stage[,stage...]`` and a stage is a ``make`` target; the targets named by ``--done`` were made
before (``make -o``), so no stage makes them again. Each stage's output goes to ``LOGDIR/<stage>.log``; when a stage ends, its
duration and result are printed, and the tail of its log when it failed. The stages of a group
share nothing that they write (the installed collection is only read), so they may run at once;
every group runs, also after a group with a failed stage (one run shows every failure). Exit status 0 only when
every stage passed.
A stage that runs longer than its budget (``$STAGE_TIMEOUT`` seconds, default 1800; ``$STAGE_TIMEOUT_<STAGE>``
for one stage) is stopped with its whole process group and counts as failed, so one hanging stage cannot eat
CI's time; every ``HEARTBEAT`` seconds the stages still running are named with the last line of their logs.
At the end it prints the counts the suites recorded with ``tests/counts.py`` (in
``$ARCOPS_COUNTS_DIR``, default ``LOGDIR/../counts``, emptied when the run starts).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

TAIL_LINES = 60
HEARTBEAT = 300.0


def _budget(stage: str) -> float:
    """Seconds a stage may run: ``$STAGE_TIMEOUT_<STAGE>``, else ``$STAGE_TIMEOUT``, else 1800."""
    return float(os.environ.get(f"STAGE_TIMEOUT_{stage.upper()}", os.environ.get("STAGE_TIMEOUT", "1800")))


def _last_line(path: str) -> str:
    lines = [line.strip() for line in _tail(path).splitlines() if line.strip()]
    return lines[-1][:160] if lines else "(no output yet)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a stage and everything it started (its own process group): TERM, then KILL after 20 s."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return "".join(handle.readlines()[-TAIL_LINES:])


def run_group(stages: list[str], logdir: str, done: list[str]) -> bool:
    running: dict[str, tuple[subprocess.Popen[bytes], float, str]] = {}
    for stage in stages:
        log = os.path.join(logdir, f"{stage}.log")
        with open(log, "wb") as handle:
            argv = ["make", "--no-print-directory"] + [f"--old-file={target}" for target in done] + [stage]
            # a process group of its own, so that a stage past its budget is stopped with all it started
            process = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        running[stage] = (process, time.monotonic(), log)
        print(f"stage {stage}: started (log: {log})", flush=True)
    ok = True
    next_heartbeat = time.monotonic() + HEARTBEAT
    while running:
        for stage, (process, started, log) in list(running.items()):
            took = time.monotonic() - started
            if process.poll() is None:
                if took <= _budget(stage):
                    continue
                _stop(process)
                del running[stage]
                ok = False
                print(f"stage {stage}: FAILED (stopped after its budget of {_budget(stage):.0f} s); last lines of {log}:", flush=True)
                print(_tail(log), flush=True)
                continue
            del running[stage]
            if process.returncode == 0:
                print(f"stage {stage}: passed in {took:.0f} s", flush=True)
            else:
                ok = False
                print(f"stage {stage}: FAILED (exit {process.returncode}) after {took:.0f} s; last lines of {log}:", flush=True)
                print(_tail(log), flush=True)
        if running and time.monotonic() >= next_heartbeat:
            next_heartbeat += HEARTBEAT
            for stage, (_, started, log) in running.items():
                print(f"stage {stage}: running for {time.monotonic() - started:.0f} s; last line: {_last_line(log)}", flush=True)
        time.sleep(0.5)
    return ok


def print_counts(directory: str) -> None:
    """Print the counts the suites recorded (tests/counts.py), one line per suite."""
    if not os.path.isdir(directory):
        return
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as handle:
            counts = json.load(handle)
        figures = ", ".join(f"{label} {value}" for label, value in sorted(counts.items()))
        print(f"counts {name[:-5]}: {figures}", flush=True)


def main(argv: list[str]) -> int:
    done: list[str] = []
    if argv[:1] == ["--done"] and len(argv) > 1:
        done = [target for target in argv[1].split(",") if target]
        argv = argv[2:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    logdir = argv[0]
    os.makedirs(logdir, exist_ok=True)
    counts = os.environ.setdefault("ARCOPS_COUNTS_DIR", os.path.join(os.path.dirname(logdir), "counts"))
    if os.path.isdir(counts):
        for name in os.listdir(counts):
            os.remove(os.path.join(counts, name))
    started = time.monotonic()
    failed = False
    for group in argv[1:]:
        # every group runs, also after a failed one: one run shows every failure
        failed = not run_group([stage for stage in group.split(",") if stage], logdir, done) or failed
    print_counts(counts)
    if failed:
        print(f"make test: FAILED after {time.monotonic() - started:.0f} s", flush=True)
        return 1
    print(f"make test: all stages passed in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
