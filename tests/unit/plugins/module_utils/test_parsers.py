# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import collections
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.arcops.azcmagent.plugins.module_utils import _parse_console as console
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_azure_errors import parse_azure_errors
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_check import parse_check
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_config_list, parse_version
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import (
    code_from_exit_status,
    extract_codes,
    parse_logfmt_line,
    scan_output,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import split_lines, strip_ansi
from ansible_collections.arcops.azcmagent.plugins.module_utils._show import FACTS, SHOW_FIELDS, normalize_show, parse_show, show_facts

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

SUB = "00000000-0000-0000-0000-00000000a001"
TENANT = "00000000-0000-0000-0000-00000000b002"
CORR = "00000000-0000-0000-0000-00000000c003"
VMID = "00000000-0000-0000-0000-00000000d004"
RID = "/subscriptions/%s/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01" % SUB


def line_records(text):
    """The records of every line of text, by the private one-line parser that decides what an exit-code line says."""
    return [record for number, line in enumerate(split_lines(text), 1) if line.strip() for record in console._line_records(line, number)]


def load(name, crlf=False):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        text = handle.read()
    if ".esc." in name:
        text = text.replace("{ESC}", "\x1b").replace("{CR}", "\r")
    if crlf:
        text = text.replace("\n", "\r\n")
    return text


# ---------------------------------------------------------------------------------------------
# Console output and logs: one fixture per agent generation and scenario
# ---------------------------------------------------------------------------------------------

OUTPUT_CASES = {
    "modern_connect_success.txt": {
        "formats": {"modern": 5, "devicecode": 1, "progress": 5},
        "codes": [],
        "exit_codes": [],
        "azure": [],
        "resource_id": RID,
        "unparsed": 0,
    },
    "modern_fail_0044.txt": {
        "formats": {"modern": 6, "progress": 2},
        "codes": ["AZCM0044"],
        "exit_codes": [("AZCM0044", "Resource Already Exists", 6)],
        "azure": [("ResourceAlreadyExists", 409, "flattened", CORR)],
        "resource_id": RID,
        "unparsed": 0,
    },
    "modern_fail_0043.txt": {
        "formats": {"modern": 4},
        "codes": ["AZCM0043"],
        "exit_codes": [("AZCM0043", "Failed to Delete Resource", 2)],
        "azure": [("ScopeLocked", 409, "flattened", CORR)],
        "resource_id": RID,
        "unparsed": 0,
    },
    "modern_fail_0026.txt": {
        "formats": {"modern": 6},
        "codes": ["AZCM0026"],
        "exit_codes": [("AZCM0026", "Network Error", 3)],
        "azure": [],
        "resource_id": None,
        "unparsed": 0,
    },
    "modern_fail_0042.txt": {
        "formats": {"modern": 6, "progress": 1},
        "codes": ["AZCM0042"],
        "exit_codes": [("AZCM0042", "Failed to Create Resource", 4)],
        "azure": [("MissingSubscriptionRegistration", 409, "flattened", CORR), ("AuthorizationFailed", None, "json", None)],
        "resource_id": RID,
        "unparsed": 0,
    },
    "logrus_1.7_fail_0104.txt": {
        "formats": {"logrus": 6},
        "codes": ["AZCM0104"],
        "exit_codes": [("AZCM0104", "Failed To Get OS Information", 4)],
        "azure": [],
        "resource_id": None,
        "unparsed": 0,
    },
    "logfmt_2020_console.txt": {
        "formats": {"logfmt": 5},
        "codes": ["AZCM0041"],
        "exit_codes": [("AZCM0041", "Failed to Obtain Access Token", 4)],
        "azure": [],
        "resource_id": None,
        "unparsed": 0,
    },
    "logfmt_preview_console.txt": {
        "formats": {"logfmt": 3},
        "codes": ["AZCM0041"],
        "exit_codes": [("AZCM0041", "Failed to Obtain Access Token", 3)],
        "azure": [("invalid_client", 401, "entra", TENANT)],
        "resource_id": None,
        "unparsed": 0,
    },
    "azcmagent_log.txt": {
        "formats": {"logfmt": 10},
        "codes": ["AZCM0026"],
        "exit_codes": [("AZCM0026", "Network Error", 8)],
        "azure": [("AuthorizationFailed", 403, "json", None)],
        "resource_id": RID,
        "unparsed": 0,
    },
    "modern_colour_crlf.esc.txt": {
        "formats": {"modern": 6},
        "codes": ["AZCM0067"],
        "exit_codes": [("AZCM0067", "Machine Already Connected", 4)],
        "azure": [],
        "resource_id": RID,
        "unparsed": 0,
    },
    "progress_redraw.esc.txt": {
        "formats": {"modern": 4, "progress": 6},
        "codes": [],
        "exit_codes": [],
        "azure": [],
        "resource_id": RID,
        "unparsed": 0,
    },
    "sdk_console.txt": {
        "formats": {"modern": 3, "plain": 11},
        "codes": ["AZCM0042"],
        "exit_codes": [("AZCM0042", "Failed to Create Resource", 1)],
        "azure": [("AuthorizationFailed", 403, "json", None)],
        "resource_id": RID,
        "unparsed": 0,
    },
    "entra_errors.txt": {
        "formats": {"modern": 3},
        "codes": ["AZCM0041"],
        "exit_codes": [("AZCM0041", "Failed to Obtain Access Token", 2)],
        "azure": [("unauthorized_client", None, "entra", TENANT), ("HCRP400", None, "json", None)],
        "resource_id": None,
        "unparsed": 0,
    },
    "nonroot.txt": {
        "formats": {"plain": 1},
        "codes": [],
        "exit_codes": [],
        "azure": [],
        "resource_id": None,
        "unparsed": 0,
    },
    "pasted_codes.txt": {
        "formats": {"plain": 4, "modern": 1},
        "codes": ["AZCM0026", "AZCM0070", "AZCM0044"],
        "exit_codes": [("AZCM0026", "Network Error", 2), ("AZCM0070", "Unable To Obtain Local Config", 3),
                       ("AZCM0044", "Resource Already Exists", 4)],
        "azure": [],
        "resource_id": None,
        "unparsed": 0,
    },
    "unparsed_lines.txt": {
        "formats": {"modern": 1, "plain": 7},
        "codes": ["AZCM0143"],
        "exit_codes": [],
        "azure": [],
        "resource_id": None,
        "unparsed": 6,
    },
}


@pytest.mark.parametrize("name", sorted(OUTPUT_CASES), ids=lambda name: name.split(".")[0])
def test_scan_output_fixture(name):
    expected = OUTPUT_CASES[name]
    result = scan_output(load(name))
    assert dict(collections.Counter(record["format"] for record in line_records(load(name)))) == expected["formats"]
    assert result["codes"] == expected["codes"]
    assert [(item["code"], item["title"], item["line"]) for item in result["exit_codes"]] == expected["exit_codes"]
    assert [(err["arm_code"], err["status"], err["source"], err["correlation_id"]) for err in result["azure_errors"]] == expected["azure"]
    assert result["resource_id"] == expected["resource_id"]
    assert len(result["unparsed"]) == expected["unparsed"]
    assert len(result["warnings"]) == expected["unparsed"]
    assert set(result) == {"codes", "exit_codes", "azure_errors", "resource_id", "unparsed", "warnings", "lines"}
    for record in line_records(load(name)):
        assert record["format"] in console.RECORD_FORMATS
        assert record["level"] is None or record["level"] in console.LEVELS
        assert set(record) == {"line", "format", "level", "time", "elapsed", "msg", "fields"}


@pytest.mark.parametrize("name", sorted(OUTPUT_CASES), ids=lambda name: name.split(".")[0])
def test_scan_output_reads_bytes_and_lines_alike(name):
    text = load(name)
    scanned = scan_output(text)
    assert scan_output(text.encode("utf-8")) == scanned
    assert scan_output(text.splitlines()) == scanned
    assert scanned["lines"] == len(split_lines(text))


@pytest.mark.parametrize("name", sorted(OUTPUT_CASES), ids=lambda name: name.split(".")[0])
def test_records_point_at_their_lines(name):
    text = load(name)
    lines = split_lines(text)
    result = scan_output(text)
    unparsed_lines = set()
    for warning in result["warnings"]:
        unparsed_lines.add(int(warning.split(":", 1)[0].split()[1]))
    for record in line_records(text):
        line = lines[record["line"] - 1]
        assert record["msg"].split("\n")[0][:20] in line or record["format"] == "logfmt"
        if record["line"] in unparsed_lines:
            assert record["format"] == "plain"


def test_modern_record_fields_and_levels():
    records = line_records(load("modern_fail_0044.txt"))
    creating = [record for record in records if record["msg"] == "Creating resource in Azure..."][0]
    assert creating["fields"] == {"Correlation ID": CORR, "Resource ID": RID}
    assert creating["level"] == "info"
    assert [record["level"] for record in records if record["format"] == "modern"][-1] == "fatal"


@pytest.mark.parametrize("line, msg, fields", [
    ("INFO    Deleting resource from Azure...               Correlation ID=%s Resource ID=%s" % (CORR, RID),
     "Deleting resource from Azure...", {"Correlation ID": CORR, "Resource ID": RID}),
    ("INFO    A message longer than the padding width of the console Correlation ID=%s VM Id=x" % CORR,
     "A message longer than the padding width of the console", {"Correlation ID": CORR, "VM Id": "x"}),
    ("FATAL   Invalid parameter foo=bar", "Invalid parameter foo=bar", {}),
    ("ERROR   Request failed                              Error=\"dial tcp: i/o timeout\" Status Code=0",
     "Request failed", {"Error": "dial tcp: i/o timeout", "Status Code": "0"}),
    ("INFO    Exit Code:  AZCM0043: Failed to Delete Resource", "Exit Code:  AZCM0043: Failed to Delete Resource", {}),
    ("INFO    Padded message                      not=a tail because of this", "Padded message                      not=a tail because of this", {}),
], ids=["padded", "overflowed-id-keys", "equals-in-message", "quoted-value", "exit-code", "not-a-tail"])
def test_modern_message_and_fields(line, msg, fields):
    record = line_records(line)[0]
    assert (record["format"], record["msg"], record["fields"]) == ("modern", msg, fields)


def test_logrus_record_elapsed_and_fields():
    records = line_records(load("logrus_1.7_fail_0104.txt"))
    fatal = records[-1]
    assert (fatal["format"], fatal["level"], fatal["elapsed"]) == ("logrus", "fatal", 32)
    assert fatal["msg"] == "Failed to get OS information"
    assert fatal["fields"] == {"Error": "fork/exec /usr/bin/python: no such file or directory"}
    assert records[0]["level"] == "debug"


def test_logfmt_log_records_decode_escapes():
    records = line_records(load("azcmagent_log.txt"))
    assert records[0]["msg"] == "Agent Version: 1.21.02043.347"
    assert records[1]["msg"] == "Agent Command: connect"
    assert records[0]["time"] == "2023-05-05T10:25:30+01:00"
    assert records[4]["fields"]["Status Code"] == "200"
    assert records[4]["fields"]["Request URL"].startswith("https://management.azure.com/subscriptions/")
    assert records[5]["msg"] == 'Config path is C:\\ProgramData\\AzureConnectedMachineAgent\\Config\tquoted "value"'
    assert records[6]["fields"]["Error"].startswith("RESPONSE 403: 403 Forbidden\nERROR CODE: AuthorizationFailed\n")
    assert records[9]["msg"] == "dial tcp: lookup gbl.his.arc.azure.com: no such host\nsecond line"
    assert records[9]["level"] == "fatal"


def test_progress_and_message_on_one_line():
    records = line_records(load("progress_redraw.esc.txt"))
    same_line = [record for record in records if record["line"] == 8]
    assert [record["format"] for record in same_line] == ["progress", "modern"]
    assert same_line[0]["fields"] == {"percent": 20}
    assert same_line[1]["msg"] == "Connected machine to Azure"
    assert [record["fields"]["percent"] for record in records if record["format"] == "progress"] == [20, 30, 60, 80, 100, 20]


def test_devicecode_and_nonroot_records():
    device = line_records(load("modern_connect_success.txt"))[2]
    assert device["format"] == "devicecode"
    assert device["fields"] == {"url": "https://microsoft.com/devicelogin", "code": "C27DQAPZ2"}
    root = line_records(load("nonroot.txt"))[0]
    assert root["fields"] == {"executable": "/usr/bin/azcmagent"}


def test_unparsed_lines_and_warnings():
    result = scan_output(load("unparsed_lines.txt"))
    assert result["unparsed"][0] == "INFO: this is not the agent's layout"
    assert result["warnings"][0] == "line 2: unrecognised agent output: INFO: this is not the agent's layout"
    assert [int(warning.split()[1].rstrip(":")) for warning in result["warnings"]] == [2, 3, 4, 5, 6, 7]
    assert "An ordinary line of text, nothing to see." not in result["unparsed"]


def test_progress_bar_then_unrecognised_text_is_flagged():
    text = "  20% [==>  ]INFO: x\n  30% [===> ]  INFO    fine\n"
    assert scan_output(text)["unparsed"] == ["  20% [==>  ]INFO: x"]
    assert [record["format"] for record in line_records(text)] == ["progress", "plain", "progress", "modern"]


def test_scan_output_accepts_bytes_lists_and_none():
    text = load("modern_fail_0043.txt")
    assert scan_output(text.encode("utf-8"))["codes"] == ["AZCM0043"]
    assert scan_output(text.splitlines())["exit_codes"][0]["line"] == 2
    empty = scan_output(None)
    assert empty["codes"] == [] and empty["exit_codes"] == [] and empty["unparsed"] == [] and empty["lines"] == 0


# ---------------------------------------------------------------------------------------------
# strip_ansi / split_lines / extract_codes / code_from_exit_status
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, clean", [
    ("\x1b[36mINFO   \x1b[0m msg", "INFO    msg"),
    ("\x1b[1;31mFATAL\x1b[0m", "FATAL"),
    ("\x1b[2K\r  20%", "\r  20%"),
    ("\x1b]0;title\x07text", "text"),
    ("a\x1b[?25lb\x1b[?25hc", "abc"),
    ("plain", "plain"),
    ("tail\x1b", "tail"),
], ids=["colour", "bold-red", "erase-line", "osc-title", "cursor-private", "plain", "lone-esc"])
def test_strip_ansi(raw, clean):
    assert strip_ansi(raw) == clean


