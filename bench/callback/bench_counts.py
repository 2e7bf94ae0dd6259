# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback (never shipped): counts the task results per host and action, for bench/onboard.py."""

from __future__ import annotations

DOCUMENTATION = r"""
name: bench_counts
type: aggregate
short_description: Count task results per host and action (benchmark only)
description:
  - Writes the counts to the file named by E(ARCOPS_BENCH_COUNTS) when the playbook ends.
requirements:
  - enable in configuration
"""

import collections
import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_counts"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = collections.defaultdict(collections.Counter)

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
        path = os.environ.get("ARCOPS_BENCH_COUNTS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({host: dict(counter) for host, counter in self.counts.items()}, handle)
