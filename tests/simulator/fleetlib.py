# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The simulated fleet: N hosts (agent simulator), the mock Azure, optionally a real squid.

    import fleetlib
    fleet = fleetlib.up("/tmp/f1", scenarios={"clean": 3, "stale_resource": 1}, proxy=False)
    fleet.inventory, fleet.mock_url, fleet.ca_file, fleet.hosts, fleet.state()
    fleetlib.down("/tmp/f1")

Layout and contract: /tmp/simcontract.md, README.md beside this file. Everything the fleet
starts is recorded in DIR/fleet.json so that ``down`` (idempotent) stops exactly that.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT_DIR = os.path.join(HERE, "agent")
for _path in (HERE, AGENT_DIR):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import scenarios as scenario_table  # noqa: E402  pylint: disable=wrong-import-position
from mockazure import server as mock_server  # noqa: E402  pylint: disable=wrong-import-position
from mockazure.client import Client  # noqa: E402  pylint: disable=wrong-import-position
from mockazure.model import Mock  # noqa: E402  pylint: disable=wrong-import-position

ONBOARDING = "Azure Connected Machine Onboarding"
RESOURCE_ADMIN = "Azure Connected Machine Resource Administrator"
PROVIDERS = ("Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity", "Microsoft.AzureArcData")
LOCATION = scenario_table.DEFAULTS.get("location", "westeurope")
CLOUD = scenario_table.DEFAULTS.get("cloud", "AzureCloud")
INIT_DIR = "/etc/init.d"
DNS_FAILURE_TARGET = "arcsim-dns-failure.invalid:443"
# The endpoints a connect needs (Entra ID, Resource Manager, the Arc services), as the check module probes them.
CHECK_NAMES = ("login.microsoftonline.com", "management.azure.com", "gbl.his.arc.azure.com", "pas.windows.net")
# Azure domains squid refuses (dstdomain: matched on the CONNECT name, no DNS lookup).
SQUID_DENY_DOMAINS = (
    ".microsoftonline.com", ".windows.net", ".azure.com", ".microsoft.com", ".microsoftonline.us", ".usgovcloudapi.net",
    ".azure.us", ".chinacloudapi.cn", ".azure.cn", ".microsoftonline.cn", ".arcdataservices.com",
)


def _hostlib():
    """The agent engineer's host library (tests/simulator/agent/hostlib.py)."""
    import hostlib  # pylint: disable=import-outside-toplevel
    return hostlib


def _sshfleet():
    """The SSH fleet's hosts (tests/simulator/sshfleet): network namespaces with their own sshd."""
    import sshfleet  # pylint: disable=import-outside-toplevel
    return sshfleet


def _packaging():
    """The agent simulator's .deb and apt repository builder (tests/simulator/packaging/agent_deb.py)."""
    sys.path.insert(0, os.path.join(HERE, "packaging"))
    try:
        import agent_deb as packaging  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.pop(0)
    return packaging


def azure_names(location=LOCATION):
    """Every real Azure host name the agent or the collection contacts, in the three clouds."""
    names = [
        "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "management.azure.com", "pas.windows.net",
        "gbl.his.arc.azure.com", "%s.his.arc.azure.com" % location, "agentserviceapi.guestconfiguration.azure.com",
        "%s-gas.guestconfiguration.azure.com" % location, "guestnotificationservice.azure.com",
        "login.microsoftonline.us", "management.usgovcloudapi.net", "pasff.usgovcloudapi.net", "gbl.his.arc.azure.us",
        "usgovvirginia.his.arc.azure.us", "agentserviceapi.guestconfiguration.azure.us", "usgovvirginia-gas.guestconfiguration.azure.us",
        "login.chinacloudapi.cn", "management.chinacloudapi.cn", "pas.chinacloudapi.cn", "gbl.his.arc.azure.cn",
        "chinaeast2.his.arc.azure.cn", "agentserviceapi.guestconfiguration.azure.cn", "chinaeast2-gas.guestconfiguration.azure.cn",
    ]
    wildcards = ["*.his.arc.azure.com", "*.guestconfiguration.azure.com", "*.his.arc.azure.us", "*.guestconfiguration.azure.us",
                 "*.his.arc.azure.cn", "*.guestconfiguration.azure.cn", "*.login.microsoft.com"]
    return names + wildcards


def _network_targets(info):
    """Where a host of each network setup really dials the Azure names (all on loopback or unresolvable)."""
    mock_target = "127.0.0.1:%d" % info["port"]
    return {
        "direct": mock_target, "proxy_blocked": mock_target, "dns_failure": DNS_FAILURE_TARGET,
        "port_closed": "127.0.0.1:%d" % info["closed_port"], "tls_intercepted": "127.0.0.1:%d" % info["intercept_port"],
    }


def endpoint_map(target):
    return {name: target for name in azure_names()}


