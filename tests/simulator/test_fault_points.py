# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's fault points (azsim/faults.py): delay, log rotation, death, and how often they fire."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(HERE, "agent")
sys.path.insert(0, AGENT)

import hostlib  # noqa: E402  pylint: disable=wrong-import-position
from azsim import faults  # noqa: E402  pylint: disable=wrong-import-position
from azsim.state import Host  # noqa: E402  pylint: disable=wrong-import-position


def _host(tmp_path, points):
    info = hostlib.create_host(str(tmp_path / "h1"), {"name": "h1", "fault_points": points}, init_dir=None)
    return info["host_dir"]


def test_no_point_does_nothing(tmp_path):
    host_dir = _host(tmp_path, {})
    faults.point(types.SimpleNamespace(host=Host(host_dir)), "connect_after_create")
    assert "fault_points" not in Host(host_dir).sim_state()


def test_delay_and_rotation_fire_as_often_as_asked(tmp_path):
    host_dir = _host(tmp_path, {"connect_after_create": {"delay": 0.3, "rotate_log": True, "times": 1}})
    host = Host(host_dir)
    with open(host.log_path, "w", encoding="utf-8") as handle:
        handle.write("before\n")
    started = time.monotonic()
    faults.point(types.SimpleNamespace(host=Host(host_dir)), "connect_after_create")
    assert time.monotonic() - started >= 0.3
    with open(host.log_path + ".1", encoding="utf-8") as handle:
        assert handle.read() == "before\n"
    assert os.path.getsize(host.log_path) == 0
    started = time.monotonic()
    faults.point(types.SimpleNamespace(host=Host(host_dir)), "connect_after_create")  # times: 1 -> no second firing
    assert time.monotonic() - started < 0.3
    assert Host(host_dir).sim_state()["fault_points"] == {"connect_after_create": 1}


def test_kill_records_the_pending_connect_and_dies(tmp_path):
    host_dir = _host(tmp_path, {"connect_after_create": {"kill": True}})
    code = textwrap.dedent("""\
        import sys, types
        sys.path.insert(0, %r)
        from azsim import faults
        from azsim.state import Host
        faults.point(types.SimpleNamespace(host=Host(%r)), "connect_after_create", pending={"resourceId": "/x/machines/h1", "vmId": "v1"})
        print("survived")
    """ % (AGENT, host_dir))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False)
    assert proc.returncode == -signal.SIGKILL and "survived" not in proc.stdout
    config = Host(host_dir).agent_config()
    assert (config["resourceId"], config["vmId"], config["connectPending"], config["status"]) == ("/x/machines/h1", "v1", True, "")
    with open(os.path.join(host_dir, "sim-state.json"), encoding="utf-8") as handle:
        assert json.load(handle)["fault_points"] == {"connect_after_create": 1}
