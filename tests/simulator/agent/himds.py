# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The simulated himds daemon of one host: a pid file and a listening unix socket.

``python -I -S himds.py --agent-dir ROOT/var/opt/azcmagent [--daemon]``.  With ``--daemon`` it
double-forks and the launching process returns once the socket listens (so an init script
or hostlib knows the service is up).  SIGTERM removes the socket and the pid file.
Standard library only, no site packages: starts in a few tens of milliseconds.
"""

from __future__ import annotations

import datetime
import os
import signal
import socket
import sys

ANSWER = b'{"status":"running","service":"himds"}\n'


def _log(agent_dir, message):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        with open(os.path.join(agent_dir, "log", "himds.log"), "a", encoding="utf-8") as handle:
            handle.write('time="%s" level=info msg="%s"\n' % (stamp, message))
    except OSError:
        pass


def serve(agent_dir, ready_fd=None):
    """Bind, write the pid file, signal readiness, answer until SIGTERM."""
    socks = os.path.join(agent_dir, "socks")
    run = os.path.join(agent_dir, "run")
    for folder in (socks, run, os.path.join(agent_dir, "log")):
        os.makedirs(folder, exist_ok=True)
    os.chdir(socks)  # bind a relative name: unix socket paths are limited to 108 bytes
    try:
        os.unlink("himds.sock")
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("himds.sock")
    server.listen(16)
    pid_path = os.path.join(run, "himds.pid")
    with open(pid_path + ".tmp", "w", encoding="ascii") as handle:
        handle.write("%d\n" % os.getpid())
    os.replace(pid_path + ".tmp", pid_path)

    def stop(_signum, _frame):
        for path in (os.path.join(socks, "himds.sock"), pid_path):
            try:
                os.unlink(path)
            except OSError:
                pass
        _log(agent_dir, "himds stopping")
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _log(agent_dir, "himds started, listening on %s" % os.path.join(socks, "himds.sock"))
    if ready_fd is not None:
        os.write(ready_fd, b"1")
        os.close(ready_fd)
    while True:
        conn, _addr = server.accept()
        try:
            conn.settimeout(1)
            try:
                conn.recv(1024)
            except OSError:
                pass
            conn.sendall(ANSWER)
        except OSError:
            pass
        finally:
            conn.close()


def daemonize(agent_dir):
    """Double fork; the caller returns 0 when the daemon listens, 1 otherwise."""
    read_fd, write_fd = os.pipe()
    if os.fork() > 0:
        os.close(write_fd)
        ok = os.read(read_fd, 1) == b"1"
        os.wait()
        return 0 if ok else 1
    os.close(read_fd)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    try:
        serve(agent_dir, write_fd)
    finally:
        os._exit(1)
    return 1


def main(argv):
    if len(argv) < 2 or argv[0] != "--agent-dir":
        sys.stderr.write("usage: himds.py --agent-dir DIR [--daemon]\n")
        return 2
    agent_dir = os.path.abspath(argv[1])
    if "--daemon" in argv[2:]:
        return daemonize(agent_dir)
    serve(agent_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