class Fleet:
    """A running (or stopped) fleet read from DIR/fleet.json."""

    def __init__(self, directory):
        self.dir = os.path.abspath(directory)
        with open(os.path.join(self.dir, "fleet.json"), encoding="utf-8") as handle:
            self.data = json.load(handle)

    @property
    def id(self):
        return self.data["id"]

    @property
    def inventory(self):
        return os.path.join(self.dir, "inventory.yml")

    @property
    def mock_url(self):
        return self.data["mock"]["url"]

    @property
    def ca_file(self):
        return self.data["mock"]["ca_file"]

    @property
    def hosts(self):
        """{name: {scenario, host_dir, executable, service, init_script, ...}}"""
        return self.data["hosts"]

    @property
    def identity(self):
        return self.data["identity"]

    def client(self):
        return Client(self.mock_url, self.ca_file)

    def state(self):
        """The mock's state: live from the admin API, or state.json once the mock has stopped."""
        try:
            return self.client().state()
        except OSError:
            with open(os.path.join(self.dir, "mock", "state.json"), encoding="utf-8") as handle:
                data = json.load(handle)
            data.pop("token_key", None)
            return data

    def requests(self):
        try:
            return self.client().requests()
        except OSError:
            path = os.path.join(self.dir, "mock", "requests.jsonl")
            with open(path, encoding="utf-8") as handle:
                return [json.loads(line) for line in handle if line.strip()]

    def machine_id(self, host, subscription=None, group=None):
        return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (
            subscription or self.identity["subscription_id"], group or self.identity["resource_group"], host)

    def machine(self, host, subscription=None, group=None):
        """The mock's machine resource of a host in the fleet target (or None)."""
        return self.state()["machines"].get(self.machine_id(host, subscription, group).lower())

    def host_vars(self, host):
        with open(self.inventory, encoding="utf-8") as handle:
            inv = yaml.safe_load(handle)
        merged = dict(inv["all"]["children"]["arc_fleet"]["vars"])
        merged.update(inv["all"]["children"]["arc_fleet"]["hosts"][host])
        return merged


def _plan(scenarios=None, hosts=None, scenario=None):
    """[(host name, scenario)] in a stable order."""
    if scenarios and (scenario or hosts):
        raise ValueError("give scenarios, or hosts with an optional scenario, not both")
    if not scenarios:
        scenarios = {scenario or "clean": int(hosts if hosts is not None else 1)}
    plan = []
    total = sum(int(n) for n in scenarios.values())
    width = max(2, len(str(max([int(n) for n in scenarios.values()] + [1]))))
    for name, count in scenarios.items():
        scenario_table.setup(name)       # validates the name
        for index in range(1, int(count) + 1):
            plan.append((scenario_table.host_name(name, index, width), name))
    if len({h for h, _ in plan}) != total:
        raise ValueError("duplicate host names in %r" % (scenarios,))
    return plan


def _write_json(path, data):
    """Write JSON readable by the owner only: fleet.json holds the fleet's generated secrets."""
    tmp = path + ".tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
    os.replace(tmp, path)


def _start_squid(directory, port=0, service="arcsim"):
    """A real Debian squid on 127.0.0.1 that denies the Azure names with 403 Forbidden."""
    squid = shutil.which("squid") or "/usr/sbin/squid"
    if not os.path.exists(squid):
        raise RuntimeError("squid is not installed (apt-get install squid)")
    proxy_dir = os.path.join(directory, "proxy")
    os.makedirs(proxy_dir, exist_ok=True)
    # squid opens its logs after dropping to the proxy user, who cannot traverse a private DIR
    # (pytest's tmp dirs are 0700): the logs go to a /tmp dir owned by proxy, linked as DIR/proxy/logs.
    import pwd  # pylint: disable=import-outside-toplevel
    import tempfile  # pylint: disable=import-outside-toplevel
    log_dir = tempfile.mkdtemp(prefix="arcsim-squid-")
    os.chmod(log_dir, 0o755)
    try:
        user = pwd.getpwnam("proxy")
        os.chown(log_dir, user.pw_uid, user.pw_gid)
    except KeyError:
        os.chmod(log_dir, 0o777)
    link = os.path.join(proxy_dir, "logs")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(log_dir, link)
    if not port:
        import socket  # pylint: disable=import-outside-toplevel
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    conf = os.path.join(proxy_dir, "squid.conf")
    with open(conf, "w", encoding="utf-8") as handle:
        handle.write("\n".join([
            "# arcops simulator: a corporate proxy that blocks Azure (written by tests/simulator/fleetlib.py)",
            "http_port 127.0.0.1:%d" % port,
            "pid_filename %s/squid.pid" % log_dir,
            "cache_log %s/cache.log" % log_dir,
            "access_log stdio:%s/access.log" % log_dir,
            "coredump_dir %s" % log_dir,
            "cache deny all",
            "cache_mem 1 MB",
            "visible_hostname arcsim-proxy",
            "dns_nameservers 127.0.0.1",      # any lookup squid might try stays on loopback
            "pinger_enable off",
            "icp_port 0",
            "htcp_port 0",
            "shutdown_lifetime 1 seconds",
            "acl azure dstdomain %s" % " ".join(SQUID_DENY_DOMAINS),
            "http_access deny azure",
            "http_access deny all",           # nothing else either: no traffic ever leaves loopback
            "",
        ]))
    log = open(os.path.join(proxy_dir, "squid.out"), "ab")  # pylint: disable=consider-using-with
    # -n: a service name of our own, so the shared memory segments (/dev/shm/<service>-*) never collide
    proc = subprocess.Popen([squid, "-N", "-n", service, "-f", conf], stdin=subprocess.DEVNULL, stdout=log, stderr=log,  # pylint: disable=consider-using-with
                            start_new_session=True, cwd=proxy_dir)
    log.close()
    import socket  # pylint: disable=import-outside-toplevel
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            if os.path.exists(os.path.join(log_dir, "cache.log")):
                shutil.copy(os.path.join(log_dir, "cache.log"), os.path.join(proxy_dir, "cache.log"))
            shutil.rmtree(log_dir, ignore_errors=True)
            raise RuntimeError("squid exited with %s; see %s and %s" % (proc.returncode, os.path.join(proxy_dir, "cache.log"),
                                                                        os.path.join(proxy_dir, "squid.out")))
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        _kill(proc.pid)
        shutil.rmtree(log_dir, ignore_errors=True)
        raise RuntimeError("squid did not listen on 127.0.0.1:%d" % port)
    return {"url": "http://127.0.0.1:%d" % port, "port": port, "pid": proc.pid, "conf": conf, "dir": proxy_dir, "log_dir": log_dir}


