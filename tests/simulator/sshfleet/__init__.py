# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Hosts of an SSH fleet: network namespaces with their own sshd, file system and agent at its real paths.

Used by ``fleetlib.up(..., ssh=True)`` (``fleet up --ssh``); needs root, iproute2, util-linux (unshare, nsenter),
openssh-server, sudo, dpkg-dev, apt-utils, gnupg and python3-apt for /usr/bin/python3.

One fleet (id ``ID``) is:

* a bridge ``arcsbr<ID>`` with ``10.233.N.1/24`` on the host side (N free on this machine) and, per host, a veth
  pair ``arcs<ID><nn>`` (bridge side) / ``eth0`` (in the namespace ``arcsim-<ID>-<host>``) with ``10.233.N.<10+i>``.
  No namespace has a default route: anything off the bridge fails at once, nothing leaves the machine;
* ``hostside.py`` on the bridge address: port 443 relays to the mock Azure on 127.0.0.1, port 80 serves the signed
  apt repository (``DIR/repo``) with the agent simulator package (``tests/simulator/packaging``);
* per host, ``sshd`` started as ``ip netns exec NS unshare --mount --uts --propagation private sh -c '...'``: in its
  own mount namespace, overlays on ``/etc``, ``/usr``, ``/var`` and ``/opt`` (upper layers in
  ``DIR/hosts/<host>/fs``), a private ``/run``, its own host name, ``/etc/hosts`` (the Azure names at the bridge
  address), ``/etc/resolv.conf`` (``nameserver 127.0.0.1``), the mock's CA in its trust store and a sudo rule for
  the fleet user. So a package installed on one host is installed on that host only (its own dpkg database), the
  agent lives at ``/usr/bin/azcmagent``, ``/opt/azcmagent``, ``/var/opt/azcmagent`` with services ``himdsd`` and
  ``arcproxyd``, and the machine's own files never change;
* one unprivileged user ``arcs<ID>`` (``useradd``, key-only login, sudo only inside the hosts) and a controller key
  and known_hosts file in ``DIR/ssh``; Ansible's control sockets go to ``DIR/ssh/cp``.