@pytest.mark.parametrize("text, lines", [
    ("a\r\nb\r\n", ["a", "b"]),
    ("a\nb", ["a", "b"]),
    ("  20% [=>  ]\r  30% [==> ]\r\nINFO    x\n", ["  20% [=>  ]", "  30% [==> ]", "INFO    x"]),
    ("a\n\nb\n", ["a", "", "b"]),
    ("", []),
    ("\x1b[36mINFO   \x1b[0m x\r\n", ["INFO    x"]),
], ids=["crlf", "lf-no-final", "progress-cr", "blank-kept", "empty", "ansi"])
def test_split_lines(text, lines):
    assert split_lines(text) == lines


@pytest.mark.parametrize("text, codes", [
    ("INFO    Exit Code:  AZCM0043: Failed\nFATAL AZCM0044 then AZCM0043", ["AZCM0043", "AZCM0044"]),
    ("pasted azcm0044 and Azcm0070 and AZCM0026", ["AZCM0044", "AZCM0070", "AZCM0026"]),
    ("xAZCM0042 AZCM00421 AZCM0042x _AZCM0042", []),
    ('msg="failed\\nAZCM0042: Failed to Create Resource"', ["AZCM0042"]),
    ("/opt/azcmagent/bin/azcmagent azcmagent.log", []),
    ("(AZCM0067) [AZCM0018], AZCM0041.", ["AZCM0067", "AZCM0018", "AZCM0041"]),
], ids=["order-unique", "lower-case", "boundaries", "after-escape", "agent-name", "punctuation"])
def test_extract_codes(text, codes):
    assert extract_codes(text) == codes