def _himds_strays(directory):
    """Pids of himds daemons still running for hosts under ``directory``."""
    prefix = os.path.join(os.path.abspath(directory), "hosts") + os.sep
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as handle:
                argv = handle.read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if any(arg.endswith("himds.py") for arg in argv) and "--agent-dir" in argv:
            agent_dir = argv[argv.index("--agent-dir") + 1] if argv.index("--agent-dir") + 1 < len(argv) else ""
            if agent_dir.startswith(prefix):
                pids.append(int(entry))
    return pids


def _kill(pid, timeout=10.0):
    """SIGTERM one process we started, wait, SIGKILL if needed. True when it was alive."""
    if not pid:
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return True
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return True


def pid_alive(pid):
    if not pid:
        return False
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def up(directory, scenarios=None, hosts=None, scenario=None, proxy=False, init_dir=INIT_DIR, python=None, page_size=None, ssh=False):
    """Bring a fleet up in ``directory`` and return it. A fleet already there is brought down first.
    When anything fails, whatever was started is brought down again before the error propagates.
    ``ssh=True``: every host is a network namespace with its own sshd and agent at its real paths (sshfleet/)."""
    directory = os.path.abspath(directory)
    if os.path.exists(os.path.join(directory, "fleet.json")):
        down(directory)
    plan = _plan(scenarios, hosts, scenario)
    if ssh:
        for _name, scen in plan:
            if scenario_table.setup(scen)["network"] not in _sshfleet().SUPPORTED_NETWORKS:
                raise ValueError("scenario %s is not available in an SSH fleet (network %s)" % (scen, scenario_table.setup(scen)["network"]))
    try:
        return _up(directory, plan, proxy, init_dir, python, page_size, ssh)
    except BaseException:
        if os.path.exists(os.path.join(directory, "fleet.json")):
            down(directory)
        raise


