# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _runner
from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import MASK


def fake_agent(tmp_path, body, name="azcmagent"):
    """Write an executable Python script standing in for azcmagent; ``body`` sees argv, LOG and STATE_DIR."""
    state_dir = tmp_path / "var-opt-azcmagent"
    (state_dir / "log").mkdir(parents=True, exist_ok=True)
    script = tmp_path / name
    script.write_text("#!%s\n" % sys.executable + textwrap.dedent("""\
        import json, os, sys, time
        argv = sys.argv[1:]
        STATE_DIR = %r
        LOG = os.path.join(STATE_DIR, "log", "azcmagent.log")
        def log(msg):
            with open(LOG, "a") as handle:
                handle.write('time="2026-01-01T00:00:00Z" level=info msg="%%s"\\n' %% msg)
        if argv[:2] == ["show", "-j"]:
            print(json.dumps({"status": "Disconnected", "resourceId": "",
                              "agentLogfile": os.path.join(STATE_DIR, "log", "himds.log")}))
            sys.exit(0)
        """ % str(state_dir)) + textwrap.dedent(body))
    script.chmod(0o755)
    return str(script), state_dir


def _b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def make_jwt():
    part = _b64
    return "%s.%s.%s" % (part({"alg": "RS256", "typ": "JWT"}), part({"oid": secrets.token_hex(8), "tid": "t"}), secrets.token_urlsafe(32))


# -- finding the binary ------------------------------------------------------------------------

def test_find_executable_explicit(tmp_path):
    path = fake_agent(tmp_path, "sys.exit(0)\n")[0]
    assert _runner.find_executable(path) == path


def test_find_executable_explicit_missing_names_path(tmp_path):
    with pytest.raises(_runner.AgentNotFound) as err:
        _runner.find_executable(str(tmp_path / "nope"))
    assert str(tmp_path / "nope") in str(err.value)


def test_find_executable_on_path(tmp_path):
    path = fake_agent(tmp_path, "sys.exit(0)\n")[0]
    assert _runner.find_executable(None, path="/nonexistent:%s" % tmp_path) == path


def test_find_executable_nowhere(tmp_path, monkeypatch):
    monkeypatch.setattr(_runner, "DEFAULT_PATH", str(tmp_path / "opt" / "azcmagent"))
    with pytest.raises(_runner.AgentNotFound) as err:
        _runner.find_executable(None, path=str(tmp_path))
    assert err.value.details["searched"] == [str(tmp_path / "azcmagent"), str(tmp_path / "opt" / "azcmagent")]
    assert err.value.category == "install"


def test_find_executable_default_path(tmp_path, monkeypatch):
    path = fake_agent(tmp_path, "sys.exit(0)\n", name="fallback")[0]
    monkeypatch.setattr(_runner, "DEFAULT_PATH", path)
    assert _runner.find_executable(None, path=str(tmp_path / "empty")) == path


# -- running -----------------------------------------------------------------------------------

ECHO = """
print(json.dumps({"argv": argv, "lang": os.environ.get("LANG"), "lc_all": os.environ.get("LC_ALL"),
                  "stdin_closed": sys.stdin.read() == "", "pgid_is_pid": os.getpgid(0) == os.getpid()}))
sys.exit(int(os.environ.get("FAKE_RC", "0")))
"""


def test_run_argv_locale_session_and_verbose(tmp_path):
    path = fake_agent(tmp_path, ECHO)[0]
    runner = _runner.AgentRunner(executable=path)
    result = runner.run(["connect", "--location", "west europe"])
    seen = json.loads(result.stdout)
    assert seen["argv"] == ["connect", "--location", "west europe", "--verbose"]
    assert seen["lang"] == "C" and seen["lc_all"] == "C"
    assert seen["stdin_closed"] and seen["pgid_is_pid"]
    assert result.rc == 0 and result.ok and not result.timed_out
    assert result.cmd == "%s connect --location 'west europe' --verbose" % path


@pytest.mark.parametrize("args, verbose", [(["show"], False), (["version"], False), (["config", "list"], False),
                                           (["disconnect"], True), (["check"], True)])
