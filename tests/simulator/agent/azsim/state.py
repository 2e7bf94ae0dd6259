# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A simulated host: its sim.json knobs and the agent's files under ``root/``.

Shared by the simulator and hostlib (the fleet's entry point), so both write the same shapes.
"""

from __future__ import annotations

import json
import os

from .errors import AzcmError

AGENT_DIR = os.path.join("var", "opt", "azcmagent")
DEFAULT_VERSION = "1.58.03228.700"
LEGACY_VERSION = "1.7.21162.003"
# The 1.2x generation: logfmt console, the version of the one full 1.2x log (C-99004).
LOGFMT_VERSION = "1.21.02043.347"
# Agent generations (sim.json `generation`; default from `legacy` / the version):
#   modern  1.3x and later: padded console (`INFO    `), Azure SDK error blocks, the network check stops a connect
#   logfmt  1.1x-1.2x: console lines in logfmt (`time="..." level=info msg="..."`), flattened ARM errors,
#           provider registration tried on every connect (before 1.24)
#   logrus  1.7-era (and older): logrus text console (`INFO[0032] `), no `config` command, no registration
GENERATIONS = ("modern", "logfmt", "logrus")

# agentconfig.json: every key the simulator reads or writes, with its empty value.
AGENT_CONFIG_KEYS = (
    "resourceId", "resourceName", "resourceGroup", "subscriptionId", "tenantId", "location", "cloud",
    "vmId", "vmUuid", "correlationId", "status", "lastHeartbeat", "connectPending",
    "errorCode", "errorDetails", "errorTimestamp", "privateLinkScope", "tags",
)

# localconfig.json settings in `config list` order, with their defaults.
LOCAL_DEFAULTS = (
    ("incomingconnections.enabled", True),
    ("incomingconnections.ports", []),
    ("connection.type", "default"),
    ("proxy.url", ""),
    ("proxy.bypass", []),
    ("extensions.allowlist", []),
    ("extensions.blocklist", []),
    ("guestconfiguration.enabled", True),
    ("extensions.enabled", True),
    ("config.mode", "full"),
    ("guestconfiguration.agent.cpulimit", 5),
    ("extensions.agent.cpulimit", 5),
)


# Written into a packaged copy of the simulator (next to azcmagent_sim.py) by the tests that build agent packages;
# never present in the checkout.
PACKAGE_VERSION_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "PACKAGE_VERSION")


def package_version():
    """The version of the package this simulator was installed from, or "" when it runs from the checkout."""
    try:
        with open(PACKAGE_VERSION_FILE, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def empty_agent_config():
    """agentconfig.json of an installed, never connected agent."""
    config = {key: "" for key in AGENT_CONFIG_KEYS}
    config["connectPending"] = False
    config["tags"] = {}
    return config


def read_json(path, default=None):
    """JSON file content, or ``default`` when missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return default


def write_json(path, data, mode=0o644):
    """Write atomically (temp file + rename)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=False)
        handle.write("\n")
    os.chmod(tmp, mode)
    os.replace(tmp, path)


class Host:
    """Paths and files of one simulated host directory."""

    def __init__(self, host_dir):
        self.dir = os.path.abspath(host_dir)
        self.sim_path = os.path.join(self.dir, "sim.json")
        self.sim = read_json(self.sim_path, {}) or {}
        # sim.json `root`: where the agent's files live; "/" for the packaged agent of an SSH fleet host, whose
        # /var/opt/azcmagent is the real path (in the host's own mount namespace).
        self.root = self.sim.get("root") or os.path.join(self.dir, "root")
        self.agent_dir = os.path.join(self.root, AGENT_DIR)
        self.agentconfig_path = os.path.join(self.agent_dir, "agentconfig.json")
        self.localconfig_path = os.path.join(self.agent_dir, "localconfig.json")
        self.log_dir = os.path.join(self.agent_dir, "log")
        self.log_path = os.path.join(self.log_dir, "azcmagent.log")
        self.himds_log_path = os.path.join(self.log_dir, "himds.log")
        self.pid_path = os.path.join(self.agent_dir, "run", "himds.pid")
        self.sock_path = os.path.join(self.agent_dir, "socks", "himds.sock")
        self.sim_state_path = os.path.join(self.dir, "sim-state.json")
        self.executable_path = os.path.join(self.dir, "azcmagent")

    # -- sim.json knobs ----------------------------------------------------------------------
    @property
    def name(self):
        return self.sim.get("name") or os.path.basename(self.dir)

    @property
    def hostname(self):
        return self.sim.get("hostname") or self.name

    @property
    def legacy(self):
        """True for the 1.7-era agent (logrus text console, the 2021 code list)."""
        return self.generation == "logrus"

    @property
    def generation(self):
        """``modern``, ``logfmt`` or ``logrus`` (see GENERATIONS): the knob, else from ``legacy``/the version."""
        value = str(self.sim.get("generation") or "").lower()
        if value in GENERATIONS:
            return value
        if self.sim.get("legacy"):
            return "logrus"
        parts = str(package_version() or self.sim.get("agent_version") or DEFAULT_VERSION).split(".")
        try:
            minor = int(parts[1])
        except (IndexError, ValueError):
            return "modern"
        if minor < 10:
            return "logrus"
        return "logfmt" if minor < 30 else "modern"

    @property
    def version(self):
        # A packaged simulator (the install and upgrade tests build .debs of it) knows its version from the package,
        # as the real agent's binary does: that wins over the sim.json knob.
        packaged = package_version()
        if packaged:
            return packaged
        default = {"logrus": LEGACY_VERSION, "logfmt": LOGFMT_VERSION}.get(self.generation, DEFAULT_VERSION)
        return self.sim.get("agent_version") or default

    @property
    def endpoints(self):
        return self.sim.get("endpoints") or {}

    @property
    def hosts_file(self):
        """sim.json `hosts_file`: names without an `endpoints` entry are looked up in this file (never through DNS)."""
        return self.sim.get("hosts_file") or ""

    @property
    def dial_networks(self):
        """sim.json `dial_networks`: networks (CIDR) besides loopback that the simulator may dial (an SSH fleet's bridge)."""
        return list(self.sim.get("dial_networks") or ())

    @property
    def ca_file(self):
        return self.sim.get("ca_file") or None

    @property
    def himds_service(self):
        return (self.sim.get("services") or {}).get("himds") or "himdsd"

    # -- agentconfig.json --------------------------------------------------------------------
    def agent_config(self, strict=True):
        """The local agent configuration. A file that exists but cannot be read is AZCM0070
        (`Unable To Obtain Local Config`) unless ``strict`` is false (a local reset reads it so)."""
        config = empty_agent_config()
        stored = read_json(self.agentconfig_path, None)
        if stored is None and strict and os.path.exists(self.agentconfig_path):
            raise AzcmError(70, "Failed to read the local configuration %s: the file is not valid JSON" % self.agentconfig_path)
        config.update(stored or {})
        return config

    def save_agent_config(self, config):
        merged = empty_agent_config()
        merged.update(config)
        write_json(self.agentconfig_path, merged)

    def reset_agent_config(self):
        write_json(self.agentconfig_path, empty_agent_config())

    # -- localconfig.json --------------------------------------------------------------------
    def local_config(self):
        config = dict(LOCAL_DEFAULTS)
        stored = read_json(self.localconfig_path, {}) or {}
        config.update(stored)
        return config

    def save_local_config(self, config):
        write_json(self.localconfig_path, config)

    # -- sim-state.json (counters the scenarios need) ----------------------------------------
    def sim_state(self):
        return read_json(self.sim_state_path, {}) or {}

    def save_sim_state(self, data):
        write_json(self.sim_state_path, data)

    # -- himds -------------------------------------------------------------------------------
    def himds_pid(self):
        """PID of the running himds daemon, or None."""
        try:
            with open(self.pid_path, encoding="ascii") as handle:
                pid = int(handle.read().strip() or "0")
        except (OSError, ValueError):
            return None
        if pid <= 0:
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        try:
            with open("/proc/%d/stat" % pid, encoding="ascii", errors="replace") as handle:
                if handle.read().split(") ", 1)[-1].startswith("Z"):
                    return None
        except OSError:
            pass
        return pid

    def himds_running(self):
        """True when the daemon's pid is alive and its socket exists."""
        return self.himds_pid() is not None and os.path.exists(self.sock_path)
