# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The azcmagent simulator: console, log and exit status of every failure it can produce,
first without Azure, then against the real mock Azure over HTTPS.  Formats are compared with
/work/shared/reference/agent-reference.md (sections 4-11)."""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import uuid
import zipfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "agent"))
sys.path.insert(0, HERE)

import hostlib  # noqa: E402  pylint: disable=wrong-import-position
from azsim import console as sim_console  # noqa: E402  pylint: disable=wrong-import-position
from azsim.commands import parse_tags, tabwriter  # noqa: E402  pylint: disable=wrong-import-position

EXIT_RE = re.compile(r"^INFO    Exit Code:  (AZCM\d{4}): (.+)$")
LEGACY_EXIT_RE = re.compile(r"^INFO\[\d{4}\] Exit Code:  (AZCM\d{4}): (.+)$")
LOGFMT_RE = re.compile(r'^time="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})" level=(debug|info|warning|error|fatal) msg=".*"')
TROUBLE = "INFO    For troubleshooting, see https://aka.ms/arc/azcmerror"
GUID = "00000000-0000-4000-8000-00000000000%d"
ESC = "\x1b["


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def run(host, *args, env=None, timeout=30, stdin=None):
    """Run the host's wrapper; returns CompletedProcess (text)."""
    full_env = dict(os.environ)
    for name in ("SUDO_UID", "SUDO_COMMAND", "SUDO_USER", "SUDO_GID"):
        full_env.pop(name, None)
    full_env.update(env or {})
    return subprocess.run([host["executable"], *args], capture_output=True, text=True, env=full_env, timeout=timeout,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL, check=False)


def log_text(host):
    with open(os.path.join(host["root"], "var/opt/azcmagent/log/azcmagent.log"), encoding="utf-8") as handle:
        return handle.read()


def exit_block(stdout):
    """(code, title, [FATAL details]) of the modern exit lines, asserting their shape."""
    lines = stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if EXIT_RE.match(line))
    code, title = EXIT_RE.match(lines[index]).groups()
    assert lines[index + 1] == TROUBLE
    fatals = [line[len("FATAL   "):] for line in lines[index + 2:] if line.startswith("FATAL   ")]
    assert fatals, stdout
    assert len(fatals) == len(lines) - index - 2
    return code, title, fatals


def connect_args(sub=GUID % 1, tenant=GUID % 3, app=GUID % 2, secret="fake-secret-value", extra=()):
    return ["connect", "-s", sub, "-g", "rg-arc", "-l", "westeurope", "-i", app, "-p", secret, "-t", tenant, *extra]


@pytest.fixture
def offline(tmp_path):
    """A host whose Azure endpoints all refuse connections (a closed loopback port), himds running."""
    port = closed_port()
    sim = {"name": "h1", "endpoints": {"*": "127.0.0.1:%d" % port}, "device_code_timeout": 0.2}
    host = hostlib.create_host(str(tmp_path / "hosts" / "h1"), sim, init_dir=str(tmp_path / "init.d"))
    host["port"] = port
    hostlib.start_himds(host["host_dir"])
    yield host
    hostlib.remove_host(host["host_dir"])


_STARTED = []


@pytest.fixture(autouse=True)
def _stop_daemons():
    """Stop every himds daemon a test started through make_host."""
    yield
    while _STARTED:
        hostlib.stop_himds(_STARTED.pop())


def make_host(tmp_path, name, **sim):
    sim.setdefault("endpoints", {"*": "127.0.0.1:%d" % closed_port()})
    sim["name"] = name
    host = hostlib.create_host(str(tmp_path / "hosts" / name), sim, init_dir=str(tmp_path / "init.d"))
    hostlib.start_himds(host["host_dir"])
    _STARTED.append(host["host_dir"])
    return host


# ---------------------------------------------------------------------------------------------
# Pure formats
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("percent, text", [
    (20, "  20% [==>            ]"), (30, "  30% [===>           ]"), (60, "  60% [========>      ]"),
    (80, "  80% [===========>   ]"), (100, " 100% [===============]"),
])
def test_progress_bar_matches_reference(percent, text):
    assert sim_console.progress_bar(percent) == text