def test_verbose_only_for_diagnosed_commands(tmp_path, args, verbose):
    path = fake_agent(tmp_path, ECHO)[0]
    seen = json.loads(_runner.AgentRunner(executable=path).run(args).stdout)
    assert ("--verbose" in seen["argv"]) is verbose


def test_run_nonzero_exit(tmp_path, monkeypatch):
    path = fake_agent(tmp_path, ECHO)[0]
    monkeypatch.setenv("FAKE_RC", "42")
    result = _runner.AgentRunner(executable=path).run(["connect"])
    assert result.rc == 42 and not result.ok


SECRET_BODY = """
i = argv.index("--config")
cfg = argv[i + 1]
st_dir = os.stat(os.path.dirname(cfg)).st_mode & 0o777
st_file = os.stat(cfg).st_mode & 0o777
data = json.load(open(cfg))
# a careless agent that echoes everything it was given, on stdout, stderr and in its log
print("config=%s dir=%o file=%o keys=%s" % (cfg, st_dir, st_file, sorted(data)))
print("INFO    secret echo: " + " ".join(str(v) for v in data.values()))
sys.stderr.write("FATAL   Authorization: Bearer %s client_secret=%s\\n" % (data.get("access-token", "x" * 20), data.get("service-principal-secret")))
log("Agent Command: connect with " + json.dumps(data))
if os.environ.get("FAKE_SLEEP"):
    time.sleep(float(os.environ["FAKE_SLEEP"]))
sys.exit(41)
"""


def test_secrets_only_in_private_config_file_and_scrubbed(tmp_path):
    path = fake_agent(tmp_path, SECRET_BODY)[0]
    secret = "S3cr-" + secrets.token_urlsafe(24)
    token = make_jwt()
    runner = _runner.AgentRunner(executable=path)
    result = runner.run(["connect", "--service-principal-id", "abc"],
                        secrets={"service_principal_secret": secret, "access_token": token})
    first = result.stdout.splitlines()[0]
    cfg = first.split()[0].split("=", 1)[1]
    assert "dir=700" in first and "file=600" in first
    assert "keys=['access-token', 'service-principal-secret']" in first
    assert not os.path.exists(cfg) and not os.path.exists(os.path.dirname(cfg))
    everything = json.dumps(result.as_dict())
    assert secret not in everything and token not in everything
    assert token.split(".")[1] not in everything
    assert MASK in result.stdout and MASK in result.stderr
    assert any(MASK in line for line in result.log_lines)
    assert "--config" in result.argv and secret not in result.cmd


def test_secret_file_removed_after_timeout(tmp_path, monkeypatch):
    path = fake_agent(tmp_path, SECRET_BODY)[0]
    monkeypatch.setenv("FAKE_SLEEP", "30")
    runner = _runner.AgentRunner(executable=path, timeout=1)
    result = runner.run(["connect"], secrets={"service_principal_secret": "s-" + secrets.token_hex(12)})
    assert result.timed_out
    cfg = result.stdout.splitlines()[0].split()[0].split("=", 1)[1]
    assert not os.path.exists(os.path.dirname(cfg))


def test_secret_file_removed_when_exec_fails(tmp_path, monkeypatch):
    path = fake_agent(tmp_path, ECHO)[0]
    created = []
    real_mkdtemp = _runner.tempfile.mkdtemp

    def spy(*args, **kwargs):
        created.append(real_mkdtemp(*args, **kwargs))
        return created[-1]

    def boom(*args, **kwargs):
        raise OSError("exec failed")

    monkeypatch.setattr(_runner.tempfile, "mkdtemp", spy)
    runner = _runner.AgentRunner(executable=path)
    runner.state()
    monkeypatch.setattr(runner, "executor", boom)
    with pytest.raises(OSError):
        runner.run(["connect"], secrets={"service_principal_secret": "abcdefgh"})
    assert created and not os.path.exists(created[0])


def test_secret_registered_in_no_log_values(tmp_path):
    class Module(object):
        no_log_values = set()

    path = fake_agent(tmp_path, "sys.exit(0)\n")[0]
    module = Module()
    runner = _runner.AgentRunner(module, executable=path)
    runner.run(["connect"], secrets={"access_token": "tok-123456"})
    assert "tok-123456" in module.no_log_values


