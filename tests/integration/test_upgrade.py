# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/upgrade.yml, for real: three simulated hosts upgraded from the signed local apt repository, in batches.

Each host has its own package database: its Python (``ansible_python_interpreter``) is a wrapper that enters a private
mount namespace with the host's own ``/var/lib/dpkg``, ``/var/lib/apt``, ``/var/cache/apt``, ``/etc/apt`` and
``/opt/azcmagent`` bound over the machine's, so apt, dpkg and the packaged agent simulator of one host never see another's
(and never the machine's own). The packages are the agent simulator built as ``azcmagent`` .debs of three versions (the
repository of test_install_role); the simulator reports the version of the package it was installed from.

* 1.57.03197.640 (October 2025): out of Microsoft's one-year support window on 2026-11-30; no ``azcmagent upgrade``,
  so the package manager upgrades it;
* 1.63.03420.1 (April 2026): has ``azcmagent upgrade`` (1.62 and later), which upgrades it;
* 1.67.03504.1320 (August 2026): the newest, inside the window.

The hosts are installed with the install role (which also configures the repository), then upgraded in check mode
(nothing changes), for real in a canary batch of one and a batch of the rest, once more (nothing changes), and to a
version the repository lacks (the canary fails, the later batch is left alone).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from tests.integration.test_install_role import _build_repo, _free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator", "agent"))
import hostlib  # noqa: E402  pylint: disable=wrong-import-position,import-error

UPGRADE = os.path.join(ROOT, "playbooks", "upgrade.yml")
INSTALL_HOSTS = os.path.join(ROOT, "tests", "integration", "upgrade", "install_hosts.yml")
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "agent")
OLD, MID, NEW = "1.57.03197.640", "1.63.03420.1", "1.67.03504.1320"
TODAY = "2026-11-30"
HOSTS = {"up-01": OLD, "up-02": OLD, "up-03": MID}
# what a host binds over the machine's paths: (its directory, the machine's path)
BINDS = (("dpkg", "/var/lib/dpkg"), ("apt-lib", "/var/lib/apt"), ("apt-cache", "/var/cache/apt"), ("etc-apt", "/etc/apt"),
         ("opt-azcmagent", "/opt/azcmagent"))
BASE_PACKAGE = ("Package: arcops-sim-base\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
                "Maintainer: arcops tests <tests@example.invalid>\nArchitecture: all\nVersion: 1.0\n"
                "Description: the base system of a simulated host\n\n")
PLAY = "PLAY [Upgrade the Azure Connected Machine agent in batches]"

pytestmark = pytest.mark.slow


