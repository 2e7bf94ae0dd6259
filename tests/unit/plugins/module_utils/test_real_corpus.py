# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The sourced corpus of real agent output (fixtures/real, issue 9).

Checks the form of the corpus (every file has a complete header and a capture, the index in README.md and
the files match, the generated counts are current) and that the diagnosis runs on every capture within the
parser's contract. What the diagnosis *says* about a capture is deliberately not asserted here: it is
evaluated by fixtures/real/evaluate.py and reworked against this corpus later.
"""

from __future__ import annotations

import collections
import pathlib
import re
import time

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import scan_output

REAL = pathlib.Path(__file__).parent / "fixtures" / "real"
README = REAL / "README.md"
FILES = sorted(REAL.glob("*/*.txt"))
IDS = [str(path.relative_to(REAL)) for path in FILES]

HEADER_FIELDS = ("source", "published", "agent", "os", "command", "note")
OS_VALUES = frozenset(("linux", "windows", "unknown"))
SEPARATOR = "# ---"
HEADER_RE = re.compile(r"^# (?P<key>[a-z]+): (?P<value>\S.*)$")
CODE_RE = re.compile(r"^AZCM\d{4}$")
ROW_RE = re.compile(r"^\|\s*`(?P<path>[^`]+)`\s*\|(?P<rest>.*)\|\s*$")
KINDS = frozenset(("connect", "disconnect", "check", "show", "config", "version", "log", "install", "wrapper", "localized"))
OUTCOMES = frozenset(("success", "failure", "context"))

#: Keys of a diagnosis as _diagnosis documents them (module docstring), plus resource_id which it returns too.
DIAGNOSIS_KEYS = frozenset(("ok", "azcm_code", "azcm_codes", "exit_code", "title", "cause", "remediation", "category",
                            "retryable", "action", "findings", "actions", "summary", "unparsed"))
#: Keys of scan_output: everything parse_output returns except the records.
SCAN_KEYS = frozenset(("codes", "exit_codes", "azure_errors", "resource_id", "unparsed", "warnings", "lines"))

#: A generous bound for one diagnosis: the parsers are bounded; this only catches a runaway regular expression.
SECONDS_PER_CAPTURE = 10.0


def split(path):
    """(header dict, capture text) of a corpus file; the header keeps the order of its lines."""
    text = path.read_text(encoding="utf-8")
    head, sep, capture = text.partition("\n" + SEPARATOR + "\n")
    assert sep, f"{path.name}: no '{SEPARATOR}' line after the header"
    header = {}
    for line in head.splitlines():
        match = HEADER_RE.match(line)
        assert match, f"{path.name}: header line is not '# key: value': {line!r}"
        assert match.group("key") not in header, f"{path.name}: header field {match.group('key')} twice"
        header[match.group("key")] = match.group("value")
    return header, capture


def index_rows():
    """Rows of the index table (the '## Index' section of README.md): {path: [cells after the path]}."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Index\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW_RE.match(line)
        if match and match.group("path").endswith(".txt"):
            path = match.group("path")
            assert path not in rows, f"README.md indexes {path} twice"
            rows[path] = [cell.strip() for cell in match.group("rest").split("|")]
    return rows


def generated_section(name):
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- BEGIN generated:{name} -->\n(.*?)<!-- END generated:{name} -->", text, re.S)
    assert match, f"README.md has no generated:{name} section"
    return match.group(1)


def test_corpus_is_not_empty():
    assert FILES, "fixtures/real holds no capture"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_header_is_complete(path):
    header, capture = split(path)
    assert tuple(header) == HEADER_FIELDS, f"header fields must be {HEADER_FIELDS} in this order"
    assert header["source"].startswith("https://"), "source must be an https:// URL"
    assert " " not in header["source"], "source must be one URL"
    assert header["os"] in OS_VALUES
    assert path.parent.name in KINDS, f"unknown kind directory {path.parent.name}"
    assert capture.strip(), "the capture after the header is empty"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_file_has_no_control_characters(path):
    # The sanity tests refuse CR and other control characters in the tree; captures keep tabs and newlines only.
    text = path.read_text(encoding="utf-8")
    bad = sorted({hex(ord(ch)) for ch in text if ord(ch) < 32 and ch not in "\n\t"})
    assert not bad, f"control characters {bad}"