``down(record)`` closes the control sockets (``ssh -O exit``), kills every process of each namespace
(``ip netns pids``), deletes the namespaces, veths and bridge, stops hostside and removes the user; mounts lived only
in the hosts' mount namespaces and go with their last process.
"""

from __future__ import annotations

import glob
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SIMULATOR = os.path.dirname(HERE)
AGENT_DIR = os.path.join(SIMULATOR, "agent")
INHOST = os.path.join(HERE, "inhost.py")
HOSTSIDE = os.path.join(HERE, "hostside.py")
HOST_PYTHON = "/usr/bin/python3"
SIM_HOST = "/var/opt/azcmagent/sim"
OVERLAYS = ("etc", "usr", "var", "opt")
SUBNET_BASE = "10.233.%d.0/24"
# The setups of scenarios.yml an SSH host can have (network scenarios need a proxy or closed port on the bridge: not yet).
SUPPORTED_NETWORKS = ("direct",)
REQUIRED = ("ip", "unshare", "nsenter", "ssh", "ssh-keygen", "useradd", "userdel", "dpkg-deb", "apt-ftparchive", "gpg")


class SshFleetError(RuntimeError):
    """The SSH fleet cannot be brought up (what is missing and how to get it)."""


def _run(argv, check=True, timeout=60, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    if check and proc.returncode != 0:
        raise SshFleetError("%s failed (rc %d): %s" % (" ".join(argv), proc.returncode, (proc.stderr or proc.stdout).strip()))
    return proc


def check_requirements():
    """Raise SshFleetError naming what is missing."""
    if os.geteuid() != 0:
        raise SshFleetError("an SSH fleet needs root (network namespaces, mounts, useradd)")
    missing = [tool for tool in REQUIRED if shutil.which(tool) is None]
    if not os.path.exists("/usr/sbin/sshd"):
        missing.append("sshd (openssh-server)")
    if not os.path.exists("/usr/bin/sudo"):
        missing.append("sudo")
    if subprocess.run([HOST_PYTHON, "-c", "import apt"], capture_output=True, check=False).returncode != 0:
        missing.append("python3-apt")
    if missing:
        raise SshFleetError("the SSH fleet needs: %s (make debs installs them)" % ", ".join(missing))


# -- network ----------------------------------------------------------------------------------------
def _used_networks():
    out = _run(["ip", "-o", "-4", "addr", "show"]).stdout + _run(["ip", "-o", "-4", "route", "show", "table", "all"], check=False).stdout
    nets = []
    for word in out.split():
        try:
            nets.append(ipaddress.ip_network(word, strict=False))
        except ValueError:
            continue
    return nets


def network(fleet_id, count):
    """Create the bridge and return {bridge, subnet, gateway, addresses: [ip per host]}."""
    if count > 200:
        raise SshFleetError("an SSH fleet has at most 200 hosts (one /24)")
    used = _used_networks()
    for third in range(int(fleet_id, 16) % 200 + 20, 256):
        subnet = ipaddress.ip_network(SUBNET_BASE % third)
        if not any(subnet.overlaps(net) for net in used if net.prefixlen > 0):
            break
    else:
        raise SshFleetError("no free 10.233.x.0/24 network on this machine")
    bridge = "arcsbr%s" % fleet_id
    gateway = str(subnet.network_address + 1)
    _run(["ip", "link", "add", bridge, "type", "bridge"])
    _run(["ip", "addr", "add", "%s/24" % gateway, "dev", bridge])
    _run(["ip", "link", "set", bridge, "up"])
    return {"bridge": bridge, "subnet": str(subnet), "gateway": gateway,
            "addresses": [str(subnet.network_address + 10 + i) for i in range(count)]}


def start_hostside(directory, net, mock_port, repo_root, python=None):
    """Start hostside.py on the bridge address; returns its pid."""
    pidfile = os.path.join(directory, "hostside.pid")
    log = open(os.path.join(directory, "hostside.log"), "ab")  # pylint: disable=consider-using-with
    argv = [python or sys.executable, HOSTSIDE, "--listen", net["gateway"], "--mock-port", str(mock_port), "--repo", repo_root,
            "--pidfile", pidfile]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)  # pylint: disable=consider-using-with
    log.close()
    deadline = time.time() + 15
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SshFleetError("hostside.py exited with %s; see %s" % (proc.returncode, os.path.join(directory, "hostside.log")))
        if os.path.exists(pidfile):
            return proc.pid
        time.sleep(0.05)
    _kill_all([proc.pid])
    raise SshFleetError("hostside.py did not start on %s" % net["gateway"])


# -- the fleet user and keys ------------------------------------------------------------------------
def create_user(directory, fleet_id):
    """The unprivileged SSH user (key login only) and the controller's key; returns {user, home, key, known_hosts, cp}."""
    user = "arcs%s" % fleet_id
    home = "/home/%s" % user
    ssh_dir = os.path.join(directory, "ssh")
    os.makedirs(os.path.join(ssh_dir, "cp"), mode=0o700, exist_ok=True)
    key = os.path.join(ssh_dir, "id_ed25519")
    _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "arcsim-%s-controller" % fleet_id, "-f", key])
    _run(["useradd", "--create-home", "--home-dir", home, "--shell", "/bin/sh", "--comment", "arcops SSH fleet %s" % fleet_id, user])
    # useradd leaves the password locked ("!"), which sshd refuses without PAM; "*" is no password, not locked
    _run(["usermod", "-p", "*", user])
    os.makedirs(os.path.join(home, ".ssh"), mode=0o700, exist_ok=True)
    shutil.copy(key + ".pub", os.path.join(home, ".ssh", "authorized_keys"))
    _run(["chown", "-R", "%s:%s" % (user, user), os.path.join(home, ".ssh")])
    os.chmod(os.path.join(home, ".ssh", "authorized_keys"), 0o600)
    return {"user": user, "home": home, "key": key, "known_hosts": os.path.join(ssh_dir, "known_hosts"),
            "control_path_dir": os.path.join(ssh_dir, "cp")}


# -- hosts ------------------------------------------------------------------------------------------
def _write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, mode)


def _trust_bundle(ca_file):
    with open("/etc/ssl/certs/ca-certificates.crt", encoding="utf-8") as handle:
        system = handle.read()
    with open(ca_file, encoding="utf-8") as handle:
        mock = handle.read()
    return system.rstrip("\n") + "\n" + mock