@pytest.mark.parametrize("rc, code", [
    (42, "AZCM0042"), (0, "AZCM0000"), (125, "AZCM0125"), ("44", "AZCM0044"), (126, None), (-1, None),
    (None, None), (True, None), (4.2, None), ("x", None), ("4444", None),
], ids=["42", "0", "125", "str", "126", "negative", "none", "bool", "float", "word", "long-str"])
def test_code_from_exit_status(rc, code):
    assert code_from_exit_status(rc) == code


# ---------------------------------------------------------------------------------------------
# parse_logfmt_line
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, expected", [
    ('time="2023-05-05T10:25:32+01:00" level=info msg="Exit Code:  AZCM0026: Network Error"',
     {"time": "2023-05-05T10:25:32+01:00", "level": "info", "msg": "Exit Code:  AZCM0026: Network Error"}),
    ('level=debug msg="Request done" Status Code=200 Request URL="https://x/y?a=b" Correlation ID=%s' % CORR,
     {"level": "debug", "msg": "Request done", "Status Code": "200", "Request URL": "https://x/y?a=b", "Correlation ID": CORR}),
    ('level=error msg="say \\"hi\\" \\\\ now\\nline2\\ttab \\u00e9"',
     {"level": "error", "msg": 'say "hi" \\ now\nline2\ttab \u00e9'}),
    ('time="x" level=fatal msg="cut off \\"here', {"time": "x", "level": "fatal", "msg": 'cut off "here'}),
    ('level=info msg="a" "loose junk" k=v', {"level": "info", "msg": "a", "k": "v", "_junk": "loose junk"}),
    ('msg=bare level=warn', {"msg": "bare", "level": "warn"}),
], ids=["log-line", "spaced-keys", "escapes", "unterminated", "junk", "unquoted"])
def test_parse_logfmt_line(line, expected):
    assert parse_logfmt_line(line) == expected


