# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Texts that made a parser take exponential time (catastrophic backtracking) end in a bounded time.

Found by the parser fuzz run: an Entra ``error_description`` with a run of CRLFs that no ``Trace ID:`` follows kept
``_parse_azure_errors`` (and ``_arm``, on a token endpoint's answer) busy for hours; 12 CRLFs took 33 s, each one
more doubled it. Each case runs in a child process with a deadline, so that a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import multiprocessing

import pytest

from ansible_collections.arcops.azcmagent.plugins.module_utils import _arm
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_azure_errors import entra_message, parse_azure_errors

DEADLINE_SECONDS = 20  # a case takes milliseconds; only a blow-up gets near this

RUNS = {
    "crlf": "\r\n" * 4000,
    "cr and lf": "\r" * 2000 + "\n" * 2000,
    "escaped crlf": "\\r\\n" * 2000,
    "escaped lf": "\\n" * 4000,
    "mixed": "\r\n \\r\\n\t\\n" * 800,
    "spaces": " " * 8000,
}


def _entra_body(run: str) -> str:
    return json.dumps({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided." + run + "x"})


def _parse(run: str) -> list:
    return [error.get("message") for error in parse_azure_errors(_entra_body(run))]


def _arm_message(run: str) -> str:
    return _arm.parse_error_body(400, _entra_body(run))[1]


def _within_deadline(function, *args):
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply_async(function, args)
        try:
            return result.get(DEADLINE_SECONDS)
        except multiprocessing.TimeoutError:
            pool.terminate()
            pytest.fail(f"{function.__name__} took longer than {DEADLINE_SECONDS} s")


@pytest.mark.parametrize("run", sorted(RUNS), ids=str)
def test_entra_message_of_a_separator_run_without_trace_id(run):
    text = "AADSTS7000215: Invalid client secret provided." + RUNS[run] + "x"
    assert _within_deadline(entra_message, text) == text.strip()


@pytest.mark.parametrize("run", sorted(RUNS), ids=str)
def test_entra_message_cut_at_trace_id_after_a_separator_run(run):
    text = "AADSTS7000215: Invalid client secret provided." + RUNS[run] + "Trace ID: 1 Correlation ID: 2"
    assert _within_deadline(entra_message, text) == "AADSTS7000215: Invalid client secret provided."


@pytest.mark.parametrize("text, message", [
    ("AADSTS90002: Tenant 'x' not found. Trace ID: 1", "AADSTS90002: Tenant 'x' not found."),
    ("AADSTS1: a.\\r\\nTrace ID: 1\\r\\nCorrelation ID: 2", "AADSTS1: a."),
    ("AADSTS1: a.\r\nTrace ID: 1", "AADSTS1: a."),
    ("AADSTS1:Trace ID:1 without a separator before it", "AADSTS1:Trace ID:1 without a separator before it"),
    ("AADSTS1: x\\rTrace ID: 1", "AADSTS1: x\\rTrace ID: 1"),  # a lone escaped \r is not a separator
    ("Trace ID: 1", "Trace ID: 1"),
    (" Trace ID: 1", ""),
    (42, ""),
])
def test_entra_message_forms(text, message):
    assert entra_message(text) == message


@pytest.mark.parametrize("run", sorted(RUNS), ids=str)
def test_parse_azure_errors_of_an_entra_body_with_a_separator_run(run):
    [message] = _within_deadline(_parse, RUNS[run])
    assert message.startswith("AADSTS7000215: Invalid client secret provided.")


@pytest.mark.parametrize("run", sorted(RUNS), ids=str)
def test_arm_client_reads_a_token_error_with_a_separator_run(run):
    assert _within_deadline(_arm_message, RUNS[run] + "Trace ID: 1") == "AADSTS7000215: Invalid client secret provided."