def _up(directory, plan, proxy, init_dir, python, page_size, ssh=False):
    started = time.monotonic()
    python = python or sys.executable
    hostlib = _hostlib()
    fleet_id = secrets.token_hex(3)
    os.makedirs(os.path.join(directory, "hosts"), exist_ok=True)
    record = {"id": fleet_id, "dir": directory, "python": python, "created": time.time(), "init_dir": init_dir,
              "hosts": {}, "mock": None, "proxy": None, "state": "starting", "mode": "ssh" if ssh else "local"}
    fleet_json = os.path.join(directory, "fleet.json")
    _write_json(fleet_json, record)      # from here on, down() can clean up whatever was started

    # -- the mock Azure -------------------------------------------------------------------------
    info = mock_server.start_daemon(os.path.join(directory, "mock"), python=python)
    record["mock"] = {k: info[k] for k in ("url", "port", "intercept_url", "intercept_port", "closed_port", "pid", "ca_file",
                                           "intercept_ca_file", "state_file")}
    _write_json(fleet_json, record)
    used = {s for _, s in plan}
    if proxy or any(scenario_table.setup(s)["network"] == "proxy_blocked" for s in used):
        record["proxy"] = _start_squid(directory, service="arcsim%s" % fleet_id)
        _write_json(fleet_json, record)

    # -- identities and Azure-side seed ---------------------------------------------------------
    ident = {
        "tenant_id": str(uuid.uuid4()), "tenant_name": "Contoso Arc Simulation", "subscription_id": str(uuid.uuid4()),
        "subscription_name": "arcsim-%s" % fleet_id, "unregistered_subscription_id": str(uuid.uuid4()),
        "resource_group": "arcsim-%s-rg" % fleet_id, "other_resource_group": "arcsim-%s-rg-old" % fleet_id,
        "location": LOCATION, "cloud": CLOUD,
        "client_id": str(uuid.uuid4()), "client_secret": secrets.token_urlsafe(32), "object_id": str(uuid.uuid4()),
        "admin_client_id": str(uuid.uuid4()), "admin_client_secret": secrets.token_urlsafe(32), "admin_object_id": str(uuid.uuid4()),
        "norole_client_id": str(uuid.uuid4()), "norole_client_secret": secrets.token_urlsafe(32),
        "wrong_secret": secrets.token_urlsafe(32), "unknown_client_id": str(uuid.uuid4()), "unknown_tenant_id": str(uuid.uuid4()),
    }
    record["identity"] = ident
    sub, sub2, rg, rg_old = ident["subscription_id"], ident["unregistered_subscription_id"], ident["resource_group"], ident["other_resource_group"]
    seed = {
        "tenants": {ident["tenant_id"]: {"display_name": ident["tenant_name"], "domains": ["arcsim%s.onmicrosoft.com" % fleet_id]}},
        "principals": {
            ident["client_id"]: {"tenant": ident["tenant_id"], "secret": ident["client_secret"], "object_id": ident["object_id"],
                                 "display_name": "arcsim-%s-onboarding" % fleet_id},
            ident["admin_client_id"]: {"tenant": ident["tenant_id"], "secret": ident["admin_client_secret"],
                                       "object_id": ident["admin_object_id"], "display_name": "arcsim-%s-admin" % fleet_id},
            ident["norole_client_id"]: {"tenant": ident["tenant_id"], "secret": ident["norole_client_secret"],
                                        "display_name": "arcsim-%s-norole" % fleet_id},
        },
        "subscriptions": {
            sub: {"display_name": ident["subscription_name"], "tenant": ident["tenant_id"], "providers": {p: "Registered" for p in PROVIDERS}},
            sub2: {"display_name": "arcsim-%s-unregistered" % fleet_id, "tenant": ident["tenant_id"],
                   "providers": dict({p: "Registered" for p in PROVIDERS}, **{"Microsoft.HybridCompute": "NotRegistered"})},
        },
        "resource_groups": {
            "/subscriptions/%s/resourcegroups/%s" % (sub, rg): {"name": rg, "location": LOCATION},
            "/subscriptions/%s/resourcegroups/%s" % (sub, rg_old): {"name": rg_old, "location": LOCATION},
            "/subscriptions/%s/resourcegroups/%s" % (sub2, rg): {"name": rg, "location": LOCATION},
        },
        "role_assignments": [],
        "machines": {}, "locks": [], "faults": [],
    }
    if page_size:
        seed["settings"] = {"page_size": int(page_size)}
    for s in (sub, sub2):
        for group in ((rg, rg_old) if s == sub else (rg,)):
            scope = "/subscriptions/%s/resourceGroups/%s" % (s, group)
            seed["role_assignments"] += [{"object_id": ident["object_id"], "role": ONBOARDING, "scope": scope},
                                         {"object_id": ident["object_id"], "role": RESOURCE_ADMIN, "scope": scope}]
        seed["role_assignments"].append({"object_id": ident["admin_object_id"], "role": "Owner", "scope": "/subscriptions/%s" % s})

    if ssh:
        _ssh_prepare(directory, record, info, len(plan), python)
        _write_json(fleet_json, record)

    # -- hosts ----------------------------------------------------------------------------------
    network_targets = _network_targets(info)
    hosts_dir = os.path.join(directory, "hosts")
    to_start = []
    for name, scen in plan:
        setup = scenario_table.setup(scen)
        host_dir = os.path.join(hosts_dir, name)
        sim = {"name": name, "hostname": name, "scenario": scen, "endpoints": endpoint_map(network_targets[setup["network"]]),
               "ca_file": info["ca_file"], "services": {"himds": "arcsim-%s-%s-himdsd" % (fleet_id, name)}, "device_code_timeout": 3}
        sim.update(setup["sim"])
        if ssh:
            entry = _ssh_host(directory, record, info, len(record["hosts"]), name, scen, sim)
            record["hosts"][name] = entry
            _write_json(fleet_json, record)
        else:
            created = hostlib.create_host(host_dir, sim, init_dir=init_dir, python=python)
            entry = {"scenario": scen, "host_dir": host_dir, "executable": created["executable"], "service": created["service"],
                     "init_script": created["init_script"], "root": created["root"]}
            if created.get("interpreter"):
                entry["interpreter"] = created["interpreter"]
            record["hosts"][name] = entry
        if setup["network"] == "proxy_blocked":
            hostlib.set_local_config(host_dir, settings={"proxy.url": record["proxy"]["url"]})
            entry["proxy_url"] = record["proxy"]["url"]
        subscription = sub2 if setup["subscription"] == "unregistered" else sub
        group = rg_old if setup["target"] == "elsewhere" else rg
        machine_id = "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (subscription, group, name)
        vm_id = None
        if setup["local"] != "none" and ssh:
            kwargs = {"tenant_id": ident["tenant_id"], "location": LOCATION, "cloud": CLOUD}
            kind = "pending" if setup["local"] == "pending" else {"Disconnected": "disconnected", "Expired": "expired"}.get(
                setup["local_status"], "connected")
            vm_id = _sshfleet().seed_local(entry, kind, machine_id, **kwargs)["vmId"]
        elif setup["local"] != "none":
            kwargs = {"tenant_id": ident["tenant_id"], "location": LOCATION, "cloud": CLOUD}
            if setup["local"] == "pending":
                config = hostlib.set_partial(host_dir, machine_id, **kwargs)
            elif setup["local_status"] == "Disconnected":
                config = hostlib.set_disconnected(host_dir, machine_id, **kwargs)
            elif setup["local_status"] == "Expired":
                config = hostlib.set_expired(host_dir, machine_id, **kwargs)
            else:
                config = hostlib.set_connected(host_dir, machine_id, **kwargs)
            vm_id = config["vmId"]
        if setup["machine"] != "none":
            machine_vm = vm_id if setup["machine"] == "same_vm" and vm_id else str(uuid.uuid4())
            status = setup["local_status"] if setup["local"] == "connected" else ("Connected" if setup["machine"] == "other_vm" else "Disconnected")
            machine = Mock.new_machine(machine_id, name, LOCATION, {"vmId": machine_vm, "status": status}, tenant=ident["tenant_id"],
                                       created_by=ident["client_id"])
            if setup["local"] == "pending":
                machine["properties"]["provisioningState"] = "Creating"
            seed["machines"][machine_id.lower()] = machine
            entry["machine_id"] = machine_id
            entry["machine_vm_id"] = machine_vm
        if setup["lock"]:
            seed["locks"].append({"scope": machine_id, "level": setup["lock"], "name": "arcsim-%s-lock" % name})
        if setup["fault"]:
            fault = dict(setup["fault"])
            fault.setdefault("path_regex", "(?i)/resourcegroups/%s/providers/microsoft\\.hybridcompute/machines/%s$" % (group, name))
            seed["faults"].append(fault)
        if ssh and setup["himds"] == "stopped" and entry["preinstalled"]:
            _sshfleet().service(entry, "himdsd", "stop")
        elif setup["himds"] == "running" and not ssh:
            to_start.append(host_dir)
        entry["himds"] = setup["himds"]
    Client(info["url"], info["ca_file"]).seed(seed)
    record["init_scripts"] = [h["init_script"] for h in record["hosts"].values() if h.get("init_script")]
    _write_json(fleet_json, record)

    # -- himds daemons, in parallel -------------------------------------------------------------
    workers = min(16, max(1, len(to_start)))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        pids = list(pool.map(hostlib.start_himds, to_start))
    for host_dir, pid in zip(to_start, pids):
        record["hosts"][os.path.basename(host_dir)]["himds_pid"] = pid
    if ssh:
        _write_ssh_inventory(directory, record, info)
    else:
        _write_inventory(directory, record, info)
    record["state"] = "up"
    record["up_seconds"] = round(time.monotonic() - started, 2)
    _write_json(fleet_json, record)
    return Fleet(directory)


