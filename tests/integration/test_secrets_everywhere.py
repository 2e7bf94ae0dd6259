# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret anywhere: the four playbooks at ``-vvvv`` over one fleet with a host per situation.

Distinctive fake secrets are generated for the run and put into the fleet (the mock Entra ID's principals and the
inventory): the onboarding service principal's secret, the admin principal's secret, a wrong secret, a valid access
token and an invalid one. Each holds characters that change under URL, JSON and base64 encoding. The hosts:

==================  ===============================================================================
clean-01            success with the service principal secret
clean-02            success with an access token (no service principal)
clean-03            failure with an access token that is not a JWT (AZCM0012)
bad-secret-01       failure with the wrong secret (AZCM0041)
hang-01             timeout: connect never returns, the runner ends it
hang-02             interruption: the run is stopped with Ctrl-C (SIGINT to its process group) while connect runs
stale-resource-01   repair through Resource Manager with the admin secret (read, delete the stale resource)
provider-unreg...   repair through Resource Manager with the admin secret (register the providers)
==================  ===============================================================================

Runs: onboard in check mode, onboard, the interrupted onboard, remediate, diagnose (log bundles), offboard. Searched,
raw and in common encodings: every process command line sampled from /proc during the runs, the output of each run,
every task result (registered or not, the callback's record), the reports, every file the runs leave under the
fleet's host directories (agent logs, state, the agent's own log directory), the Ansible temporary directories and
the TMPDIR the runs were given (the modules' private config files, the log bundles), members of zip files included.
Not searched: the inputs that hold the secrets by design (the inventory, the fleet record, the mock Azure's state).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import zipfile
from urllib.parse import quote, quote_plus

import pytest
import yaml

from tests.counts import record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The playbook runner's pieces (callback name, collections path, PlaybookResult) from this directory's conftest.py,
# loaded under a name of its own (a bare ``import conftest`` could find tests/conftest.py).
_CONFTEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conftest.py")
_SPEC = importlib.util.spec_from_file_location("_arcops_integration_conftest", _CONFTEST)
_integration = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_integration)
PLAYBOOKS = os.path.join(ROOT, "playbooks")
FLEET = {"clean": 3, "bad_secret": 1, "hang": 2, "stale_resource": 1, "provider_unregistered": 1}
INTERRUPTED = "hang-02"
TOKEN_HOST, BAD_TOKEN_HOST = "clean-02", "clean-03"
POLICY = {"reonboard": True, "delete_resource": True, "force_local_disconnect": True, "register_providers": True,
          "max_attempts": 2, "backoff_base": 0.2, "backoff_max": 1, "jitter": False}
# characters that URL, JSON and base64 encodings change
TAIL = "~.+/=&%\"\\Z"


def _secret(label):
    return "ArcLeak%s%s%s" % (label, secrets.token_hex(6), TAIL)


def encodings(secret):
    """The forms a leak of ``secret`` could take: raw, URL-encoded, JSON-escaped, base64 (standard and URL-safe, at each
    of the three alignments inside a longer base64 text, without the characters that depend on the neighbours)."""
    raw = secret.encode("utf-8")
    forms = {"raw": raw, "url": quote(secret, safe="").encode(), "url_plus": quote_plus(secret).encode(),
             "json": json.dumps(secret)[1:-1].encode(), "json_ascii": json.dumps(secret, ensure_ascii=True)[1:-1].encode(),
             "json_twice": json.dumps(json.dumps(secret)[1:-1])[1:-1].encode()}
    for shift in range(3):
        padded = b"\0" * shift + raw
        for name, encoder in (("b64", base64.b64encode), ("b64url", base64.urlsafe_b64encode)):
            text = encoder(padded).rstrip(b"=")
            start = (shift * 4 + 2) // 3 + (1 if shift else 0)
            end = len(text) - 2
            forms["%s_%d" % (name, shift)] = text[start:end]
    return {name: form for name, form in forms.items() if len(form) >= 12}


def _found(data, forms):
    return [name for name, form in forms.items() if form in data]


def test_the_search_finds_every_encoding_of_a_secret():
    """The search itself: a secret embedded in text, URL forms, JSON (once and twice) and base64 at any offset is found."""
    secret = _secret("Probe")
    forms = encodings(secret)
    assert {"raw", "url", "url_plus", "json", "b64_0", "b64_1", "b64_2", "b64url_0", "b64url_1", "b64url_2"} <= set(forms)
    for prefix in ("", "a", "ab", "abc", "abcd"):
        blob = (prefix + secret + "tail").encode()
        assert _found(base64.b64encode(blob), forms), prefix
        assert _found(base64.urlsafe_b64encode(blob), forms), prefix
    assert _found(json.dumps({"client_secret": secret}).encode(), forms)
    assert _found(json.dumps({"stdout": json.dumps({"client_secret": secret})}).encode(), forms)
    assert _found(("client_secret=%s&grant_type=client_credentials" % quote_plus(secret)).encode(), forms)
    assert _found(("https://x/?s=%s" % quote(secret, safe="")).encode(), forms)
    assert not _found(b"nothing secret here " * 100, forms)
    assert not _found(base64.b64encode(b"nothing secret here " * 100), forms)


class ProcessSampler(threading.Thread):
    """Reads every process's command line from /proc until stopped: distinct command lines and the sample count."""

    def __init__(self, interval=0.03):
        super().__init__(daemon=True)
        self.interval = interval
        self.cmdlines = set()
        self.samples = 0
        self.seen_pids = {}
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open("/proc/%s/cmdline" % entry, "rb") as handle:
                        data = handle.read()
                except OSError:
                    continue
                if data:
                    self.cmdlines.add(data)
                    self.seen_pids[int(entry)] = data
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join(10)


def _descendants(root_pid):
    """Pids whose parent chain leads to ``root_pid`` (read from /proc now)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), {root_pid}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier and pid not in found}
        found |= frontier
    return found


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Runs:
    """ansible-playbook at -vvvv as conftest.run_ansible_playbook runs it, plus a TMPDIR of its own, the process sampler,
    and an optional Ctrl-C once a process whose command line holds ``interrupt_when`` appears."""

    def __init__(self, workdir, callback_dir, inventory):
        self.workdir = workdir
        self.callback_dir = callback_dir
        self.inventory = inventory
        self.tmpdir = os.path.join(workdir, "tmpdir")
        os.makedirs(self.tmpdir, exist_ok=True)
        self.outputs = {}
        self.results_files = []
        self.left_running = []

    def run(self, label, playbook, extra_vars, check=False, limit=None, interrupt_when=None, timeout=1500):
        index = len(self.results_files) + 1
        results_file = os.path.join(self.workdir, "results-%d.json" % index)
        vars_path = os.path.join(self.workdir, "vars-%d.json" % index)
        with open(os.open(vars_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
            json.dump(extra_vars, handle)
        bindir = os.path.dirname(sys.executable)
        cmd = [os.path.join(bindir, "ansible-playbook"), os.path.join(PLAYBOOKS, playbook), "-i", self.inventory, "-e", "@" + vars_path,
               "-vvvv", "--forks", "10"]
        if check:
            cmd.append("--check")
        if limit:
            cmd += ["--limit", limit]
        env = dict(os.environ)
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": _integration.collections_path(), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_CALLBACK_PLUGINS": self.callback_dir, "ANSIBLE_CALLBACKS_ENABLED": _integration.CALLBACK_NAME,
            "ANSIBLE_CALLBACK_RESULT_FORMAT": "json", "ANSIBLE_HOST_KEY_CHECKING": "false", "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false", "ANSIBLE_LOCAL_TEMP": os.path.join(self.workdir, "ansible-local"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(self.workdir, "ansible-remote"), "ARCSIM_RESULTS_FILE": results_file,
            "PATH": bindir + os.pathsep + env.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "ANSIBLE_BECOME_ALLOW_SAME_USER": "true", "TMPDIR": self.tmpdir,
        })
        out_path, err_path = os.path.join(self.workdir, "out-%d.txt" % index), os.path.join(self.workdir, "err-%d.txt" % index)
        started = time.monotonic()
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT, start_new_session=True)  # pylint: disable=consider-using-with
            family = set()
            interrupted = False
            try:
                while proc.poll() is None:
                    family |= _descendants(proc.pid)
                    if interrupt_when and not interrupted and any(
                            interrupt_when.encode() in _cmdline(pid) and b" connect" in _cmdline(pid).replace(b"\0", b" ") for pid in family):
                        time.sleep(0.5)     # connect is running (its secrets file exists): now press Ctrl-C
                        os.killpg(proc.pid, signal.SIGINT)
                        interrupted = True
                    if time.monotonic() - started > timeout:
                        os.killpg(proc.pid, signal.SIGKILL)
                        raise AssertionError("%s did not end within %s s" % (label, timeout))
                    time.sleep(0.05)
            finally:
                os.unlink(vars_path)
        # nothing the run started may be left running (bounded wait: the runner unwinds the agent it started)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and [pid for pid in family if _alive(pid)]:
            time.sleep(0.2)
        self.left_running += ["%s: %d %r" % (label, pid, _cmdline(pid)) for pid in family if _alive(pid)]
        with open(out_path, "rb") as handle:
            self.outputs[label + " stdout"] = handle.read()
        with open(err_path, "rb") as handle:
            self.outputs[label + " stderr"] = handle.read()
        os.unlink(out_path)
        os.unlink(err_path)
        self.results_files.append(results_file)
        data = {}
        if os.path.exists(results_file):
            with open(results_file, encoding="utf-8") as handle:
                data = json.load(handle)
        return {"rc": proc.returncode, "data": data, "interrupted": interrupted, "seconds": round(time.monotonic() - started, 1),
                "output": self.outputs[label + " stdout"] + self.outputs[label + " stderr"]}


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _files(root, skip=()):
    """Every regular file under ``root`` (symlinks not followed), except the paths in ``skip``."""
    for directory, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(directory, d) not in skip]
        for name in names:
            path = os.path.join(directory, name)
            if path not in skip and os.path.isfile(path) and not os.path.islink(path):
                yield path


def _blobs(path):
    """(place, bytes) of a file, and of each member when it is a zip archive."""
    with open(path, "rb") as handle:
        data = handle.read()
    yield path, data
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield "%s!%s" % (path, member), archive.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError):
            pass


def _reseed(fleet, leaks):
    """Put the generated secrets into the mock Entra ID and the inventory (the fleet's own random ones are dropped)."""
    ident = fleet.identity
    fleet.client().seed({"principals": {
        ident["client_id"]: {"secret": leaks["sp_secret"], "object_id": ident["object_id"], "tenant": ident["tenant_id"]},
        ident["admin_client_id"]: {"secret": leaks["admin_secret"], "object_id": ident["admin_object_id"], "tenant": ident["tenant_id"]},
    }})
    leaks["access_token"] = fleet.client().token(ident["tenant_id"], ident["client_id"], leaks["sp_secret"])
    with open(fleet.inventory, encoding="utf-8") as handle:
        inventory = yaml.safe_load(handle)
    group = inventory["all"]["children"]["arc_fleet"]
    group["vars"]["azcmagent_service_principal_secret"] = leaks["sp_secret"]
    group["vars"]["sim_admin_principal_secret"] = leaks["admin_secret"]
    hosts = group["hosts"]
    hosts["bad-secret-01"]["azcmagent_service_principal_secret"] = leaks["wrong_secret"]
    for host, token in ((TOKEN_HOST, leaks["access_token"]), (BAD_TOKEN_HOST, leaks["bad_token"])):
        hosts[host].update({"azcmagent_service_principal_id": "", "azcmagent_service_principal_secret": "", "azcmagent_access_token": token})
    with open(os.open(fleet.inventory, os.O_WRONLY | os.O_TRUNC), "w", encoding="utf-8") as handle:
        yaml.safe_dump(inventory, handle, default_flow_style=False, sort_keys=False, width=200)


@pytest.mark.slow
def test_no_secret_anywhere_at_every_verbosity(fleet_factory, callback_dir, tmp_path):
    fleet = fleet_factory(scenarios=FLEET)
    leaks = {"sp_secret": _secret("Sp"), "admin_secret": _secret("Admin"), "wrong_secret": _secret("Wrong"), "bad_token": _secret("BadToken")}
    _reseed(fleet, leaks)
    assert sorted(fleet.hosts) == sorted(["clean-01", "clean-02", "clean-03", "bad-secret-01", "hang-01", "hang-02", "stale-resource-01",
                                          "provider-unregistered-01"])
    workdir = str(tmp_path / "runs")
    os.makedirs(workdir)
    runs = Runs(workdir, callback_dir, fleet.inventory)
    report_dir = str(tmp_path / "reports")
    base = {"azcmagent_install": False, "azcmagent_service_settle_seconds": 0,
            "azcmagent_admin_service_principal_id": "{{ sim_admin_principal_id }}",
            "azcmagent_admin_service_principal_secret": "{{ sim_admin_principal_secret }}", "azcmagent_policy": POLICY}
    not_interrupted = "all:!%s" % INTERRUPTED

    sampler = ProcessSampler()
    sampler.start()
    try:
        outcome = {}
        outcome["check"] = runs.run("onboard --check", "onboard.yml", dict(base, azcmagent_report_dir=report_dir + "/check"), check=True,
                                    limit=not_interrupted)
        outcome["onboard"] = runs.run("onboard", "onboard.yml", dict(base, azcmagent_report_dir=report_dir + "/onboard"), limit=not_interrupted)
        outcome["interrupted"] = runs.run("onboard interrupted", "onboard.yml", dict(base, azcmagent_report_dir=report_dir + "/interrupted"),
                                          limit=INTERRUPTED, interrupt_when=fleet.hosts[INTERRUPTED]["host_dir"])
        outcome["remediate"] = runs.run("remediate", "remediate.yml", dict(base, azcmagent_report_dir=report_dir + "/remediate"),
                                        limit=not_interrupted)
        outcome["diagnose"] = runs.run("diagnose", "diagnose.yml", {"azcmagent_report_dir": report_dir + "/diagnose",
                                                                    "azcmagent_collect_logs": True})
        outcome["offboard"] = runs.run("offboard", "offboard.yml", dict(base, azcmagent_report_dir=report_dir + "/offboard",
                                                                        azcmagent_offboard_force_local_only=False,
                                                                        azcmagent_offboard_remove_state=False),
                                       limit="clean-01,clean-02,stale-resource-01,localhost")
    finally:
        sampler.stop()
    print("seconds per run:", {label: o["seconds"] for label, o in outcome.items()})

    # the runs did what the situations need (else the search below would prove little)
    onboard = _integration.PlaybookResult(outcome["onboard"]["rc"], "", "", outcome["onboard"]["data"], [])
    results = onboard.results(["clean-01", "clean-02", "clean-03", "bad-secret-01", "hang-01", "stale-resource-01",
                               "provider-unregistered-01"])
    states = {host: (r or {}).get("state") for host, r in results.items()}
    assert states["clean-01"] == states["clean-02"] == "Connected", states
    assert states["stale-resource-01"] == states["provider-unregistered-01"] == "Connected", states
    assert {host: (results[host] or {}).get("code") for host in ("clean-03", "bad-secret-01")} == {"clean-03": "AZCM0012",
                                                                                                   "bad-secret-01": "AZCM0041"}, results
    assert (results["hang-01"] or {}).get("ok") is False, results["hang-01"]
    assert outcome["interrupted"]["interrupted"], "the interrupted run never saw the agent's connect: %s" % outcome["interrupted"]
    assert outcome["interrupted"]["rc"] != 0
    assert any(entry.get("logs") for entry in (_integration.PlaybookResult(0, "", "", outcome["diagnose"]["data"], [])
                                               .results(fleet).values()) if entry), "diagnose fetched no log bundle"
    assert os.listdir(os.path.join(report_dir, "diagnose", "logs")), "no log bundle to search"
    assert not runs.left_running, "processes left running after the runs: %s" % runs.left_running

    # search everything
    places = []
    for label, data in runs.outputs.items():
        places.append((label, data))
    skip = {fleet.inventory, os.path.join(fleet.dir, "fleet.json"), os.path.join(fleet.dir, "mock")}
    roots = [os.path.join(fleet.dir, "hosts"), workdir, report_dir]
    for root in roots:
        for path in _files(root, skip):
            places.extend(_blobs(path))
    for cmdline in sorted(sampler.cmdlines):
        places.append(("cmdline %r" % cmdline[:120], cmdline.replace(b"\0", b" ")))
    forms = {name: encodings(value) for name, value in leaks.items()}
    # the search sees what is there: the inventory (an input, not searched) holds every secret
    with open(fleet.inventory, "rb") as handle:
        inventory = handle.read()
    assert all(_found(inventory, forms[name]) for name in ("sp_secret", "admin_secret", "wrong_secret", "bad_token", "access_token"))
    found = []
    for place, data in places:
        for name, by_encoding in forms.items():
            for encoding, form in by_encoding.items():
                if form in data:
                    found.append("%s (%s) in %s" % (name, encoding, place))
    files = len([p for p, _ in places if not p.startswith("cmdline ") and not p.endswith(("stdout", "stderr"))])
    record("secrets", {"secret occurrences": len(found), "places searched": len(places), "files searched": files,
                       "process command lines": len(sampler.cmdlines), "proc samples": sampler.samples,
                       "secrets x encodings": sum(len(v) for v in forms.values()), "runs": len(outcome),
                       "seconds": round(sum(o["seconds"] for o in outcome.values()), 1)})
    assert found == [], "secret occurrences:\n" + "\n".join(found[:50])
    assert files > 50 and sampler.samples > 100