def create_host(directory, fleet_id, index, name, address, net, user, ca_file, azure_names, sim):
    """Lay out one host's files, create its namespace and veth, start its sshd; returns its fleet.json entry."""
    host_dir = os.path.join(directory, "hosts", name)
    fs = os.path.join(host_dir, "fs")
    for top in OVERLAYS:
        os.makedirs(os.path.join(fs, top), exist_ok=True)
        os.makedirs(os.path.join(host_dir, "work", top), exist_ok=True)
    # the host's own configuration, written into its upper layers before anything mounts them
    _write(os.path.join(fs, "etc", "hostname"), name + "\n")
    _write(os.path.join(fs, "etc", "hosts"), "".join([
        "# %s of the arcops SSH fleet %s (tests/simulator/sshfleet)\n" % (name, fleet_id),
        "127.0.0.1\tlocalhost\n", "::1\tlocalhost ip6-localhost ip6-loopback\n", "%s\t%s\n" % (address, name),
        # the Azure names at the host side of the bridge (hostside.py relays them to the mock Azure)
        "".join("%s\t%s\n" % (net["gateway"], azure) for azure in azure_names),
    ]))
    _write(os.path.join(fs, "etc", "resolv.conf"), "# no DNS: every name this host needs is in /etc/hosts\nnameserver 127.0.0.1\n")
    _write(os.path.join(fs, "etc", "sudoers.d", "arcsim-%s" % fleet_id), "%s ALL=(ALL) NOPASSWD: ALL\n" % user["user"], 0o440)
    # the mock's CA in the system trust store, as a site trusts its own TLS inspection CA
    _write(os.path.join(fs, "usr", "local", "share", "ca-certificates", "arcsim-mock-azure.crt"), open(ca_file, encoding="utf-8").read())
    _write(os.path.join(fs, "etc", "ssl", "certs", "ca-certificates.crt"), _trust_bundle(ca_file))
    sim = dict(sim, root="/", hosts_file="/etc/hosts", dial_networks=[net["subnet"]], ca_file="", python=HOST_PYTHON,
               services={"himds": "himdsd"})
    sim.pop("endpoints", None)
    _write(os.path.join(fs, "var", "opt", "azcmagent", "sim", "sim.json"), json.dumps(sim, indent=2) + "\n")
    key = os.path.join(host_dir, "ssh_host_ed25519_key")
    if not os.path.exists(key):
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key])
    config = os.path.join(host_dir, "sshd_config")
    _write(config, "\n".join([
        "# sshd of %s (arcops SSH fleet %s)" % (name, fleet_id),
        "ListenAddress %s:22" % address, "HostKey %s" % key, "PidFile none", "UsePAM no",
        "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
        "AuthorizedKeysFile .ssh/authorized_keys", "AllowUsers %s" % user["user"], "PermitRootLogin no", "StrictModes yes",
        "UseDNS no", "X11Forwarding no", "AllowTcpForwarding no", "AllowAgentForwarding no", "PrintMotd no",
        "MaxSessions 50", "MaxStartups 50:30:100", "Subsystem sftp internal-sftp", "LogLevel INFO", ""]), 0o600)

    netns = "arcsim-%s-%s" % (fleet_id, name)
    veth = "arcs%s%02d" % (fleet_id, index)
    entry = {"host_dir": host_dir, "fs": fs, "netns": netns, "veth": veth, "address": address, "name": name}
    _run(["ip", "netns", "add", netns])
    _run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns])
    _run(["ip", "link", "set", veth, "master", net["bridge"], "up"])
    for argv in (["ip", "addr", "add", "%s/24" % address, "dev", "eth0"], ["ip", "link", "set", "eth0", "up"],
                 ["ip", "link", "set", "lo", "up"]):
        _run(["ip", "netns", "exec", netns] + argv)
    mounts = " && ".join(
        ["mount -t overlay arcsim-%s -o lowerdir=/%s,upperdir=%s/%s,workdir=%s/work/%s /%s" % (name, top, fs, top, host_dir, top, top)
         for top in OVERLAYS]
        + ["mount -t tmpfs -o mode=0755 arcsim-run /run", "mkdir -m 0755 /run/sshd /run/sudo", "hostname %s" % name,
           "exec /usr/sbin/sshd -D -e -f %s" % config])
    log = open(os.path.join(host_dir, "sshd.log"), "ab")  # pylint: disable=consider-using-with
    argv = ["ip", "netns", "exec", netns, "unshare", "--mount", "--uts", "--propagation", "private", "sh", "-c", mounts]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)  # pylint: disable=consider-using-with
    log.close()
    entry["sshd_pid"] = proc.pid
    entry["host_key"] = open(key + ".pub", encoding="utf-8").read().split()[:2]
    return entry


