# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parts of the SSH fleet that need no namespace: the agent package, the simulator's hosts-file dialling."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
for _path in (os.path.join(HERE, "agent"), os.path.join(HERE, "packaging")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import agent_deb as packaging  # noqa: E402  pylint: disable=wrong-import-position
from azsim.netdial import Dialer, DialError  # noqa: E402  pylint: disable=wrong-import-position
from azsim.state import DEFAULT_VERSION, Host  # noqa: E402  pylint: disable=wrong-import-position


def test_the_package_has_the_agents_name_version_and_paths(tmp_path):
    if shutil.which("dpkg-deb") is None:
        pytest.fail("dpkg-deb is missing (make debs)")
    deb = packaging.build_deb(str(tmp_path))
    assert os.path.basename(deb) == "azcmagent_%s_amd64.deb" % DEFAULT_VERSION
    fields = subprocess.run(["dpkg-deb", "-f", deb, "Package", "Version", "Architecture"], capture_output=True, text=True,
                            check=True).stdout.split("\n")
    assert fields[:3] == ["Package: azcmagent", "Version: %s" % DEFAULT_VERSION, "Architecture: amd64"]
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/azcmagent/bin/azcmagent", "./opt/azcmagent/bin/himds", "./etc/init.d/himdsd", "./etc/init.d/arcproxyd",
                 "./usr/bin/azcmagent -> /opt/azcmagent/bin/azcmagent", "./opt/azcmagent/lib/arcsim/azsim/netdial.py"):
        assert path in listing, path
    assert "hostlib.py" not in listing            # the fleet's tool, not the agent's
    postinst = subprocess.run(["dpkg-deb", "-I", deb, "postinst"], capture_output=True, text=True, check=True).stdout
    assert "/etc/init.d/himdsd start" in postinst and "/var/opt/azcmagent/sim/sim.json" in postinst


def test_the_simulator_reads_names_from_its_hosts_file_and_dials_only_allowed_networks(tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n10.233.7.1\tlogin.microsoftonline.com management.azure.com  # bridge\n"
                     "192.0.2.9 gbl.his.arc.azure.com\n", encoding="utf-8")
    dialer = Dialer({})
    dialer.use_hosts_file(str(hosts), ["10.233.7.0/24"])
    assert dialer.mapped("LOGIN.microsoftonline.com") == "10.233.7.1:443"
    assert dialer.mapped("management.azure.com") == "10.233.7.1:443"
    assert dialer.mapped("pas.windows.net") is None       # not in the file: no DNS, no such host
    with pytest.raises(DialError, match="lookup pas.windows.net: no such host"):
        dialer.open("pas.windows.net")
    # an address outside loopback and the allowed networks is never dialled
    with pytest.raises(DialError, match="lookup gbl.his.arc.azure.com: no such host"):
        dialer.open("gbl.his.arc.azure.com")
    # an endpoints map wins over the hosts file
    mapped = Dialer({"*": "127.0.0.1:1"})
    mapped.use_hosts_file(str(hosts), ["10.233.7.0/24"])
    assert mapped.mapped("login.microsoftonline.com") == "127.0.0.1:1"


def test_a_packaged_host_keeps_the_agent_at_its_real_paths(tmp_path):
    sim_dir = tmp_path / "sim"
    sim_dir.mkdir()
    (sim_dir / "sim.json").write_text('{"root": "/", "hosts_file": "/etc/hosts", "dial_networks": ["10.233.7.0/24"]}', encoding="utf-8")
    host = Host(str(sim_dir))
    assert host.agent_dir == "/var/opt/azcmagent" and host.log_path == "/var/opt/azcmagent/log/azcmagent.log"
    assert (host.hosts_file, host.dial_networks) == ("/etc/hosts", ["10.233.7.0/24"])
    assert Host(str(tmp_path)).agent_dir == os.path.join(str(tmp_path), "root", "var", "opt", "azcmagent")