def test_console_modern_fields_colour_and_scrub(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    con = sim_console.Console(out, err, str(tmp_path / "a.log"))
    con.add_secret("hunter2-secret")
    con.info("Creating resource in Azure...", {"Correlation ID": "c0", "Resource ID": "/subscriptions/x"})
    con.info("token hunter2-secret here")
    assert out.getvalue().splitlines() == [
        "INFO    Creating resource in Azure...                 Correlation ID=c0 Resource ID=/subscriptions/x",
        "INFO    token *** here",
    ]
    coloured = io.StringIO()
    sim_console.Console(coloured, err, None, color=True).info("hello")
    assert coloured.getvalue() == "\x1b[36mINFO   \x1b[0m hello\n"
    logged = (tmp_path / "a.log").read_text()
    assert "hunter2" not in logged
    assert 'msg="Creating resource in Azure..." Correlation ID=c0 Resource ID=/subscriptions/x' in logged


def test_logfmt_quoting_like_logrus():
    assert sim_console.logfmt_value("200") == "200"
    assert sim_console.logfmt_value("https://x/y") == '"https://x/y"'
    assert sim_console.logfmt_value('{"a": 1}\n') == '"{\\"a\\": 1}\\n"'


def test_tabwriter_debug_layout():
    lines = tabwriter([("ENDPOINT", "REACHABLE", "TLS"), ("https://a.example", "true", "TLS 1.2")])
    assert lines == ["ENDPOINT           |REACHABLE  |TLS", "https://a.example  |true       |TLS 1.2"]


@pytest.mark.parametrize("text, expected", [
    ("a=b", {"a": "b"}),
    ("Name='Value with spaces',Location=Redmond", {"Name": "Value with spaces", "Location": "Redmond"}),
    ("k=a\\,b,x=", {"k": "a,b", "x": ""}),
])
def test_parse_tags_ok(text, expected):
    assert parse_tags(text) == expected


@pytest.mark.parametrize("text", ["novalue", "=v", "a=b,,c=d", "a<b=c", "x='open"])
def test_parse_tags_rejects(text):
    with pytest.raises(ValueError):
        parse_tags(text)


# ---------------------------------------------------------------------------------------------
# Without Azure
# ---------------------------------------------------------------------------------------------
def test_version_modern_and_legacy(tmp_path):
    modern = make_host(tmp_path, "m1")
    legacy = make_host(tmp_path, "l1", legacy=True)
    assert run(modern, "version").stdout == "azcmagent version 1.58.03228.700\n"
    assert run(modern, "--version").stdout == "azcmagent version 1.58.03228.700\n"
    assert run(legacy, "version").stdout == "azcmagent version  1.7.21162.003\n"
    assert json.loads(run(modern, "version", "-j").stdout) == {"version": "1.58.03228.700"}


def test_help_exits_zero(offline):
    result = run(offline, "connect", "--help")
    assert result.returncode == 0
    assert "--service-principal-secret" in result.stdout


def test_missing_mandatory_parameters(offline):
    result = run(offline, "connect", "-g", "rg")
    assert result.returncode == 16
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0016", "Missing Mandatory Parameter")
    assert fatals == ["Missing mandatory parameter: --subscription-id", "Missing mandatory parameter: --location"]
    log = log_text(offline)
    assert 'level=debug msg="Agent Version: 1.58.03228.700"' in log
    assert 'level=debug msg="Agent Command: connect"' in log
    assert 'level=info msg="Exit Code:  AZCM0016: Missing Mandatory Parameter"' in log
    assert 'level=info msg="For troubleshooting, see https://aka.ms/arc/azcmerror"' in log
    assert 'level=fatal msg="Missing mandatory parameter: --location"' in log
    assert all(LOGFMT_RE.match(line) for line in log.splitlines())


@pytest.mark.parametrize("extra, modern, legacy", [
    (["--tags", "bad tag"], "AZCM0023", "AZCM0013"),
    (["--cloud", "MarsCloud"], "AZCM0023", "AZCM0014"),
    (["--correlation-id", "not-a-guid"], "AZCM0023", "AZCM0015"),
    (["-n", "bad_name_"], "AZCM0023", "AZCM0017"),
], ids=["tags", "cloud", "correlation", "name"])
def test_invalid_arguments_modern_and_legacy(tmp_path, extra, modern, legacy):
    new = make_host(tmp_path, "m1")
    old = make_host(tmp_path, "o1", legacy=True)
    result = run(new, *connect_args(extra=extra))
    assert result.returncode == int(modern[4:])
    assert exit_block(result.stdout)[:2] == (modern, "Invalid Argument")
    result = run(old, *connect_args(extra=extra))
    assert result.returncode == int(legacy[4:])
    lines = result.stdout.splitlines()
    assert LEGACY_EXIT_RE.match(lines[-2]).group(1) == legacy
    assert re.match(r"^FATAL\[\d{4}\] \S", lines[-1])
    assert "For troubleshooting" not in result.stdout


def test_invalid_guid_and_unknown_region(offline):
    result = run(offline, *connect_args(tenant="contoso"))
    assert result.returncode == 23
    assert exit_block(result.stdout)[2] == ["Invalid value for --tenant-id: 'contoso' is not a valid GUID"]
    result = run(offline, "connect", "-s", GUID % 1, "-g", "rg", "-l", "Mars North", "-i", GUID % 2, "-p", "x", "-t", GUID % 3)
    assert result.returncode == 20
    assert exit_block(result.stdout)[:2] == ("AZCM0020", "Unknown Region")


def test_unknown_flag_is_invalid_argument(offline):
    result = run(offline, "connect", "--bogus")
    assert result.returncode == 23
    assert exit_block(result.stdout)[2] == ["unknown flag: --bogus"]


def test_not_root_and_sudo(tmp_path):
    host = make_host(tmp_path, "nr", non_root=True)
    result = run(host, *connect_args())
    assert result.returncode == 18
    code, title, _fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0018", "Admin Privileges Needed")
    assert "You must be root" not in result.stdout
    assert run(host, "config", "set", "proxy.url", "http://127.0.0.1:3128").returncode == 18
    assert run(host, "disconnect", "--force-local-only").returncode == 18
    assert run(host, "show").returncode == 0
    assert run(host, "check").returncode == 0
    # An inherited sudo environment (sudo make test) is not an escalation of this command...
    inherited = run(host, "config", "set", "proxy.url", "http://127.0.0.1:3128", env={"SUDO_UID": "1000", "SUDO_COMMAND": "/usr/bin/make test"})
    assert inherited.returncode == 18
    # ...Ansible's become through sudo is, and so is sudo of this host's agent.
    become = {"SUDO_UID": "0", "SUDO_COMMAND": "/bin/sh -c echo BECOME-SUCCESS-abcdef ; /usr/bin/python3 /root/.ansible/tmp/x.py"}
    assert run(host, *connect_args(), env=become).returncode == 26
    direct = {"SUDO_UID": "0", "SUDO_COMMAND": host["executable"] + " config set proxy.url http://127.0.0.1:3128"}
    assert run(host, "config", "set", "proxy.url", "http://127.0.0.1:3128", env=direct).returncode == 0


def test_the_pretended_user_id_decides_and_the_interpreter_wrapper_sets_it(tmp_path):
    host = make_host(tmp_path, "nru", non_root=True)
    # the user ID the caller pretends wins over the sim.json knob, both ways
    assert run(host, "config", "set", "proxy.url", "http://127.0.0.1:3128", env={"ARCOPS_AZCMAGENT_AGENT_UID": "0"}).returncode == 0
    assert run(host, "config", "set", "proxy.url", "http://127.0.0.1:3128", env={"ARCOPS_AZCMAGENT_AGENT_UID": "1000"}).returncode == 18
    # the non_root host's interpreter wrapper: 1000, or 0 under Ansible's become
    assert host["interpreter"] and os.access(host["interpreter"], os.X_OK)
    probe = ["-c", "import os; print(os.environ['ARCOPS_AZCMAGENT_AGENT_UID'])"]
    clean = {k: v for k, v in os.environ.items() if k not in ("SUDO_COMMAND", "ARCOPS_AZCMAGENT_AGENT_UID")}
    plain = subprocess.run([host["interpreter"]] + probe, capture_output=True, text=True, check=True, env=clean)
    assert plain.stdout.strip() == "1000"
    become = dict(clean, SUDO_COMMAND="/bin/sh -c echo BECOME-SUCCESS-abcdef ; x")
    assert subprocess.run([host["interpreter"]] + probe, capture_output=True, text=True, check=True, env=become).stdout.strip() == "0"
    outer = dict(clean, SUDO_COMMAND="/usr/bin/make test")
    assert subprocess.run([host["interpreter"]] + probe, capture_output=True, text=True, check=True, env=outer).stdout.strip() == "1000"
    # a root host has no wrapper: the module's own user ID is the agent's
    assert make_host(tmp_path, "rootu")["interpreter"] is None


def test_connection_refused_is_network_error(offline):
    result = run(offline, *connect_args(secret="s3cr3t-do-not-print"))
    assert result.returncode == 26
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0026", "Network Error")
    # the agent's own network check stops the connect (C-13955 form), sorted endpoints, gbl probed at /connectivitytest
    assert len(fatals) == 1 and fatals[0].startswith("required endpoints unavailable: https://agentserviceapi.guestconfiguration.azure.com/ "
                                                     '(error: Get "https://agentserviceapi.guestconfiguration.azure.com": dial tcp '
                                                     "127.0.0.1:%d: connect: connection refused), " % offline["port"])
    assert 'https://gbl.his.arc.azure.com/ (error: Get "https://gbl.his.arc.azure.com/connectivitytest": ' in fatals[0]
    # gbl unreachable: the regional discovery fails, so the regional HIS host is not checked (capture C, C-13955)
    assert fatals[0].endswith('https://westeurope-gas.guestconfiguration.azure.com/ (error: Get "https://westeurope-gas.guestconfiguration.'
                              'azure.com": dial tcp 127.0.0.1:%d: connect: connection refused)' % offline["port"])
    assert "weu.his" not in fatals[0]
    assert ('level=error msg="Regional Service Discovery" Error="Get \\"https://gbl.his.arc.azure.com/discovery?location=westeurope&'
            'api-version=2.1\\": dial tcp 127.0.0.1:%d: connect: connection refused" Proxy Status="proxy is not used" Request URL='
            % offline["port"]) in log_text(offline)
    assert result.stdout.splitlines()[:3] == [
        "INFO    Connecting machine to Azure... This might take a few minutes.",
        "INFO    Cloud: AzureCloud",
        "INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.",
    ]
    # --ignore-network-check: the token request itself fails with Go's url.Error
    skipped = run(offline, *connect_args(secret="s3cr3t-do-not-print", extra=("--ignore-network-check",)))
    assert exit_block(skipped.stdout)[2] == [
        'Post "https://login.microsoftonline.com/%s/oauth2/v2.0/token": dial tcp 127.0.0.1:%d: connect: connection refused'
        % (GUID % 3, offline["port"])]
    assert "Testing connectivity" not in skipped.stdout
    assert ESC not in result.stdout
    log = log_text(offline)
    assert 'msg="Exit Code:  AZCM0026: Network Error"' in log
    assert "s3cr3t-do-not-print" not in log + result.stdout + result.stderr


def test_unresolvable_name(tmp_path):
    host = make_host(tmp_path, "dns", endpoints={"*": "azure-names.invalid:443"})
    result = run(host, *connect_args())
    assert result.returncode == 26
    assert 'https://login.windows.net/ (error: Get "https://login.windows.net": dial tcp: lookup login.windows.net: no such host)' \
        in exit_block(result.stdout)[2][0]
    skipped = run(host, *connect_args(extra=("--ignore-network-check",)))
    assert exit_block(skipped.stdout)[2] == [
        'Post "https://login.microsoftonline.com/%s/oauth2/v2.0/token": dial tcp: lookup login.microsoftonline.com: no such host' % (GUID % 3)]


class ForbiddingProxy:
    """A proxy that answers every CONNECT with 403 Forbidden and records the targets."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.targets = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(1024)
                if not chunk:
                    break
                data += chunk
            self.targets.append(data.split(b"\r\n", 1)[0].decode())
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            conn.close()

    def close(self):
        self.sock.close()


def test_proxy_forbidden_and_bypass(offline):
    proxy = ForbiddingProxy()
    try:
        assert run(offline, "config", "set", "proxy.url", "http://127.0.0.1:%d" % proxy.port).returncode == 0
        result = run(offline, *connect_args())
        assert result.returncode == 26
        assert 'https://management.azure.com/ (error: Get "https://management.azure.com": Forbidden)' in exit_block(result.stdout)[2][0]
        assert 'msg="Checking connectivity to https://management.azure.com, proxy status: proxy set via config command"' \
            in log_text(offline)
        result = run(offline, *connect_args(extra=("--ignore-network-check",)))
        assert exit_block(result.stdout)[2] == ['Post "https://login.microsoftonline.com/%s/oauth2/v2.0/token": Forbidden' % (GUID % 3)]
        assert "CONNECT login.microsoftonline.com:443 HTTP/1.1" in proxy.targets
        table = run(offline, "check", "-l", "westeurope").stdout.splitlines()
        assert table[1] == "ENDPOINT                                              |REACHABLE  |PRIVATE  |TLS      |PROXY"
        assert all(line.endswith("|set") for line in table[2:])
        assert run(offline, "config", "set", "proxy.bypass", "AAD,arm").returncode == 0
        assert run(offline, "config", "get", "proxy.bypass").stdout == "[AAD ARM]\n"
        rows = {row["endpoint"]: row for row in json.loads(run(offline, "check", "-j").stdout)}
        assert rows["https://login.microsoftonline.com"]["proxy status"] == "not used"
        assert rows["https://management.azure.com"]["proxy status"] == "not used"
        assert rows["https://gbl.his.arc.azure.com"]["proxy status"] == "set"
        assert rows["https://gbl.his.arc.azure.com"]["error"] == "Forbidden"
        show = json.loads(run(offline, "show", "-j").stdout)
        assert show["httpsProxy"] == "http://127.0.0.1:%d" % proxy.port
        assert show["proxyBypass"] == ["AAD", "ARM"]
    finally:
        proxy.close()


def test_check_table_offline(offline):
    result = run(offline, "check", "--location", "West Europe")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes."
    assert lines[1].split("|") == ["ENDPOINT" + " " * 46, "REACHABLE  ", "PRIVATE  ", "TLS      ", "PROXY"]
    endpoints = [line.split("|")[0].strip() for line in lines[2:]]
    # the agent's names and order; gbl is unreachable, so the regional discovery fails and there is no regional
    # HIS row (capture C of research-endpoints 2.1)
    assert endpoints == sorted(endpoints) == [
        "https://agentserviceapi.guestconfiguration.azure.com", "https://gbl.his.arc.azure.com",
        "https://login.microsoftonline.com", "https://login.windows.net", "https://management.azure.com",
        "https://pas.windows.net", "https://westeurope-gas.guestconfiguration.azure.com"]
    assert 'level=error msg="Regional Service Discovery" Error=' in result.stderr
    assert all(line.split("|")[1].strip() == "false" for line in lines[2:])
    assert "connection refused" in result.stderr
    data = json.loads(run(offline, "check", "-j").stdout)
    assert set(data[0]) >= {"endpoint", "reachable", "private", "tls", "proxy status"}


def test_config_list_set_clear(offline):
    lines = run(offline, "config", "list").stdout.splitlines()
    assert lines[0] == "Local Configuration Settings"
    assert lines[1] == "  incomingconnections.enabled (preview)                 : true"
    assert lines[4] == "  proxy.url                                             : "
    result = run(offline, "config", "set", "proxy.url", "http://127.0.0.1:3128")
    assert result.stdout.splitlines() == ["Config property proxy.url set to value http://127.0.0.1:3128",
                                          "INFO    Updating service configuration: Azure Arc Proxy"]
    assert run(offline, "config", "set", "extensions.blocklist", "Microsoft.Azure.Monitor/AzureMonitorLinuxAgent").returncode == 0
    assert run(offline, "config", "set", "extensions.blocklist", "A.B/C", "--add").returncode == 0
    assert run(offline, "config", "get", "extensions.blocklist").stdout == "[Microsoft.Azure.Monitor/AzureMonitorLinuxAgent A.B/C]\n"
    assert run(offline, "config", "set", "extensions.blocklist", "A.B/C", "-r").returncode == 0
    assert json.loads(run(offline, "config", "list", "-j").stdout)["extensions.blocklist"] == ["Microsoft.Azure.Monitor/AzureMonitorLinuxAgent"]
    assert run(offline, "config", "set", "proxy.url", "ftp://nope").returncode == 23
    assert run(offline, "config", "set", "nosuch.key", "1").returncode == 23
    assert run(offline, "config", "set", "proxy.url", "http://127.0.0.1:1", "--add").returncode == 23
    assert run(offline, "config", "clear", "proxy.url").returncode == 0
    assert run(offline, "config", "get", "proxy.url").stdout == "\n"
    with open(os.path.join(offline["root"], "var/opt/azcmagent/localconfig.json"), encoding="utf-8") as handle:
        assert json.load(handle)["proxy.url"] == ""


def test_config_file_json_yaml_missing_bom(offline, tmp_path):
    good = tmp_path / "arc.json"
    good.write_text(json.dumps({"subscription-id": GUID % 1, "resource-group": "rg", "location": "westeurope",
                                "tenant-id": GUID % 3, "service-principal-id": GUID % 2, "service-principal-secret": "file-secret-xyz"}))
    result = run(offline, "connect", "--config", str(good))
    assert result.returncode == 26, result.stdout
    assert "file-secret-xyz" not in result.stdout + log_text(offline)
    yaml_file = tmp_path / "arc.yml"
    yaml_file.write_text("subscription-id: %s\nresource-group: rg\nlocation: westeurope\n" % (GUID % 1))
    # command line wins over the file
    result = run(offline, "connect", "--config", str(yaml_file), "--location", "Mars")
    assert result.returncode == 20
    before = run(offline, "--config", str(yaml_file), "connect", "-l", "Mars")
    assert before.returncode == 20
    missing = run(offline, "connect", "--config", str(tmp_path / "nope.json"))
    assert missing.returncode == 19
    assert exit_block(missing.stdout)[:2] == ("AZCM0019", "Configuration File Not Found")
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + good.read_bytes())
    assert run(offline, "connect", "--config", str(bom)).returncode == 19


def test_himds_stopped_and_show(offline):
    assert run(offline, "show", "Dependent Service Status").stdout.splitlines()[:2] == [
        "Dependent Service Status", "  Agent Service (himdsd)                : active"]
    hostlib.stop_himds(offline["host_dir"])
    result = run(offline, *connect_args())
    assert result.returncode == 64
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0064", "Unable to Establish Communication with HIMDS")
    assert "himds.sock: connect: no such file or directory" in fatals[0]
    services = json.loads(run(offline, "show", "-j", "services").stdout)["services"]
    assert services[0] == {"displayName": "Agent Service", "serviceName": "himdsd", "status": "inactive"}
    assert {service["status"] for service in services[1:]} == {"active"}  # only the stopped one is down
    script = offline["init_script"]
    assert subprocess.run([script, "status"], check=False, capture_output=True).returncode == 3
    assert subprocess.run([script, "start"], check=False, capture_output=True).returncode == 0
    assert subprocess.run([script, "status"], check=False, capture_output=True).returncode == 0
    assert hostlib.himds_running(offline["host_dir"])
    assert subprocess.run([script, "restart"], check=False, capture_output=True).returncode == 0
    assert json.loads(run(offline, "show", "-j", "services").stdout)["services"][0]["status"] == "active"


def test_show_text_format_and_properties(offline):
    lines = run(offline, "show").stdout.splitlines()
    labels = [line.split(":")[0].rstrip() for line in lines if ":" in line]
    assert labels[:16] == ["Resource Name", "Resource Group Name", "Resource Namespace", "Resource Id", "Subscription ID", "Tenant ID",
                           "VM ID", "Correlation ID", "VM UUID", "Location", "Cloud", "Agent Version", "Agent Logfile", "Agent Status",
                           "Agent Last Heartbeat", "Agent Error Code"]
    assert "Resource Namespace                      : Microsoft.HybridCompute" in lines
    assert "Agent Status                            : Disconnected" in lines
    assert "Resource Id                             : " in lines
    assert "Cloud Metadata" in lines and "Dependent Service Status" in lines
    assert "  Agent Service (himdsd)                : active" in lines
    logfile = os.path.join(offline["root"], "var/opt/azcmagent/log/himds.log")
    assert "Agent Logfile                           : %s" % logfile in lines
    picked = run(offline, "show", "Agent Status", "lastHeartbeat").stdout.splitlines()
    assert picked == ["Agent Status                            : Disconnected", "Agent Last Heartbeat                    : "]
    assert run(offline, "show", "nosuchproperty").returncode == 23
    data = json.loads(run(offline, "show", "-j").stdout)
    assert data["resourceId"] == "" and data["status"] == "Disconnected" and data["agentVersion"] == "1.58.03228.700"


def test_local_states_from_hostlib(offline):
    rid = "/subscriptions/%s/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/h1" % (GUID % 1)
    config = hostlib.set_connected(offline["host_dir"], rid, tenant_id=GUID % 3)
    show = json.loads(run(offline, "show", "-j").stdout)
    assert (show["status"], show["resourceId"], show["vmId"]) == ("Connected", rid, config["vmId"])
    result = run(offline, *connect_args())
    assert result.returncode == 67
    assert "Resource ID=%s" % rid in result.stdout
    assert exit_block(result.stdout)[:2] == ("AZCM0067", "Machine Already Connected")
    hostlib.set_expired(offline["host_dir"], rid)
    assert json.loads(run(offline, "show", "-j", "status").stdout) == {"status": "Expired"}
    hostlib.set_disconnected(offline["host_dir"], rid)
    assert json.loads(run(offline, "show", "-j", "status").stdout) == {"status": "Disconnected"}
    assert run(offline, *connect_args()).returncode == 67
    result = run(offline, "disconnect", "--force-local-only")
    assert result.returncode == 0
    assert json.loads(run(offline, "show", "-j", "resourceId").stdout) == {"resourceId": ""}


def test_device_code_needs_login(offline):
    result = run(offline, "connect", "-s", GUID % 1, "-g", "rg", "-l", "westeurope", "--ignore-network-check")
    assert result.returncode == 26
    assert exit_block(result.stdout)[2] == [
        "Failed to acquire authorization token device flow: Error occurred while sending request for Device Authorization Code: "
        'Post "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode": dial tcp 127.0.0.1:%d: connect: connection refused'
        % offline["port"]]


def test_hang_and_transient(tmp_path):
    hanging = make_host(tmp_path, "hang", hang=True)
    with pytest.raises(subprocess.TimeoutExpired):
        run(hanging, *connect_args(), timeout=1.5)
    flaky = make_host(tmp_path, "flaky", transient_failures=2)
    args = connect_args(extra=("--ignore-network-check",))
    for _attempt in range(2):
        result = run(flaky, *args)
        assert result.returncode == 26
        assert "read: connection reset by peer" in exit_block(result.stdout)[2][0]
    third = run(flaky, *args)
    assert "connection refused" in exit_block(third.stdout)[2][0]
    with open(os.path.join(flaky["host_dir"], "sim-state.json"), encoding="utf-8") as handle:
        assert json.load(handle)["connect_attempts"] == 3


def test_log_stderr_and_logs_zip(offline, tmp_path):
    result = run(offline, *connect_args(), "--log-stderr")
    assert result.returncode == 26
    assert "Exit Code:  AZCM0026" in result.stderr and "FATAL   required endpoints unavailable: " in result.stderr
    assert "Exit Code" not in result.stdout and result.stdout.startswith("INFO    Connecting machine")
    target = tmp_path / "logs.zip"
    assert run(offline, "logs", "-o", str(target)).returncode == 0
    with zipfile.ZipFile(target) as archive:
        assert "log/azcmagent.log" in archive.namelist()


def test_unreadable_local_config_is_azcm0070(offline):
    path = os.path.join(offline["host_dir"], "root", "var", "opt", "azcmagent", "agentconfig.json")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("{garbage")
    result = run(offline, "show")
    assert result.returncode == 70
    assert exit_block(result.stdout)[:2] == ("AZCM0070", "Unable To Obtain Local Config")
    # a local reset still works, and repairs the file
    assert run(offline, "disconnect", "--force-local-only").returncode == 0
    assert run(offline, "show").returncode == 0


def test_os_information_failure_is_azcm0104(offline):
    hostlib.update_sim(offline["host_dir"], os_info_error=True)
    result = run(offline, *connect_args())
    assert result.returncode == 104
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0104", "Failed To Get OS Information")
    # C-77734: nothing after the colon, after an error line naming the OS discovery
    assert fatals == ["Failed to obtain FqdnDNS: "]
    assert 'level=error msg="Failed to discover OS information for onboarding" Error="Failed to obtain FqdnDNS: "' in log_text(offline)


def test_create_many_hosts(tmp_path):
    # How fast, bench/fleet.py measures.
    for index in range(100):
        hostlib.create_host(str(tmp_path / "hosts" / ("n%03d" % index)), {"name": "n%03d" % index}, init_dir=str(tmp_path / "init.d"))
    assert len(os.listdir(tmp_path / "init.d")) == 100
    hostlib.remove_host(str(tmp_path / "hosts" / "n000"))
    assert len(os.listdir(tmp_path / "init.d")) == 99
    again = str(tmp_path / "hosts" / "n001")
    hostlib.set_connected(again, "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/n001" % (GUID % 1))
    hostlib.set_local_config(again, proxy_url="http://127.0.0.1:3128")
    assert hostlib.agent_state(again)[1]["proxy.url"] == "http://127.0.0.1:3128"
    hostlib.create_host(again, {"name": "n001"}, init_dir=str(tmp_path / "init.d"), keep_state=True)
    assert hostlib.agent_state(again)[0]["resourceId"].endswith("/n001")
    hostlib.create_host(again, {"name": "n001"}, init_dir=str(tmp_path / "init.d"))
    config, local, _counters = hostlib.agent_state(again)
    assert config["resourceId"] == "" and local["proxy.url"] == ""


# ---------------------------------------------------------------------------------------------
# Against the mock Azure
# ---------------------------------------------------------------------------------------------
class Azure:
    """The real mock Azure with one tenant, two subscriptions and a few principals (fresh fake secrets)."""

    def __init__(self, directory):
        from mockazure import certs, server  # pylint: disable=import-outside-toplevel
        from mockazure.client import Client  # pylint: disable=import-outside-toplevel
        from mockazure.model import Mock  # pylint: disable=import-outside-toplevel
        self.server = server
        self.new_machine = Mock.new_machine
        self.dir = directory
        self.info = server.start_daemon(directory)
        self.client = Client(self.info["url"], self.info["ca_file"])
        self.tid = str(uuid.uuid4())
        self.sub, self.sub2 = str(uuid.uuid4()), str(uuid.uuid4())
        key_pem, cert_pem = certs.make_client_certificate()
        self.cert_pem = key_pem + cert_pem
        self.p = {name: {"id": str(uuid.uuid4()), "secret": secrets.token_urlsafe(24), "oid": str(uuid.uuid4())}
                  for name in ("onboard", "admin", "norole", "cert")}
        rg_scope = "/subscriptions/%s/resourceGroups/rg-arc"
        seed = {
            "tenants": {self.tid: {"display_name": "Contoso"}},
            "principals": {p["id"]: {"tenant": self.tid, "secret": p["secret"], "object_id": p["oid"], "display_name": n}
                           for n, p in self.p.items()},
            "subscriptions": {
                self.sub: {"display_name": "Arc Production", "tenant": self.tid, "providers": {"Microsoft.HybridCompute": "Registered"}},
                self.sub2: {"display_name": "Arc Unregistered", "tenant": self.tid, "providers": {"Microsoft.HybridCompute": "NotRegistered"}},
            },
            "resource_groups": {("/subscriptions/%s/resourcegroups/rg-arc" % s): {"name": "rg-arc", "location": "westeurope"}
                                for s in (self.sub, self.sub2)},
            "role_assignments": [
                {"object_id": self.p["onboard"]["oid"], "role": "Azure Connected Machine Onboarding", "scope": rg_scope % self.sub},
                {"object_id": self.p["onboard"]["oid"], "role": "Azure Connected Machine Onboarding", "scope": rg_scope % self.sub2},
                {"object_id": self.p["admin"]["oid"], "role": "Azure Connected Machine Resource Administrator", "scope": rg_scope % self.sub},
                {"object_id": self.p["cert"]["oid"], "role": "Azure Connected Machine Onboarding", "scope": rg_scope % self.sub},
            ],
        }
        seed["principals"][self.p["cert"]["id"]]["certificates"] = [cert_pem]
        seed["principals"][self.p["cert"]["id"]].pop("secret")
        self.client.seed(seed)

    def machine_id(self, name, sub=None):
        return "/subscriptions/%s/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/%s" % (sub or self.sub, name)

    def machines(self):
        return self.client.state()["machines"]

    def seed_machine(self, name, vm_id, provisioning="Succeeded"):
        machine = self.new_machine(self.machine_id(name), name, "westeurope", {"vmId": vm_id})
        machine["properties"]["provisioningState"] = provisioning
        self.client.seed({"machines": {self.machine_id(name).lower(): machine}})

    def host(self, tmp_path, name, **sim):
        sim.setdefault("endpoints", {"*": "127.0.0.1:%d" % self.info["port"]})
        sim.setdefault("ca_file", self.info["ca_file"])
        return make_host(tmp_path, name, **sim)

    def args(self, who="onboard", name=None, sub=None, extra=()):
        principal = self.p[who]
        words = ["connect", "-s", sub or self.sub, "-g", "rg-arc", "-l", "westeurope", "-i", principal["id"],
                 "-p", principal["secret"], "-t", self.tid]
        if name:
            words += ["-n", name]
        return words + list(extra)

    def disconnect_args(self, who="admin"):
        return ["disconnect", "-i", self.p[who]["id"], "-p", self.p[who]["secret"]]

    def stop(self):
        self.server.stop_daemon(self.dir)


@pytest.fixture(scope="module")
def azure(tmp_path_factory):
    world = Azure(str(tmp_path_factory.mktemp("mock")))
    yield world
    world.stop()


def assert_no_secret(world, host, *results):
    text = log_text(host) + "".join(result.stdout + result.stderr for result in results)
    for principal in world.p.values():
        assert principal["secret"] not in text


@pytest.mark.slow
def test_connect_show_disconnect(azure, tmp_path):
    host = azure.host(tmp_path, "web-01")
    result = run(host, *azure.args(extra=["--verbose"]))
    assert result.returncode == 0, result.stdout
    rid = azure.machine_id("web-01")
    lines = [line for line in result.stdout.splitlines() if "DEBUG" not in line]
    assert lines[0] == "INFO    Connecting machine to Azure... This might take a few minutes."
    assert "  20% [==>            ]" in lines and " 100% [===============]" in lines
    assert any(re.match(r"^  INFO    Creating resource in Azure\.\.\.                 Correlation ID=[0-9a-f-]{36} Resource ID=%s$"
                        % re.escape(rid), line) for line in lines)
    assert lines[-2:] == ["  INFO    Connected machine to Azure",
                          "INFO    Machine overview page: https://portal.azure.com/#@%s/resource%s/overview" % (azure.tid, rid)]
    log = log_text(host)
    # C-99004: the check and the create at debug level
    assert 'level=debug msg="https://management.azure.com is available, using cryptographic protocol: TLS 1.' in log
    assert 'level=debug msg="Checking connectivity to https://weu.his.arc.azure.com, proxy status: proxy is not used"' in log
    assert 'level=debug msg="Create ARM Resource Response" Body=' in log and "Status Code=200" in log
    assert 'level=debug msg="ARM Resource Creation Successful"' in log
    assert 'level=debug msg="Awaiting status message from agent..."' in log and 'level=debug msg="Status Message received"' in log
    assert 'level=debug msg="Successfully acquired Authorization Token" Method=SPN' in log
    # GuestConfiguration and HybridConnectivity are not registered in this subscription and the Onboarding role
    # may not register them: the real debug 403 block, then the connect goes on (C-99004, D-RN124)
    assert ("level=debug msg=\"Failed to register resource provider 'Microsoft.GuestConfiguration'. Error: POST "
            "https://management.azure.com/subscriptions/%s/providers/Microsoft.GuestConfiguration/register\\n%s\\n"
            "RESPONSE 403: 403 Forbidden\\nERROR CODE: AuthorizationFailed\\n" % (azure.sub, "-" * 80)) in log
    assert "Microsoft.HybridCompute'. Error" not in log  # Registered: not tried since 1.24
    show = json.loads(run(host, "show", "-j").stdout)
    machine = azure.machines()[rid.lower()]
    assert show["status"] == "Connected" and show["resourceId"] == rid and show["tenantId"] == azure.tid
    assert machine["properties"]["vmId"] == show["vmId"]
    assert machine["properties"]["agentVersion"] == "1.58.03228.700"
    again = run(host, *azure.args())
    assert again.returncode == 67
    gone = run(host, *azure.disconnect_args())
    assert gone.returncode == 0, gone.stdout
    assert re.match(r"^INFO    Deleting resource from Azure\.\.\.               Correlation ID=[0-9a-f-]{36} Resource ID=%s$" % re.escape(rid),
                    gone.stdout.splitlines()[0])
    assert rid.lower() not in azure.machines()
    assert json.loads(run(host, "show", "-j", "status", "resourceId").stdout) == {"status": "Disconnected", "resourceId": ""}
    assert_no_secret(azure, host, result, again, gone)


@pytest.mark.slow
def test_connect_json_by_subscription_name_and_access_token(azure, tmp_path):
    host = azure.host(tmp_path, "web-02")
    result = run(host, *azure.args(sub="Arc Production", extra=["-j"]))
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["resourceId"] == azure.machine_id("web-02")
    assert data["portalUrl"].endswith("/resource%s/overview" % azure.machine_id("web-02"))
    assert "INFO    Connecting machine" in result.stderr
    assert run(host, "disconnect", "--force-local-only").returncode == 0
    unknown = run(host, *azure.args(sub="No Such Subscription", name="web-02b"))
    assert unknown.returncode == 68
    assert exit_block(unknown.stdout)[:2] == ("AZCM0068", "Unable to Fetch Subscription ID")
    token = azure.client.token(azure.tid, azure.p["onboard"]["id"], azure.p["onboard"]["secret"])
    with_token = run(host, "connect", "-s", azure.sub, "-g", "rg-arc", "-l", "westeurope", "-n", "web-02c", "--access-token", token)
    assert with_token.returncode == 0, with_token.stdout
    assert token not in log_text(host) + with_token.stdout + with_token.stderr
    assert run(host, "disconnect", "--force-local-only").returncode == 0
    forged = token.rsplit(".", 1)[0] + ".c2lnbmF0dXJl"
    rejected = run(host, "connect", "-s", azure.sub, "-g", "rg-arc", "-l", "westeurope", "-n", "web-02d", "--access-token", forged)
    assert rejected.returncode == 12, rejected.stdout
    assert "httpStatusCode:401 " in exit_block(rejected.stdout)[2][0]
    bad = run(host, "connect", "-s", azure.sub, "-g", "rg-arc", "-l", "westeurope", "--access-token", "not-a-jwt")
    assert bad.returncode == 12
    assert exit_block(bad.stdout)[:2] == ("AZCM0012", "Invalid Access Token")


@pytest.mark.slow
def test_connect_with_certificate(azure, tmp_path):
    host = azure.host(tmp_path, "cert-01")
    pem = tmp_path / "sp.pem"
    pem.write_text(azure.cert_pem)
    result = run(host, "connect", "-s", azure.sub, "-g", "rg-arc", "-l", "westeurope", "-i", azure.p["cert"]["id"], "-t", azure.tid,
                 "--service-principal-cert", str(pem))
    assert result.returncode == 0, result.stdout
    assert azure.machine_id("cert-01").lower() in azure.machines()
    missing = run(host, "disconnect", "--force-local-only")
    assert missing.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("case, needle", [
    ("bad_secret", "AADSTS7000215: Invalid client secret provided."),
    ("app_not_found", "AADSTS700016: Application with identifier '%(app)s' was not found in the directory"),
    ("tenant_not_found", "AADSTS90002: Tenant '%(tenant)s' not found."),
])
def test_token_failures(azure, tmp_path, case, needle):
    host = azure.host(tmp_path, case.replace("_", "-"))
    args = azure.args()
    if case == "bad_secret":
        args[args.index("-p") + 1] = "wrong-" + secrets.token_hex(8)
    elif case == "app_not_found":
        args[args.index("-i") + 1] = str(uuid.uuid4())
    else:
        args[args.index("-t") + 1] = str(uuid.uuid4())
    result = run(host, *args)
    assert result.returncode == 41
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0041", "Failed to Get Access Token")
    expected = needle % {"app": args[args.index("-i") + 1], "tenant": args[args.index("-t") + 1]}
    assert fatals[0].startswith("Failed to acquire authorization token from SPN: ")
    assert expected in fatals[0]
    assert_no_secret(azure, host, result)


@pytest.mark.slow
def test_no_role_and_unregistered_provider(azure, tmp_path):
    host = azure.host(tmp_path, "norole-01")
    result = run(host, *azure.args(who="norole"))
    assert result.returncode == 42
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0042", "Failed to Create Resource")
    assert re.match(r"^RequestCorrelationId:[0-9a-f-]{36} Message: The client '.+' with object id '%s' does not have authorization to "
                    r"perform action 'Microsoft\.HybridCompute/machines/read' over scope '.+' or the scope is invalid\. If access was "
                    r"recently granted, please refresh your credentials\. Code: AuthorizationFailed httpStatusCode:403 $"
                    % azure.p["norole"]["oid"], fatals[0])
    assert '\\"code\\": \\"AuthorizationFailed\\"' in log_text(host)
    other = azure.host(tmp_path, "unreg-01")
    result = run(other, *azure.args(sub=azure.sub2))
    assert result.returncode == 42
    fatal = exit_block(result.stdout)[2][0]
    assert "Message: The subscription is not registered to use namespace 'Microsoft.HybridCompute'." in fatal
    assert fatal.endswith("Code: MissingSubscriptionRegistration httpStatusCode:409 ")
    # the register POST was refused (benign debug 403 block), then the machine call met the 409 (C-157 order)
    log = log_text(other)
    assert log.index("Failed to register resource provider 'Microsoft.HybridCompute'. Error: POST ") < log.index("httpStatusCode:409")
    assert "level=error msg=\"Failed to register" not in log


@pytest.mark.slow
def test_stale_and_partial_resources(azure, tmp_path):
    stale = azure.host(tmp_path, "stale-01")
    azure.seed_machine("stale-01", str(uuid.uuid4()))
    result = run(stale, *azure.args())
    assert result.returncode == 44
    assert exit_block(result.stdout)[:2] == ("AZCM0044", "Resource Already Exists")
    partial = azure.host(tmp_path, "partial-01")
    config = hostlib.set_partial(partial["host_dir"], azure.machine_id("partial-01"), tenant_id=azure.tid)
    azure.seed_machine("partial-01", config["vmId"], provisioning="Creating")
    assert json.loads(run(partial, "show", "-j", "status").stdout) == {"status": "Disconnected"}
    result = run(partial, *azure.args())
    assert result.returncode == 62
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0062", "Failed to Onboard Server to Azure")
    assert "already exists in Azure from a previous incomplete connect attempt" in fatals[0]
    assert json.loads(run(partial, "show", "-j", "agentErrorCode").stdout) == {"agentErrorCode": "AZCM0062"}
    # the remedy: delete the resource, force-local-only, connect
    azure.client.request("DELETE", azure.machine_id("partial-01") + "?api-version=2024-07-10",
                         token=azure.client.token(azure.tid, azure.p["admin"]["id"], azure.p["admin"]["secret"]))
    assert run(partial, "disconnect", "--force-local-only").returncode == 0
    assert run(partial, *azure.args()).returncode == 0


@pytest.mark.slow
def test_locked_and_missing_resource_on_disconnect(azure, tmp_path):
    host = azure.host(tmp_path, "locked-01")
    assert run(host, *azure.args()).returncode == 0
    rid = azure.machine_id("locked-01")
    azure.client.seed({"locks": [{"scope": rid, "level": "CanNotDelete", "name": "keep"}]})
    result = run(host, *azure.disconnect_args())
    assert result.returncode == 43
    code, title, fatals = exit_block(result.stdout)
    assert (code, title) == ("AZCM0043", "Failed to Delete Resource")
    assert "Code: ScopeLocked httpStatusCode:409 " in fatals[0]
    assert json.loads(run(host, "show", "-j", "status").stdout) == {"status": "Connected"}
    assert run(host, "disconnect", "--force-local-only").returncode == 0
    assert rid.lower() in azure.machines()
    other = azure.host(tmp_path, "gone-01")
    assert run(other, *azure.args()).returncode == 0
    azure.client.request("DELETE", azure.machine_id("gone-01") + "?api-version=2024-07-10",
                         token=azure.client.token(azure.tid, azure.p["admin"]["id"], azure.p["admin"]["secret"]))
    gone = run(other, *azure.disconnect_args())
    assert gone.returncode == 43
    fatals = exit_block(gone.stdout)[2]
    assert "Code: ResourceNotFound httpStatusCode:404 " in fatals[0]
    assert "--force-local-only" in fatals[1]


@pytest.mark.slow
def test_throttled_put(azure, tmp_path):
    host = azure.host(tmp_path, "throttle-01")
    azure.client.add_faults([{"method": "PUT", "path_regex": "machines/throttle-01", "status": 429, "retry_after": 2, "remaining": 1}])
    result = run(host, *azure.args())
    assert result.returncode == 42
    fatal = exit_block(result.stdout)[2][0]
    assert "Please try again after '2' seconds" in fatal and "httpStatusCode:429 " in fatal
    assert 'level=error msg="Failed to AzcmagentConnect ARM resource" Error="RequestCorrelationId:' in log_text(host)
    assert run(host, *azure.args()).returncode == 0


@pytest.mark.slow
def test_sdk_retries_a_throttled_registration(azure, tmp_path):
    """Calls through the Azure SDK (registration, tokens) are retried by azcore itself (SDK-POL), honouring Retry-After."""
    host = azure.host(tmp_path, "throttle-02")
    azure.client.add_faults([{"method": "POST", "path_regex": "Microsoft.GuestConfiguration/register", "status": 429,
                              "retry_after": 1, "remaining": 1}])
    result = run(host, *azure.args())
    assert result.returncode == 0, result.stdout
    assert "RESPONSE 429" not in log_text(host)


@pytest.mark.slow
def test_tls_intercepted(azure, tmp_path):
    host = azure.host(tmp_path, "tls-01", endpoints={"*": "127.0.0.1:%d" % azure.info["intercept_port"]})
    result = run(host, *azure.args())
    assert result.returncode == 26
    assert ('https://login.microsoftonline.com/ (error: Get "https://login.microsoftonline.com": tls: failed to verify certificate: '
            'x509: certificate signed by unknown authority)') in exit_block(result.stdout)[2][0]
    skipped = run(host, *azure.args(extra=["--ignore-network-check"]))
    assert exit_block(skipped.stdout)[2] == [
        'Post "https://login.microsoftonline.com/%s/oauth2/v2.0/token": tls: failed to verify certificate: '
        'x509: certificate signed by unknown authority' % azure.tid]
    rows = json.loads(run(host, "check", "-j").stdout)
    assert not any(row["reachable"] for row in rows)


@pytest.mark.slow
def test_check_names_like_the_agent(azure, tmp_path):
    """Rows sorted by URL with Microsoft's regional short codes (research-endpoints 2.1, captures A and B)."""
    host = azure.host(tmp_path, "check-01")
    lines = run(host, "check", "-l", "westeurope").stdout.splitlines()
    endpoints = [line.split("|")[0].strip() for line in lines[2:]]
    assert endpoints == [
        "https://agentserviceapi.guestconfiguration.azure.com", "https://gbl.his.arc.azure.com",
        "https://login.microsoftonline.com", "https://login.windows.net", "https://management.azure.com",
        "https://pas.windows.net", "https://westeurope-gas.guestconfiguration.azure.com", "https://weu.his.arc.azure.com"]
    assert all(line.split("|")[1].strip() == "true" for line in lines[2:])
    ukwest = run(host, "check", "-l", "ukwest").stdout
    assert "https://uks.his.arc.azure.com " in ukwest and "https://ukwest-gas.guestconfiguration.azure.com " in ukwest
    # no public source names the regional host of westus3: no row
    assert ".his.arc.azure.com" not in run(host, "check", "-l", "westus3").stdout.replace("gbl.his.arc.azure.com", "")


@pytest.mark.slow
def test_device_code_prompt_then_expiry(azure, tmp_path):
    host = azure.host(tmp_path, "device-01", device_code_timeout=0.2)
    result = run(host, "connect", "-s", azure.sub, "-g", "rg-arc", "-l", "westeurope")
    assert result.returncode == 41
    assert re.search(r"^To sign in, use a web browser to open the page https://microsoft\.com/devicelogin and enter the code "
                     r"[A-Z0-9]{9} to authenticate\.$", result.stdout, re.M)
    assert "AADSTS70020" in exit_block(result.stdout)[2][0]


@pytest.mark.slow
def test_legacy_agent_connects_with_logrus_output(azure, tmp_path):
    host = azure.host(tmp_path, "legacy-01", legacy=True)
    result = run(host, *azure.args())
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert all(re.match(r"^(INFO|DEBUG|WARN)\[\d{4}\] ", line) for line in lines), lines
    assert any("Connected machine to Azure" in line for line in lines)
    assert json.loads(run(host, "show", "-j", "agentVersion").stdout) == {"agentVersion": "1.7.21162.003"}
    # 1.7 has no config command (issue 9); no network check, no provider registration
    assert run(host, "config", "list").returncode == 101
    assert "Testing connectivity" not in result.stdout and "register" not in log_text(host)
    assert not any("Generated Resource Id" in line for line in lines)  # debug: console only with --verbose
    assert 'level=debug msg="Generated Resource Id" VM Id=' in log_text(host)


@pytest.mark.slow
def test_logfmt_generation_registers_every_time(azure, tmp_path):
    """1.2x: logfmt console, registration tried on every connect (before 1.24), the 1.21 debug lines (C-99004)."""
    host = azure.host(tmp_path, "gen121-01", agent_version="1.21.02043.347")
    result = run(host, *azure.args(extra=["--verbose"]))
    assert result.returncode == 0, result.stdout
    assert all(LOGFMT_RE.match(line) for line in result.stdout.splitlines() if line.startswith("time=")), result.stdout
    assert 'level=info msg="Onboarding Machine. It usually takes a few minutes to complete.' in result.stdout
    log = log_text(host)
    assert "Failed to register resource provider 'Microsoft.HybridCompute'. Error: POST " in log
    assert "Checking connectivity to https://dc.services.visualstudio.com, proxy status: proxy is not used" in log
    assert 'level=debug msg="Agent Version: 1.21.02043.347"' in log


@pytest.mark.slow
def test_private_link_checks(azure, tmp_path):
    """The network check's private link texts (C-109136, C-184); --ignore-network-check skips them."""
    required = azure.host(tmp_path, "pls-01", private_endpoints={"gbl.his.arc.azure.com": "10.0.0.4"})
    result = run(required, *azure.args())
    assert result.returncode == 26
    assert exit_block(result.stdout)[2] == [
        "Private Link Scope resource ID must be provided as endpoint gbl.his.arc.azure.com is configured private"]
    found = azure.host(tmp_path, "pls-02", private_endpoints={"agentserviceapi.guestconfiguration.azure.com": "10.0.0.5"})
    result = run(found, *azure.args())
    assert exit_block(result.stdout)[:2] == ("AZCM0026", "Network Error")
    assert exit_block(result.stdout)[2] == [
        "No indication of Private Link Scope but found private endpoint agentserviceapi.guestconfiguration.azure.com: 10.0.0.5 "]
    assert run(found, *azure.args(extra=["--ignore-network-check"])).returncode == 0
