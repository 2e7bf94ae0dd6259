#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the stages of ``make test`` side by side, a bounded number at a time.

Usage: ``stages.py [--done TARGET,...] [--slots N] LOGDIR STAGE[:AFTER[+AFTER...]] ...`` where a stage is a ``make``
target; ``targets:sanity`` starts only after ``sanity`` ended (the two share the installed collection's
tests/output). Stages start in the order given, as soon as a slot is free and what they come after has ended, so the
long ones go first; the targets named by ``--done`` were made before (``make -o``), so no stage makes them again.
Each stage's output goes to ``LOGDIR/<stage>.log``; when a stage ends, its duration and result are printed, and the
tail of its log when it failed. Every stage runs, also after a failed one (one run shows every failure). Exit
status 0 only when every stage passed.

A stage that runs longer than its budget (``$STAGE_TIMEOUT`` seconds, default 2400; ``$STAGE_TIMEOUT_<STAGE>``
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


def _tail(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return "".join(handle.readlines()[-TAIL_LINES:])


def _budget(stage: str) -> float:
    """Seconds a stage may run: ``$STAGE_TIMEOUT_<STAGE>``, else ``$STAGE_TIMEOUT``, else 2400."""
    return float(os.environ.get(f"STAGE_TIMEOUT_{stage.upper()}", os.environ.get("STAGE_TIMEOUT", "2400")))


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


def parse_stages(specs: list[str]) -> list[tuple[str, set[str]]]:
    """``["sanity", "targets:sanity"]`` -> ``[("sanity", set()), ("targets", {"sanity"})]``; an unknown AFTER is an error."""
    stages: list[tuple[str, set[str]]] = []
    for spec in specs:
        for item in spec.split(","):  # (a comma-separated group of the former syntax is a list of stages)
            if not item:
                continue
            name, _, after = item.partition(":")
            stages.append((name, {a for a in after.split("+") if a}))
    names = {name for name, _ in stages}
    for name, after in stages:
        if after - names:
            raise SystemExit(f"stages.py: {name} comes after {', '.join(sorted(after - names))}, which is not a stage of this run")
    return stages


def run_stages(stages: list[tuple[str, set[str]]], logdir: str, done: list[str], slots: int) -> bool:
    waiting = list(stages)
    running: dict[str, tuple[subprocess.Popen[bytes], float, str]] = {}
    ended: set[str] = set()
    ok = True
    next_heartbeat = time.monotonic() + HEARTBEAT
    while waiting or running:
        for name, after in list(waiting):
            if len(running) >= slots:
                break
            if not after <= ended:
                continue
            waiting.remove((name, after))
            log = os.path.join(logdir, f"{name}.log")
            with open(log, "wb") as handle:
                argv = ["make", "--no-print-directory"] + [f"--old-file={target}" for target in done] + [name]
                # a process group of its own, so that a stage past its budget is stopped with all it started
                process = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
            running[name] = (process, time.monotonic(), log)
            print(f"stage {name}: started (log: {log})", flush=True)
        for name, (process, started, log) in list(running.items()):
            took = time.monotonic() - started
            if process.poll() is None:
                if took <= _budget(name):
                    continue
                _stop(process)
                print(f"stage {name}: FAILED (stopped after its budget of {_budget(name):.0f} s); last lines of {log}:", flush=True)
                print(_tail(log), flush=True)
                ok = False
            elif process.returncode == 0:
                print(f"stage {name}: passed in {took:.0f} s", flush=True)
            else:
                ok = False
                print(f"stage {name}: FAILED (exit {process.returncode}) after {took:.0f} s; last lines of {log}:", flush=True)
                print(_tail(log), flush=True)
            del running[name]
            ended.add(name)
        if running and time.monotonic() >= next_heartbeat:
            next_heartbeat += HEARTBEAT
            for name, (_, started, log) in running.items():
                print(f"stage {name}: running for {time.monotonic() - started:.0f} s; last line: {_last_line(log)}", flush=True)
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
    slots = 6
    while argv[:1] and argv[0] in ("--done", "--slots") and len(argv) > 1:
        if argv[0] == "--done":
            done = [target for target in argv[1].split(",") if target]
        else:
            slots = max(1, int(argv[1]))
        argv = argv[2:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    logdir = argv[0]
    stages = parse_stages(argv[1:])
    os.makedirs(logdir, exist_ok=True)
    counts = os.environ.setdefault("ARCOPS_COUNTS_DIR", os.path.join(os.path.dirname(logdir), "counts"))
    if os.path.isdir(counts):
        for name in os.listdir(counts):
            os.remove(os.path.join(counts, name))
    started = time.monotonic()
    ok = run_stages(stages, logdir, done, slots)
    print_counts(counts)
    if not ok:
        print(f"make test: FAILED after {time.monotonic() - started:.0f} s", flush=True)
        return 1
    print(f"make test: all stages passed in {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