# -- SSH fleet ---------------------------------------------------------------------------------------
# Names the hosts of an SSH fleet resolve to the bridge (their /etc/hosts): every Azure name the agent or the check
# module dials, the regional short name of the check table included. Wildcards cannot go into a hosts file.
def ssh_azure_names(location=LOCATION):
    return [name for name in azure_names(location) if not name.startswith("*")] + ["weu.his.arc.azure.com"]


def _ssh_prepare(directory, record, info, count, python):
    """The package and its repository, the bridge, hostside (relay + mirror) and the fleet user; all in record["ssh"]."""
    sshfleet = _sshfleet()
    sshfleet.check_requirements()
    ssh = record["ssh"] = {}
    fleet_json = os.path.join(directory, "fleet.json")
    packaging = _packaging()
    packages = os.path.join(directory, "packages")
    deb = packaging.build_deb(packages)
    repo = packaging.build_repo(os.path.join(packages, "mirror"), [deb])
    ssh.update(deb=deb, repo=repo)
    ssh["network"] = sshfleet.network(record["id"], count)
    _write_json(fleet_json, record)
    ssh["hostside_pid"] = sshfleet.start_hostside(directory, ssh["network"], info["port"], os.path.join(packages, "mirror"), python)
    _write_json(fleet_json, record)
    ssh["user"] = sshfleet.create_user(directory, record["id"])
    ssh["mirror_url"] = "http://%s%s" % (ssh["network"]["gateway"], repo["url_path"])
    ssh["key_url"] = "http://%s%s" % (ssh["network"]["gateway"], repo["key_url_path"])


def _ssh_host(directory, record, info, index, name, scen, sim):
    """One SSH host: namespace, sshd, and, for a scenario with local agent state or a stopped service, the agent
    installed beforehand (a machine that has the agent already); every other host gets it from the install role."""
    sshfleet = _sshfleet()
    ssh = record["ssh"]
    setup = scenario_table.setup(scen)
    entry = sshfleet.create_host(directory, record["id"], index + 1, name, ssh["network"]["addresses"][index], ssh["network"],
                                 ssh["user"], info["ca_file"], ssh_azure_names(), sim)
    entry["scenario"] = scen
    sshfleet.wait_sshd([entry])
    entry["preinstalled"] = setup["local"] != "none" or setup["himds"] == "stopped"
    if entry["preinstalled"]:
        sshfleet.install_agent(entry, ssh["deb"])
    return entry


def _identity_vars(setup, ident):
    """The host variables that give a scenario its identity or subscription (wrong secret, unknown app, ...)."""
    hvars = {}
    identity = setup["identity"]
    if identity == "wrong_secret":
        hvars["azcmagent_service_principal_secret"] = ident["wrong_secret"]
    elif identity == "unknown_app":
        hvars["azcmagent_service_principal_id"] = ident["unknown_client_id"]
    elif identity == "unknown_tenant":
        hvars["azcmagent_tenant_id"] = ident["unknown_tenant_id"]
    elif identity == "no_role":
        hvars["azcmagent_service_principal_id"] = ident["norole_client_id"]
        hvars["azcmagent_service_principal_secret"] = ident["norole_client_secret"]
    if setup["subscription"] == "unregistered":
        hvars["azcmagent_subscription_id"] = ident["unregistered_subscription_id"]
    return hvars


