#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: how long the simulated fleet takes to come up and go down.

Brings up N hosts (default 200, goal: under 30 s) of one scenario, or of every scenario
in turn with --mixed, then brings them down, and prints both times. Everything runs on
127.0.0.1 and is stopped at the end, also when the run fails.

Usage: python bench/fleet.py [--hosts 200] [--mixed]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOAL_UP_S = 30.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--mixed", action="store_true", help="spread the hosts over every scenario")
    args = parser.parse_args(argv)

    sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
    import fleetlib  # pylint: disable=import-error
    import scenarios  # pylint: disable=import-error

    if args.mixed:
        names = list(scenarios.NAMES)
        plan = {name: args.hosts // len(names) + (1 if index < args.hosts % len(names) else 0) for index, name in enumerate(names)}
        plan = {name: count for name, count in plan.items() if count}
    else:
        plan = {"clean": args.hosts}

    with tempfile.TemporaryDirectory(prefix="arcops-bench-fleet-") as directory:
        start = time.perf_counter()
        try:
            fleet = fleetlib.up(directory, scenarios=plan)
            up_s = time.perf_counter() - start
            count = len(fleet.hosts)
        finally:
            start_down = time.perf_counter()
            fleetlib.down(directory)
            down_s = time.perf_counter() - start_down
    print("hosts     {0} ({1})".format(count, "every scenario" if args.mixed else "clean"))
    print("up        {0:.1f} s (goal < {1:.0f} s)".format(up_s, GOAL_UP_S))
    print("down      {0:.1f} s".format(down_s))
    return 0 if up_s < GOAL_UP_S else 1


if __name__ == "__main__":
    sys.exit(main())
