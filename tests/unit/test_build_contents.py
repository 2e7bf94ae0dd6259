# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated reports (azcmagent-report/ under the working directory) are ignored by git and never in the built collection."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tarfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
GALAXY = pathlib.Path(sys.executable).parent / "ansible-galaxy"


def _tracked_files() -> list[str]:
    proc = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.fail("git ls-files failed: " + proc.stderr)
    return [line for line in proc.stdout.splitlines() if line]


def test_git_ignores_generated_reports():
    proc = subprocess.run(["git", "check-ignore", "--no-index", "azcmagent-report/fleet_report.html", "azcmagent-report/logs/h1.zip"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.stdout.split() == ["azcmagent-report/fleet_report.html", "azcmagent-report/logs/h1.zip"]


def test_built_collection_holds_no_report_and_no_test_driver(tmp_path):
    assert GALAXY.exists(), "ansible-galaxy of this environment (make venv)"
    tree = tmp_path / "tree"
    for name in _tracked_files():
        source = ROOT / name
        if source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / name)
    # what a playbook run in the checkout leaves behind
    (tree / "azcmagent-report" / "logs").mkdir(parents=True)
    for name in ("fleet_report.md", "fleet_report.html", "fleet_summary.json", "logs/h1.zip"):
        (tree / "azcmagent-report" / name).write_text("report\n", encoding="utf-8")
    out = tmp_path / "out"
    subprocess.run([str(GALAXY), "collection", "build", "--output-path", str(out), str(tree)], check=True, capture_output=True,
                   env=dict(os.environ, ANSIBLE_NOCOLOR="1"))
    [tarball] = list(out.glob("*.tar.gz"))
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert "playbooks/upgrade.yml" in names and "roles/install/tasks/upgrade_agent.yml" in names
    assert not [n for n in names if n.startswith("azcmagent-report")], names
    assert not [n for n in names if n.startswith(("tests/integration/upgrade", "tests/simulator")) or n.endswith("PACKAGE_VERSION")]
    assert not [n for n in names if n.startswith(("tests/integration/matrix", "tests/schemas", "tests/demo.py"))], names