def _save_inventory(directory, hosts, groups, group_vars, what):
    """Write DIR/inventory.yml (owner-only: it holds the fleet's fake credentials). Reports of every playbook go into
    the fleet's directory (the summary play on localhost reads the `all` vars)."""
    inventory = {"all": {"vars": {"azcmagent_report_dir": os.path.join(directory, "reports")},
                         "children": dict({"arc_fleet": {"hosts": hosts, "vars": group_vars}},
                                          **{g: {"hosts": members} for g, members in sorted(groups.items())})}}
    path = os.path.join(directory, "inventory.yml")
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write("---\n# Generated by tests/simulator/fleetlib.py for %s: fake, per-fleet credentials.\n" % what)
        yaml.safe_dump(inventory, handle, default_flow_style=False, sort_keys=False, width=200)
    os.chmod(path + ".tmp", 0o600)
    os.replace(path + ".tmp", path)


def _write_ssh_inventory(directory, record, info):
    """The inventory of an SSH fleet: what a real site's inventory holds, no simulator paths or service names."""
    ident = record["identity"]
    ssh = record["ssh"]
    user = ssh["user"]
    _sshfleet().write_known_hosts(user, list(record["hosts"].values()))
    group_vars = {
        "ansible_user": user["user"],
        "ansible_ssh_private_key_file": user["key"],
        "ansible_ssh_common_args": "-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes" % user["known_hosts"],
        "ansible_control_path_dir": user["control_path_dir"],
        "ansible_become": True,
        # modules go to the host on the SSH session's stdin, not as temp files (sudo on Debian needs no tty)
        "ansible_pipelining": True,
        "ansible_python_interpreter": "/usr/bin/python3",
        "azcmagent_subscription_id": ident["subscription_id"],
        "azcmagent_resource_group": ident["resource_group"],
        "azcmagent_location": ident["location"],
        "azcmagent_tenant_id": ident["tenant_id"],
        "azcmagent_cloud": ident["cloud"],
        "azcmagent_service_principal_id": ident["client_id"],
        "azcmagent_service_principal_secret": ident["client_secret"],
        # the package mirror (a site's internal mirror of packages.microsoft.com)
        "azcmagent_repo_url": ssh["mirror_url"],
        "azcmagent_repo_key_url": ssh["key_url"],
        # the controller-side Azure modules (delegated to localhost) reach the mock on loopback
        "azcmagent_authority_host": info["url"],
        "azcmagent_resource_manager_endpoint": info["url"],
        "azcmagent_ca_file": info["ca_file"],
        "sim_mock_url": info["url"],
        "sim_fleet_dir": directory,
        "sim_fleet_id": record["id"],
        "sim_admin_principal_id": ident["admin_client_id"],
        "sim_admin_principal_secret": ident["admin_client_secret"],
        "sim_unregistered_subscription_id": ident["unregistered_subscription_id"],
        "sim_other_resource_group": ident["other_resource_group"],
    }
    hosts = {}
    groups = {}
    for name, entry in record["hosts"].items():
        setup = scenario_table.setup(entry["scenario"])
        hvars = {"ansible_host": entry["address"], "sim_scenario": entry["scenario"], "sim_host_dir": entry["host_dir"]}
        hvars.update(_identity_vars(setup, ident))
        hvars.update(setup["inventory"])
        hosts[name] = hvars
        groups.setdefault("scenario_%s" % entry["scenario"], {})[name] = None
    _save_inventory(directory, hosts, groups, group_vars, "the SSH fleet %s" % record["id"])


def _write_inventory(directory, record, info):
    ident = record["identity"]
    python = record["python"]
    mock_url = info["url"]
    group_vars = {
        "azcmagent_subscription_id": ident["subscription_id"],
        "azcmagent_resource_group": ident["resource_group"],
        "azcmagent_location": ident["location"],
        "azcmagent_tenant_id": ident["tenant_id"],
        "azcmagent_cloud": ident["cloud"],
        "azcmagent_service_principal_id": ident["client_id"],
        "azcmagent_service_principal_secret": ident["client_secret"],
        "azcmagent_authority_host": mock_url,
        "azcmagent_resource_manager_endpoint": mock_url,
        "azcmagent_ca_file": info["ca_file"],
        # The install role's Azure virtual machine probe asks the fleet's closed port, never 169.254.169.254: no packet
        # leaves loopback, and an agent already at azcmagent_executable is recognised without a package.
        "azcmagent_imds_url": "http://127.0.0.1:%d/metadata/instance/compute?api-version=2021-02-01" % info["closed_port"],
        "sim_mock_url": mock_url,
        "sim_fleet_dir": directory,
        "sim_fleet_id": record["id"],
        "sim_admin_principal_id": ident["admin_client_id"],
        "sim_admin_principal_secret": ident["admin_client_secret"],
        "sim_unregistered_subscription_id": ident["unregistered_subscription_id"],
        "sim_other_resource_group": ident["other_resource_group"],
    }
    # What the check module probes: the real Azure names, dialled where the host's agent dials them
    # (the same mapping sim.json gives the simulator), so findings name the real endpoints.
    endpoints_by_network = {
        network: [{"url": "https://%s" % name, "connect_to": target} for name in CHECK_NAMES]
        for network, target in _network_targets(info).items()
    }
    group_vars["azcmagent_endpoints"] = endpoints_by_network["direct"]
    hosts = {}
    groups = {}
    for name, entry in record["hosts"].items():
        setup = scenario_table.setup(entry["scenario"])
        hvars = {
            "ansible_connection": "local", "ansible_python_interpreter": entry.get("interpreter") or python,
            "azcmagent_executable": entry["executable"], "azcmagent_service_names": [entry["service"]],
            # The simulated agent's host name (the name it gives its machine resource): every simulated host runs on
            # this one machine, whose own name the roles would otherwise read from the facts.
            "azcmagent_host_name": name,
            "sim_scenario": entry["scenario"], "sim_host_dir": entry["host_dir"],
        }
        if entry.get("interpreter"):
            # the user a non_root host pretends, for a module run from another host's Python (a target's testhost)
            hvars["sim_environment"] = {"ARCOPS_AZCMAGENT_AGENT_UID": str(_hostlib().NON_ROOT_UID)}
        if setup["network"] != "direct":
            hvars["azcmagent_endpoints"] = endpoints_by_network[setup["network"]]
        if setup["network"] == "proxy_blocked":
            hvars["sim_proxy_url"] = entry["proxy_url"]
        hvars.update(_identity_vars(setup, ident))
        hvars.update(setup["inventory"])
        hosts[name] = hvars
        groups.setdefault("scenario_%s" % entry["scenario"], {})[name] = None
    _save_inventory(directory, hosts, groups, group_vars, "fleet %s" % record["id"])