HANG = """
import subprocess
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
open(os.path.join(STATE_DIR, "child.pid"), "w").write(str(child.pid))
print("INFO    Connecting machine to Azure... This might take a few minutes.", flush=True)
time.sleep(120)
"""


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_timeout_kills_whole_process_group(tmp_path):
    path, state_dir = fake_agent(tmp_path, HANG)
    runner = _runner.AgentRunner(executable=path, timeout=2)
    started = time.monotonic()
    result = runner.run(["connect"])
    assert time.monotonic() - started < 10
    assert result.timed_out and not result.ok and result.timeout == 2
    assert "Connecting machine to Azure" in result.stdout
    child = int((state_dir / "child.pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


# -- log capture -------------------------------------------------------------------------------

LOGGING = """
mode = os.environ.get("FAKE_LOG_MODE", "append")
lines = ["run line %d" % i for i in range(int(os.environ.get("FAKE_LOG_LINES", "3")))]
if mode.startswith("mid-"):
    log(lines.pop(0))          # this run writes to the old file first...
if mode.endswith("rotate"):
    os.rename(LOG, LOG + ".1")  # ...then logrotate moves it away
elif mode.endswith("truncate"):
    open(LOG, "w").close()      # ...or copytruncate empties it
for line in lines:
    log(line)
if mode == "mid-truncate":
    for i in range(60):         # and the new file grows past the old size
        log("run filler %d" % i)
sys.exit(0)
"""


def _prime(runner, state_dir, lines=5):
    runner.state()
    with open(str(state_dir / "log" / "azcmagent.log"), "a") as handle:
        for i in range(lines):
            handle.write('level=info msg="old line %d"\n' % i)


@pytest.mark.parametrize("mode", ["append", "rotate", "truncate", "mid-rotate", "mid-truncate"])
def test_log_capture_reads_only_this_run(tmp_path, monkeypatch, mode):
    path, state_dir = fake_agent(tmp_path, LOGGING)
    runner = _runner.AgentRunner(executable=path)
    _prime(runner, state_dir, lines=50)
    monkeypatch.setenv("FAKE_LOG_MODE", mode)
    result = runner.run(["connect"])
    assert result.log_file == str(state_dir / "log" / "azcmagent.log")
    got = [line.split('msg="')[1] for line in result.log_lines]
    if mode == "mid-truncate":
        # the run's first line went with the truncated copy (copytruncate keeps it in the .1 file)
        assert got[:2] == ['run line 1"', 'run line 2"'] and len(got) == 62
    else:
        assert got == ['run line 0"', 'run line 1"', 'run line 2"']
    assert not any("old line" in line for line in got)


def test_log_capture_is_capped(tmp_path, monkeypatch):
    path, state_dir = fake_agent(tmp_path, LOGGING)
    runner = _runner.AgentRunner(executable=path, log_lines_max=20)
    _prime(runner, state_dir)
    monkeypatch.setenv("FAKE_LOG_LINES", "100")
    result = runner.run(["connect"])
    assert len(result.log_lines) == 20 and "run line 99" in result.log_lines[-1]


def test_log_capture_when_log_did_not_exist(tmp_path):
    path, state_dir = fake_agent(tmp_path, LOGGING)
    runner = _runner.AgentRunner(executable=path)
    runner.state()
    assert not (state_dir / "log" / "azcmagent.log").exists()
    assert len(runner.run(["connect"]).log_lines) == 3


def test_log_tail_bounds(tmp_path):
    log = tmp_path / "a.log"
    log.write_text("".join("line %d\n" % i for i in range(10)))
    tail = _runner.LogTail(str(log))
    with open(str(log), "a") as handle:
        handle.write("new\n")
    assert tail.read() == ["new"]
    assert _runner.LogTail(str(tmp_path / "missing.log")).read() == []
    created = _runner.LogTail(str(tmp_path / "later.log"))
    (tmp_path / "later.log").write_text("a\nb\nc\n")
    assert created.read(max_lines=2) == ["b", "c"]


def test_log_file_from_show_text_and_json():
    text = "Agent Version                           : 1.58\nAgent Logfile                           : /x/var/log/himds.log\n"
    assert _runner.log_file_from_show(text) == "/x/var/log/azcmagent.log"
    assert _runner.log_file_from_show({"agentLogfile": "/y/log/himds.log"}) == "/y/log/azcmagent.log"
    assert _runner.log_file_from_show({"agentLogfile": "relative.log"}) is None
    assert _runner.log_file_from_show("nothing") is None


# -- lock --------------------------------------------------------------------------------------

def test_lock_lives_in_state_dir_and_excludes_other_runs(tmp_path):
    path, state_dir = fake_agent(tmp_path, "sys.exit(0)\n")
    one = _runner.AgentRunner(executable=path)
    two = _runner.AgentRunner(executable=path, lock_timeout=0.5)
    one.state()
    two.state()
    with one.lock() as lock_path:
        assert lock_path == str(state_dir / _runner.LOCK_NAME)
        with one.lock():  # re-entrant
            pass
        started = time.monotonic()
        with pytest.raises(_runner.LockTimeout) as err:
            with two.lock():
                pass  # pragma: no cover
        assert 0.4 < time.monotonic() - started < 5
        assert err.value.code == "AZCM0011"
    with two.lock():
        pass


def test_lock_waits_for_release(tmp_path):
    path = fake_agent(tmp_path, "sys.exit(0)\n")[0]
    one = _runner.AgentRunner(executable=path)
    two = _runner.AgentRunner(executable=path, lock_timeout=10)
    order = []
    entered = threading.Event()

    def holder():
        with one.lock():
            entered.set()
            time.sleep(0.6)
            order.append("one released")

    thread = threading.Thread(target=holder)
    thread.start()
    entered.wait(5)
    with two.lock():
        order.append("two acquired")
    thread.join()
    assert order == ["one released", "two acquired"]


def test_lock_falls_back_to_tempdir(tmp_path, monkeypatch):
    path = fake_agent(tmp_path, "sys.exit(0)\n")[0]
    runner = _runner.AgentRunner(executable=path)
    runner.state_dir = str(tmp_path / "does" / "not" / "exist")
    monkeypatch.setattr(_runner.tempfile, "gettempdir", lambda: str(tmp_path))
    with runner.lock() as lock_path:
        assert os.path.dirname(lock_path) == str(tmp_path)
        assert stat.S_IMODE(os.stat(lock_path).st_mode) == 0o600


# -- scrubbing and helpers ---------------------------------------------------------------------

def test_auth_args_keep_secrets_out_of_argv():
    argv, secret_values = _runner.auth_args({"service_principal_id": "id", "tenant_id": "t", "service_principal_secret": "s3",
                                            "access_token": None, "service_principal_cert": None})
    assert argv == ["--service-principal-id", "id", "--tenant-id", "t"]
    assert secret_values == {"service_principal_secret": "s3"}


def test_render_cmd_quotes():
    assert _runner.render_cmd(["a", "b c", "", "it's"]) == "a 'b c' '' 'it'\"'\"'s'"


# -- termination and concurrency across processes ----------------------------------------------

# A module-like process: takes the lock and runs connect with a secret, as the connect module does.
DRIVER = """
import sys
sys.path.insert(0, %(dev)r)
from ansible_collections.arcops.azcmagent.plugins.module_utils import _runner
from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import MASK
runner = _runner.AgentRunner(executable=%(agent)r, lock_timeout=60)
runner.state()
with runner.lock():
    runner.run(["connect"], secrets={"service_principal_secret": sys.argv[1]})
"""

# The agent records its --config path and its start and end, then works for a while.
SLOW_CONNECT = """
if argv and argv[0] == "connect":
    config = argv[argv.index("--config") + 1]
    with open(os.path.join(STATE_DIR, "events"), "a") as handle:
        handle.write("start %d %s\\n" % (os.getpid(), config))
    time.sleep(float(os.environ.get("FAKE_SLEEP", "1.5")))
    with open(os.path.join(STATE_DIR, "events"), "a") as handle:
        handle.write("end %d\\n" % os.getpid())
sys.exit(0)
"""


def _driver(tmp_path, agent):
    script = tmp_path / "driver.py"
    dev = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))),
                       "build", "dev")
    script.write_text(DRIVER % {"dev": dev, "agent": agent})
    return str(script)


