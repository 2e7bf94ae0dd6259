# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback (never shipped): counts the task results per host and action, and the wall time of each
task (from its start to the start of the next task or play), for bench/onboard.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_counts
type: aggregate
short_description: Count task results per host and action, time each task (benchmark only)
description:
  - Writes the counts and the seconds per task to the file named by E(ARCOPS_BENCH_COUNTS) when the playbook ends.
requirements:
  - enable in configuration
"""

import collections
import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_counts"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = collections.defaultdict(collections.Counter)
        self.seconds = collections.Counter()
        self.current = None
        self.started = 0.0

    def _close(self, name=None):
        now = time.monotonic()
        if self.current is not None:
            self.seconds[self.current] += now - self.started
        self.current, self.started = name, now

    def v2_playbook_on_play_start(self, play):
        self._close("(play start) " + play.get_name())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close(task.get_name())

    def _count(self, result):
        self.counts[result._host.get_name()][result._task.action] += 1

    def v2_runner_on_ok(self, result):
        self._count(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._count(result)

    def v2_runner_on_unreachable(self, result):
        self._count(result)

    def v2_runner_item_on_ok(self, result):
        self._count(result)

    def v2_runner_item_on_failed(self, result):
        self._count(result)

    def v2_playbook_on_stats(self, stats):
        self._close()
        path = os.environ.get("ARCOPS_BENCH_COUNTS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"counts": {host: dict(counter) for host, counter in self.counts.items()},
                           "task_seconds": {name: round(seconds, 2) for name, seconds in self.seconds.items()}}, handle)
