# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile output through the real runner (issue 10): an agent that prints megabytes, invalid UTF-8, NUL bytes, or
never ends a line, run as a real subprocess by the connect module (its default executor, no stub).

The module runs in a process of its own (as Ansible runs it), so that its peak memory can be measured: it must stay
far below what the agent printed. The result must say that output was dropped (a line in stdout where it was
dropped, and a warning), keep the end of the output (the exit line, so the diagnosis still knows the code), and be
valid JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEV = os.path.join(ROOT, "build", "dev")
MiB = 1024 * 1024

# A stand-in agent: `show -j` answers a disconnected machine, `connect` prints what HOSTILE_MODE asks for, ending with
# the agent's exit line for AZCM0026 (except the line that never ends), and exits 26.
AGENT = textwrap.dedent('''\
    #!{python}
    import json, os, sys
    args = sys.argv[1:]
    root = os.path.dirname(os.path.abspath(__file__))
    if args[:1] == ["show"]:
        print(json.dumps({{"status": "Disconnected", "resourceId": "", "agentVersion": "1.58.03228.700",
                          "agentLogfile": os.path.join(root, "log", "himds.log")}}))
        sys.exit(0)
    out = sys.stdout.buffer
    mode = os.environ["HOSTILE_MODE"]
    size = int(os.environ["HOSTILE_BYTES"])
    end = b"INFO    Exit Code:  AZCM0026: Network Error\\nFATAL   dial tcp 20.0.0.1:443: connect: network is unreachable\\n"
    if mode == "megabytes":
        line = b"DEBUG   " + b"x" * 120 + b"\\n"
        for _ in range(size // len(line)):
            out.write(line)
        out.write(end)
    elif mode == "invalid-utf8":
        junk = b"INFO    \\xff\\xfe\\xc3\\x28 \\xed\\xa0\\x80 bad bytes \\xf0\\x28\\x8c\\x28\\n"
        for _ in range(size // len(junk)):
            out.write(junk)
        out.write(end)
    elif mode == "nul":
        junk = b"INFO    a\\x00b\\x00\\x00c\\n\\x00\\x00\\x00\\n"
        for _ in range(size // len(junk)):
            out.write(junk)
        out.write(end)
    elif mode == "no-newline":
        chunk = b"y" * 65536
        for _ in range(size // len(chunk)):
            out.write(chunk)
        sys.stderr.buffer.write(b"z" * 65536 * 40)
    out.flush()
    sys.exit(26)
''')

# Runs the module in a child and prints that child's peak resident memory (KiB) on the last line of its own stderr.
MEASURE = ("import resource, subprocess, sys\n"
           "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
           "sys.stdout.buffer.write(done.stdout)\n"
           "sys.stderr.write('maxrss=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


@pytest.fixture(scope="module")
def hostile_agent(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-agent")
    os.makedirs(root / "log")
    path = root / "azcmagent"
    path.write_text(AGENT.format(python=sys.executable))
    path.chmod(0o755)
    return str(path)


def run_connect(agent, mode, size):
    args = {"ANSIBLE_MODULE_ARGS": {
        "executable": agent, "subscription_id": str(uuid.uuid4()), "resource_group": "rg-arc", "location": "westeurope",
        "tenant_id": str(uuid.uuid4()), "service_principal_id": str(uuid.uuid4()), "service_principal_secret": "s3cr3t-" + uuid.uuid4().hex,
        "timeout": 120, "lock_timeout": 30}}
    args_file = os.path.join(os.path.dirname(agent), f"args-{mode}.json")
    with open(args_file, "w") as handle:
        json.dump(args, handle)
    env = dict(os.environ, HOSTILE_MODE=mode, HOSTILE_BYTES=str(size), PYTHONPATH=DEV)
    done = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "ansible_collections.arcops.azcmagent.plugins.modules.connect",
                           args_file], capture_output=True, env=env, timeout=300, check=False)
    maxrss_kib = int(done.stderr.decode().strip().rsplit("maxrss=", 1)[1])
    return json.loads(done.stdout), maxrss_kib


@pytest.mark.parametrize("mode, size", [
    ("megabytes", 32 * MiB),
    ("invalid-utf8", 8 * MiB),
    ("nul", 8 * MiB),
    ("no-newline", 16 * MiB),
])
def test_hostile_agent_output_is_bounded_and_said(hostile_agent, mode, size):
    result, maxrss_kib = run_connect(hostile_agent, mode, size)
    assert result["failed"] is True
    # Bounded: what the module kept and returned, and what it cost.
    assert len(result["stdout"].encode("utf-8")) < 2 * MiB
    assert sum(len(line) for line in result["stdout_lines"]) < 2 * MiB
    assert maxrss_kib * 1024 < 160 * MiB, f"the module used {maxrss_kib // 1024} MiB for {size // MiB} MiB of output"
    # Said: the line where output was dropped, and a warning.
    assert "[arcops.azcmagent: " in result["stdout"] and "bytes of stdout dropped here" in result["stdout"]
    # (ansible-core 2.19 returns each warning as a structured event)
    assert "bytes of its stdout were dropped" in json.dumps(result.get("warnings")), result.get("warnings")
    assert "\x00" not in json.dumps(result) and "\\u0000" not in json.dumps(result)
    if mode == "no-newline":
        assert "bytes of stderr dropped here" in result["stderr"]
        assert result["rc"] == 26 and result["azcm_code"] == "AZCM0026"
    else:
        # The end of the output is kept: the exit line still gives the code and the fatal line the finding.
        assert result["azcm_code"] == "AZCM0026" and result["rc"] == 26
        assert result["stdout_lines"][-1].startswith("FATAL   dial tcp")
        assert result["category"] == "network"
