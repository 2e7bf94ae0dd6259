# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counts that a test suite reports at the end of ``make test`` (cases run, cells checked, ...).

A suite calls ``record("fuzz", {"cases": 10000})``; ``tools/stages.py`` prints every recorded
file after the last stage. The directory is ``$ARCOPS_COUNTS_DIR`` (``make test`` sets it to
``build/counts`` and empties it first), else ``build/counts`` of this checkout. Suites that run
more than once in a session merge their counts (later values of the same label win).
"""

from __future__ import annotations

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def counts_dir() -> str:
    return os.environ.get("ARCOPS_COUNTS_DIR") or os.path.join(ROOT, "build", "counts")


def record(suite: str, counts: dict[str, int | float | str]) -> str:
    """Write (merge) ``counts`` for ``suite``; return the file's path."""
    directory = counts_dir()
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{suite}.json")
    merged: dict[str, int | float | str] = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            merged = json.load(handle)
    merged.update(counts)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(merged, handle, indent=2, sort_keys=True)
    return path
