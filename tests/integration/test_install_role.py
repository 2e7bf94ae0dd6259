# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The install role, for real, on this machine.

Builds two versions of a ``azcmagent`` .deb (the simulator at /opt/azcmagent/bin/azcmagent),
serves them from a signed local apt repository (apt-ftparchive, gpg with a generated key,
``python3 -m http.server`` on 127.0.0.1) and runs the role: install, re-run (no change),
version mismatch left alone, upgrade, pin (downgrade + hold), offline .deb from the controller,
and the Azure virtual machine refusal (DMI asset tag, instance metadata answering on loopback).
The package, the apt source, the key and the downloaded lists are removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = os.path.join(ROOT, "tests", "integration", "install", "install.yml")
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "agent")
OLD, NEW = "1.57.03200.600", "1.58.03228.700"
AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77"
SOURCE_FILE = "/etc/apt/sources.list.d/arcops-azcmagent.sources"
KEY_FILE = "/etc/apt/keyrings/arcops-azcmagent.asc"

pytestmark = pytest.mark.slow

def _run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _build_deb(workdir, version):
    """A .deb named azcmagent whose /opt/azcmagent/bin/azcmagent is the agent simulator."""
    pkg = os.path.join(workdir, "pkg-" + version)
    os.makedirs(os.path.join(pkg, "DEBIAN"))
    os.makedirs(os.path.join(pkg, "opt", "azcmagent", "bin"))
    with open(os.path.join(pkg, "DEBIAN", "control"), "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent(f"""\
            Package: azcmagent
            Version: {version}
            Architecture: all
            Maintainer: arcops tests <tests@example.invalid>
            Description: Azure Connected Machine agent simulator (arcops.azcmagent tests)
            """))
    if os.path.isdir(SIMULATOR):
        shutil.copytree(SIMULATOR, os.path.join(pkg, "opt", "azcmagent", "lib"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wrapper = os.path.join(pkg, "opt", "azcmagent", "bin", "azcmagent")
    with open(wrapper, "w", encoding="utf-8") as fh:
        fh.write(textwrap.dedent(f"""\
            #!/bin/sh
            # azcmagent {version}: the arcops.azcmagent agent simulator, packaged for the install role's test.
            case "$1" in
              version|--version) echo "azcmagent version {version}"; exit 0 ;;
            esac
            exec /usr/bin/python3 /opt/azcmagent/lib/azcmagent_sim.py "$@"
            """))
    os.chmod(wrapper, 0o755)
    deb = os.path.join(workdir, f"azcmagent_{version}_all.deb")
    _run(["dpkg-deb", "--root-owner-group", "--build", pkg, deb])
    return deb


def _build_repo(workdir, debs):
    """A signed flat-pool apt repository: dists/stable/main/binary-amd64, InRelease and Release.gpg."""
    repo = os.path.join(workdir, "repo")
    pool = os.path.join(repo, "pool", "main")
    os.makedirs(pool)
    for deb in debs:
        shutil.copy(deb, pool)
    binary = os.path.join(repo, "dists", "stable", "main", "binary-amd64")
    os.makedirs(binary)
    packages = _run(["apt-ftparchive", "packages", "pool"], cwd=repo).stdout
    with open(os.path.join(binary, "Packages"), "w", encoding="utf-8") as fh:
        fh.write(packages)
    release = _run([
        "apt-ftparchive",
        "-o", "APT::FTPArchive::Release::Origin=arcops-test",
        "-o", "APT::FTPArchive::Release::Suite=stable",
        "-o", "APT::FTPArchive::Release::Codename=stable",
        "-o", "APT::FTPArchive::Release::Architectures=amd64",
        "-o", "APT::FTPArchive::Release::Components=main",
        "release", "dists/stable",
    ], cwd=repo).stdout
    with open(os.path.join(repo, "dists", "stable", "Release"), "w", encoding="utf-8") as fh:
        fh.write(release)
    gnupg = os.path.join(workdir, "gnupg")
    os.makedirs(gnupg, mode=0o700)
    env = dict(os.environ, GNUPGHOME=gnupg)
    _run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "arcops test repository <repo@example.invalid>",
          "rsa2048", "sign", "never"], env=env)
    dists = os.path.join(repo, "dists", "stable")
    _run(["gpg", "--batch", "--yes", "--clearsign", "-o", os.path.join(dists, "InRelease"), os.path.join(dists, "Release")], env=env)
    _run(["gpg", "--batch", "--yes", "-abs", "-o", os.path.join(dists, "Release.gpg"), os.path.join(dists, "Release")], env=env)
    key = _run(["gpg", "--armor", "--export"], env=env).stdout
    # gpg started an agent for this home; stop it (a test stops everything it starts)
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, capture_output=True, check=False)
    with open(os.path.join(repo, "key.asc"), "w", encoding="utf-8") as fh:
        fh.write(key)
    return repo


def _cleanup_machine():
    subprocess.run(["dpkg", "--purge", "azcmagent"], capture_output=True, check=False)
    for path in (SOURCE_FILE, KEY_FILE):
        if os.path.exists(path):
            os.remove(path)
    lists = "/var/lib/apt/lists"
    for name in os.listdir(lists):
        if name.startswith("127.0.0.1:") or name.startswith("127.0.0.1_"):
            os.remove(os.path.join(lists, name))


@pytest.fixture(scope="module")
def apt_repo(tmp_path_factory):
    if shutil.which("apt-ftparchive") is None or os.geteuid() != 0:
        pytest.fail("the install role test needs root and apt-utils (make debs)")
    if subprocess.run(["dpkg", "-s", "azcmagent"], capture_output=True, check=False).returncode == 0:
        pytest.fail("an azcmagent package is installed on this machine already: refusing to touch it")
    workdir = str(tmp_path_factory.mktemp("aptrepo"))
    debs = [_build_deb(workdir, OLD), _build_deb(workdir, NEW)]
    repo = _build_repo(workdir, debs)
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
    not_azure = os.path.join(workdir, "asset_tag_plain")
    with open(not_azure, "w", encoding="utf-8") as fh:
        fh.write("None\n")
    azure = os.path.join(workdir, "asset_tag_azure")
    with open(azure, "w", encoding="utf-8") as fh:
        fh.write(AZURE_ASSET_TAG + "\n")
    try:
        yield {
            "url": f"http://127.0.0.1:{port}",
            "workdir": workdir,
            "debs": {OLD: debs[0], NEW: debs[1]},
            "dmi_plain": not_azure,
            "dmi_azure": azure,
            "closed_port": _free_port(),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
        _cleanup_machine()


def _play(run_playbook, repo, *args, **overrides):
    """Run the install role once (``args``: more ansible-playbook arguments); return (rc, result fact, changed count, output)."""
    extra = {
        "azcmagent_repo_url": repo["url"],
        "azcmagent_repo_key_url": repo["url"] + "/key.asc",
        "azcmagent_repo_suite": "stable",
        "azcmagent_imds_url": f"http://127.0.0.1:{repo['closed_port']}/metadata/instance/compute",
        "azcmagent_imds_timeout": 1,
        "azcmagent_dmi_asset_tag_path": repo["dmi_plain"],
        "ansible_python_interpreter": sys.executable,
    }
    extra.update(overrides)
    run = run_playbook(PLAYBOOK, inventory="localhost,", extra_vars=extra, args=["-c", "local", *args])
    assert "localhost" in run.stats, run.output
    return run.rc, run.facts.get("localhost", {}).get("azcmagent_install_result"), run.changed("localhost"), run.output


def _installed_version():
    proc = subprocess.run(["dpkg-query", "-W", "-f", "${Version} ${Status}", "azcmagent"], capture_output=True, text=True, check=False)
    return proc.stdout.split(" ")[0] if proc.stdout.endswith(" ok installed") else None


def _selection():
    return _run(["dpkg", "--get-selections", "azcmagent"]).stdout.split()[-1]


def test_install_role_lifecycle(apt_repo, run_playbook):
    # 1. install a pinned version from the signed repository
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version="1.57")
    assert rc == 0, out
    assert result["action"] == "install" and result["changed"] is True
    assert result["version_before"] == "" and result["version_after"] == OLD
    assert changed >= 3  # key, source, package
    assert _installed_version() == OLD
    assert _run(["/opt/azcmagent/bin/azcmagent", "version"]).stdout.strip() == f"azcmagent version {OLD}"
    with open(SOURCE_FILE, encoding="utf-8") as fh:
        source = fh.read()
    assert f"URIs: {apt_repo['url']}" in source and "Signed-By: " + KEY_FILE in source

    # 2. the same again changes nothing
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version="1.57")
    assert rc == 0, out
    assert (result["action"], changed) == ("none", 0)

    # 3. another version is wanted but changing versions was not asked for: left alone, with a warning
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version=NEW)
    assert rc == 0, out
    assert (result["action"], changed) == ("mismatch", 0)
    assert "azcmagent_version_change" in out
    assert _installed_version() == OLD

    # 4. upgrade when asked
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version=NEW, azcmagent_version_change=True)
    assert rc == 0, out
    assert result["action"] == "change" and changed >= 1
    assert (result["version_before"], result["version_after"]) == (OLD, NEW)
    assert _installed_version() == NEW

    # 5. pin: downgrade and hold, then the same again is idempotent
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version=OLD, azcmagent_version_change=True, azcmagent_package_hold=True)
    assert rc == 0, out
    assert result["action"] == "change" and (result["version_before"], result["version_after"]) == (NEW, OLD)
    assert _installed_version() == OLD and _selection() == "hold"
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version=OLD, azcmagent_version_change=True, azcmagent_package_hold=True)
    assert rc == 0, out
    assert (result["action"], changed) == ("none", 0)

    # 6. an empty version leaves an installed agent alone
    rc, result, changed, out = _play(run_playbook, apt_repo)
    assert rc == 0, out
    assert (result["action"], changed) == ("none", 0)

    # 7. offline: a package file from the controller, upgrading the held package when asked
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_install_source="file", azcmagent_package_file=apt_repo["debs"][NEW],
                                     azcmagent_version=NEW, azcmagent_version_change=True, azcmagent_repo_url="http://127.0.0.1:9/unused")
    assert rc == 0, out
    assert result["action"] == "change" and _installed_version() == NEW


def test_install_role_check_mode_installs_nothing(apt_repo, run_playbook):
    subprocess.run(["dpkg", "--purge", "azcmagent"], capture_output=True, check=False)
    rc, result, changed, out = _play(run_playbook, apt_repo, "--check", azcmagent_version=NEW)
    assert rc == 0, out
    assert result["action"] == "install" and changed >= 1
    assert _installed_version() is None


@pytest.mark.parametrize("how", ["dmi", "imds"])
def test_install_role_refuses_an_azure_vm(apt_repo, run_playbook, how):
    subprocess.run(["dpkg", "--purge", "azcmagent"], capture_output=True, check=False)
    if how == "dmi":
        overrides = {"azcmagent_dmi_asset_tag_path": apt_repo["dmi_azure"]}
    else:
        # the local repository's web server answers 200 like an instance metadata service would
        overrides = {"azcmagent_imds_url": apt_repo["url"] + "/dists/stable/Release"}
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version=NEW, **overrides)
    assert rc != 0
    assert "AZCM0141" in out
    assert ("DMI chassis asset tag" if how == "dmi" else "instance metadata service") in out
    assert _installed_version() is None
    # the override installs anyway (for test labs only)
    rc, result, changed, out = _play(run_playbook, apt_repo, azcmagent_version=NEW, azcmagent_allow_azure_vm=True, **overrides)
    assert rc == 0, out
    assert _installed_version() == NEW


def _wrong_key(repo, workdir):
    """An armored public key that did not sign the repository, served beside the right one."""
    gnupg = os.path.join(workdir, "gnupg-wrong")
    if not os.path.isdir(gnupg):
        os.makedirs(gnupg, mode=0o700)
        env = dict(os.environ, GNUPGHOME=gnupg)
        _run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "not the repository's key <wrong@example.invalid>",
              "rsa2048", "sign", "never"], env=env)
        key = _run(["gpg", "--armor", "--export"], env=env).stdout
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, capture_output=True, check=False)
        with open(os.path.join(repo, "wrong-key.asc"), "w", encoding="utf-8") as fh:
            fh.write(key)
    return "/wrong-key.asc"


def _forget_source():
    """The role downloads the key only when it has none: start from a machine without the agent's source."""
    subprocess.run(["dpkg", "--purge", "azcmagent"], capture_output=True, check=False)
    for path in (SOURCE_FILE, KEY_FILE):
        if os.path.exists(path):
            os.remove(path)


