# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A small stateful stand-in for azcmagent run in-process through the module client's executor, and a helper
that runs a module's main() in-process."""

from __future__ import annotations

import datetime
import io
import json
import os
import uuid

import pytest

from tests.unit.compat import patch_module_args

from ansible_collections.arcops.azcmagent.plugins.module_utils._client import AgentModuleClient
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import Completed, Execution

# Never run: the module client's executor answers for it. It only has to exist, as the agent's binary does.
PLACEHOLDER = "#!/bin/sh\necho 'placeholder: the unit tests stub the executor' >&2\nexit 127\n"


def placeholder_agent(root):
    """An executable file where the tests say the agent is; the stubbed executor answers instead of it."""
    path = os.path.join(str(root), "azcmagent")
    with open(path, "w") as handle:
        handle.write(PLACEHOLDER)
    os.chmod(path, 0o755)
    return path


class _Exit(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class FakeAgent:
    """A fake azcmagent in a directory: ``fake.json`` holds its state and knobs, ``calls.jsonl`` every call.

    Installed as the module client's executor: a module "runs" it in-process, and it answers as the agent would
    (console lines, ``azcmagent.log`` lines under ``<root>/var/log``, exit status equal to the code)."""

    def __init__(self, root):
        self.root = root
        self.path = placeholder_agent(root)
        self.subscription = str(uuid.uuid4())
        self.tenant = str(uuid.uuid4())
        self.app = str(uuid.uuid4())
        self.secret = "fake-secret-" + uuid.uuid4().hex
        self.log_path = os.path.join(root, "var", "log", "azcmagent.log")
        defaults = {"incomingconnections.enabled": True, "incomingconnections.ports": [], "connection.type": "default",
                    "proxy.url": "", "proxy.bypass": [], "extensions.allowlist": [], "extensions.blocklist": [],
                    "guestconfiguration.enabled": True, "extensions.enabled": True, "config.mode": "full"}
        self.data = {"state": {"status": "Disconnected", "resourceId": "", "agentVersion": "1.58.03228.700"},
                     "config": dict(defaults), "defaults": defaults}
        self.save()

    # -- the executor ------------------------------------------------------------------------
    def __call__(self, execution: Execution) -> Completed:
        argv = execution.argv[1:]
        config = {}
        if "--config" in argv:
            with open(argv[argv.index("--config") + 1]) as cfg:
                config = json.load(cfg)
        with open(os.path.join(self.root, "calls.jsonl"), "a") as handle:
            handle.write(json.dumps({"argv": argv, "config_keys": sorted(config)}) + "\n")
        fake = self.load()
        if fake.get("hang") and argv[0] not in ("show", "version", "config"):
            self._log("info", "Agent Command: %s" % argv[0])
            return Completed(rc=-15, stdout="", stderr="", timed_out=True)
        out = io.StringIO()
        try:
            self._answer(fake, argv, out)
            code = 0
        except _Exit as done:
            code = done.code
        self.data = fake
        self.save()
        return Completed(rc=code, stdout=out.getvalue(), stderr="")

    def _log(self, level, msg):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        with open(self.log_path, "a") as handle:
            handle.write('time="2026-01-01T00:00:00Z" level=%s msg="%s"\n' % (level, msg.replace('"', '\\"')))

    def _fail(self, out, code, title, detail):
        print("INFO    Exit Code:  AZCM%04d: %s" % (code, title), file=out)
        print("INFO    For troubleshooting, see https://aka.ms/arc/azcmerror", file=out)
        print("FATAL   %s" % detail, file=out)
        self._log("info", "Exit Code:  AZCM%04d: %s" % (code, title))
        self._log("fatal", detail)
        raise _Exit(code)

    def _answer(self, fake, argv, out):
        state = fake["state"]
        command = argv[0] if argv else "help"

        def opt(name):
            return argv[argv.index(name) + 1] if name in argv else None

        if command == "show":
            himds = os.path.join(self.root, "var", "log", "himds.log")
            if "-j" in argv:
                if fake.get("no_json"):
                    print("Error: unknown shorthand flag: 'j' in -j", file=out)
                    raise _Exit(1)
                print(json.dumps(dict(state, agentLogfile=himds)), file=out)
            else:
                for label, key in (("Resource Name", "resourceName"), ("Resource Group Name", "resourceGroup"),
                                   ("Resource Id", "resourceId"), ("Subscription ID", "subscriptionId"), ("Tenant ID", "tenantId"),
                                   ("Location", "location"), ("Cloud", "cloud"), ("Agent Version", "agentVersion")):
                    print("%-40s: %s" % (label, state.get(key, "")), file=out)
                print("%-40s: %s" % ("Agent Logfile", himds), file=out)
                print("%-40s: %s" % ("Agent Status", state.get("status", "")), file=out)
            return
        if command == "version":
            print("azcmagent version %s" % state.get("agentVersion", "1.58.03228.700"), file=out)
            return
        if command == "config":
            self._config(fake, argv, out)
            return
        self._log("info", "Agent Command: %s" % command)
        failure = fake.get("fail", {}).get(command)
        if failure and not (command == "disconnect" and "--force-local-only" in argv):
            self._fail(out, *failure)
        if command == "connect":
            if state.get("resourceId"):
                self._fail(out, 67, "Machine Already Connected", "machine is already connected: resource ID %s" % state["resourceId"])
            name = opt("--resource-name") or "host01"
            rid = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (
                opt("--subscription-id"), opt("--resource-group"), name)
            state.update({"status": "Connected", "resourceId": rid, "resourceName": name, "resourceGroup": opt("--resource-group"),
                          "subscriptionId": opt("--subscription-id"), "tenantId": opt("--tenant-id") or "",
                          "location": opt("--location"), "cloud": opt("--cloud") or "AzureCloud", "tags": opt("--tags")})
            print("INFO    Connected machine to Azure", file=out)
            self._log("info", "Connected machine to Azure")
        elif command == "disconnect":
            state.update({"status": "Disconnected", "resourceId": "", "resourceName": "", "resourceGroup": "", "subscriptionId": "",
                          "tenantId": "", "location": ""})
            print("INFO    Disconnected machine from Azure", file=out)
        elif command == "check":
            for line in fake.get("check_lines", []):
                print(line, file=out)

    def _config(self, fake, argv, out):
        settings = fake.setdefault("config", {})
        if argv[1] == "list":
            print("Local Configuration Settings", file=out)
            for key, value in settings.items():
                if isinstance(value, list):
                    value = "[" + " ".join(value) + "]"
                elif isinstance(value, bool):
                    value = "true" if value else "false"
                print("  %-52s: %s" % (key, value), file=out)
            return
        if fake.get("non_root"):
            self._fail(out, 18, "Administrative Privileges Required", "This command requires elevated privileges (root)")
        name = argv[2]
        if argv[1] == "clear":
            settings[name] = fake.get("defaults", {}).get(name, "")
        elif argv[1] == "set":
            value = argv[3]
            if isinstance(settings.get(name), list):
                items = [v for v in value.split(",") if v]
                if "--add" in argv:
                    settings[name] = settings[name] + [i for i in items if i not in settings[name]]
                elif "--remove" in argv:
                    settings[name] = [i for i in settings[name] if i not in items]
                else:
                    settings[name] = items
            else:
                settings[name] = value
            print("Config property %s set to value %s" % (name, value), file=out)

    # -- state and knobs ---------------------------------------------------------------------
    def save(self):
        with open(os.path.join(self.root, "fake.json"), "w") as handle:
            json.dump(self.data, handle)

    def load(self):
        with open(os.path.join(self.root, "fake.json")) as handle:
            self.data = json.load(handle)
        return self.data

    def set(self, **knobs):
        self.load()
        self.data.update(knobs)
        self.save()

    def connect_locally(self, resource_group="rg-arc", location="westeurope", status="Connected", heartbeat=None):
        self.load()
        if heartbeat is None:
            age = datetime.timedelta(minutes=1 if status == "Connected" else 120)
            heartbeat = (datetime.datetime.now(datetime.timezone.utc) - age).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.data["state"].update({
            "lastHeartbeat": heartbeat,
            "status": status, "resourceGroup": resource_group, "location": location, "subscriptionId": self.subscription,
            "tenantId": self.tenant, "cloud": "AzureCloud", "resourceName": "host01",
            "resourceId": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/host01" % (
                self.subscription, resource_group)})
        self.save()

    def calls(self):
        path = os.path.join(self.root, "calls.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as handle:
            return [json.loads(line) for line in handle]

    def commands(self):
        """The mutating commands that ran (show/version/config list are reads)."""
        return [c["argv"] for c in self.calls() if c["argv"][0] not in ("show", "version") and c["argv"][:2] != ["config", "list"]]

    def connect_args(self, **overrides):
        args = {"executable": self.path, "subscription_id": self.subscription, "resource_group": "rg-arc", "location": "westeurope",
                "tenant_id": self.tenant, "service_principal_id": self.app, "service_principal_secret": self.secret}
        args.update(overrides)
        return args


@pytest.fixture
def placeholder_executable(tmp_path):
    """Where the tests say the agent is (a file that is never run: the tests stub the executor)."""
    return placeholder_agent(tmp_path)


@pytest.fixture
def agent(tmp_path, monkeypatch):
    """The fake agent, answering every agent run of the modules (through AgentModuleClient.executor)."""
    fake = FakeAgent(str(tmp_path))
    monkeypatch.setattr(AgentModuleClient, "executor", fake)
    return fake


@pytest.fixture
def run_module(capsys):
    """Run ``module.main()`` with args (and _ansible_check_mode / _ansible_diff); return (failed, result dict)."""

    def runner(module, args, check_mode=False, diff=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                module.main()
        out = capsys.readouterr().out
        result = json.loads(out)
        return bool(result.get("failed")) or exit_info.value.code != 0, result

    return runner