def test_index_and_files_match():
    rows = index_rows()
    on_disk = set(IDS)
    assert not on_disk - set(rows), f"files without an index row in README.md: {sorted(on_disk - set(rows))}"
    assert not set(rows) - on_disk, f"index rows without a file: {sorted(set(rows) - on_disk)}"


def test_index_rows_agree_with_files():
    for path, cells in index_rows().items():
        kind, source, _published, _agent, generation, outcome = cells[:6]
        header, _capture = split(REAL / path)
        assert kind == path.split("/", 1)[0], f"{path}: kind column {kind!r} differs from its directory"
        assert f"({header['source']})" in source, f"{path}: index links another source than the header"
        assert generation, f"{path}: empty generation"
        assert outcome in OUTCOMES, f"{path}: outcome {outcome!r} not one of {sorted(OUTCOMES)}"


def test_generated_counts_are_current():
    rows = index_rows()
    section = generated_section("counts")
    for column, title in ((0, "kind"), (4, "generation"), (5, "outcome in the source")):
        counter = collections.Counter(cells[column] for cells in rows.values())
        table = section.split(f"| {title} | files |", 1)[1].split("**total**", 1)[0]
        stated = dict(re.findall(r"^\| (.+?) \| (\d+) \|$", table, re.M))
        assert {key: int(value) for key, value in stated.items()} == dict(counter), \
            f"README.md counts per {title} are stale: run evaluate.py"
    assert f"| **total** | {len(rows)} |" in section


def test_every_capture_is_evaluated():
    section = generated_section("evaluation")
    missing = [path for path in IDS if f"| `{path}` |" not in section]
    assert not missing, f"not in the evaluation table (run evaluate.py): {missing}"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_diagnosis_runs_within_contract(path):
    _header, capture = split(path)
    started = time.monotonic()
    result = diagnose(capture)
    assert time.monotonic() - started < SECONDS_PER_CAPTURE

    assert isinstance(result, dict)
    assert DIAGNOSIS_KEYS <= set(result), f"missing keys {sorted(DIAGNOSIS_KEYS - set(result))}"
    assert isinstance(result["ok"], bool)
    assert isinstance(result["azcm_codes"], list)
    for code in result["azcm_codes"]:
        assert isinstance(code, str) and CODE_RE.match(code), f"not an AZCMnnnn code: {code!r}"
        # A code is in the capture, or it is the agent's exit status that a wrapper printed ("exitcode: 42").
        wrapped = re.search(r"(?i)exit ?(?:code|status):? *0*%d\b" % int(code[4:]), capture)
        assert code in capture or wrapped, f"{code} is not in the capture"
    assert result["azcm_code"] is None or result["azcm_code"] in result["azcm_codes"]
    assert isinstance(result["findings"], list) and all(isinstance(f, dict) for f in result["findings"])
    assert isinstance(result["actions"], list) and all(isinstance(a, str) for a in result["actions"])
    assert isinstance(result["category"], str) and isinstance(result["action"], str)
    assert isinstance(result["summary"], str) and result["summary"]
    assert isinstance(result["unparsed"], int) and result["unparsed"] >= 0


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_scan_runs_within_contract(path):
    _header, capture = split(path)
    scan = scan_output(capture)
    assert isinstance(scan, dict)
    assert SCAN_KEYS <= set(scan), f"missing keys {sorted(SCAN_KEYS - set(scan))}"
    for code in scan["codes"]:
        assert CODE_RE.match(code) and code in capture, f"code {code!r} not in the capture"
    for entry in scan["exit_codes"]:
        assert CODE_RE.match(entry["code"]) and entry["code"] in capture
    assert isinstance(scan["azure_errors"], list)
    assert scan["lines"] >= 1
