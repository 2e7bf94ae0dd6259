# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment of AWX / Automation Platform.

* ``ansible-builder create`` (the pinned ansible-builder of requirements-dev.txt) accepts execution-environment.yml and
  writes a build context that installs ansible-core, ansible-runner and the collection tarball built from this checkout;
* ansible-builder's own introspection (the script it runs inside the image build) finds the collection's requirements
  through meta/execution-environment.yml in the installed tarball: the Python requirements of requirements.txt and the
  system packages of bindep.txt, which bindep parses;
* nothing here pulls an image or needs a container runtime: ``create`` only writes the context.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def _run(cmd, cwd, timeout=300):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
                          env=dict(os.environ, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false"))
    assert proc.returncode == 0, (cmd, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp("collection")
    _run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(out), ROOT], ROOT)
    [name] = [n for n in os.listdir(out) if n.endswith(".tar.gz")]
    return os.path.join(str(out), name)


def _requirement_names(path):
    with open(path, encoding="utf-8") as handle:
        return [line.split("#")[0].strip() for line in handle if line.split("#")[0].strip()]


@pytest.mark.slow
def test_ansible_builder_create_accepts_the_execution_environment(tmp_path, tarball):
    src = tmp_path / "src"
    (src / "ee-collections").mkdir(parents=True)
    shutil.copy(os.path.join(ROOT, "execution-environment.yml"), src / "execution-environment.yml")
    shutil.copy(tarball, src / "ee-collections" / "arcops-azcmagent.tar.gz")
    context = tmp_path / "context"
    proc = _run([os.path.join(BIN, "ansible-builder"), "create", "-f", str(src / "execution-environment.yml"), "-c", str(context),
                 "--output-filename", "Containerfile", "-v", "3"], str(src))
    assert "Complete! The build context can be found at" in proc.stdout
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    with open(os.path.join(ROOT, "execution-environment.yml"), encoding="utf-8") as handle:
        definition = yaml.safe_load(handle)
    assert definition["version"] == 3
    # the versions the definition asks for reach the image, and the galaxy stage installs our tarball
    assert definition["dependencies"]["ansible_core"]["package_pip"] in containerfile
    assert definition["dependencies"]["ansible_runner"]["package_pip"] in containerfile
    assert "FROM %s" % "$EE_BASE_IMAGE" in containerfile and definition["images"]["base_image"]["name"] in containerfile
    assert "ansible-galaxy collection install" in containerfile and "introspect.py introspect" in containerfile
    with open(context / "_build" / "requirements.yml", encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    assert galaxy == {"collections": [{"name": "/tmp/ee-collections/arcops-azcmagent.tar.gz", "type": "file"}]}
    assert (context / "_build" / "ee-collections" / "arcops-azcmagent.tar.gz").stat().st_size == os.path.getsize(tarball)
    # the build's last step proves that the installed collection's modules load
    assert "ansible-doc -t module arcops.azcmagent.identity" in containerfile


@pytest.mark.slow
def test_builder_introspection_finds_the_collections_requirements(tmp_path, tarball):
    collections = tmp_path / "collections"
    _run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", "-p", str(collections), tarball], str(tmp_path))
    installed = collections / "ansible_collections" / "arcops" / "azcmagent"
    with open(installed / "meta" / "execution-environment.yml", encoding="utf-8") as handle:
        meta = yaml.safe_load(handle)
    assert meta == {"version": 1, "dependencies": {"python": "requirements.txt", "system": "bindep.txt"}}
    import ansible_builder  # pylint: disable=import-outside-toplevel
    script = os.path.join(os.path.dirname(ansible_builder.__file__), "_target_scripts", "introspect.py")
    out = tmp_path / "out"
    proc = _run([sys.executable, script, "introspect", str(collections), "--write-pip", str(out / "requirements.txt"),
                 "--write-bindep", str(out / "bindep.txt")], str(tmp_path))
    found = yaml.safe_load(proc.stdout.split("---", 1)[1])
    # builder writes each requirement with the collection it came from: "netaddr>=0.10,<2  # from collection arcops.azcmagent"
    python = (out / "requirements.txt").read_text(encoding="utf-8").splitlines()
    system = (out / "bindep.txt").read_text(encoding="utf-8").splitlines()
    # every requirement of the collection's files reaches the image (ansible-core is the image's own, so builder drops it)
    wanted_python = [r for r in _requirement_names(os.path.join(ROOT, "requirements.txt")) if not r.startswith("ansible-core")]
    wanted_system = _requirement_names(os.path.join(ROOT, "bindep.txt"))
    assert wanted_python and wanted_system
    for requirement in wanted_python:
        assert any(line.startswith(requirement) and "arcops.azcmagent" in line for line in python), (requirement, python)
    for package in wanted_system:
        assert any(line.startswith(package) and "arcops.azcmagent" in line for line in system), (package, system)
    assert not any(line.startswith("ansible-core") for line in python)
    assert set(found) >= {"python", "system"}


def test_bindep_parses_the_system_requirements():
    from bindep.depends import Depends  # pylint: disable=import-outside-toplevel
    with open(os.path.join(ROOT, "bindep.txt"), encoding="utf-8") as handle:
        depends = Depends(handle.read())
    rpm = {rule[0] for rule in depends.active_rules(["platform:rpm", "platform:centos"])}
    dpkg = {rule[0] for rule in depends.active_rules(["platform:dpkg", "platform:debian"])}
    assert {"ca-certificates", "openssh-clients"} <= rpm and "openssh-client" not in rpm
    assert {"ca-certificates", "openssh-client"} <= dpkg and "openssh-clients" not in dpkg