@pytest.mark.parametrize("line", [
    "INFO    Exit Code:  AZCM0043: Failed", "", "foo=bar level=info", "time is now", None,
], ids=["modern", "empty", "other-first-key", "prose", "none"])
def test_parse_logfmt_line_rejects(line):
    assert parse_logfmt_line(line) is None


# ---------------------------------------------------------------------------------------------
# parse_azure_errors
# ---------------------------------------------------------------------------------------------

FLAT = ("RequestCorrelationId:%s Message: The subscription is not registered to use namespace "
        "'Microsoft.HybridCompute'. Code: MissingSubscriptionRegistration httpStatusCode:409 " % CORR)
ARM_BODY = {"error": {"code": "AuthorizationFailed", "message": "The client 'x' does not have authorization", "target": "machines"}}
ENTRA_BODY = {"error": "invalid_client",
              "error_description": "AADSTS7000222: The provided client secret keys for app 'x' are expired.\r\nTrace ID: %s\r\n"
                                   "Correlation ID: %s\r\nTimestamp: 2023-02-20 07:21:29Z" % (CORR, TENANT),
              "error_codes": [7000222], "correlation_id": TENANT}


def _escaped(obj, times):
    text = json.dumps(obj, indent=2)
    for _round in range(times):
        text = json.dumps(text)[1:-1]
    return text


