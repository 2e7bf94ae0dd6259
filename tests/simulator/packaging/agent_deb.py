# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The agent simulator as a real Debian package, served from a signed apt repository laid out like Microsoft's.

    python tests/simulator/packaging/agent_deb.py --out DIR [--version 1.58.03228.700]

``build_deb(out_dir, version)`` makes ``azcmagent_<version>_amd64.deb`` with the agent's real name and paths
(reference section 8): ``/opt/azcmagent/bin/azcmagent`` (and ``/usr/bin/azcmagent`` pointing at it),
``/opt/azcmagent/bin/himds``, the simulator under ``/opt/azcmagent/lib/arcsim``, SysV scripts ``/etc/init.d/himdsd``
and ``/etc/init.d/arcproxyd`` (the real package ships systemd units of those names; the sandbox has no systemd),
and a postinst that creates ``/var/opt/azcmagent/{log,run,socks,certs,tokens}`` and starts himdsd, as Microsoft's does.
The simulator's knobs live in ``/var/opt/azcmagent/sim/sim.json`` (root ``/``: the agent's files are at their real
paths); the postinst writes a default one when the machine has none.

``build_repo(root, debs)`` lays out ``ROOT/debian/12/prod`` (``dists/bookworm/main/binary-amd64``,
``pool/main/a/azcmagent``), signs ``Release`` with a fresh key (``InRelease`` and ``Release.gpg``) and writes the
public key to ``ROOT/keys/microsoft.asc``: the install role's ``azcmagent_repo_url`` /
``azcmagent_repo_key_url`` point at a mirror of that shape. Needs dpkg-dev, apt-utils and gnupg.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(os.path.dirname(HERE), "agent")
sys.path.insert(0, AGENT)

from azsim.state import DEFAULT_VERSION  # noqa: E402  pylint: disable=wrong-import-position

SIM_HOST = "/var/opt/azcmagent/sim"
DISTRIBUTION, RELEASE, SUITE = "debian", "12", "bookworm"

WRAPPER = """\
#!/bin/sh
# azcmagent {version} (arcops.azcmagent agent simulator, packaged): the real agent's path and name.
exec /usr/bin/python3 -I /opt/azcmagent/lib/arcsim/azcmagent_sim.py --sim-host {sim_host} "$@"
"""
HIMDS = """\
#!/bin/sh
exec /usr/bin/python3 -I -S /opt/azcmagent/lib/arcsim/himds.py "$@"
"""
ARCPROXY = """\
#!/usr/bin/python3 -IS
# Azure Arc Proxy placeholder of the arcops.azcmagent simulator package: runs until it is stopped.
import signal
signal.pause()
"""
POSTINST = """\
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    for dir in log run socks certs tokens sim; do mkdir -p /var/opt/azcmagent/$dir; done
    chmod 0755 /var/opt/azcmagent
    if [ ! -f {sim_host}/sim.json ]; then
        name=$(hostname)
        printf '{{"name": "%s", "hostname": "%s", "root": "/", "agent_version": "{version}", "hosts_file": "/etc/hosts"}}\\n' \\
            "$name" "$name" > {sim_host}/sim.json
    fi
    [ -f /var/opt/azcmagent/agentconfig.json ] || printf '{{}}\\n' > /var/opt/azcmagent/agentconfig.json
    for log in himds.log azcmagent.log arcproxy.log; do touch /var/opt/azcmagent/log/$log; done
    if command -v update-rc.d >/dev/null 2>&1; then
        update-rc.d himdsd defaults >/dev/null 2>&1 || true
        update-rc.d arcproxyd defaults >/dev/null 2>&1 || true
    fi
    /etc/init.d/himdsd start
    /etc/init.d/arcproxyd start
fi
exit 0
"""
PRERM = """\
#!/bin/sh
set -e
/etc/init.d/arcproxyd stop || true
/etc/init.d/himdsd stop || true
exit 0
"""
POSTRM = """\
#!/bin/sh
set -e
if [ "$1" = purge ]; then
    update-rc.d himdsd remove >/dev/null 2>&1 || true
    update-rc.d arcproxyd remove >/dev/null 2>&1 || true
    rm -rf /var/opt/azcmagent
fi
exit 0
"""


def _run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


def _write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, mode)