def down(directory):
    """Stop everything the fleet in ``directory`` started and remove its init scripts (idempotent).

    Returns a summary dict: mock (stopped?), proxy (stopped?), himds (count stopped), init_scripts (count removed).
    The host directories, state.json and requests.jsonl stay for inspection.
    """
    directory = os.path.abspath(directory)
    summary = {"mock": False, "proxy": False, "himds": 0, "init_scripts": 0}
    fleet_json = os.path.join(directory, "fleet.json")
    if not os.path.exists(fleet_json):
        return summary
    with open(fleet_json, encoding="utf-8") as handle:
        record = json.load(handle)
    if record.get("mode") == "ssh" or record.get("ssh"):
        summary["ssh"] = _sshfleet().down(record)
        summary["mock"] = mock_server.stop_daemon(os.path.join(directory, "mock"))
        record["state"] = "down"
        record["down_at"] = time.time()
        _write_json(fleet_json, record)
        return summary
    hostlib = _hostlib()
    host_dirs = [h["host_dir"] for h in record.get("hosts", {}).values()]
    # hosts whose creation was interrupted are not in fleet.json yet: take them from the directory too
    hosts_root = os.path.join(directory, "hosts")
    if os.path.isdir(hosts_root):
        host_dirs += [os.path.join(hosts_root, d) for d in os.listdir(hosts_root) if os.path.join(hosts_root, d) not in host_dirs]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        summary["himds"] = sum(1 for stopped in pool.map(hostlib.stop_himds, [d for d in host_dirs if os.path.isdir(d)]) if stopped)
    # A daemon whose pid file is gone (a test removed the host's agent state) is found by its command line.
    summary["himds"] += sum(1 for pid in _himds_strays(directory) if _kill(pid))
    scripts = set(record.get("init_scripts") or []) | {h.get("init_script") for h in record.get("hosts", {}).values() if h.get("init_script")}
    for host_dir in host_dirs:
        sim_path = os.path.join(host_dir, "sim.json")
        if os.path.exists(sim_path):
            with open(sim_path, encoding="utf-8") as handle:
                script = json.load(handle).get("init_script")
            if script:
                scripts.add(script)
    for script in scripts:
        if script and os.path.isfile(script):
            os.unlink(script)
            summary["init_scripts"] += 1
    if record.get("proxy"):
        summary["proxy"] = _kill(record["proxy"].get("pid"))
        log_dir = record["proxy"].get("log_dir")
        if log_dir and os.path.isdir(log_dir) and os.path.basename(log_dir).startswith("arcsim-squid-"):
            keep = os.path.join(record["proxy"]["dir"], "logs-kept")
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(log_dir, keep, ignore=shutil.ignore_patterns("*.pid"))
            shutil.rmtree(log_dir, ignore_errors=True)
    summary["mock"] = mock_server.stop_daemon(os.path.join(directory, "mock"))
    record["state"] = "down"
    record["down_at"] = time.time()
    _write_json(fleet_json, record)
    return summary


def status(directory):
    """What runs of the fleet: {mock, proxy, hosts: {name: {scenario, himds}}}."""
    fleet = Fleet(directory)
    hostlib = _hostlib()
    return {
        "id": fleet.id, "dir": fleet.dir, "state": fleet.data.get("state"),
        "mock": {"url": fleet.mock_url, "pid": fleet.data["mock"]["pid"], "running": pid_alive(fleet.data["mock"]["pid"])},
        "proxy": ({"url": fleet.data["proxy"]["url"], "pid": fleet.data["proxy"]["pid"], "running": pid_alive(fleet.data["proxy"]["pid"])}
                  if fleet.data.get("proxy") else None),
        "hosts": {name: ({"scenario": h["scenario"], "address": h["address"], "netns": h["netns"],
                          "sshd": "running" if pid_alive(h.get("sshd_pid")) else "stopped"} if h.get("netns") else
                         {"scenario": h["scenario"], "himds": "running" if hostlib.himds_running(h["host_dir"]) else "stopped"})
                  for name, h in fleet.hosts.items()},
    }


