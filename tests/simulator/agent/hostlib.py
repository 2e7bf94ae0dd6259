# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lay out, seed, start and remove simulated hosts (the fleet's entry point to the agent double).

    import sys; sys.path.insert(0, "/work/main/tests/simulator/agent"); import hostlib
    info = hostlib.create_host(DIR + "/hosts/clean-01", {"name": "clean-01", "endpoints": {...}, "ca_file": ...})
    hostlib.start_himds(info["host_dir"])
    hostlib.set_connected(info["host_dir"], resource_id, tenant_id="...", location="westeurope")

Creation runs no subprocess (only ``start_himds`` starts the daemon); 200 hosts take well
under a second.  Everything is plain files: see NOTES.md for their shapes.
"""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from azsim.state import (  # noqa: E402  pylint: disable=wrong-import-position
    DEFAULT_VERSION, LEGACY_VERSION, Host, empty_agent_config, read_json, write_json,
)

SIMULATOR = os.path.join(HERE, "azcmagent_sim.py")
HIMDS = os.path.join(HERE, "himds.py")
INIT_TEMPLATE = os.path.join(HERE, "himds-init.sh.tmpl")
DEFAULT_INIT_DIR = "/etc/init.d"

# sim.json defaults (contract in /tmp/simcontract.md, mirrored in NOTES.md).
SIM_DEFAULTS = {
    "scenario": "clean", "legacy": False, "non_root": False, "hang": False, "transient_failures": 0,
    "endpoints": {}, "ca_file": "", "device_code_timeout": 3,
}


def _utc(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _template():
    with open(INIT_TEMPLATE, encoding="utf-8") as handle:
        return handle.read()


def create_host(host_dir, sim_config, init_dir=DEFAULT_INIT_DIR, python=None, keep_state=False):
    """Create one host: root tree, sim.json, ``azcmagent`` wrapper and the himds init script.

    ``sim_config`` follows the sim.json contract; missing keys get defaults (``name`` from the
    directory, ``hostname`` = name, ``agent_version`` by ``legacy``, ``services.himds`` =
    ``arcsim-<name>-himdsd``).  ``init_dir=None`` writes no init script.  ``python`` runs the
    simulator and the daemon (default: this interpreter).  Returns a dict with ``host_dir``,
    ``root``, ``executable``, ``service``, ``init_script`` (or None), ``sim`` (the sim.json data).
    The himds daemon is NOT started: call ``start_himds``.  An existing host directory is reset
    to a never-connected agent (empty logs, default settings) unless ``keep_state`` is true.
    """
    host_dir = os.path.abspath(host_dir)
    python = python or sys.executable
    sim = dict(SIM_DEFAULTS)
    sim.update(sim_config or {})
    sim.setdefault("name", os.path.basename(host_dir))
    sim.setdefault("hostname", sim["name"])
    sim.setdefault("agent_version", LEGACY_VERSION if sim.get("legacy") else DEFAULT_VERSION)
    services = dict(sim.get("services") or {})
    services.setdefault("himds", "arcsim-%s-himdsd" % sim["name"])
    sim["services"] = services
    sim.setdefault("vm_uuid", str(uuid.uuid4()).upper())
    sim["python"] = python
    host = Host(host_dir)
    for sub in ("log", "run", "socks", "certs", "tokens"):
        os.makedirs(os.path.join(host.agent_dir, sub), exist_ok=True)
    os.makedirs(os.path.join(host.root, "opt", "azcmagent", "bin"), exist_ok=True)
    init_script = os.path.join(init_dir, services["himds"]) if init_dir else None
    sim["init_script"] = init_script or ""
    write_json(host.sim_path, sim)
    if not keep_state or not os.path.exists(host.agentconfig_path):
        write_json(host.agentconfig_path, empty_agent_config())
    if not keep_state or not os.path.exists(host.localconfig_path):
        write_json(host.localconfig_path, {})
    if not keep_state and os.path.exists(host.sim_state_path):
        os.unlink(host.sim_state_path)
    for path in (host.log_path, host.himds_log_path):
        with open(path, "a" if keep_state else "w", encoding="utf-8"):
            pass
    wrapper = '#!/bin/sh\nexec "%s" "%s" --sim-host "%s" "$@"\n' % (python, SIMULATOR, host_dir)
    executable = os.path.join(host_dir, "azcmagent")
    _write_exec(executable, wrapper)
    # The agent's own path inside the host root points at the same wrapper.
    _write_exec(os.path.join(host.root, "opt", "azcmagent", "bin", "azcmagent"), wrapper)
    if init_script:
        text = _template()
        for key, value in (("@SERVICE@", services["himds"]), ("@HOST@", sim["name"]), ("@AGENT_DIR@", host.agent_dir),
                           ("@PYTHON@", python), ("@DAEMON@", HIMDS)):
            text = text.replace(key, value)
        os.makedirs(init_dir, exist_ok=True)
        _write_exec(init_script, text)
    interpreter = None
    if sim.get("non_root"):
        # The Python that runs Ansible's modules for this host: it tells the module and, through the module's
        # environment, the simulated agent which user they run as - not root, unless Ansible escalated this very
        # module run (become through sudo: SUDO_COMMAND holds the become wrapper's BECOME-SUCCESS- marker).
        interpreter = os.path.join(host_dir, "python")
        _write_exec(interpreter, INTERPRETER_WRAPPER % {"uid": int(sim.get("uid") or NON_ROOT_UID), "python": python})
    return {"host_dir": host_dir, "root": host.root, "executable": executable, "service": services["himds"],
            "init_script": init_script, "sim": sim, "interpreter": interpreter}


# The user ID of a non_root host's user, and the interpreter wrapper that pretends it (see create_host).
NON_ROOT_UID = 1000
INTERPRETER_WRAPPER = """#!/bin/sh
case "${SUDO_COMMAND:-}" in
  *BECOME-SUCCESS-*) ARCOPS_AZCMAGENT_AGENT_UID=0 ;;
  *) ARCOPS_AZCMAGENT_AGENT_UID=%(uid)d ;;