# The outcome shape of a failed install: the agent's (code, category, cause, remediation, actions, findings).
FAILED_INSTALL_KEYS = {"ok", "failed", "action", "changed", "version_before", "version_after", "source", "code", "category", "cause",
                       "remediation", "actions", "findings", "message", "diagnosis", "upgrade_method"}


@pytest.mark.parametrize("how, finding", [("wrong_key", "install_signature_invalid"), ("missing_version", "install_package_not_found")])
def test_install_role_reports_a_failed_install_in_the_agents_shape(apt_repo, run_playbook, how, finding):
    # A repository signed with another key (apt-get update refuses it) or a version the repository does not have
    # (apt finds no such package): the install really fails, the rescue reads the package manager's words.
    _forget_source()
    repo_dir = os.path.join(apt_repo["workdir"], "repo")
    overrides = {"azcmagent_version": NEW}
    if how == "wrong_key":
        overrides["azcmagent_repo_key_url"] = apt_repo["url"] + _wrong_key(repo_dir, apt_repo["workdir"])
    else:
        overrides["azcmagent_version"] = "9.99"
    try:
        rc, result, changed, out = _play(run_playbook, apt_repo, **overrides)
    finally:
        _forget_source()
    assert rc != 0, out
    assert set(result) == FAILED_INSTALL_KEYS, result
    assert (result["ok"], result["failed"], result["changed"], result["action"]) == (False, True, False, "install")
    assert result["version_before"] == "" and result["version_after"] == "" and result["source"] == "repository"
    assert result["code"] is None and result["category"] == "install", out[-4000:]
    assert [f["id"] for f in result["findings"]][:1] == [finding], result["findings"]
    assert result["diagnosis"]["ok"] is False and result["diagnosis"]["category"] == "install"
    assert result["actions"] == result["diagnosis"]["actions"] and "report" in result["actions"]
    assert result["cause"] == result["findings"][0]["cause"] and result["remediation"] == result["findings"][0]["remediation"]
    assert result["message"] == result["diagnosis"]["summary"]
    assert f"Installing azcmagent failed: {result['message']}" in out
    assert _installed_version() is None
