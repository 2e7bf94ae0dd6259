# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``make demo``: onboard a small simulated fleet with playbooks/onboard.yml and show what happened.

Brings up 12 hosts (clean ones, and stale_resource, himds_stopped, transient, bad_secret,
proxy_blocked, connected) with the mock Azure, runs ansible-playbook with a demo policy that allows
the automatic fixes, prints the fleet summary and where the report is, and always tears the fleet
down. Uses the collection that ``make install`` put in build/collections (ANSIBLE_COLLECTIONS_PATH).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

import fleetlib  # noqa: E402  pylint: disable=wrong-import-position

SCENARIOS = {"clean": 5, "stale_resource": 1, "himds_stopped": 1, "transient": 1, "bad_secret": 1, "proxy_blocked": 1, "connected": 2}
POLICY = {
    "azcmagent_install": False,
    "azcmagent_connect_timeout": 60,
    "azcmagent_service_settle_seconds": 0,
    "azcmagent_admin_service_principal_id": "{{ sim_admin_principal_id }}",
    "azcmagent_admin_service_principal_secret": "{{ sim_admin_principal_secret }}",
    "azcmagent_policy": {"delete_resource": True, "force_local_disconnect": True, "reonboard": True, "register_providers": True,
                         "backoff_base": 0.5, "backoff_max": 4},
}


def main():
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="arcops-demo-")
    fleet_dir = os.path.join(workdir, "fleet")
    report_dir = os.path.join(os.getcwd(), "build", "demo-report")
    print("Bringing up %d simulated hosts in %s ..." % (sum(SCENARIOS.values()), fleet_dir), flush=True)
    try:
        fleet = fleetlib.up(fleet_dir, scenarios=SCENARIOS)
        extra = dict(POLICY, azcmagent_report_dir=report_dir)
        vars_file = os.path.join(workdir, "demo-vars.json")
        with open(vars_file, "w", encoding="utf-8") as handle:
            json.dump(extra, handle)
        env = dict(os.environ)
        env.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "build", "collections"))
        env.update({"ANSIBLE_BECOME_ALLOW_SAME_USER": "true", "ANSIBLE_RETRY_FILES_ENABLED": "false",
                    "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "tmp"), "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "false"})
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), os.path.join(ROOT, "playbooks", "onboard.yml"),
               "-i", fleet.inventory, "-e", "@" + vars_file, "--forks", "12"]
        print("$ " + " ".join(cmd), flush=True)
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        with open(os.path.join(workdir, "ansible.log"), "w", encoding="utf-8") as handle:
            handle.write(proc.stdout + proc.stderr)
        summary_file = os.path.join(report_dir, "fleet_summary.json")
        if not os.path.exists(summary_file):
            print(proc.stdout[-4000:] + proc.stderr[-2000:])
            print("The playbook did not write a fleet summary (rc %d)." % proc.returncode)
            return 1
        with open(summary_file, encoding="utf-8") as handle:
            summary = json.load(handle)
        print()
        print("Fleet summary")
        print("=============")
        for line in summary["lines"]:
            print("  " + line)
        print()
        for host in summary["hosts"]:
            outcome = ("repaired " + host["initial_code"]) if host["repaired"] else (host["code"] or "")
            print("  %-22s %-12s %-4s %s" % (host["host"], host["state"], "ok" if host["ok"] else "FAIL", outcome))
        print()
        print("Report: %s (and fleet_report.md, fleet_summary.json)" % os.path.join(report_dir, "fleet_report.html"))
        print("ansible-playbook exit status %d (the hosts that could not be fixed fail on purpose); full output: %s"
              % (proc.returncode, os.path.join(workdir, "ansible.log")))
        expected_failures = SCENARIOS["bad_secret"] + SCENARIOS["proxy_blocked"]
        ok = summary["counts"]["failed"] == expected_failures and summary["counts"]["hosts"] == sum(SCENARIOS.values())
        return 0 if ok else 1
    finally:
        fleetlib.down(fleet_dir)
        print("Fleet torn down after %.1f s." % (time.monotonic() - started))


if __name__ == "__main__":
    sys.exit(main())