def wait_sshd(entries, timeout=30.0):
    """Wait until every host's sshd answers on port 22 (from the host side of the bridge)."""
    deadline = time.time() + timeout
    waiting = list(entries)
    while waiting and time.time() < deadline:
        for entry in list(waiting):
            try:
                with socket.create_connection((entry["address"], 22), 0.5) as sock:
                    if sock.recv(64).startswith(b"SSH-"):
                        waiting.remove(entry)
            except OSError:
                pass
        time.sleep(0.05)
    if waiting:
        raise SshFleetError("sshd did not answer on %s; see %s" % (
            ", ".join(e["address"] for e in waiting), ", ".join(os.path.join(e["host_dir"], "sshd.log") for e in waiting)))


def write_known_hosts(user, entries):
    _write(user["known_hosts"], "".join("%s %s %s\n" % (e["address"], e["host_key"][0], e["host_key"][1]) for e in entries), 0o600)


def host_exec(entry, argv, check=True, timeout=120):
    """Run ``argv`` as root inside the host (its network, mount and UTS namespaces)."""
    return _run(["nsenter", "-t", str(entry["sshd_pid"]), "-m", "-u", "-n", "--"] + list(argv), check=check, timeout=timeout)


def install_agent(entry, deb):
    """Install the agent package on the host (dpkg -i inside it: its own dpkg database)."""
    host_exec(entry, ["env", "DEBIAN_FRONTEND=noninteractive", "dpkg", "-i", deb], timeout=180)


def seed_local(entry, kind, resource_id, **kwargs):
    """The agent's local state (hostlib's set_connected / set_disconnected / set_expired / set_partial) inside the host."""
    proc = host_exec(entry, [HOST_PYTHON, "-I", INHOST, kind, SIM_HOST, resource_id, json.dumps(kwargs)])
    return json.loads(proc.stdout)


def service(entry, name, action):
    """``/etc/init.d/<name> <action>`` inside the host; returns its exit status."""
    return host_exec(entry, ["/etc/init.d/%s" % name, action], check=False).returncode


def agent(entry, *args):
    """``azcmagent ARGS`` as root inside the host (CompletedProcess)."""
    return host_exec(entry, ["/usr/bin/azcmagent"] + list(args), check=False)


# -- teardown ---------------------------------------------------------------------------------------
def _netns_pids(netns):
    proc = subprocess.run(["ip", "netns", "pids", netns], capture_output=True, text=True, check=False)
    return [int(p) for p in proc.stdout.split() if p.isdigit()]


def _kill_all(pids, timeout=5.0):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + (timeout if sig == signal.SIGTERM else 2)
        while time.time() < deadline and any(os.path.exists("/proc/%d" % p) and not _zombie(p) for p in pids):
            time.sleep(0.05)


def _zombie(pid):
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return True


def close_control_sockets(control_path_dir):
    """``ssh -O exit`` every ControlPersist master of the fleet; returns how many were closed."""
    closed = 0
    for sock in glob.glob(os.path.join(control_path_dir, "*")):
        proc = subprocess.run(["ssh", "-O", "exit", "-o", "ControlPath=%s" % sock, "arcsim"], capture_output=True, check=False, timeout=15)
        closed += proc.returncode == 0
        if os.path.exists(sock):
            os.unlink(sock)
    return closed