def seed_machine(fleet, name, group=None, status="Disconnected", days_since_change=0, vm_id=None, extensions=()):
    """Add a machine resource that no host of the fleet owns (an orphan, or a duplicate of a host's resource).

    ``days_since_change`` backdates ``lastStatusChange``; ``extensions`` are extension names to add to it
    (see :func:`seed_extensions`). Returns the machine's resource ID."""
    import datetime  # pylint: disable=import-outside-toplevel
    ident = fleet.identity
    machine_id = fleet.machine_id(name, group=group)
    machine = Mock.new_machine(machine_id, name, LOCATION, {"vmId": vm_id or str(uuid.uuid4()), "status": status},
                               tenant=ident["tenant_id"], created_by=ident["client_id"])
    when = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days_since_change)
    machine["properties"]["lastStatusChange"] = when.strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
    fleet.client().seed({"machines": {machine_id.lower(): machine}})
    if extensions:
        seed_extensions(fleet, machine_id, extensions)
    return machine_id


def seed_extensions(fleet, machine_id, names):
    """Add extensions (by name; publisher and type from a small table of real Linux extensions) to a machine resource."""
    known = {
        "AzureMonitorLinuxAgent": ("Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent", "1.33.2"),
        "MDE.Linux": ("Microsoft.Azure.AzureDefenderForServers", "MDE.Linux", "1.0.5.0"),
        "CustomScript": ("Microsoft.Azure.Extensions", "CustomScript", "2.1.10"),
    }
    seed = {}
    for name in names:
        publisher, ext_type, version = known.get(name, ("Microsoft.Azure.Extensions", name, "1.0.0"))
        ext = Mock.new_extension(machine_id, name, publisher, ext_type, version, LOCATION)
        seed[ext["id"].lower()] = ext
    fleet.client().seed({"extensions": seed})
    return sorted(seed)


def make_clone(fleet, clone, source):
    """Give host ``clone`` the agent identity of host ``source`` (same resource ID and vmId): a server cloned from an
    image of a connected one. Returns the clone's agent config."""
    hostlib = _hostlib()
    config = hostlib.agent_state(fleet.hosts[source]["host_dir"])[0]
    return hostlib.set_connected(fleet.hosts[clone]["host_dir"], config["resourceId"], tenant_id=config.get("tenantId", ""),
                                 location=config.get("location", LOCATION), cloud=config.get("cloud", CLOUD), vm_id=config["vmId"],
                                 status=config.get("status") or "Connected")


def _parse_scenarios(value):
    """--scenarios FILE (YAML/JSON mapping name: count) or inline ``clean=3,stale_resource=1`` or ``all``."""
    if value == "all":
        return {name: 1 for name in scenario_table.NAMES}
    if os.path.exists(value):
        with open(value, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if isinstance(data, list):
            return {name: 1 for name in data}
        return {str(k): int(v) for k, v in data.items()}
    result = {}
    for part in value.split(","):
        name, _, count = part.partition("=")
        result[name.strip()] = int(count or 1)
    return result


def main(argv=None):
    import argparse  # pylint: disable=import-outside-toplevel
    parser = argparse.ArgumentParser(prog="fleet", description="simulated Azure Arc fleet: agent simulators + mock Azure (+ squid)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="create the hosts, start the mock, seed it, start the himds daemons, write inventory.yml")
    p_up.add_argument("--dir", required=True)
    p_up.add_argument("--hosts", type=int, help="number of hosts (of --scenario, default clean)")
    p_up.add_argument("--scenario", help="scenario of every host (see scenarios.yml)")
    p_up.add_argument("--scenarios", help="YAML/JSON file {scenario: count}, or inline clean=3,stale_resource=1, or 'all'")
    p_up.add_argument("--proxy", action="store_true", help="start a real squid on 127.0.0.1 that denies the Azure names")
    p_up.add_argument("--init-dir", default=INIT_DIR, help="where the himds init scripts go (default /etc/init.d)")
    p_up.add_argument("--page-size", type=int, help="page size of the mock's list answers")
    p_up.add_argument("--ssh", action="store_true",
                      help="hosts as network namespaces with their own sshd, reached over SSH with become; the agent package "
                           "comes from a local signed apt repository (root; see README.md)")
    for name in ("down", "status"):
        p = sub.add_parser(name)
        p.add_argument("--dir", required=True)
    sub.add_parser("scenarios", help="list the scenarios and their expected outcome")
    args = parser.parse_args(argv)
    if args.command == "up":
        scenarios = _parse_scenarios(args.scenarios) if args.scenarios else None
        if scenarios and args.hosts:
            parser.error("--hosts goes with --scenario, not with --scenarios")
        fleet = up(args.dir, scenarios=scenarios, hosts=args.hosts, scenario=args.scenario, proxy=args.proxy,
                   init_dir=args.init_dir, page_size=args.page_size, ssh=args.ssh)
        print(json.dumps({"id": fleet.id, "dir": fleet.dir, "inventory": fleet.inventory, "mock_url": fleet.mock_url,
                          "ca_file": fleet.ca_file, "hosts": len(fleet.hosts), "proxy": (fleet.data.get("proxy") or {}).get("url"),
                          "seconds": fleet.data.get("up_seconds")}, indent=1))
    elif args.command == "down":
        print(json.dumps(down(args.dir), indent=1))
    elif args.command == "status":
        print(json.dumps(status(args.dir), indent=1))
    else:
        for name, entry in scenario_table.SCENARIOS.items():
            exp = entry["expect"]
            row = (name, exp["code"] or "-", exp["category"], exp["action"], str(exp["fixable"]).lower(), exp["state"])
            print("%-22s %-9s %-18s %-22s fixable=%-5s -> %s" % row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
