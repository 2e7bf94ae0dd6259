# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The agent lock of the runner (issue 10): check mode writes no lock file, the holder is recorded, a lock left by a
killed run is taken over, a live one is waited for with a bound and then named in a clear error."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _runner


def _runner_in(tmp_path, lock_timeout=0.6):
    agent = tmp_path / "azcmagent"
    agent.write_text("#!/bin/sh\nexit 0\n")
    agent.chmod(0o755)
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    runner = _runner.AgentRunner(executable=str(agent), lock_timeout=lock_timeout)
    runner.state_dir = str(state)
    return runner, state / _runner.LOCK_NAME


def _holder(lock_path, record, hold_seconds=30):
    """A separate process that holds the flock on lock_path with ``record`` in it, printing 'held' once it does."""
    code = textwrap.dedent("""\
        import fcntl, json, os, sys, time
        fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, sys.argv[2].encode())
        print("held", flush=True)
        time.sleep(float(sys.argv[3]))
    """)
    proc = subprocess.Popen([sys.executable, "-c", code, str(lock_path), json.dumps(record), str(hold_seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def _gone_pid():
    """The pid of a process that has ended."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_check_mode_makes_no_lock_file(tmp_path):
    runner, lock_path = _runner_in(tmp_path)
    before = sorted(os.listdir(lock_path.parent))
    with runner.lock(create=False) as held:
        assert held is None
    assert sorted(os.listdir(lock_path.parent)) == before
    assert not lock_path.exists()


def test_check_mode_locks_an_existing_file_without_writing_it(tmp_path):
    runner, lock_path = _runner_in(tmp_path)
    lock_path.write_text("")
    os.chmod(lock_path, 0o600)
    stamp = os.stat(lock_path).st_mtime_ns
    with runner.lock(create=False) as held:
        assert held == str(lock_path)
        fd = os.open(lock_path, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    assert lock_path.read_text() == "" and os.stat(lock_path).st_mtime_ns == stamp


def test_the_holder_is_recorded_and_the_record_cleared(tmp_path):
    runner, lock_path = _runner_in(tmp_path)
    with runner.lock():
        record = json.loads(lock_path.read_text())
        assert record["pid"] == os.getpid() and abs(record["since"] - time.time()) < 60
    assert lock_path.read_text() == ""
    assert runner.lock_recovered is None


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path):
    runner, lock_path = _runner_in(tmp_path)
    # a run that was killed (SIGKILL: no finally) left its record; the kernel released its flock
    gone = _gone_pid()
    proc = _holder(lock_path, {"pid": gone, "since": 1700000000.0}, hold_seconds=30)
    proc.kill()
    proc.wait()
    started = time.monotonic()
    with runner.lock():
        assert time.monotonic() - started < 0.5, "a stale lock is not waited for"
        assert runner.lock_recovered == {"pid": gone, "since": 1700000000.0}
        assert json.loads(lock_path.read_text())["pid"] == os.getpid()
    assert lock_path.read_text() == ""


def test_a_live_holder_is_waited_for_with_a_bound_and_named(tmp_path):
    runner, lock_path = _runner_in(tmp_path, lock_timeout=0.6)
    proc = _holder(lock_path, {"pid": os.getpid(), "since": time.time()}, hold_seconds=30)
    try:
        started = time.monotonic()
        with pytest.raises(_runner.LockTimeout) as err:
            with runner.lock():
                pass  # pragma: no cover
        assert 0.5 < time.monotonic() - started < 5
        message = err.value.message
        assert "pid %d" % os.getpid() in message and "lock_timeout" in message and "let it finish or stop it" in message, message
        assert err.value.details["holder"]["pid"] == os.getpid()
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_kept_by_the_agent_of_an_ended_run_is_explained(tmp_path):
    # the module was killed, the agent command it started (which inherited the lock) still runs
    runner, lock_path = _runner_in(tmp_path, lock_timeout=0.3)
    gone = _gone_pid()
    proc = _holder(lock_path, {"pid": gone, "since": time.time()}, hold_seconds=30)
    try:
        with pytest.raises(_runner.LockTimeout) as err:
            with runner.lock():
                pass  # pragma: no cover
        assert "pid %d" % gone in err.value.message and "has ended" in err.value.message and "still holds it" in err.value.message
    finally:
        proc.kill()
        proc.wait()
    with runner.lock():
        assert runner.lock_recovered["pid"] == gone