@pytest.mark.parametrize("text, expected", [
    ('level=fatal msg="' + FLAT + '"', [("MissingSubscriptionRegistration", 409, CORR, "flattened")]),
    ("FATAL   " + json.dumps(ARM_BODY), [("AuthorizationFailed", None, None, "json")]),
    ("FATAL   " + _escaped(ARM_BODY, 1), [("AuthorizationFailed", None, None, "json")]),
    ('level=fatal msg="body: ' + _escaped(ARM_BODY, 2) + '"', [("AuthorizationFailed", None, None, "json")]),
    ('x {"code":"HCRP400","message":"Missing or invalid properties: VmId","target":"vmId"}', [("HCRP400", None, None, "json")]),
    ("RESPONSE 409: 409 Conflict\nERROR CODE: ScopeLocked\n-----\n{\"error\": {\"code\": \"ScopeLocked\", \"message\": \"locked\"}}",
     [("ScopeLocked", 409, None, "json")]),
    ("RESPONSE 429: 429 Too Many Requests\\nERROR CODE: SubscriptionRequestsThrottled\\n",
     [("SubscriptionRequestsThrottled", 429, None, "sdk")]),
    ("Status Code = '401'. Response body: " + json.dumps(ENTRA_BODY), [("invalid_client", 401, TENANT, "entra")]),
    ('Error="' + _escaped(ENTRA_BODY, 1) + '"', [("invalid_client", None, TENANT, "entra")]),
    ("AADSTS90002: Tenant 'x' not found. Trace ID: %s" % CORR, [(None, None, None, "aadsts")]),
    ('{"error": {"code": "ResourceNotFound", "message": "truncated mess', [("ResourceNotFound", None, None, "json")]),
    ('{"status":"failed","error":{"message":"install failed","code":"AZCM0150"}}', []),
    (FLAT + "\n" + FLAT, [("MissingSubscriptionRegistration", 409, CORR, "flattened")]),
    ("nothing to see {not json} here", []),
], ids=["flattened", "json-raw", "json-escaped", "json-double-escaped", "unwrapped-hcrp", "sdk-with-body", "sdk-escaped",
        "entra-raw", "entra-escaped", "bare-aadsts", "truncated-json", "install-script-json", "duplicates", "no-error"])
def test_parse_azure_errors(text, expected):
    errors = parse_azure_errors(text)
    assert [(err["arm_code"], err["status"], err["correlation_id"], err["source"]) for err in errors] == expected
    for err in errors:
        assert set(err) >= {"arm_code", "message", "status", "correlation_id", "target", "raw"}
        assert err["raw"] and err["raw"] in text


def test_azure_error_messages():
    flat = parse_azure_errors(FLAT)[0]
    assert flat["message"] == "The subscription is not registered to use namespace 'Microsoft.HybridCompute'."
    arm = parse_azure_errors("x " + _escaped(ARM_BODY, 1))[0]
    assert (arm["message"], arm["target"]) == ("The client 'x' does not have authorization", "machines")
    entra = parse_azure_errors(_escaped(ENTRA_BODY, 1))[0]
    assert entra["message"] == "AADSTS7000222: The provided client secret keys for app 'x' are expired."
    assert entra["aadsts"] == "AADSTS7000222"
    spaced = dict(ENTRA_BODY, error_description=ENTRA_BODY["error_description"].replace("\r\n", " "))
    assert parse_azure_errors(json.dumps(spaced))[0]["message"] == entra["message"]
    bare = parse_azure_errors("AADSTS90002: Tenant 'x' not found. Trace ID: %s" % CORR)[0]
    assert (bare["aadsts"], bare["message"]) == ("AADSTS90002", "AADSTS90002: Tenant 'x' not found.")


