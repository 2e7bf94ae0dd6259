# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile output fuzzed (issue 10): the parsers, the classifier and the diagnosis over mutations of real output.

Seeds are every capture of fixtures/real/ (and the other parser fixtures) and every text the simulator prints
(tests/simulator/agent/azsim/texts.py, placeholders filled). Hypothesis mutates them: slices deleted, duplicated
and repeated, lines swapped, line ends removed or turned into CR, NUL and other control bytes, invalid UTF-8
(decoded the way the runner decodes it, and as bytes), ANSI escapes, the agent's own tokens (level words, ``level=``,
``Exit Code:``, AZCM codes, quotes, backslashes, brackets, JSON braces) in runs of up to a few thousand.

Properties, for each of FUZZ_CASES cases (10,000 in all, split over two tests): no function raises, every
result has its documented shape, and no case takes more than CASE_SECONDS_MAX (a generous bound on hostile input,
not a benchmark; CPU time, so that a loaded machine does not fail it). The counts and the slowest case are recorded
with tests/counts.py. About 25 s of CPU for the 10,000 cases.
"""

from __future__ import annotations

import importlib.util
import pathlib
import random
import signal
import time

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ansible_collections.arcops.azcmagent.plugins.module_utils._diagnosis import diagnose
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_azure_errors import parse_azure_errors
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_check import parse_check
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_config_list, parse_version
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import extract_codes, parse_logfmt_line, scan_output
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_text import normalise, split_lines
from ansible_collections.arcops.azcmagent.plugins.module_utils._show import show_facts

from tests.counts import record

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "unit" / "plugins" / "module_utils" / "fixtures"
SIM_TEXTS = ROOT / "tests" / "simulator" / "agent" / "azsim" / "texts.py"

FUZZ_CASES = 10_000
CASE_SECONDS_MAX = 2.0
CASE_SECONDS_HARD = 10.0
EXAMPLES_PER_TEST = int(__import__("os").environ.get("FUZZ_EXAMPLES", FUZZ_CASES // 2))


def _simulator_texts() -> list[str]:
    spec = importlib.util.spec_from_file_location("_fuzz_azsim_texts", SIM_TEXTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = []
    for entry in tuple(module.TEXTS) + tuple(module.AZURE_TEXTS):
        sample = entry.text.replace("%-*s", "%s").replace("{client_id}", "0f0f0f0f-1111-2222-3333-444444444444")
        sample = sample.replace("{directory}", "contoso").replace("{tenant}", "contoso.onmicrosoft.com")
        try:
            sample = sample.replace("%d", "%s") % (("AZCM0026",) * sample.count("%s"))
        except (TypeError, ValueError):
            pass
        out.append(f"INFO    {sample}\nFATAL   {sample}\n" if entry.where != "log" else
                   f'time="2026-01-01T00:00:00Z" level=error msg="{sample}"\n')
    return out


def _seeds() -> list[str]:
    seeds = [path.read_text(encoding="utf-8", errors="replace") for path in sorted(FIXTURES.rglob("*"))
             if path.is_file() and path.suffix in (".txt", ".json")]
    seeds += _simulator_texts()
    # A window of each seed (its start and its end, where the exit line is): the mutations make the text hostile,
    # the hostile agent test (test_fuzz_hostile_agent.py) makes it big.
    return [seed if len(seed) <= 2000 else seed[:800] + seed[-1200:] for seed in seeds]


SEEDS = _seeds()

# The agent's own tokens, and characters that stress regular expressions (runs of them are the ReDoS probes).
TOKENS = ["INFO    ", "FATAL   ", "ERROR   ", "DEBUG   ", "WARNING ", "ERRO[0032] ", "INFO[2021-06-01T10:00:00Z] ", "level=error ",
          "level=", 'msg="', "time=\"", "Exit Code:  ", "Exit Code:  AZCM0044: ", "AZCM", "AZCM0026", "azcm0042", "AZCM99999",
          "\\", "\\\"", '"', "'", "[", "]", "{", "}", "{\"error\": {\"code\": \"", "\": \"", ":", "=", ",", " ", "\t", "\r", "\n",
          "\r\n", "\x00", "\x1b[36m", "\x1b[0m", "\x1b[", "\ufffd", "\u202e", "e\u0301", "\U0001f600", "RESPONSE 403: 403 Forbidden",
          "ERROR CODE: ", "AADSTS7000215: ", "/subscriptions/", "/resourceGroups/", "https://", "Resource ID=", "Correlation ID=",
          "Agent Status", "                                        : ", "Reachable", "|", "  20% [==>            ] ", "%", "\\u00",
          "\\n", "\\t", "exitcode: 42", "exit status ", "rc=", "level=fatal msg=\"", "Failed to register resource provider",
          "Connected machine to Azure", "Setting up azcmagent (", "Local Configuration Settings", "azcmagent version "]

OPS = ("insert", "delete", "repeat", "swap_lines", "join_lines", "cr_lines", "truncate", "control", "invalid_utf8")


def mutations_of(seed: int) -> list[tuple[str, float, float, str, int]]:
    """One to four mutations, all drawn from one integer that hypothesis chooses (cheap to draw, and a failing
    case is reproduced from the integer it prints)."""
    rng = random.Random(seed)
    return [(rng.choice(OPS), rng.random(), rng.random(), rng.choice(TOKENS), rng.randint(1, 4000)) for _unused in range(rng.randint(1, 4))]


def mutate(seed: str, mutations: list[tuple[str, float, float, str, int]]) -> str:
    text = seed
    for op, where, span, token, count in mutations:
        pos = int(where * len(text))
        end = min(len(text), pos + int(span * 400))
        if op == "insert":
            text = text[:pos] + token * min(count, 2048 // max(1, len(token))) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[end:]
        elif op == "repeat":
            text = text[:end] + text[pos:end] * min(count, 2048 // max(1, end - pos)) + text[end:]
        elif op == "swap_lines":
            lines = text.split("\n")
            i, j = int(where * (len(lines) - 1)), int(span * (len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == "join_lines":
            text = text[:pos] + text[pos:].replace("\n", " ")
        elif op == "cr_lines":
            text = text.replace("\n", "\r") if count % 2 else text.replace("\n", "\r\n")
        elif op == "truncate":
            text = text[:pos]
        elif op == "control":
            text = text[:pos] + chr(count % 32) * min(count, 64) + text[pos:]
        elif op == "invalid_utf8":
            raw = text.encode("utf-8")
            bpos = int(where * len(raw))
            raw = raw[:bpos] + bytes([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x28][: 1 + count % 9]) * (1 + count % 50) + raw[bpos:]
            text = raw.decode("utf-8", "replace")
    return text[:8192]


class _Stats:
    cases = 0
    slowest = 0.0


# The forms a text reaches the diagnosis in (one per case, drawn by hypothesis): text, lines, a failed result.
FORMS = ("text", "lines", "failed_result")


class _CaseTooSlow(Exception):
    pass


def _too_slow(signum, frame):
    raise _CaseTooSlow(f"one case used more than {CASE_SECONDS_HARD} s of CPU time (catastrophic backtracking?)")


def check_all(text: str, form: str = "failed_result") -> None:
    """Every parser and the diagnosis (with the classifier) on one text; each result in its documented shape."""
    # A case that never ends (a regular expression that backtracks exponentially) is stopped by a CPU-time alarm
    # and fails with its text, instead of keeping the run busy for hours.
    previous = signal.signal(signal.SIGPROF, _too_slow)
    signal.setitimer(signal.ITIMER_PROF, CASE_SECONDS_HARD)
    try:
        _check_all(text, form)
    except _CaseTooSlow as error:
        raise AssertionError(f"{error}: {len(text)} characters: {text[:300]!r}") from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _check_all(text: str, form: str) -> None:
    # CPU time of this process: the bound holds on a machine that other jobs load, and catches real blow-ups.
    started = time.process_time()
    scan = scan_output(text)
    assert isinstance(scan["codes"], list) and isinstance(scan["unparsed"], list) and isinstance(scan["lines"], int)
    assert all(code.startswith("AZCM") and len(code) == 8 for code in scan["codes"])
    assert extract_codes(normalise(text)) == scan["codes"]  # (scan_output strips ANSI escapes first)
    # An escape sequence (ESC or the 8-bit CSI, which normalise strips) may swallow a code's first letter.
    assert set(extract_codes(text)) <= set(scan["codes"]) or "\x1b" in text or "\x9b" in text
    data: object = {"text": text, "lines": text.split("\n"), "failed_result": {"stdout": text, "rc": 26, "failed": True}}[form]
    diagnosis = diagnose(data)
    assert isinstance(diagnosis["ok"], bool) and isinstance(diagnosis["actions"], list) and diagnosis["actions"]
    assert isinstance(diagnosis["summary"], str)
    assert form != "failed_result" or diagnosis["ok"] is False
    for finding in diagnosis["findings"] + diagnosis["warnings"]:
        assert {"id", "category", "cause", "remediation", "evidence", "action", "retryable", "details"} <= set(finding)
    assert isinstance(show_facts(text), dict)  # (parse_show inside)
    assert isinstance(parse_check(text), list)
    assert isinstance(parse_config_list(text), (dict, tuple))
    version = parse_version(text)
    assert version is None or isinstance(version, (str, dict, tuple))
    assert isinstance(parse_azure_errors(text), list)
    lines = split_lines(text)
    for line in lines[:20]:
        parsed = parse_logfmt_line(line)
        assert parsed is None or isinstance(parsed, dict)
    elapsed = time.process_time() - started
    _Stats.cases += 1
    _Stats.slowest = max(_Stats.slowest, elapsed)
    assert elapsed < CASE_SECONDS_MAX, f"one case took {elapsed:.2f} s ({len(text)} characters): {text[:200]!r}"


# no shrinking: a failing case is reported as found (its text is in the message); shrinking a slow case would
# run it hundreds of times more
_FUZZ_SETTINGS = settings(max_examples=EXAMPLES_PER_TEST, deadline=None, database=None, derandomize=False,
                          suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.reuse, Phase.generate))


@_FUZZ_SETTINGS
@given(seed=st.sampled_from(SEEDS), mutation_seed=st.integers(min_value=0, max_value=2 ** 32), form=st.sampled_from(FORMS))
def test_fuzz_mutated_real_output(seed, mutation_seed, form):
    check_all(mutate(seed, mutations_of(mutation_seed)), form)


@_FUZZ_SETTINGS
@given(first=st.sampled_from(SEEDS), second=st.sampled_from(SEEDS), mutation_seed=st.integers(min_value=0, max_value=2 ** 32),
       noise=st.text(max_size=100), form=st.sampled_from(FORMS))
def test_fuzz_spliced_real_output(first, second, mutation_seed, noise, form):
    cut = len(first) // 2
    check_all(mutate(first[:cut] + noise + second[len(second) // 3:], mutations_of(mutation_seed)), form)


def test_bytes_reach_the_parsers_as_the_runner_decodes_them():
    """Invalid UTF-8 and NUL bytes as bytes (the parsers accept bytes) and as the runner's decoded text."""
    raw = b"INFO    Exit Code:  AZCM0026: Network Error\xff\xfe\x00\nFATAL   \xed\xa0\x80 dial tcp\x00\n"
    assert scan_output(raw)["codes"] == ["AZCM0026"]
    check_all(raw.decode("utf-8", "replace").replace("\x00", "\ufffd"), "text")


def test_an_8bit_csi_before_a_code_is_an_escape_not_text():
    """Found by the fuzzer in CI: 8-bit CSI, space and quote (intermediates) and the code's A (final byte) are one escape."""
    text = "INFO    cannot perform \x9b 'AZCM0026' operation\n"
    assert scan_output(text)["codes"] == []
    check_all(text, "text")


def test_fuzz_counts_recorded():
    """Runs after the two fuzz tests (file order): all their cases ran."""
    assert _Stats.cases >= 2 * EXAMPLES_PER_TEST, _Stats.cases
    record("fuzz", {"cases": _Stats.cases, "seeds": len(SEEDS), "slowest_case_seconds": round(_Stats.slowest, 3)})
