# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A secret never leaks while connect and disconnect run: not on any command line, in any output or file.

The module-level tests (four steps, every failure scenario) are ansible-test targets in tests/integration/targets
(``make targets``). This one stays a pytest test because it watches what a target cannot: every process's command
line while the agent runs, ansible-playbook's own output at -vvvv, and the temporary directories of the run.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import uuid

import pytest

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "agent_modules")

pytestmark = pytest.mark.slow


class CmdlineSampler(threading.Thread):
    """Reads every process's command line in a loop; remembers those holding the needle and how much it saw."""

    def __init__(self, needle):
        super().__init__(daemon=True)
        self.needle = needle.encode()
        self.hits = []
        self.agent_commands = set()
        self.samples = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open("/proc/%s/cmdline" % pid, "rb") as handle:
                        cmdline = handle.read()
                except OSError:
                    continue
                if self.needle in cmdline:
                    self.hits.append(cmdline.replace(b"\0", b" ").decode("utf-8", "replace"))
                if b"azcmagent" in cmdline:
                    words = cmdline.split(b"\0")
                    for word in (b"connect", b"disconnect"):
                        if word in words:
                            self.agent_commands.add(word.decode())
            self.samples += 1


def _files_containing(root, needle):
    found = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                with open(path, "rb") as handle:
                    if needle in handle.read():
                        found.append(path)
            except OSError:
                continue
    return found


def test_secret_never_leaks(fleet_factory, run_playbook, tmp_path):
    fleet = fleet_factory(scenarios={"clean": 1})
    host = "clean-01"
    state = fleet.state()
    ident = fleet.identity
    fleet_principal = state["principals"][ident["client_id"]]
    fresh_id, fresh_object = str(uuid.uuid4()), str(uuid.uuid4())
    fresh_secret = "Zq8~" + secrets.token_urlsafe(30)
    roles = [dict(a, object_id=fresh_object) for a in state["role_assignments"] if a["object_id"] == fleet_principal["object_id"]]
    assert roles
    fleet.client().seed({"principals": {fresh_id: {"tenant": fleet_principal["tenant"], "secret": fresh_secret,
                                                   "object_id": fresh_object, "display_name": "arcsim fresh secret"}},
                         "role_assignments": roles})
    base = tmp_path / "run"
    scratch = {name: base / name for name in ("tmp", "remote", "local")}
    for path in scratch.values():
        path.mkdir(parents=True)
    sampler = CmdlineSampler(fresh_secret)
    sampler.start()
    try:
        run = run_playbook(os.path.join(HERE, "secret.yml"), inventory=fleet.inventory, verbosity=4,
                           extra_vars={"target_hosts": host, "fresh_secret": fresh_secret, "fresh_principal_id": fresh_id},
                           env={"TMPDIR": str(scratch["tmp"]), "ANSIBLE_REMOTE_TEMP": str(scratch["remote"]),
                                "ANSIBLE_LOCAL_TEMP": str(scratch["local"])}, timeout=300)
    finally:
        sampler.stop.set()
        sampler.join()
    assert run.rc == 0 and not run.failed_hosts, run.output[-8000:]
    results = {"connect": run.task(host, "Connect")["result"], "disconnect": run.task(host, "Disconnect")["result"]}
    assert results["connect"]["changed"] and results["disconnect"]["changed"]
    assert results["connect"]["state"] == "Connected" and results["disconnect"]["state"] == "Disconnected"
    # the sampler really watched the agent run, and the mock saw this principal log in
    assert sampler.samples > 20 and {"connect", "disconnect"} <= sampler.agent_commands, (sampler.samples, sampler.agent_commands)
    assert any(r.get("principal") in (fresh_id, fresh_object) for r in fleet.requests())
    needle = fresh_secret.encode()
    assert sampler.hits == []
    assert fresh_secret not in run.output
    assert fresh_secret not in json.dumps(run.hosts) and fresh_secret not in json.dumps(run.facts)
    agent_log_dir = os.path.join(fleet.hosts[host]["host_dir"], "root", "var", "opt", "azcmagent")
    assert _files_containing(agent_log_dir, needle) == []
    vars_file = run.cmd[run.cmd.index("-e") + 1][1:]
    assert not os.path.exists(vars_file), "the runner removes the extra-vars file after the run"
    for path in list(scratch.values()) + [os.path.dirname(vars_file)]:
        assert _files_containing(str(path), needle) == []
    leftovers = [name for name in os.listdir(str(scratch["tmp"])) if name.startswith("arcops-azcmagent-")]
    assert leftovers == []