# ---------------------------------------------------------------------------------------------
# show / check / config list / version
# ---------------------------------------------------------------------------------------------

SHOW_CASES = {
    "show_linux.txt": {
        "resource_name": "web01", "resource_group": "rg-arc", "resource_id": RID, "subscription_id": SUB, "tenant_id": TENANT,
        "vm_id": VMID, "correlation_id": CORR, "location": "westeurope", "cloud": "AzureCloud", "agent_version": "1.58.03228.700",
        "agent_log_file": "/var/opt/azcmagent/log/himds.log", "status": "Connected", "last_heartbeat": "2025-11-19T23:34:03Z",
        "error_code": "", "error_details": "", "error_timestamp": "", "https_proxy": "http://127.0.0.1:3128", "proxy_bypass": "",
        "manufacturer": "QEMU", "model": "Standard PC (Q35 + ICH9, 2009)", "mysql_server_detected": "false",
        "auto_upgrade_task_status": "enabled, id: /etc/cron.d/azcmagent_autoupgrade",
        "services": {"himdsd": "active", "arcproxyd": "active", "extd": "active", "gcad": "active"},
    },
    "show_windows.txt": {
        "resource_name": "HOST1", "resource_group": "rg-hci", "status": "Disconnected", "identity_key_store": "Default",
        "agent_log_file": "C:\\ProgramData\\AzureConnectedMachineAgent\\Log\\himds.log", "cloud_provider": "AzSHCI",
        "https_proxy": "", "gateway_url": "", "esu_status": "Active", "disabled_features": "sslendpoint",
        "mssql_server_detected": "true", "auto_upgrade_task_status": "enabled, id: {%s}" % VMID,
        "services": {"himds": "running", "arcproxy": "stopped", "extensionservice": "running", "gcarcservice": "running",
                     "CcmExec": "unknown"},
    },
    "show.json": {
        "resource_name": "web01", "resource_group": "rg-arc", "resource_id": RID, "status": "Connected", "tenant_id": TENANT,
        "last_heartbeat": "2025-11-19T23:34:03Z", "agent_version": "1.58.03228.700", "error_timestamp": "", "https_proxy": "",
        "proxy_bypass": [], "vm_id": VMID, "services": {"himdsd": "active", "arcproxyd": "inactive"},
    },
}


@pytest.mark.parametrize("name", sorted(SHOW_CASES), ids=lambda name: name.replace(".", "-"))
def test_parse_show(name):
    result = parse_show(load(name, crlf=name == "show_windows.txt"))
    for key, value in SHOW_CASES[name].items():
        assert result[key] == value, key
    assert result["unparsed"] == []
    assert result["raw"]


def test_parse_show_raw_keeps_labels_and_flags_junk():
    result = parse_show(load("show_linux.txt") + "this line has no colon but is indented?\n  ???\n")
    assert result["raw"]["Agent Status"] == "Connected"
    assert result["raw"]["Agent Service (himdsd)"] == "active"
    assert result["unparsed"] == ["???"]


def test_parse_show_json_after_a_log_line():
    text = "INFO    Retrieving agent status\n" + load("show.json")
    assert parse_show(text)["status"] == "Connected"


CHECK_TABLE = [
    ("https://agentserviceapi.guestconfiguration.azure.com", True, False, "TLS 1.3", "not used"),
    ("https://gbl.his.arc.azure.com", True, False, "TLS 1.2", "not used"),
    ("https://login.microsoftonline.com", True, None, "TLS 1.2", "set"),
    ("https://management.azure.com", False, None, None, "set"),
    ("https://westeurope-gas.guestconfiguration.azure.com", True, False, "TLS 1.2", "not used"),
    ("https://pas.windows.net", False, False, None, "not used"),
]
CHECK_JSON = [
    ("https://gbl.his.arc.azure.com", True, False, "TLS 1.2", "not used"),
    ("https://management.azure.com", False, None, None, "set"),
    ("https://login.microsoftonline.com", True, False, "TLS 1.3", "not used"),
]


def _check_tuples(rows):
    return [(row["endpoint"], row["reachable"], row["private"], row["tls"], row["proxy"]) for row in rows]