def _build_deb(workdir, version):
    """A .deb named azcmagent: /opt/azcmagent/bin/azcmagent runs the packaged simulator, which knows its version from
    PACKAGE_VERSION (the host directory comes from AZCMAGENT_SIM_HOST, set by the host's wrapper)."""
    pkg = os.path.join(workdir, "pkg-" + version)
    lib = os.path.join(pkg, "opt", "azcmagent", "lib")
    os.makedirs(os.path.join(pkg, "DEBIAN"))
    os.makedirs(os.path.join(pkg, "opt", "azcmagent", "bin"))
    with open(os.path.join(pkg, "DEBIAN", "control"), "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent(f"""\
            Package: azcmagent
            Version: {version}
            Architecture: all
            Maintainer: arcops tests <tests@example.invalid>
            Description: Azure Connected Machine agent simulator (arcops.azcmagent upgrade test)
            """))
    shutil.copytree(SIMULATOR, lib, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    with open(os.path.join(lib, "PACKAGE_VERSION"), "w", encoding="utf-8") as fh:
        fh.write(version + "\n")
    wrapper = os.path.join(pkg, "opt", "azcmagent", "bin", "azcmagent")
    with open(wrapper, "w", encoding="utf-8") as fh:
        fh.write(f'#!/bin/sh\nexec "{sys.executable}" /opt/azcmagent/lib/azcmagent_sim.py "$@"\n')
    os.chmod(wrapper, 0o755)
    deb = os.path.join(workdir, f"azcmagent_{version}_all.deb")
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", pkg, deb], check=True, capture_output=True)
    return deb


def _make_host(workdir, name):
    """A simulated host with its own package database; returns (host dir, enter wrapper, python wrapper)."""
    host_dir = os.path.join(workdir, "hosts", name)
    hostlib.create_host(host_dir, {"name": name}, init_dir=None, python=sys.executable)
    for sub, _target in BINDS:
        os.makedirs(os.path.join(host_dir, sub), exist_ok=True)
    for sub in ("info", "updates", "triggers", "alternatives"):
        os.makedirs(os.path.join(host_dir, "dpkg", sub), exist_ok=True)
    open(os.path.join(host_dir, "dpkg", "available"), "w", encoding="utf-8").close()
    # one installed package, so that the package database is not empty (package_facts finds no manager in an empty one)
    with open(os.path.join(host_dir, "dpkg", "status"), "w", encoding="utf-8") as fh:
        fh.write(BASE_PACKAGE)
    open(os.path.join(host_dir, "dpkg", "info", "arcops-sim-base.list"), "w", encoding="utf-8").close()
    for sub in ("apt-lib/lists/partial", "apt-cache/archives/partial", "etc-apt/apt.conf.d", "etc-apt/sources.list.d",
                "etc-apt/preferences.d", "etc-apt/trusted.gpg.d", "etc-apt/keyrings"):
        os.makedirs(os.path.join(host_dir, sub), exist_ok=True)
    mounts = " && ".join(f'mount --bind "$0/{sub}" {target}' for sub, target in BINDS)
    enter = os.path.join(host_dir, "enter")
    with open(enter, "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent(f"""\
            #!/bin/sh
            # run a command as host {name}: its own dpkg/apt state and /opt/azcmagent, in a private mount namespace
            exec unshare --mount --propagation private /bin/sh -c '{mounts} || exit 97
            AZCMAGENT_SIM_HOST="$0"; export AZCMAGENT_SIM_HOST; exec "$@"' "{host_dir}" "$@"
            """))
    python = os.path.join(host_dir, "python")
    with open(python, "w", encoding="utf-8") as fh:
        fh.write(f'#!/bin/sh\nexec "{enter}" "{sys.executable}" "$@"\n')
    for path in (enter, python):
        os.chmod(path, 0o755)
    return host_dir, enter, python


def _installed(enter):
    proc = subprocess.run([enter, "dpkg-query", "-W", "-f", "${Version}", "azcmagent"], capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


@pytest.fixture(scope="module")
def upgrade_site(tmp_path_factory):
    if os.geteuid() != 0 or shutil.which("apt-ftparchive") is None or shutil.which("unshare") is None:
        pytest.fail("the upgrade test needs root, unshare and apt-utils (make debs)")
    created_mount_point = not os.path.exists("/opt/azcmagent")
    os.makedirs("/opt/azcmagent", exist_ok=True)
    workdir = str(tmp_path_factory.mktemp("upgrade"))
    repo = _build_repo(workdir, [_build_deb(workdir, version) for version in (OLD, MID, NEW)])
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", repo, str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    hosts = {name: _make_host(workdir, name) for name in HOSTS}
    inventory = os.path.join(workdir, "inventory.json")
    with open(inventory, "w", encoding="utf-8") as fh:
        json.dump({"arc_upgrade": {"hosts": {name: {
            "ansible_connection": "local", "ansible_python_interpreter": python, "azcmagent_executable": "/opt/azcmagent/bin/azcmagent",
            "sim_initial_version": HOSTS[name]} for name, (_d, _e, python) in hosts.items()}}}, fh)
    dmi = os.path.join(workdir, "asset_tag")
    with open(dmi, "w", encoding="utf-8") as fh:
        fh.write("None\n")
    extra = {
        "azcmagent_repo_url": f"http://127.0.0.1:{port}",
        "azcmagent_repo_key_url": f"http://127.0.0.1:{port}/key.asc",
        "azcmagent_repo_suite": "stable",
        "azcmagent_imds_url": f"http://127.0.0.1:{_free_port()}/metadata/instance/compute",
        "azcmagent_imds_timeout": 1,
        "azcmagent_dmi_asset_tag_path": dmi,
        "azcmagent_support_reference_date": TODAY,
        "azcmagent_report_dir": os.path.join(workdir, "report"),
    }
    try:
        yield {"inventory": inventory, "hosts": hosts, "extra": extra, "report": extra["azcmagent_report_dir"]}
    finally:
        server.terminate()
        server.wait(timeout=10)
        if created_mount_point:
            try:
                os.rmdir("/opt/azcmagent")
            except OSError:
                pass


def _results(run):
    return {name: run.facts.get(name, {}).get("azcmagent_result") for name in HOSTS}


def test_upgrade_in_batches_with_the_support_window_before_and_not_after(upgrade_site, run_playbook):
    site, extra = upgrade_site, upgrade_site["extra"]
    start = time.time()

    # the fleet as it stands: each host installed at its version from the repository by the install role
    run = run_playbook(INSTALL_HOSTS, inventory=site["inventory"], extra_vars=extra)
    assert run.rc == 0, run.stdout[-3000:]
    assert {name: _installed(enter) for name, (_d, enter, _p) in site["hosts"].items()} == HOSTS
    # the simulator's version is the installed package's
    _d, enter, _p = site["hosts"]["up-03"]
    assert subprocess.run([enter, "/opt/azcmagent/bin/azcmagent", "version"], capture_output=True, text=True,
                          check=True).stdout.strip() == f"azcmagent version {MID}"

    # check mode: every host would be upgraded, nothing changes
    check = run_playbook(UPGRADE, inventory=site["inventory"], extra_vars=dict(extra, azcmagent_report=False), check=True)
    assert check.rc == 0, check.stdout[-3000:]
    assert {name: _installed(enter) for name, (_d, enter, _p) in site["hosts"].items()} == HOSTS
    would = _results(check)
    assert {name: r["summary"] for name, r in would.items()} == {
        "up-01": f"would upgrade {OLD} (package)", "up-02": f"would upgrade {OLD} (package)", "up-03": f"would upgrade {MID} (agent)"}

    # the upgrade: a canary batch of one host, then the rest
    run = run_playbook(UPGRADE, inventory=site["inventory"], extra_vars=dict(extra, azcmagent_upgrade_canary=1, azcmagent_upgrade_batch="100%"))
    assert run.rc == 0, run.stdout[-3000:]
    assert {name: _installed(enter) for name, (_d, enter, _p) in site["hosts"].items()} == {name: NEW for name in HOSTS}
    batches = run.stdout.split(PLAY)[1:]
    assert len(batches) == 2, run.stdout[-3000:]
    assert re.findall(r"\[(up-\d\d)\]", batches[0]) and set(re.findall(r"\[(up-\d\d)\]", batches[0])) == {"up-01"}
    assert set(re.findall(r"\[(up-\d\d)\]", batches[1].split("PLAY [", 1)[0])) == {"up-02", "up-03"}
    results = _results(run)
    for name, before in HOSTS.items():
        result = results[name]
        assert (result["ok"], result["upgraded"], result["version_before"], result["version_after"]) == (True, True, before, NEW), result
        assert result["upgrade_method"] == ("package" if before == OLD else "agent")
        # the support window: the October 2025 agents were out of it before, nobody is after
        assert [f["id"] for f in result["findings_before"]] == (["agent_out_of_support"] if before == OLD else [])
        assert result["findings"] == [] and result["support_after"]["status"] == "supported"
    with open(os.path.join(site["report"], "fleet_summary.json"), encoding="utf-8") as fh:
        summary = json.load(fh)
    assert summary["title"] == "Agent upgrade" and summary["out_of_support"] == []
    assert (summary["counts"]["hosts"], summary["counts"]["changed"], summary["counts"]["failed"]) == (3, 3, 0)

    # once more: nothing to upgrade, nothing changed
    again = run_playbook(UPGRADE, inventory=site["inventory"], extra_vars=dict(extra, azcmagent_report=False))
    assert again.rc == 0, again.stdout[-3000:]
    assert {name: again.changed(name) for name in HOSTS} == {name: 0 for name in HOSTS}, again.stdout[-3000:]
    assert {name: r["summary"] for name, r in _results(again).items()} == {name: f"{NEW}: nothing to upgrade" for name in HOSTS}

    # a version the repository does not have: the canary fails (azcmagent upgrade --version 1.99, AZCM0147 from the
    # simulator), the later batch is left alone and reported, the report is written, every host fails at the end
    halted = run_playbook(UPGRADE, inventory=site["inventory"], extra_vars=dict(extra, azcmagent_version="1.99"))
    assert halted.rc != 0 and halted.failed_hosts == sorted(HOSTS), halted.stdout[-3000:]
    assert {name: _installed(enter) for name, (_d, enter, _p) in site["hosts"].items()} == {name: NEW for name in HOSTS}
    results = _results(halted)
    assert (results["up-01"]["ok"], results["up-01"]["code"], results["up-01"]["upgrade_method"]) == (False, "AZCM0147", "agent"), results
    for name in ("up-02", "up-03"):
        assert (results[name]["ok"], results[name]["summary"]) == (False, "not upgraded: an earlier batch failed"), results[name]
        assert not [r for r in halted.hosts[name] if "azcmagent upgrade" in r["task"]]
    with open(os.path.join(site["report"], "fleet_summary.json"), encoding="utf-8") as fh:
        assert json.load(fh)["counts"]["failed"] == 3
    print(f"upgrade test: 5 playbook runs over {len(HOSTS)} hosts in {time.time() - start:.1f} s")