esac
export ARCOPS_AZCMAGENT_AGENT_UID
exec "%(python)s" "$@"
"""


def _write_exec(path, text):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o755)
    os.replace(tmp, path)


def update_sim(host_dir, **changes):
    """Change sim.json knobs (e.g. ``hang=True``, ``endpoints={...}``); returns the new data."""
    host = Host(host_dir)
    data = dict(host.sim)
    data.update(changes)
    write_json(host.sim_path, data)
    return data


def start_himds(host_dir, wait=True):
    """Start the host's himds daemon; with ``wait`` return once it listens.  Returns its pid (or None)."""
    host = Host(host_dir)
    pid = host.himds_pid()
    if pid and os.path.exists(host.sock_path):
        return pid
    python = host.sim.get("python") or sys.executable
    command = [python, "-I", "-S", HIMDS, "--agent-dir", host.agent_dir, "--daemon"]
    if wait:
        subprocess.run(command, check=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return Host(host_dir).himds_pid()
    subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                     stderr=subprocess.DEVNULL, start_new_session=True)
    return None


def stop_himds(host_dir, timeout=5.0):
    """Stop the daemon (SIGTERM, then SIGKILL); returns True when it was running."""
    host = Host(host_dir)
    pid = host.himds_pid()
    if pid is None:
        for path in (host.pid_path, host.sock_path):
            if os.path.lexists(path):
                os.unlink(path)
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and host.himds_pid() is not None:
        time.sleep(0.02)
    if host.himds_pid() is not None:
        os.kill(pid, signal.SIGKILL)
    for path in (host.pid_path, host.sock_path):
        if os.path.lexists(path):
            os.unlink(path)
    return True


def himds_running(host_dir):
    """True when the daemon's pid is alive and its socket exists."""
    return Host(host_dir).himds_running()


