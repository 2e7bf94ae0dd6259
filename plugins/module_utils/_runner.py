# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one azcmagent runner: every module of the collection that runs the agent goes through it.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

What it does, in one place:

* finds the binary (option ``executable``, else ``azcmagent`` on ``PATH``, else
  ``/opt/azcmagent/bin/azcmagent``; none -> :class:`AgentNotFound`);
* runs argv lists (never a shell) with ``LANG=C``/``LC_ALL=C``, stdin closed, in a process group of
  its own, and kills the whole group when ``timeout`` expires (:attr:`RunResult.timed_out`);
  the process itself is started by an *executor* (:data:`Executor`, default :func:`execute`), which
  unit tests replace by a stub that returns canned results;
* passes secrets only through a ``--config`` JSON file (mode 0600, private 0700 directory) that is
  removed in every exit path, and scrubs every returned text with the collection's one scrubber
  (:func:`._secrets.scrub`);
* serialises agent runs on one machine with ``fcntl.flock`` on a lock file in the agent's state
  directory (found from ``show``), falling back to the temporary directory;
* captures exactly the lines a run appended to ``azcmagent.log`` (surviving rotation and
  truncation), capped to :data:`LOG_LINES_MAX` lines.

``--no-color`` is not passed: agents older than 1.22 reject it, and the agent only colours a
terminal (stdout here is a pipe); ``NO_COLOR=1``/``TERM=dumb`` are set and the parsers strip ANSI
escapes anyway.  ``--verbose`` is passed to the commands whose verbose output we diagnose
(:data:`VERBOSE_COMMANDS`, and ``config set``/``clear``), never to ``show``/``version``/``config list`` whose
stdout is parsed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._secrets import scrub
from ansible_collections.arcops.azcmagent.plugins.module_utils._show import show_facts

DEFAULT_PATH = "/opt/azcmagent/bin/azcmagent"
DEFAULT_LOG_DIR = "/var/opt/azcmagent/log"
DEFAULT_TIMEOUT = 600
DEFAULT_LOCK_TIMEOUT = 660  # longer than a connect may take (DEFAULT_TIMEOUT), so a waiting run outlasts it
LOG_LINES_MAX = 500
LOG_BYTES_MAX = 4 * 1024 * 1024
# What a run keeps of each of stdout and stderr: the first OUTPUT_HEAD_BYTES and the last bytes up to OUTPUT_BYTES_MAX
# in all (the exit line and the fatal line come last). An agent that prints megabytes, or never ends a line, costs
# this much memory and no more; the rest is counted and said (TRUNCATED_TEMPLATE, RunResult.truncated).
OUTPUT_BYTES_MAX = 512 * 1024
OUTPUT_HEAD_BYTES = 64 * 1024
# The longest log line kept (a line that never ends is cut here).
LOG_LINE_CHARS_MAX = 16 * 1024
# The line that stands where output was dropped.
TRUNCATED_TEMPLATE = "[arcops.azcmagent: {dropped} bytes of {stream} dropped here; the first {head} and the last {tail} bytes are kept]"
LOCK_NAME = ".arcops-azcmagent.lock"
VERBOSE_COMMANDS = ("connect", "disconnect", "check")

# Secret-bearing options and the --config key the agent reads for each (long flag without the leading dashes).
SECRET_OPTIONS = {
    "service_principal_secret": "service-principal-secret",
    "access_token": "access-token",
}

# The agent's log file as `show` reports it: text label 'Agent Logfile' padded to column 40, then ': <path>'.
LOGFILE_TEXT_RE = re.compile(r"^\s*Agent Logfile\s*:\s*(\S.*?)\s*$", re.MULTILINE)

# The agent status line of `show` in text form.
STATUS_TEXT_RE = re.compile(r"^\s*Agent Status\s*:\s*(\S*)\s*$", re.MULTILINE)

Facts = t.Dict[str, t.Any]


class AgentError(Exception):
    """A failure of the runner itself (not of the agent command): carries a code and details."""

    code: str | None = None
    category = "internal"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class AgentNotFound(AgentError):
    """No azcmagent binary was found (the agent is not installed, or ``executable`` is wrong)."""

    category = "install"


