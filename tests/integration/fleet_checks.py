# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the playbook tests read back from a simulated fleet after a run (the runner is conftest's ``run_playbook``)."""

from __future__ import annotations

import glob
import os


def results(run, fleet):
    """Each host's azcmagent_result fact (None when the run set none). Kept for old callers: use ``run.results(fleet)``."""
    return run.results(fleet)


def local_state(fleet):
    """The agent state files of every host (logs left out: reading commands log too)."""
    state = {}
    for name, entry in fleet.hosts.items():
        root = os.path.join(entry["host_dir"], "root", "var", "opt", "azcmagent")
        for path in sorted(glob.glob(os.path.join(root, "*.json"))):
            with open(path, encoding="utf-8") as handle:
                state["%s:%s" % (name, os.path.basename(path))] = handle.read()
    return state


def writes(fleet):
    """Requests to the mock that change Azure (anything but GET and token requests)."""
    return [r for r in fleet.requests() if r["method"] != "GET" and "/oauth2/" not in r["path"]]