def down(record):
    """Remove everything of the SSH fleet in ``record`` (fleet.json's ``ssh``); idempotent. Returns counts."""
    ssh = record.get("ssh") or {}
    summary = {"control_sockets": 0, "namespaces": 0, "processes": 0, "links": 0, "user": False, "hostside": False}
    fleet_id = record.get("id") or ""
    user = ssh.get("user") or ({"user": "arcs%s" % fleet_id, "home": "/home/arcs%s" % fleet_id} if fleet_id else {})
    if user.get("control_path_dir"):
        summary["control_sockets"] = close_control_sockets(user["control_path_dir"])
    entries = list((record.get("hosts") or {}).values())
    # what an interrupted `up` made before fleet.json knew it: the fleet id is in every name
    known = {e.get("netns") for e in entries}
    if fleet_id:
        listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False).stdout.split()
        entries += [{"netns": n} for n in listed if n.startswith("arcsim-%s-" % fleet_id) and n not in known]
        entries += [{"netns": "", "veth": n} for n in os.listdir("/sys/class/net") if n.startswith("arcs%s" % fleet_id)
                    and n != "arcsbr%s" % fleet_id]
        if not ssh.get("network") and os.path.exists("/sys/class/net/arcsbr%s" % fleet_id):
            ssh = dict(ssh, network={"bridge": "arcsbr%s" % fleet_id})
    for entry in entries:
        if not entry.get("netns"):
            if os.path.exists("/sys/class/net/%s" % entry.get("veth", "-")):
                _run(["ip", "link", "del", entry["veth"]], check=False)
                summary["links"] += 1
            continue
        netns = entry["netns"]
        pids = _netns_pids(netns)
        if entry.get("sshd_pid"):
            pids.append(entry["sshd_pid"])
        _kill_all(sorted(set(pids)))
        summary["processes"] += len(set(pids))
        if os.path.exists("/run/netns/%s" % netns):
            _run(["ip", "netns", "del", netns], check=False)
            summary["namespaces"] += 1
        if os.path.exists("/sys/class/net/%s" % entry.get("veth", "-")):
            _run(["ip", "link", "del", entry["veth"]], check=False)
            summary["links"] += 1
        try:
            os.waitpid(entry.get("sshd_pid") or -1, os.WNOHANG)
        except ChildProcessError:
            pass
    net = ssh.get("network") or {}
    if net.get("bridge") and os.path.exists("/sys/class/net/%s" % net["bridge"]):
        _run(["ip", "link", "del", net["bridge"]], check=False)
        summary["links"] += 1
    if ssh.get("hostside_pid"):
        _kill_all([ssh["hostside_pid"]])
        summary["hostside"] = True
    if user.get("user"):
        if subprocess.run(["id", user["user"]], capture_output=True, check=False).returncode == 0:
            leftover = [int(p) for p in subprocess.run(["pgrep", "-u", user["user"]], capture_output=True, text=True,
                                                       check=False).stdout.split()]
            _kill_all(leftover)
            _run(["userdel", "--remove", user["user"]], check=False)
            summary["user"] = True
        if user.get("home") and os.path.isdir(user["home"]) and os.path.basename(user["home"]) == user["user"]:
            shutil.rmtree(user["home"], ignore_errors=True)
    return summary


def leftovers(record):
    """What of the fleet still exists on this machine (empty when down() removed everything)."""
    ssh = record.get("ssh") or {}
    found = []
    for entry in (record.get("hosts") or {}).values():
        if entry.get("netns") and os.path.exists("/run/netns/%s" % entry["netns"]):
            found.append("netns " + entry["netns"])
        if entry.get("veth") and os.path.exists("/sys/class/net/%s" % entry["veth"]):
            found.append("link " + entry["veth"])
        if entry.get("sshd_pid") and os.path.exists("/proc/%d" % entry["sshd_pid"]) and not _zombie(entry["sshd_pid"]):
            found.append("sshd pid %d" % entry["sshd_pid"])
    net = ssh.get("network") or {}
    if net.get("bridge") and os.path.exists("/sys/class/net/%s" % net["bridge"]):
        found.append("link " + net["bridge"])
    user = (ssh.get("user") or {}).get("user")
    if user and subprocess.run(["id", user], capture_output=True, check=False).returncode == 0:
        found.append("user " + user)
    if ssh.get("hostside_pid") and os.path.exists("/proc/%d" % ssh["hostside_pid"]) and not _zombie(ssh["hostside_pid"]):
        found.append("hostside pid %d" % ssh["hostside_pid"])
    cp = (ssh.get("user") or {}).get("control_path_dir")
    if cp and glob.glob(os.path.join(cp, "*")):
        found.append("control sockets in " + cp)
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        if record.get("dir") and record["dir"] in handle.read():
            found.append("mounts under " + record["dir"])
    return found