class LockTimeout(AgentError):
    """Another run on this machine held the agent lock for longer than the lock timeout."""

    code = "AZCM0011"
    category = "transient"


@dataclasses.dataclass(frozen=True)
class Execution:
    """What an executor is asked to run: argv (no secret in it), the pinned environment, the seconds before the
    process group is killed, the private ``--config`` file that holds the secrets (already in argv; None when the
    run has none) and the file descriptors the process inherits (the agent lock)."""

    argv: t.List[str]
    env: t.Dict[str, str]
    timeout: float
    config_file: t.Optional[str] = None
    pass_fds: t.Tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True)
class Completed:
    """What an executor returns: exit status (negative: killed by that signal), decoded output, whether it timed out,
    and how many bytes of each stream were dropped to keep within :data:`OUTPUT_BYTES_MAX` (0: nothing)."""

    rc: int
    stdout: str
    stderr: str
    timed_out: bool = False
    # The user ID the agent ran with (see agent_uid()); None when the executor does not know (a test stand-in).
    uid: t.Optional[int] = None
    stdout_dropped: int = 0
    stderr_dropped: int = 0


class BoundedBuffer:
    """The first ``head`` bytes and the last ``limit - head`` bytes of a stream, and how many bytes were dropped
    between them; memory never exceeds ``limit`` plus one chunk."""

    def __init__(self, limit: int = OUTPUT_BYTES_MAX, head: int = OUTPUT_HEAD_BYTES) -> None:
        self.limit = max(limit, 2)
        self.head_limit = min(head, self.limit // 2)
        self.head = bytearray()
        self.tail = bytearray()
        self.dropped = 0

    def write(self, chunk: bytes) -> None:
        if len(self.head) < self.head_limit:
            take = self.head_limit - len(self.head)
            self.head += chunk[:take]
            chunk = chunk[take:]
        if not chunk:
            return
        self.tail += chunk
        excess = len(self.tail) - (self.limit - self.head_limit)
        if excess > 0:
            del self.tail[:excess]
            self.dropped += excess

    def text(self, stream: str) -> str:
        """The kept bytes decoded (invalid UTF-8 replaced, NUL bytes shown as U+FFFD), with one line saying what was
        dropped where it was dropped."""
        head = _decode(bytes(self.head))
        tail = _decode(bytes(self.tail))
        if not self.dropped:
            return head + tail
        marker = TRUNCATED_TEMPLATE.format(dropped=self.dropped, stream=stream, head=len(self.head), tail=len(self.tail))
        return f"{head}\n{marker}\n{tail}"


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\x00", "\ufffd")


def _drain(stream: t.BinaryIO, buffer: BoundedBuffer) -> None:
    """Read a pipe to its end into a bounded buffer (a reader thread)."""
    try:
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                break
            buffer.write(chunk)
    except (OSError, ValueError):
        pass


# An executor runs one Execution and returns its Completed; the default is execute().
Executor = t.Callable[[Execution], Completed]


def find_executable(executable: str | None = None, path: str | None = None) -> str:
    """Locate the agent binary: explicit path, else ``azcmagent`` on PATH, else the package's path.

    Raises :class:`AgentNotFound` naming every place that was searched.
    """
    if executable:
        if os.path.isfile(executable) and os.access(executable, os.X_OK):
            return executable
        raise AgentNotFound(f"azcmagent was not found at {executable} (option executable)", searched=[executable])
    search = path if path is not None else os.environ.get("PATH", os.defpath)
    searched = []
    for directory in search.split(os.pathsep):
        if not directory:
            continue
        candidate = os.path.join(directory, "azcmagent")
        searched.append(candidate)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    searched.append(DEFAULT_PATH)
    if os.path.isfile(DEFAULT_PATH) and os.access(DEFAULT_PATH, os.X_OK):
        return DEFAULT_PATH
    raise AgentNotFound(f"azcmagent was not found on PATH or at {DEFAULT_PATH}: is the agent installed?", searched=searched)


def log_file_from_show(show: object) -> str | None:
    """The azcmagent.log path beside the 'Agent Logfile' (himds.log) that ``show`` reports, or None.

    ``show`` may be the parsed JSON dict (key ``agentLogfile``) or the text output."""
    logfile = None
    if isinstance(show, dict):
        for key in ("agentLogfile", "agentLogFile", "logFile", "Agent Logfile"):
            if show.get(key):
                logfile = show[key]
                break
    elif isinstance(show, str):
        match = LOGFILE_TEXT_RE.search(show)
        logfile = match.group(1) if match else None
    if not isinstance(logfile, str) or not os.path.isabs(logfile):
        return None
    return os.path.join(os.path.dirname(logfile), "azcmagent.log")


class LogTail:
    """What one run appends to a log file, whatever happens to the file meanwhile.

    Opened before the run: it keeps the file open at its end (a rotated file stays readable through
    the open handle) and remembers the bytes just before that mark. After the run, :meth:`read`
    returns what was appended to the old file, plus the new file from its start when the log was
    rotated, or the whole file when it was truncated (copytruncate) and written again. Costs
    nothing proportional to the size of the log."""

    GUARD = 64

    def __init__(self, path: str) -> None:
        self.path = path
        self.handle: t.Optional[t.BinaryIO] = None
        self.inode: int | None = None
        self.mark = 0
        self.guard = b""
        try:
            self.handle = open(path, "rb")
            st = os.fstat(self.handle.fileno())
            self.inode, self.mark = st.st_ino, st.st_size
            self.handle.seek(max(0, self.mark - self.GUARD))
            self.guard = self.handle.read(self.mark - max(0, self.mark - self.GUARD))
        except OSError:
            self.close()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    @staticmethod
    def _tail(handle: t.BinaryIO, start: int, max_bytes: int) -> bytes:
        end = os.fstat(handle.fileno()).st_size
        start = max(start, end - max_bytes)
        handle.seek(start)
        return handle.read(max(0, end - start))

    def read(self, max_lines: int = LOG_LINES_MAX, max_bytes: int = LOG_BYTES_MAX) -> t.List[str]:
        chunks = []
        try:
            current: t.Optional[t.BinaryIO]
            try:
                current = open(self.path, "rb")
            except OSError:
                current = None
            try:
                rotated = current is not None and os.fstat(current.fileno()).st_ino != self.inode
                if self.handle is not None:
                    truncated = False
                    if not rotated:
                        size = os.fstat(self.handle.fileno()).st_size
                        self.handle.seek(max(0, self.mark - len(self.guard)))
                        truncated = size < self.mark or self.handle.read(len(self.guard)) != self.guard
                    if truncated:
                        chunks.append(self._tail(self.handle, 0, max_bytes))
                    else:
                        chunks.append(self._tail(self.handle, self.mark, max_bytes))
                if current is not None and (rotated or self.handle is None):
                    chunks.append(self._tail(current, 0, max_bytes))
            finally:
                if current is not None:
                    current.close()
        except OSError:
            pass
        finally:
            self.close()
        data = b"".join(chunk if chunk.endswith(b"\n") or not chunk else chunk + b"\n" for chunk in chunks)[-max_bytes:]
        lines = _decode(data).splitlines()
        lines = lines[-max_lines:] if max_lines else lines
        # A line that never ends is cut: it is evidence only in its first part.
        return [line if len(line) <= LOG_LINE_CHARS_MAX else line[:LOG_LINE_CHARS_MAX] + "..." for line in lines]


def render_cmd(argv: t.Sequence[str]) -> str:
    """A readable, copy-pasteable command line for argv (for the ``cmd`` field)."""
    out = []
    for arg in argv:
        if arg == "" or re.search(r"[^\w@%+=:,./-]", arg):
            arg = "'" + arg.replace("'", "'\"'\"'") + "'"
        out.append(arg)
    return " ".join(out)


class RunResult:
    """What one agent run produced, already scrubbed of secrets."""

    def __init__(self, argv: t.Sequence[str], rc: int, stdout: str, stderr: str, log_lines: t.Optional[t.Sequence[str]] = None,
                 timed_out: bool = False, timeout: float | None = None, duration: float = 0.0, log_file: str | None = None,
                 uid: int | None = None, truncated: t.Optional[t.Mapping[str, int]] = None) -> None:
        self.argv = list(argv)
        self.cmd = render_cmd(argv)
        self.rc = rc
        self.stdout = stdout or ""
        self.stderr = stderr or ""
        self.log_lines = list(log_lines or [])
        self.timed_out = timed_out
        self.timeout = timeout
        self.duration = duration
        self.log_file = log_file
        # The user ID the agent ran with (0: root), None when unknown.
        self.uid = uid
        # Bytes dropped from each stream to keep within OUTPUT_BYTES_MAX ({} when nothing was).
        self.truncated: t.Dict[str, int] = {k: int(v) for k, v in (truncated or {}).items() if v}

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out

    def as_dict(self) -> t.Dict[str, t.Any]:
        return {
            "cmd": self.cmd, "argv": self.argv, "rc": self.rc, "stdout": self.stdout, "stderr": self.stderr,
            "log_lines": self.log_lines, "timed_out": self.timed_out, "timeout": self.timeout,
            "duration": round(self.duration, 3), "log_file": self.log_file, "uid": self.uid, "truncated": dict(self.truncated),
        }


class _NoLogModule(t.Protocol):
    no_log_values: t.Set[str]


def environment() -> t.Dict[str, str]:
    """The environment of every agent run: this process's, with the locale pinned and colours off."""
    env = dict(os.environ)
    env.update({"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C", "LANGUAGE": "C", "NO_COLOR": "1", "TERM": "dumb"})
    return env


#: The user ID that a test double of the agent pretends to run as, when it is not this process's (the simulated fleet
#: sets it for a host whose agent is not root; see tests/simulator/README.md). Never set on a real machine.
AGENT_UID_ENV = "ARCOPS_AZCMAGENT_AGENT_UID"


def agent_uid(env: t.Optional[t.Mapping[str, str]] = None) -> int:
    """The user ID the agent runs with: this process's effective one (the runner starts the agent without sudo), or
    the one a test double pretends (:data:`AGENT_UID_ENV` in ``env``, default this process's environment)."""
    value = str((os.environ if env is None else env).get(AGENT_UID_ENV, "")).strip()
    return int(value) if value.isdigit() else os.geteuid()


def execute(execution: Execution) -> Completed:
    """The real executor: start argv in a new session; on timeout kill the whole process group."""
    # The agent inherits the lock: should this process die without cleaning up, the agent still holds
    # it until it exits, so no other run can start beside it.
    proc = subprocess.Popen(execution.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=execution.env, close_fds=True, pass_fds=execution.pass_fds, start_new_session=True)
    # Each pipe is read by a thread into a bounded buffer (communicate() would keep everything the agent prints).
    out, err = BoundedBuffer(), BoundedBuffer()
    readers = [threading.Thread(target=_drain, args=(pipe, buffer), daemon=True)
               for pipe, buffer in ((proc.stdout, out), (proc.stderr, err))]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        try:
            proc.wait(timeout=execution.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid, signal.SIGKILL)
                proc.wait()
            # Whatever the leader left behind in its group goes too (no orphan keeps a pipe or changes state later).
            _kill_group(proc.pid, signal.SIGKILL)
        # The pipes end when the last process holding them exits; one that left the group must not hold the run.
        for reader in readers:
            reader.join(timeout=10)
    except BaseException:
        _kill_group(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    finally:
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass
    return Completed(rc=proc.returncode, stdout=out.text("stdout"), stderr=err.text("stderr"), timed_out=timed_out,
                     stdout_dropped=out.dropped, stderr_dropped=err.dropped, uid=agent_uid(execution.env))


class AgentRunner:
    """Runs azcmagent for a module (or for tests, with ``module=None``).

    :param module: the AnsibleModule, used to register secrets in ``no_log_values`` (optional).
    :param executable: explicit path of the agent (option ``executable``).
    :param timeout: seconds before a command's process group is killed.
    :param lock_timeout: seconds to wait for another run on the same machine to finish.
    :param executor: what starts the process (default :func:`execute`); tests pass a stub.
    """

    def __init__(self, module: t.Optional[_NoLogModule] = None, executable: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                 lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT, log_lines_max: int = LOG_LINES_MAX, path: str | None = None,
                 executor: t.Optional[Executor] = None) -> None:
        self.module = module
        self.executable = find_executable(executable, path)
        self.timeout: float = timeout or DEFAULT_TIMEOUT
        self.lock_timeout: float = DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        self.log_lines_max = log_lines_max
        self.executor: Executor = executor or execute
        self.secrets: t.Set[str] = set()
        self.log_file: str | None = None
        self.state_dir: str | None = None
        self._lock_fd: int | None = None
        self._lock_depth = 0
        self._lock_written = False
        self.lock_path: str | None = None
        # The holder record (pid, since) of a killed run whose lock this runner took over, else None.
        self.lock_recovered: t.Optional[t.Dict[str, t.Any]] = None

    # -- secrets -----------------------------------------------------------------------------
    def add_secret(self, value: str | None) -> None:
        """Register a secret value: scrubbed from every text and added to the module's no_log_values."""
        if value:
            self.secrets.add(value)
            if self.module is not None:
                self.module.no_log_values.add(value)

    def scrub(self, text: str) -> str:
        return scrub(text, self.secrets) or ""

    # -- environment -------------------------------------------------------------------------
    @staticmethod
    def environment() -> t.Dict[str, str]:
        return environment()

    def locate(self, show: object = None) -> str:
        """Remember where the agent keeps its log (and so its state directory) from a ``show`` result."""
        log_file = log_file_from_show(show) if show is not None else None
        if log_file:
            self.log_file = log_file
            self.state_dir = os.path.dirname(os.path.dirname(log_file))
        elif self.log_file is None:
            self.log_file = os.path.join(DEFAULT_LOG_DIR, "azcmagent.log")
        return self.log_file

    def find_state_dir(self) -> str | None:
        """Where the agent keeps its state (the parent of its log directory), from ``show -j`` and, when the JSON
        names no log file, the text form (where 'Agent Logfile' is attested); once per runner. None when neither names
        it (the lock then lives in the temporary directory)."""
        if self.state_dir is None:
            self.show()
            if self.state_dir is None:
                self.show(as_json=False)
        return self.state_dir

    # -- lock --------------------------------------------------------------------------------
    def _lock_candidates(self) -> t.List[str]:
        candidates = []
        if self.state_dir:
            candidates.append(os.path.join(self.state_dir, LOCK_NAME))
        key = hashlib.sha256((self.state_dir or os.path.realpath(self.executable)).encode("utf-8")).hexdigest()[:16]
        candidates.append(os.path.join(tempfile.gettempdir(), f"arcops-azcmagent-{key}.lock"))
        return candidates

    def _open_lock(self, create: bool = True) -> int | None:
        """The lock file's descriptor; with ``create`` false (check mode) None when no run ever made one."""
        last: object = None
        for candidate in self._lock_candidates():
            try:
                # No symlinks, and only a lock file of our own: in a shared temporary directory another
                # user could otherwise plant the file and hold the lock.
                fd = os.open(candidate, os.O_RDWR | os.O_NOFOLLOW | (os.O_CREAT if create else 0), 0o600)
            except OSError as exc:
                last = exc
                continue
            if os.fstat(fd).st_uid != os.geteuid():
                os.close(fd)
                last = f"{candidate} belongs to another user"
                continue
            self.lock_path = candidate
            return fd
        if not create:
            return None
        raise AgentError(f"cannot create a lock file for azcmagent: {last}")

    @contextlib.contextmanager
    def lock(self, timeout: float | None = None, create: bool = True) -> t.Iterator[str | None]:
        """Hold the per-machine agent lock (re-entrant within this runner).

        The holder writes its pid and start time into the lock file and empties it on release, so that:

        * a record found when the lock is acquired was left by a run that was killed (its holder is gone, so the
          kernel released the ``flock``): the lock is taken over and :attr:`lock_recovered` says whose it was;
        * a run that waits names the holder, and after ``timeout`` seconds fails with :class:`LockTimeout`
          saying whether that holder still runs or only an agent command it started does (the agent inherits
          the lock, so a killed module's connect still holds it until the agent ends).

        With ``create`` false (check mode) nothing is written: no lock file is made where none exists (the lock
        is then not held: a read-only run needs none), and an existing one is only locked, never written to.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield self.lock_path
            finally:
                self._lock_depth -= 1
            return
        timeout = self.lock_timeout if timeout is None else timeout
        fd = self._open_lock(create)
        if fd is None:
            yield None
            return
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise
                    if time.monotonic() >= deadline:
                        holder = _lock_record(fd)
                        raise LockTimeout(_lock_timeout_message(self.lock_path, timeout, holder), lock_path=self.lock_path,
                                          timeout=timeout, holder=holder) from None
                    time.sleep(0.2)
            left = _lock_record(fd)
            self.lock_recovered = left if left and left.get("pid") != os.getpid() else None
            if create:
                _write_lock_record(fd, {"pid": os.getpid(), "since": round(time.time(), 3)})
            self._lock_fd = fd
            self._lock_depth = 1
            self._lock_written = create
            yield self.lock_path
        finally:
            if self._lock_fd is not None and self._lock_depth <= 1:
                if self._lock_written:
                    _write_lock_record(fd, None)
                try:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                except OSError:
                    pass
                self._lock_fd = None
            self._lock_depth = 0
            os.close(fd)

    # -- running -----------------------------------------------------------------------------
    def build_argv(self, args: t.Sequence[object], verbose: bool | None = None) -> t.List[str]:
        argv = [self.executable] + [str(a) for a in args]
        if verbose is None:
            verbose = bool(args) and args[0] in VERBOSE_COMMANDS
        if verbose:
            argv.append("--verbose")
        return argv

    def run(self, args: t.Sequence[object], secrets: t.Optional[t.Mapping[str, str | None]] = None, verbose: bool | None = None,
            timeout: float | None = None, capture_log: bool = True, config: t.Optional[t.Mapping[str, object]] = None) -> RunResult:
        """Run ``azcmagent <args>`` and return a scrubbed :class:`RunResult`.

        :param args: argv after the executable, e.g. ``["connect", "--subscription-id", sub]``.
        :param secrets: dict of secret option name (``service_principal_secret``, ``access_token``) to value;
            written to a private ``--config`` file, never to argv.
        :param config: other non-secret ``--config`` keys (agent long flag names) to put in that file.
        :param verbose: add ``--verbose`` (default: for connect, disconnect and check).
        :param timeout: seconds (default: the runner's timeout).
        :param capture_log: read the lines this run appended to azcmagent.log.
        """
        timeout = timeout or self.timeout
        argv = self.build_argv(args, verbose)
        file_config: t.Dict[str, object] = dict(config or {})
        for option, value in (secrets or {}).items():
            if value:
                self.add_secret(value)
                file_config[SECRET_OPTIONS.get(option, option.replace("_", "-"))] = value
        if capture_log and self.log_file is None:
            self.show()  # where does this agent log? (once per runner)
            if self.log_file is None:
                self.show(as_json=False)  # 'Agent Logfile' is attested in the text form, its JSON key is not
        log_file = self.locate() if capture_log else None
        tail = LogTail(log_file) if log_file else None
        tmpdir = None
        config_path = None
        started = time.monotonic()
        previous = _raise_on_termination()
        try:
            if file_config:
                tmpdir = tempfile.mkdtemp(prefix="arcops-azcmagent-")
                os.chmod(tmpdir, 0o700)
                config_path = os.path.join(tmpdir, "config.json")
                fd = os.open(config_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as handle:
                    json.dump(file_config, handle)
                argv = argv + ["--config", config_path]
            pass_fds = (self._lock_fd,) if self._lock_fd is not None else ()
            done = self.executor(Execution(argv=list(argv), env=environment(), timeout=timeout, config_file=config_path,
                                           pass_fds=pass_fds))
        finally:
            _restore_signals(previous)
            if tmpdir:
                shutil.rmtree(tmpdir, ignore_errors=True)
        log_lines = tail.read(self.log_lines_max) if tail else []
        return RunResult(
            argv=[self.scrub(a) for a in argv], rc=done.rc, stdout=self.scrub(done.stdout), stderr=self.scrub(done.stderr),
            log_lines=[self.scrub(line) for line in log_lines], timed_out=done.timed_out, timeout=timeout,
            duration=time.monotonic() - started, log_file=log_file, uid=getattr(done, "uid", None),
            truncated={"stdout": getattr(done, "stdout_dropped", 0), "stderr": getattr(done, "stderr_dropped", 0)},
        )

    def show(self, as_json: bool = True) -> RunResult:
        """Run ``show`` (``-j`` unless as_json is false) without lock or log capture; returns the RunResult
        and remembers the log location when the output names it."""
        result = self.run(["show", "-j"] if as_json else ["show"], verbose=False, capture_log=False, timeout=min(self.timeout, 120))
        if result.rc == 0:
            data = None
            if as_json:
                try:
                    data = json.loads(result.stdout)
                except (ValueError, RecursionError):  # deeply nested JSON
                    data = None
            self.locate(data if isinstance(data, dict) else result.stdout)
        return result

    def state(self) -> t.Tuple[t.Optional[Facts], RunResult]:
        """Read the agent state: ``show -j``, falling back to the text form (older agents).

        Returns ``(facts, run)``: facts normalized by :func:`._show.show_facts` (``None`` when neither form
        could be read) and the last RunResult (for the failure outcome)."""
        run = self.show(as_json=True)
        if run.rc == 0:
            try:
                data = json.loads(run.stdout)
            except (ValueError, RecursionError):  # deeply nested JSON
                data = None
            if isinstance(data, dict):
                facts: Facts = show_facts(data)
                facts["format"] = "json"
                return facts, run
        text_run = self.show(as_json=False)
        if text_run.rc != 0:
            return None, text_run
        facts = show_facts(text_run.stdout)
        facts["format"] = "text"
        return facts, text_run


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived during a run: unwinds through every ``finally`` (secrets file, process group)."""


_Handlers = t.Dict[int, t.Any]


def _raise_on_termination() -> _Handlers | None:
    """Turn SIGTERM/SIGHUP into :class:`Terminated` for the length of a run (main thread only).

    By default they end Python without running ``finally`` blocks, which would leave the secrets file
    on disk and the agent running. Returns what :func:`_restore_signals` needs."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: object) -> None:
        raise Terminated(f"terminated by signal {signum} during an azcmagent run")

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}


def _restore_signals(previous: _Handlers | None) -> None:
    for sig, handler in (previous or {}).items():
        signal.signal(sig, handler)


def _kill_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except OSError:
        pass


def _lock_record(fd: int) -> t.Optional[t.Dict[str, t.Any]]:
    """The holder record in a lock file (None when it is empty or not ours)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        record = json.loads(data.decode("utf-8")) if data.strip() else None
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("pid"), int) else None


def _write_lock_record(fd: int, record: t.Optional[t.Mapping[str, t.Any]]) -> None:
    """Replace the lock file's content by ``record`` (empty for None); best effort."""
    try:
        os.ftruncate(fd, 0)
        if record is not None:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(record, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_timeout_message(path: str | None, timeout: float, holder: t.Optional[t.Mapping[str, t.Any]]) -> str:
    """Why the lock could not be had, naming its holder and what to do."""
    where = f"{path} is still held after {timeout:g} seconds (option lock_timeout)"
    if holder is None:
        return f"another azcmagent run on this machine: {where}"
    since = holder.get("since")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(since)) if isinstance(since, (int, float)) else "an unknown time"
    pid = holder["pid"]
    if _pid_alive(pid):
        return f"another azcmagent run on this machine (pid {pid}, since {started}): {where}; let it finish or stop it"
    return (f"the run that took the lock (pid {pid}, since {started}) has ended, but an azcmagent command it started still "
            f"holds it: {where}; let that command finish or stop it (it inherited the lock file's descriptor)")


def auth_args(params: t.Mapping[str, t.Any]) -> t.Tuple[t.List[str], t.Dict[str, str]]:
    """(argv, secrets) for the authentication options: ids and paths on argv, secret values for the --config file."""
    argv: t.List[str] = []
    secrets: t.Dict[str, str] = {}
    if params.get("service_principal_id"):
        argv += ["--service-principal-id", params["service_principal_id"]]
    if params.get("service_principal_cert"):
        argv += ["--service-principal-cert", params["service_principal_cert"]]
    if params.get("tenant_id"):
        argv += ["--tenant-id", params["tenant_id"]]
    for option in SECRET_OPTIONS:
        if params.get(option):
            secrets[option] = params[option]
    return argv, secrets