@pytest.mark.parametrize("text, expected", [
    (load("check_table.txt"), CHECK_TABLE),
    (load("check_table.txt", crlf=True), CHECK_TABLE),
    (load("check_table.txt").replace("|", "  "), CHECK_TABLE),
    (load("check.json"), CHECK_JSON),
    ("INFO    Testing connectivity\n" + load("check.json"), CHECK_JSON),
    ("INFO    Testing connectivity\n", []),
], ids=["table", "table-crlf", "table-no-pipes", "json", "json-after-info", "empty"])
def test_parse_check(text, expected):
    assert _check_tuples(parse_check(text)) == expected


def test_parse_config_list():
    result = parse_config_list(load("config_list.txt"))
    assert result == {
        "incomingconnections.enabled": True,
        "incomingconnections.ports": [],
        "connection.type": "default",
        "proxy.url": "http://127.0.0.1:3128",
        "proxy.bypass": ["AAD", "ARM"],
        "extensions.allowlist": [],
        "extensions.blocklist": ["Microsoft.EnterpriseCloud.Monitoring/MicrosoftMonitoringAgent"],
        "guestconfiguration.enabled": True,
        "extensions.enabled": False,
        "config.mode": "full",
        "guestconfiguration.agent.cpulimit": 5,
        "extensions.agent.cpulimit": 5,
        "cloud.name": "",
    }


@pytest.mark.parametrize("text, expected", [
    ("Local Configuration Settings\n  extensions.blocklist  : [a b]\n", {"extensions.blocklist": ["a", "b"]}),
    ('{"proxy.url": "http://p:3128", "connection.type (preview)": "gateway"}', {"proxy.url": "http://p:3128", "connection.type": "gateway"}),
    ("", {}),
], ids=["space-separated-list", "json", "empty"])
def test_parse_config_list_variants(text, expected):
    assert parse_config_list(text) == expected


@pytest.mark.parametrize("text, version", [
    ("azcmagent version  1.7.21162.003", "1.7.21162.003"),
    ("1.58.03228.700\n", "1.58.03228.700"),
    ("1.50.02986-239", "1.50.02986-239"),
    ("azcmagent version 1.61.03319.2737\n", "1.61.03319.2737"),
    ('time="x" level=info msg="Agent Version: 1.21.02043.347"', "1.21.02043.347"),
    ("proxy 127.0.0.1 and no version", None),
    ("", None),
], ids=["old-padded", "deb", "rpm", "upgrade-log", "log-line", "ip-only", "empty"])
def test_parse_version(text, version):
    assert parse_version(text) == version


# ---------------------------------------------------------------------------------------------
# Robustness and speed
# ---------------------------------------------------------------------------------------------

PUBLIC = (strip_ansi, split_lines, extract_codes, scan_output, parse_logfmt_line, parse_azure_errors,
          parse_show, parse_check, parse_config_list, parse_version)

AGENTISH = st.sampled_from([
    "INFO    ", "FATAL   ", "ERROR[0002] ", "INFO[0032] ", 'time="t" level=info msg="', 'level=error msg="', "AZCM0044: ",
    "Exit Code:  AZCM0043: ", "  20% [==>  ]", "\r", "\r\n", "\n", "\x1b[36m", "\x1b[0m", '\\"', "\\n", "\"", "=", " ", "  ",
    "Correlation ID=", "{\"error\": {\"code\": \"X\"", "{\\n  \\\"error\\\": {", "RESPONSE 403: 403 Forbidden\nERROR CODE: X",
    "RequestCorrelationId:", " Message: ", " Code: ", "httpStatusCode:", "AADSTS700016: ", "/subscriptions/s/resourceGroups/r"
    "/providers/Microsoft.HybridCompute/machines/m", "Resource ID=", "[", "]", "{", "}", ":", "azcm0042", "|", "(preview)",
])


def _check_all(text):
    for function in PUBLIC:
        function(text)
    scanned = scan_output(text)
    assert scanned["lines"] == len(split_lines(text))
    flagged = set(int(warning.split(":", 1)[0].split()[1]) for warning in scanned["warnings"])
    for record in line_records(text):
        if record["line"] in flagged:
            assert record["format"] in ("plain", "progress"), record
    return scanned


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_never_raises(text):
    _check_all(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(AGENTISH | st.text(max_size=8), max_size=40).map("".join))
def test_agentish_text_never_raises(text):
    scanned = _check_all(text)
    assert len(scanned["warnings"]) == len(scanned["unparsed"])
    assert all(code == code.upper() and len(code) == 8 for code in scanned["codes"])