def _events(state_dir, count, deadline=20):
    path = state_dir / "events"
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            break
        time.sleep(0.05)
    return path.read_text().splitlines() if path.exists() else []


def test_two_connects_at_once_are_serialized(tmp_path):
    agent, state_dir = fake_agent(tmp_path, SLOW_CONNECT)
    driver = _driver(tmp_path, agent)
    procs = [subprocess.Popen([sys.executable, driver, "s3cr3t-%d" % i]) for i in range(2)]
    assert [proc.wait(timeout=60) for proc in procs] == [0, 0]
    kinds = [line.split()[0] for line in _events(state_dir, 4)]
    assert kinds == ["start", "end", "start", "end"]  # never start, start: the second waited for the lock


def test_termination_removes_the_secret_and_stops_the_agent(tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_SLEEP", "30")
    agent, state_dir = fake_agent(tmp_path, SLOW_CONNECT)
    secret = "S3cr3t-%s" % secrets.token_hex(8)
    proc = subprocess.Popen([sys.executable, _driver(tmp_path, agent), secret])
    [start] = _events(state_dir, 1)
    _kind, agent_pid, config = start.split()
    assert os.path.exists(config)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) != 0
    assert not os.path.exists(os.path.dirname(config))  # the private --config directory is gone
    deadline = time.monotonic() + 5
    while _alive(int(agent_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(int(agent_pid))


# -- the executor ------------------------------------------------------------------------------

def test_injected_executor_gets_the_pinned_run_and_the_secrets_file(tmp_path):
    seen = []

    def executor(execution):
        with open(execution.config_file) as handle:
            seen.append((execution, json.load(handle), oct(os.stat(execution.config_file).st_mode & 0o777)))
        return _runner.Completed(rc=0, stdout="secret is %s\n" % "s3cr3t-value", stderr="")

    path = fake_agent(tmp_path, "raise SystemExit('the stubbed executor runs nothing')\n")[0]
    runner = _runner.AgentRunner(executable=path, timeout=7, executor=executor)
    runner.state_dir, runner.log_file = str(tmp_path), str(tmp_path / "azcmagent.log")
    with runner.lock():
        result = runner.run(["connect", "--verbose"], secrets={"service_principal_secret": "s3cr3t-value"}, verbose=False)
    (execution, config, mode), = seen
    assert execution.argv[:3] == [path, "connect", "--verbose"] and execution.argv[-2] == "--config"
    assert execution.env["LANG"] == "C" and execution.env["LC_ALL"] == "C" and execution.timeout == 7
    assert len(execution.pass_fds) == 1, "the agent inherits the lock"
    assert config == {"service-principal-secret": "s3cr3t-value"} and mode == "0o600"
    assert not os.path.exists(execution.config_file)
    assert result.ok and result.stdout == "secret is %s\n" % MASK


def test_default_executor_is_the_process_group_one(tmp_path):
    path = fake_agent(tmp_path, ECHO)[0]
    assert _runner.AgentRunner(executable=path).executor is _runner.execute


def test_find_state_dir_from_json_else_text_once(tmp_path):
    calls = []
    text_show = "%-40s: %s\n%-40s: Connected\n" % ("Agent Logfile", tmp_path / "log" / "himds.log", "Agent Status")

    def executor(execution):
        calls.append(execution.argv[1:])
        if execution.argv[1:] == ["show", "-j"]:
            return _runner.Completed(rc=0, stdout=json.dumps({"status": "Connected"}), stderr="")
        return _runner.Completed(rc=0, stdout=text_show, stderr="")

    path = fake_agent(tmp_path, "sys.exit(0)\n")[0]
    runner = _runner.AgentRunner(executable=path, executor=executor)
    assert runner.find_state_dir() == str(tmp_path)
    assert runner.find_state_dir() == str(tmp_path)
    assert calls == [["show", "-j"], ["show"]]
    with runner.lock() as lock_path:
        assert lock_path == str(tmp_path / _runner.LOCK_NAME)