def remove_host(host_dir, remove_init_script=True):
    """Stop the daemon, remove the init script named in sim.json and the host directory."""
    host = Host(host_dir)
    if os.path.isdir(host.dir):
        stop_himds(host_dir)
    script = host.sim.get("init_script")
    if remove_init_script and script and os.path.isfile(script):
        os.unlink(script)
    shutil.rmtree(host.dir, ignore_errors=True)


# -- local agent state ----------------------------------------------------------------------------
def _split_resource_id(resource_id):
    parts = resource_id.strip("/").split("/")
    lower = [part.lower() for part in parts]
    try:
        subscription = parts[lower.index("subscriptions") + 1]
        group = parts[lower.index("resourcegroups") + 1]
        name = parts[lower.index("machines") + 1]
    except (ValueError, IndexError):
        raise ValueError("not a Microsoft.HybridCompute/machines resource id: %r" % resource_id) from None
    return subscription, group, name


def set_connected(host_dir, resource_id, tenant_id="", location="westeurope", cloud="AzureCloud", vm_id=None,
                  status="Connected", last_heartbeat=None, correlation_id=None, tags=None):
    """Write agentconfig.json as a connected agent has it; returns it (``vmId`` to seed the mock with)."""
    subscription, group, name = _split_resource_id(resource_id)
    host = Host(host_dir)
    config = empty_agent_config()
    config.update({
        "resourceId": resource_id, "resourceName": name, "resourceGroup": group, "subscriptionId": subscription,
        "tenantId": tenant_id, "location": location, "cloud": cloud, "vmId": vm_id or str(uuid.uuid4()),
        "vmUuid": host.sim.get("vm_uuid", ""), "correlationId": correlation_id or str(uuid.uuid4()), "status": status,
        "lastHeartbeat": _utc(datetime.datetime.now(datetime.timezone.utc)) if last_heartbeat is None else last_heartbeat, "connectPending": False,
        "tags": dict(tags or {}),
    })
    host.save_agent_config(config)
    return config


def set_disconnected(host_dir, resource_id, hours_since_heartbeat=2, **kwargs):
    """Connected once, no heartbeat for a while: status ``Disconnected`` (connect gives AZCM0067)."""
    beat = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=hours_since_heartbeat)
    return set_connected(host_dir, resource_id, status="Disconnected", last_heartbeat=_utc(beat), **kwargs)


def set_expired(host_dir, resource_id, days_since_heartbeat=50, **kwargs):
    """Managed identity certificate expired: status ``Expired`` (connect gives AZCM0067)."""
    beat = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days_since_heartbeat)
    return set_connected(host_dir, resource_id, status="Expired", last_heartbeat=_utc(beat), **kwargs)


def set_partial(host_dir, resource_id, **kwargs):
    """A connect that crashed after creating the resource: resource id kept, empty status,
    ``connectPending``.  Seed the mock with a machine carrying the returned ``vmId`` and an
    unfinished provisioningState: connect then fails AZCM0062."""
    kwargs.setdefault("last_heartbeat", "")
    config = set_connected(host_dir, resource_id, status="", **kwargs)
    config["connectPending"] = True
    Host(host_dir).save_agent_config(config)
    return config


def set_clean(host_dir):
    """Never connected (what `disconnect --force-local-only` leaves)."""
    Host(host_dir).reset_agent_config()


def set_local_config(host_dir, **settings):
    """Write localconfig.json settings; keyword names use ``_`` for ``.``: ``proxy_url="http://127.0.0.1:3128"``,
    ``proxy_bypass=["ARM"]``.  A dict can be passed as ``settings={"proxy.url": ...}`` too."""
    host = Host(host_dir)
    stored = read_json(host.localconfig_path, {}) or {}
    extra = settings.pop("settings", None) or {}
    for key, value in settings.items():
        stored[key.replace("_", ".", 1) if key.startswith(("proxy_", "config_", "connection_")) else key.replace("_", ".")] = value
    stored.update(extra)
    write_json(host.localconfig_path, stored)
    return host.local_config()


def agent_state(host_dir):
    """(agentconfig.json, localconfig.json with defaults, sim-state.json) of a host."""
    host = Host(host_dir)
    return host.agent_config(), host.local_config(), host.sim_state()
