# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report as JUnit XML, validated against the JUnit schema Jenkins reads (tests/schemas/junit-10.xsd).

* the writer (module_utils/_junit.py) on fleet summaries built by _results.fleet_summary: one test case per host, a failure
  per host that did not end as wanted whose type is its code and whose message is the code, cause and remediation, an
  error for a host without a result; XML-hostile text (markup, quotes, control characters) stays valid;
* playbooks/onboard.yml against a fleet with one good and one bad-secret host (no controller credential, so the host's own
  wrong secret is used): junit.xml is written beside the other reports, valid, with one passing and one failing test case;
  the run exits 2, the status that fails a CI job.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest
import xmlschema

from ansible_collections.arcops.azcmagent.plugins.module_utils._junit import junit_xml
from ansible_collections.arcops.azcmagent.plugins.module_utils._results import fleet_summary

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = xmlschema.XMLSchema(os.path.join(ROOT, "tests", "schemas", "junit-10.xsd"))
ONBOARD = os.path.join(ROOT, "playbooks", "onboard.yml")
BECOME_ENV = {"ANSIBLE_BECOME_ALLOW_SAME_USER": "true"}

FAILED_MESSAGE = ("AZCM0041: The credentials supplied to authenticate with Azure are invalid (AADSTS7000215 <client> & \"secret\"). "
                  "Check the service principal ID and secret.")
RESULTS = {
    "web-01": {"ok": True, "state": "Connected", "changed": True, "repaired": False, "code": None, "attempts": 1, "message": "connected"},
    "web-02": {"ok": True, "state": "Connected", "changed": True, "repaired": True, "code": None, "initial_code": "AZCM0064",
               "attempts": 2, "message": "repaired"},
    "db-01": {"ok": False, "state": "Disconnected", "changed": False, "repaired": False, "code": "AZCM0041", "category": "credentials",
              "remediation": "Check the service principal ID and secret.\x07", "attempts": 1, "message": FAILED_MESSAGE},
    "db-02": None,
}


def _cases(document):
    root = ET.fromstring(document.encode("utf-8"))
    return root, {case.get("name"): case for case in root.iter("testcase")}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_one_test_case_per_host_valid_against_the_junit_schema(lang):
    summary = fleet_summary(results=RESULTS, title="Onboarding", lang=lang)
    document = junit_xml(summary, kind="onboard", timestamp="2026-11-30T23:00:00+00:00", hostname="controller")
    SCHEMA.validate(document)
    root, cases = _cases(document)
    assert sorted(cases) == sorted(RESULTS)
    suite = root.find("testsuite")
    assert (suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("arcops.azcmagent.onboard", "4", "1", "1")
    assert {case.get("classname") for case in cases.values()} == {"arcops.azcmagent.onboard"}
    for host in ("web-01", "web-02"):
        assert cases[host].find("failure") is None and cases[host].find("error") is None
    assert "first code: AZCM0064" in cases["web-02"].find("system-out").text
    failure = cases["db-01"].find("failure")
    # the failure names the code (type), and its message is the code, cause and remediation as the host's result says it
    assert failure.get("type") == "AZCM0041"
    assert failure.get("message") == FAILED_MESSAGE
    assert "code: AZCM0041" in failure.text and "category: credentials" in failure.text
    assert "remediation: Check the service principal ID and secret." in failure.text and "\x07" not in failure.text
    error = cases["db-02"].find("error")
    assert error.get("type") == "NoResult" and "db-02" in error.get("message")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["count_failed"] == "2" and properties["check_mode"] == "false"


def test_an_empty_run_is_a_valid_empty_suite():
    document = junit_xml(fleet_summary(results={}), kind="diagnose")
    SCHEMA.validate(document)
    root, cases = _cases(document)
    assert cases == {} and root.find("testsuite").get("tests") == "0"


def test_the_schema_rejects_what_ci_would_reject():
    # the committed schema really validates: a suite without its required counts is refused
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        SCHEMA.validate('<testsuites><testsuite name="x"><testcase name="h"/></testsuite></testsuites>')


@pytest.mark.slow
def test_onboard_writes_a_valid_junit_report(fleet_factory, run_playbook, tmp_path):
    fleet = fleet_factory(scenarios={"clean": 1, "bad_secret": 1})
    report = tmp_path / "report"
    run = run_playbook(ONBOARD, inventory=fleet.inventory, env=BECOME_ENV, forks=5,
                       extra_vars={"azcmagent_install": False, "azcmagent_report_dir": str(report)})
    # a host that could not be onboarded fails the run: ansible-playbook exits 2, which fails a CI job
    assert run.rc == 2, run.stdout[-3000:]
    with open(report / "junit.xml", encoding="utf-8") as handle:
        document = handle.read()
    SCHEMA.validate(document)
    _root, cases = _cases(document)
    good = [h for h, e in fleet.hosts.items() if e["scenario"] == "clean"][0]
    bad = [h for h, e in fleet.hosts.items() if e["scenario"] == "bad_secret"][0]
    assert sorted(cases) == sorted(fleet.hosts)
    assert cases[good].find("failure") is None
    failure = cases[bad].find("failure")
    result = run.results(fleet)[bad]
    assert failure.get("type") == result["code"] == "AZCM0041"
    assert failure.get("message") == result["message"] and result["remediation"] in failure.get("message")


@pytest.mark.parametrize("name", ["github-actions.yml", "azure-pipelines.yml"])
def test_the_example_pipelines_publish_the_report_the_playbooks_write(name):
    import yaml  # pylint: disable=import-outside-toplevel
    with open(os.path.join(ROOT, "docs", "pipelines", name), encoding="utf-8") as handle:
        text = handle.read()
    pipeline = yaml.safe_load(text)
    steps = pipeline["jobs"]["arc"]["steps"] if name.startswith("github") else pipeline["steps"]
    scripts = [s.get("run") or s.get("script") or "" for s in steps]
    [run] = [s for s in scripts if "ansible-playbook" in s]
    assert "-e azcmagent_report_dir=" in run and "arcops.azcmagent." in run
    # the credential reaches the controller as the Azure Resource Manager credential's variables, never as a host variable
    [step] = [s for s in steps if "ansible-playbook" in (s.get("run") or s.get("script") or "")]
    assert {"AZURE_CLIENT_ID", "AZURE_SECRET", "AZURE_TENANT", "AZURE_SUBSCRIPTION_ID"} <= set(step["env"])
    assert "azcmagent_service_principal_secret" not in text
    # the JUnit step reads junit.xml from the report directory and runs after a failed playbook too
    if name.startswith("github"):
        [junit] = [s for s in steps if "junit" in s.get("uses", "")]
        assert junit["with"]["report_paths"] == "azcmagent-report/junit.xml" and "cancelled()" in junit["if"]
        assert pipeline["jobs"]["arc"]["env"]["REPORT_DIR"].endswith("/azcmagent-report")
    else:
        [junit] = [s for s in steps if s.get("task") == "PublishTestResults@2"]
        assert junit["inputs"]["testResultsFormat"] == "JUnit" and junit["inputs"]["testResultsFiles"] == "$(REPORT_DIR)/junit.xml"
        assert junit["condition"] == "succeededOrFailed()"