def build_deb(out_dir, version=DEFAULT_VERSION):
    """Build ``azcmagent_<version>_amd64.deb`` into ``out_dir``; returns its path."""
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="azcmagent-deb-") as tmp:
        pkg = os.path.join(tmp, "pkg")
        lib = os.path.join(pkg, "opt", "azcmagent", "lib", "arcsim")
        os.makedirs(os.path.dirname(lib))
        shutil.copytree(AGENT, lib, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.tmpl", "hostlib.py", "NOTES.md"))
        fields = {"version": version, "sim_host": SIM_HOST}
        _write(os.path.join(pkg, "opt", "azcmagent", "bin", "azcmagent"), WRAPPER.format(**fields), 0o755)
        _write(os.path.join(pkg, "opt", "azcmagent", "bin", "himds"), HIMDS, 0o755)
        _write(os.path.join(pkg, "opt", "azcmagent", "bin", "arcproxy"), ARCPROXY, 0o755)
        os.makedirs(os.path.join(pkg, "usr", "bin"))
        os.symlink("/opt/azcmagent/bin/azcmagent", os.path.join(pkg, "usr", "bin", "azcmagent"))
        os.makedirs(os.path.join(pkg, "etc", "init.d"))
        for service in ("himdsd", "arcproxyd"):
            shutil.copy(os.path.join(HERE, service + ".init"), os.path.join(pkg, "etc", "init.d", service))
            os.chmod(os.path.join(pkg, "etc", "init.d", service), 0o755)
        _write(os.path.join(pkg, "usr", "share", "doc", "azcmagent", "copyright"),
               "arcops.azcmagent agent simulator: GNU General Public License v3.0 or later.\n")
        control = os.path.join(pkg, "DEBIAN")
        _write(os.path.join(control, "control"), textwrap.dedent("""\
            Package: azcmagent
            Version: {version}
            Architecture: amd64
            Maintainer: arcops engineers <arcops@example.invalid>
            Depends: python3 (>= 3.8)
            Section: admin
            Priority: optional
            Homepage: https://github.com/arcops/azcmagent
            Description: Azure Connected Machine Agent (arcops.azcmagent simulator)
             The agent simulator of the arcops.azcmagent tests, packaged with the name, version
             scheme and paths of Microsoft's azcmagent package. Not Microsoft's agent.
            """).format(version=version))
        _write(os.path.join(control, "conffiles"), "/etc/init.d/himdsd\n/etc/init.d/arcproxyd\n")
        _write(os.path.join(control, "postinst"), POSTINST.format(**fields), 0o755)
        _write(os.path.join(control, "prerm"), PRERM, 0o755)
        _write(os.path.join(control, "postrm"), POSTRM, 0o755)
        deb = os.path.join(out_dir, "azcmagent_%s_amd64.deb" % version)
        _run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", pkg, deb])
    return deb


def build_repo(root, debs):
    """A signed apt repository of Microsoft's layout under ``root``; returns {repo, url_path, key}."""
    prod = os.path.join(root, DISTRIBUTION, RELEASE, "prod")
    pool = os.path.join(prod, "pool", "main", "a", "azcmagent")
    os.makedirs(pool, exist_ok=True)
    for deb in debs:
        shutil.copy(deb, pool)
    dists = os.path.join(prod, "dists", SUITE)
    binary = os.path.join(dists, "main", "binary-amd64")
    os.makedirs(binary, exist_ok=True)
    packages = _run(["apt-ftparchive", "packages", "pool"], cwd=prod).stdout
    _write(os.path.join(binary, "Packages"), packages)
    release = _run(["apt-ftparchive", "-o", "APT::FTPArchive::Release::Origin=arcops-simulated-microsoft-prod",
                    "-o", "APT::FTPArchive::Release::Suite=%s" % SUITE, "-o", "APT::FTPArchive::Release::Codename=%s" % SUITE,
                    "-o", "APT::FTPArchive::Release::Architectures=amd64", "-o", "APT::FTPArchive::Release::Components=main",
                    "release", os.path.join("dists", SUITE)], cwd=prod).stdout
    _write(os.path.join(dists, "Release"), release)
    gnupg = tempfile.mkdtemp(prefix="arcsim-gnupg-")
    try:
        env = dict(os.environ, GNUPGHOME=gnupg)
        _run(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "arcops simulated package repository <repo@example.invalid>",
              "rsa2048", "sign", "never"], env=env)
        _run(["gpg", "--batch", "--yes", "--clearsign", "-o", os.path.join(dists, "InRelease"), os.path.join(dists, "Release")], env=env)
        _run(["gpg", "--batch", "--yes", "-abs", "-o", os.path.join(dists, "Release.gpg"), os.path.join(dists, "Release")], env=env)
        key = _run(["gpg", "--armor", "--export"], env=env).stdout
    finally:
        # gpg started an agent for this home: stop it (we stop everything we start)
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=dict(os.environ, GNUPGHOME=gnupg), capture_output=True, check=False)
        shutil.rmtree(gnupg, ignore_errors=True)
    key_path = os.path.join(root, "keys", "microsoft.asc")
    _write(key_path, key)
    return {"repo": prod, "url_path": "/%s/%s/prod" % (DISTRIBUTION, RELEASE), "key": key_path, "key_url_path": "/keys/microsoft.asc"}


def main(argv=None):
    import argparse  # pylint: disable=import-outside-toplevel
    parser = argparse.ArgumentParser(description="build the azcmagent simulator .deb and a signed apt repository")
    parser.add_argument("--out", required=True, help="directory: the .deb and repo/ go there")
    parser.add_argument("--version", default=DEFAULT_VERSION)
    args = parser.parse_args(argv)
    deb = build_deb(args.out, args.version)
    repo = build_repo(os.path.join(args.out, "repo"), [deb])
    print(deb)
    print(repo["repo"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