@settings(max_examples=60, deadline=None)
@given(st.binary())
def test_decoded_bytes_never_raise(data):
    _check_all(data.decode("utf-8", errors="replace"))
    for function in PUBLIC:
        function(data)


# Each unit once made some function slow or raise on a long line; the prefixes select the formats.
@pytest.mark.parametrize("unit, prefixes", [
    ("INFO    ", ("", 'time="t" level=info msg="x" ')),
    ("a=  ", ("FATAL   x  ", 'level=info msg="x" ')),
    ("  a=b", ("FATAL   x", "")),
    ("x ", ('time="t" level=info msg="x" ', "")),
    ("\\", ("", 'msg="')),
    ("AZCM0042", ("", "INFO    ")),
    ("{\"code\":", ("",)),
    ("Message: ", ("", "FATAL   ")),
    ("Code: X httpStatusCode:200 ", ("",)),
    ("{\\n\\\"error\\\":", ("", 'msg="')),
    ("[0032]", ("",)),
], ids=["level-words", "empty-pairs", "padded-pairs", "words", "backslashes", "codes", "nested-json", "message-words",
        "flattened-tails", "escaped-json", "elapsed-marks"])
def test_one_megabyte_lines_parse_consistently(unit, prefixes):
    # Speed on such lines is measured by bench/parse.py, not asserted here.
    line = (unit * (1000000 // len(unit) + 1))[:1000000]
    for prefix in prefixes:
        scanned = _check_all(prefix + line)
        assert scanned["lines"] == 1


def test_scan_output_counts_on_a_large_log():
    block = load("azcmagent_log.txt") + load("modern_fail_0042.txt") + load("logfmt_2020_console.txt")
    text = block * (4000000 // len(block))
    result = scan_output(text)
    repeats = 4000000 // len(block)
    assert result["codes"] == ["AZCM0026", "AZCM0042", "AZCM0041"]
    assert len(result["exit_codes"]) == 3 * repeats
    assert result["exit_codes"][-1]["line"] == result["lines"] - 1
    assert result["unparsed"] == []


# ---------------------------------------------------------------------------------------------
# show: the one key map and the normalized facts
# ---------------------------------------------------------------------------------------------

def test_show_map_has_one_entry_per_fact_label_and_key():
    names = [field.name for field in SHOW_FIELDS]
    labels = [label for field in SHOW_FIELDS for label in field.labels]
    keys = [key for field in SHOW_FIELDS for key in field.json_keys]
    assert len(names) == len(set(names)) and len(labels) == len(set(labels)) and len(keys) == len(set(keys))
    assert all(label == label.lower() for label in labels)
    assert FACTS == ("status", "resource_id", "resource_name", "resource_group", "subscription_id", "tenant_id", "location", "cloud",
                     "vm_id", "agent_version", "last_heartbeat", "error_code", "error_details", "error_timestamp", "https_proxy",
                     "proxy_bypass", "agent_log_file")


def test_show_facts_of_text_and_json_agree():
    from_json = show_facts(load("show.json"))
    from_text = show_facts(load("show_linux.txt"))
    assert from_json == normalize_show(json.loads(load("show.json")))
    assert set(from_json) == set(from_text) == set(FACTS) | {"services", "connected"}
    for fact in ("status", "resource_id", "resource_name", "resource_group", "subscription_id", "tenant_id", "location", "cloud",
                 "vm_id", "agent_version", "last_heartbeat", "agent_log_file"):
        assert from_json[fact] == from_text[fact], fact
    assert from_json["connected"] is from_text["connected"] is True
    assert from_json["error_code"] is from_text["error_code"] is None
    assert from_json["services"][0] == {"name": "himdsd", "display_name": "Agent Service", "status": "active"}
    assert from_text["services"][0] == {"name": "himdsd", "display_name": None, "status": "active"}
    assert show_facts(None)["status"] is None and show_facts("")["connected"] is False
    assert show_facts({"status": "Connected", "resourceId": "x"})["connected"] is True


def test_show_facts_from_json_object():
    facts = show_facts({
        "status": "Connected", "resourceId": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m",
        "resourceGroup": "rg", "location": "westeurope", "cloud": "AzureCloud", "lastHeartbeat": "2026-01-01T00:00:00Z",
        "services": [{"displayName": "Agent Service", "serviceName": "himdsd", "status": "stopped"}],
    })
    assert facts["connected"] is True and facts["resource_group"] == "rg"
    assert facts["services"] == [{"name": "himdsd", "display_name": "Agent Service", "status": "stopped"}]
    assert show_facts({"status": "Connected", "resourceId": ""})["connected"] is False
    assert show_facts(None)["status"] is None
