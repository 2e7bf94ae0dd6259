# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report templates (playbooks/templates), rendered from a real summary: a repaired host is not drawn as a failure."""

from __future__ import annotations

import pathlib
import re

import jinja2

from ansible_collections.arcops.azcmagent.plugins.module_utils._results import fleet_summary

TEMPLATES = pathlib.Path(__file__).resolve().parents[3] / "playbooks" / "templates"


def _result(host, ok=True, state="Connected", code=None, initial_code=None, repaired=False, findings=()):
    return {"host": host, "ok": ok, "state": state, "code": code, "initial_code": initial_code, "category": "success" if ok else "network",
            "remediation": "" if ok else "Open port 443.", "changed": repaired, "repaired": repaired, "attempts": 2 if repaired else 1,
            "message": "", "findings": list(findings)}


SUMMARY = fleet_summary(results={
    "fixed-1": _result("fixed-1", repaired=True, initial_code="AZCM0064"),
    "fixed-2": _result("fixed-2", repaired=True, initial_code="AZCM0064"),
    "broken": _result("broken", ok=False, state="Disconnected", code="AZCM0026"),
    "elsewhere": _result("elsewhere", ok=False, state="Connected", code="AZCM0067"),
    "old": _result("old", findings=[{"id": "agent_out_of_support"}]),
}, title="Onboarding")


def _render(name):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False)
    return env.get_template(name + ".j2").render(azcmagent_fleet_summary=SUMMARY)


def test_html_report_draws_repairs_apart_from_failures():
    html = _render("fleet_report.html")
    code_chart = html.split("Hosts per code", 2)[2].split("</svg>", 1)[0]
    bars = re.findall(r'<text x="0" y="\d+">([^<]+)</text>\s*<rect [^>]*class="(\w+)"\s*fill="(#\w+)"', code_chart)
    assert bars == [("AZCM0026", "failed", "#c62828"), ("AZCM0064 (repaired)", "repaired", "#ef6c00"),
                    ("AZCM0067", "failed", "#c62828"), ("success", "success", "#2e7d32")]
    assert "Agents out of support" in html and "old" in html.split("Agents out of support", 1)[1].split("</p>", 1)[0]
    # the host still connected to another target is a failure, not a connected host
    assert "5 hosts, 3 connected" in html and "<script" not in html


def test_markdown_report_lists_codes_with_their_outcome():
    markdown = _render("fleet_report.md")
    assert "| AZCM0064 | repaired | 2 |" in markdown and "| AZCM0026 | failed | 1 |" in markdown
    assert "| AZCM0067 | failed | 1 |" in markdown and "Older than Microsoft's one-year support window: old" in markdown
