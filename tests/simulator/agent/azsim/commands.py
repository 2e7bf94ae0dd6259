# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What each azcmagent subcommand does in the simulator (reference sections 4-11)."""

from __future__ import annotations

import datetime
import errno
import json
import os
import random
import re
import socket
import string
import time
import uuid
import zipfile

from . import azure, faults
from .console import utc_now
from .errors import AzcmError
from .netdial import Dialer, RequestError, bypass_group
from .state import LOCAL_DEFAULTS

# A GUID as the agent accepts it (no braces).
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Machine resource name: letters, digits, '-', '_', '.'; 1-54 characters; not ending in '-' or '_'.
RESOURCE_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{0,53}[A-Za-z0-9.]$")
# Resource group: word characters, '-', '.', '(', ')'; 1-90; not ending in '.'.
RESOURCE_GROUP_RE = re.compile(r"^[-\w.()]{0,89}[-\w()]$")
# Tag names may not hold these characters (ARM rule).
TAG_NAME_BAD_RE = re.compile(r"[<>%&\\?/]")
# Resource id of a private link scope.
PLS_RE = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.HybridCompute/privateLinkScopes/[^/]+$", re.I)
# A proxy URL `config set proxy.url` accepts: http(s)://host:port, no credentials.
PROXY_URL_RE = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+:\d{1,5}/?$")
# Extension allow/block list entry: Publisher/Type (or Allow/None).
EXTENSION_RE = re.compile(r"^[A-Za-z0-9.\-_]+/[A-Za-z0-9.\-_]+$")
DEVICE_LOGIN = "https://microsoft.com/devicelogin"
AUTO_UPGRADE = "enabled, id: /etc/cron.d/azcmagent_autoupgrade"
ROOT_COMMANDS = ("connect", "disconnect", "logs", "upgrade")
# The user ID the caller pretends to be (the collection's runner reads the same variable: plugins/module_utils/_runner.py).
AGENT_UID_ENV = "ARCOPS_AZCMAGENT_AGENT_UID"
PROXY_BYPASS_VALUES = ("AAD", "ARM", "AMA", "Arc", "ArcData")
MULTI_VALUE = ("incomingconnections.ports", "proxy.bypass", "extensions.allowlist", "extensions.blocklist")
BOOLEAN_KEYS = ("incomingconnections.enabled", "guestconfiguration.enabled", "extensions.enabled")
PREVIEW_KEYS = ("incomingconnections.enabled", "incomingconnections.ports")
CONFIG_INFO = {
    "incomingconnections.enabled": "Allow incoming connections (SSH, Windows Admin Center) through Azure Arc. Values: true, false",
    "incomingconnections.ports": "Ports that may accept incoming connections, e.g. 22,6516",
    "connection.type": "How the agent reaches Azure. Values: default, direct, gateway",
    "proxy.url": "URL of the HTTP proxy the agent uses, http://host:port (no authentication)",
    "proxy.bypass": "Service groups that do not use the proxy. Values: AAD, ARM, AMA, Arc, ArcData",
    "extensions.allowlist": "Extensions that may be installed, Publisher/Type",
    "extensions.blocklist": "Extensions that may not be installed, Publisher/Type",
    "guestconfiguration.enabled": "Enable the guest configuration (machine configuration) agent. Values: true, false",
    "extensions.enabled": "Enable the extension manager. Values: true, false",
    "config.mode": "Agent configuration mode. Values: full, monitor",
    "guestconfiguration.agent.cpulimit": "CPU limit (percent) of the guest configuration agent, 1-100",
    "extensions.agent.cpulimit": "CPU limit (percent) of the extension manager, 1-100",
}


class Context:
    """One run: the host, its console, the parsed options and positional words."""

    def __init__(self, host, console, options, positionals, stdin):
        self.host = host
        self.console = console
        self.options = options
        self.positionals = positionals
        self.stdin = stdin

    def opt(self, name, default=""):
        value = self.options.get(name, default)
        return value.strip() if isinstance(value, str) else value

    def is_root(self):
        """Root when the user ID the caller pretends (``ARCOPS_AZCMAGENT_AGENT_UID``, set by the simulated host's
        interpreter wrapper for the module that runs the agent, and read by the module too) is 0.

        Without it: root, unless sim.json says non_root and this very command was not escalated through sudo.
        A ``SUDO_UID`` inherited from an outer ``sudo make test`` must not count: only a sudo whose
        command is Ansible's become wrapper (``BECOME-SUCCESS-``) or this host's agent does."""
        if self.host.sim.get("drops_privileges"):
            # an agent that runs as another user whoever starts it (a wrapper or a policy that takes root's rights away)
            return False
        pretended = os.environ.get(AGENT_UID_ENV, "").strip()
        if pretended.isdigit():
            return int(pretended) == 0
        if self.host.sim.get("non_root"):
            command = os.environ.get("SUDO_COMMAND", "")
            return "BECOME-SUCCESS-" in command or self.host.executable_path in command
        return os.geteuid() == 0

    def require_root(self, command):
        if not self.is_root():
            details = ["Administrative privileges are required to run 'azcmagent %s'. Run the command as root "
                       "(for example with sudo)." % command]
            if self.host.legacy:
                self.console.plain("You must be root to execute /usr/bin/azcmagent")
            raise AzcmError(18, details)

    def dialer(self):
        local = self.host.local_config()
        dialer = Dialer(self.host.endpoints, self.host.ca_file, local.get("proxy.url") or "", local.get("proxy.bypass") or ())
        if self.host.hosts_file or self.host.dial_networks:
            dialer.use_hosts_file(self.host.hosts_file, self.host.dial_networks)
        return dialer


def run(command, ctx):
    """Dispatch a parsed command."""
    handlers = {"connect": connect, "disconnect": disconnect, "show": show, "check": check, "config": config,
                "logs": logs, "version": version, "license": license_text, "genkey": genkey, "upgrade": upgrade}
    if command in ROOT_COMMANDS:
        ctx.require_root(command)
    handlers[command](ctx)


# -- usage ------------------------------------------------------------------------------------
USAGE = {
    None: ("Azure Connected Machine Agent (simulator)\n\nUsage:\n  azcmagent [command]\n\nAvailable Commands:\n"
           "  check       Run network connectivity checks\n  config      Change configuration settings for the agent\n"
           "  connect     Connects this machine to Azure\n  disconnect  Disconnects this machine from Azure\n"
           "  genkey      Generate a public-private key pair\n  help        Help about any command\n"
           "  license     Display the license agreement\n  logs        Gathers logs for troubleshooting\n"
           "  show        Gets machine metadata and Agent status\n  version     Display the agent version\n\n"
           "Flags:\n      --config string   Path to a JSON or YAML file of flag values\n  -h, --help            help for azcmagent\n"
           "  -j, --json            Output in JSON format\n      --log-stderr      Redirect error and verbose messages to stderr\n"
           "      --no-color        Disable color output\n  -v, --verbose         Increase logging verbosity\n"),
    "connect": ("Usage:\n  azcmagent connect [authentication] --subscription-id <sub> --resource-group <rg> --location <region> [flags]\n\n"
                "Flags:\n      --access-token string\n      --cloud string              (default \"AzureCloud\")\n"
                "      --correlation-id string\n      --ignore-network-check\n  -l, --location string\n"
                "      --private-link-scope string\n  -g, --resource-group string\n  -n, --resource-name string\n"
                "  -i, --service-principal-id string\n      --service-principal-cert string\n"
                "  -p, --service-principal-secret string\n  -s, --subscription-id string\n      --tags string\n"
                "  -t, --tenant-id string\n      --use-device-code\n"),
    "disconnect": ("Usage:\n  azcmagent disconnect [authentication] [flags]\n\nFlags:\n      --access-token string\n"
                   "  -f, --force-local-only\n  -i, --service-principal-id string\n      --service-principal-cert string\n"
                   "  -p, --service-principal-secret string\n  -t, --tenant-id string\n      --use-device-code\n"),
    "show": "Usage:\n  azcmagent show [property1] [property2] ... [flags]\n\nFlags:\n      --os   Include operating system properties\n",
    "check": ("Usage:\n  azcmagent check [flags]\n\nFlags:\n      --cloud string\n  -e, --extensions string\n"
              "      --include-all\n  -l, --location string\n  -p, --enable-pls-check\n"),
    "config": ("Usage:\n  azcmagent config [command]\n\nAvailable Commands:\n  clear  Clear a configuration property\n"
               "  get    Get a configuration property\n  info   Describe configuration properties\n"
               "  list   List all configuration properties\n  set    Set a configuration property [-a|--add] [-r|--remove]\n"),
    "logs": "Usage:\n  azcmagent logs [flags]\n\nFlags:\n  -f, --full\n  -o, --output string\n",
    "version": "Usage:\n  azcmagent version [flags]\n",
    "upgrade": ("Usage:\n  azcmagent upgrade [flags]\n\nFlags:\n      --background\n      --cloud string\n"
                "      --version string\n"),
}


def usage(command):
    return USAGE.get(command, USAGE[None])


# -- version / license / genkey -------------------------------------------------------------
def version(ctx):
    if ctx.opt("json"):
        ctx.console.plain(json.dumps({"version": ctx.host.version}))
    elif ctx.host.legacy:
        ctx.console.plain("azcmagent version  %s" % ctx.host.version)
    else:
        ctx.console.plain("azcmagent version %s" % ctx.host.version)


def license_text(ctx):
    ctx.console.plain("MICROSOFT SOFTWARE LICENSE TERMS (simulator: see https://aka.ms/azcmagent-license)")


def genkey(ctx):
    ctx.require_root("genkey")
    ctx.console.plain("Public key: " + azure.b64url(os.urandom(32)))


# -- helpers --------------------------------------------------------------------------------
def is_guid(value):
    return bool(GUID_RE.match(value or ""))


def parse_tags(text):
    """``k=v,k2='v w'`` (``\\,`` escapes a comma) -> dict; ValueError when malformed."""
    items, current, quoted, escape = [], "", False, False
    for char in text:
        if escape:
            current += char
            escape = False
        elif char == "\\":
            escape = True
        elif char == "'":
            quoted = not quoted
        elif char == "," and not quoted:
            items.append(current)
            current = ""
        else:
            current += char
    if quoted or escape:
        raise ValueError("unbalanced quote or trailing escape in %r" % text)
    items.append(current)
    tags = {}
    for item in items:
        if not item.strip():
            raise ValueError("empty tag in %r" % text)
        key, has_equals, value = item.partition("=")
        key = key.strip()
        if not has_equals or not key or TAG_NAME_BAD_RE.search(key) or len(key) > 512 or len(value) > 256:
            raise ValueError("invalid tag %r" % item)
        tags[key] = value.strip()
    return tags


def hang_forever():
    """The `hang` scenario: never return (until killed)."""
    while True:
        time.sleep(3600)


def himds_dial_error(host):
    """None when the himds socket answers, else the Go dial error text."""
    path = host.sock_path
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(2)
    target = path
    dir_fd = None
    try:
        if len(path) > 100:
            dir_fd = os.open(os.path.dirname(path), os.O_RDONLY)
            target = "/proc/self/fd/%d/%s" % (dir_fd, os.path.basename(path))
        sock.connect(target)
        sock.sendall(b"GET /agentstatus\n")
        sock.recv(256)
        return None
    except OSError as exc:
        reason = {errno.ENOENT: "no such file or directory", errno.ECONNREFUSED: "connection refused"}.get(
            exc.errno, (exc.strerror or "i/o timeout").lower())
        return "dial unix %s: connect: %s" % (path, reason)
    finally:
        sock.close()
        if dir_fd is not None:
            os.close(dir_fd)


def machine_path(subscription, group, name):
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.HybridCompute/machines/%s" % (subscription, group, name)


def portal_url(cloud, tenant, resource_id):
    info = azure.cloud_info(cloud) or azure.CLOUDS["azurecloud"]
    return "https://%s/#@%s/resource%s/overview" % (info["portal"], tenant, resource_id)


class Credentials:
    """How a connect/disconnect authenticates: kind in secret, cert, token, device."""

    def __init__(self, ctx, tenant_default=""):
        self.client_id = ctx.opt("service-principal-id")
        self.secret = ctx.options.get("service-principal-secret") or ""
        self.cert = ctx.opt("service-principal-cert")
        self.token = ctx.opt("access-token")
        self.tenant = ctx.opt("tenant-id") or tenant_default
        if self.token:
            self.kind = "token"
        elif self.cert:
            self.kind = "cert"
        elif self.client_id or self.secret:
            self.kind = "secret"
        else:
            self.kind = "device"

    def missing(self):
        """Mandatory authentication flags that are absent."""
        if self.kind == "secret":
            return [flag for flag, value in (("service-principal-id", self.client_id),
                                             ("service-principal-secret", self.secret),
                                             ("tenant-id", self.tenant)) if not value]
        if self.kind == "cert":
            return [flag for flag, value in (("service-principal-id", self.client_id), ("tenant-id", self.tenant))
                    if not value]
        return []


def authenticate(ctx, api, creds, verb):
    """Obtain the ARM token for ``creds``; returns the tenant id."""
    if creds.kind == "token":
        claims = azure.jwt_claims(creds.token)
        if claims is None:
            raise AzcmError(12, "The access token is invalid: it is not a JSON Web Token", legacy_code=12)
        if isinstance(claims.get("exp"), (int, float)) and claims["exp"] < time.time():
            raise AzcmError(12, "The access token is invalid: it expired at %s" % datetime.datetime.fromtimestamp(
                claims["exp"], datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), legacy_code=12)
        api.token = creds.token
        return creds.tenant or str(claims.get("tid") or "")
    if creds.kind == "device":
        return device_code(ctx, api, creds)
    assertion = None
    if creds.kind == "cert":
        if not os.path.isfile(creds.cert):
            raise AzcmError(23, "Unable to read the service principal certificate: open %s: no such file or directory" % creds.cert)
        assertion, _thumb = azure.client_assertion(creds.cert, creds.client_id, api.token_url(creds.tenant))
        ctx.console.add_secret(assertion)
    if not ctx.host.legacy:
        ctx.console.line("DEBUG", "Getting Authorization Token")
    try:
        api.acquire_token(creds.tenant, creds.client_id, secret=creds.secret, assertion=assertion)
    except RequestError as exc:
        raise network_error(ctx, exc, verb, stage="token") from None
    if ctx.host.legacy:
        ctx.console.line("DEBUG", "Successfully acquired Authorization Token")
    else:
        ctx.console.line("DEBUG", "Successfully acquired Authorization Token", {"Method": "SPN"})
    return creds.tenant


def device_code(ctx, api, creds):
    """Device-code login: print the prompt, wait, expire (nobody signs in on a simulated host)."""
    tenant = creds.tenant or "organizations"
    url = "https://%s/%s/oauth2/v2.0/devicecode" % (api.cloud["login"], tenant)
    probe = api.dialer.probe(api.cloud["login"])
    if not probe["reachable"]:
        raise AzcmError(26, "Failed to acquire authorization token device flow: Error occurred while sending request for "
                            "Device Authorization Code: %s" % RequestError("POST", url, probe["error"]), legacy_code=41)
    code = "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(9))
    stream = ctx.console.err if ctx.console.json_mode else ctx.console.out
    ctx.console.plain("To sign in, use a web browser to open the page %s and enter the code %s to authenticate." % (DEVICE_LOGIN, code),
                      stream=stream)
    ctx.console.log("info", "Waiting for device code authentication", {"Timeout": ctx.host.sim.get("device_code_timeout", 300)})
    time.sleep(float(ctx.host.sim.get("device_code_timeout", 300)))
    raise AzcmError(41, "Failed to acquire authorization token device flow: expired_token: AADSTS70020: The provided value for "
                        "the input parameter 'device_code' is not valid. This device code has expired.", legacy_code=41)


def network_error(ctx, exc, verb, stage):
    """A transport failure -> AZCM0026 (legacy agents: 0041 at the token, 0042/0043 at ARM)."""
    legacy = {"token": 41, "arm": 42 if verb == "connect" else 43}[stage]
    return AzcmError(26, str(exc), legacy_code=legacy)


def arm_error(failure, code, extra=None, generation="modern"):
    """AzcmError of an answer to the agent's own machine calls: 401 (token rejected) is AZCM0012, the rest
    ``code``.  The detail is the flattened ``RequestCorrelationId:`` form in every generation: a 1.40 agent
    prints it for ScopeLocked (C-mslab), 2020-2021 agents for MissingSubscriptionRegistration (C-157, C-570).
    The Azure SDK block is printed by the calls that go through azcore (registration, tokens)."""
    del generation
    if failure.status == 401:
        code = 12
    details = [failure.flattened()]
    if extra:
        details.append(extra)
    return AzcmError(code, details)


def write_error_state(ctx, code, detail):
    """Remember the last failure in agentconfig.json (shown by `show`)."""
    config = ctx.host.agent_config()
    config.update(errorCode="AZCM%04d" % code, errorDetails=detail, errorTimestamp=utc_now())
    try:
        ctx.host.save_agent_config(config)
    except OSError:
        pass


# -- connect --------------------------------------------------------------------------------
def validate_connect(ctx, creds):
    """Mandatory flags (0016) then values (0023 / 0020; legacy 0013/0014/0015/0017/0101)."""
    missing = [flag for flag in ("subscription-id", "resource-group", "location") if not ctx.opt(flag)]
    missing += creds.missing()
    if missing:
        raise AzcmError(16, ["Missing mandatory parameter: --%s" % flag for flag in missing], legacy_code=16)
    cloud = ctx.opt("cloud") or "AzureCloud"
    info = azure.cloud_info(cloud)
    if info is None:
        raise AzcmError(23, "Invalid cloud '%s': supported values are AzureCloud, AzureUSGovernment, AzureChinaCloud" % cloud,
                        legacy_code=14)
    for flag in ("tenant-id", "service-principal-id", "correlation-id"):
        value = ctx.opt(flag)
        if value and not is_guid(value):
            raise AzcmError(23, "Invalid value for --%s: '%s' is not a valid GUID" % (flag, value),
                            legacy_code=15 if flag == "correlation-id" else 101)
    name = ctx.opt("resource-name") or ctx.host.hostname
    if not RESOURCE_NAME_RE.match(name):
        raise AzcmError(23, "Invalid resource name '%s': use 1-54 letters, digits, hyphens, underscores or periods, "
                            "not ending with a hyphen or underscore" % name, legacy_code=17)
    group = ctx.opt("resource-group")
    if not RESOURCE_GROUP_RE.match(group):
        raise AzcmError(23, "Invalid resource group name '%s'" % group, legacy_code=101)
    tags = {}
    if ctx.opt("tags"):
        try:
            tags = parse_tags(ctx.options["tags"])
        except ValueError as exc:
            raise AzcmError(23, "Invalid tags: %s. Use --tags \"Name1=Value1,Name2='Value with spaces'\"" % exc, legacy_code=13) from None
    pls = ctx.opt("private-link-scope")
    if pls and not PLS_RE.match(pls):
        raise AzcmError(23, "Invalid private link scope resource ID '%s'" % pls, legacy_code=101)
    location = azure.normalize_location(ctx.opt("location"))
    if location not in azure.REGIONS[info["name"]]:
        raise AzcmError(20, "Unknown region '%s' for cloud %s" % (ctx.opt("location"), info["name"]), legacy_code=101)
    return {"cloud": info["name"], "location": location, "name": name, "group": group, "tags": tags, "pls": pls}


def connect(ctx):
    console, host = ctx.console, ctx.host
    creds = Credentials(ctx)
    target = validate_connect(ctx, creds)
    local = host.agent_config()
    partial = bool(local.get("resourceId")) and (bool(local.get("connectPending")) or not local.get("status"))
    if local.get("resourceId") and not partial:
        console.info("Machine is already connected to Azure", {"Resource ID": local["resourceId"]})
        raise AzcmError(67, "The machine is already connected to Azure: Resource ID=%s. Run 'azcmagent disconnect' "
                            "before connecting again." % local["resourceId"])
    console.line("DEBUG", "Starting client connection on: %s" % host.sock_path)
    failure = himds_dial_error(host)
    if failure:
        raise AzcmError(64, "Unable to establish communication with HIMDS: %s. Ensure the %s service is running."
                        % (failure, host.himds_service), legacy_code=64)
    console.line("DEBUG", "Awaiting status message from agent...")
    console.line("DEBUG", "Status Message received")
    generation = host.generation
    if generation == "logfmt":
        console.info("Onboarding Machine. It usually takes a few minutes to complete. Sometimes it may take longer "
                     "depending on network and server load status.")
    else:
        console.info("Connecting machine to Azure... This might take a few minutes.")
    if generation == "modern":
        console.info("Cloud: %s" % target["cloud"])
    if host.sim.get("os_info_error"):
        # OS discovery before anything is sent to Azure (C-77734: the detail ends after the colon).
        console.line("ERROR", "Failed to discover OS information for onboarding", {"Error": "Failed to obtain FqdnDNS: "})
        raise AzcmError(104, ["Failed to obtain FqdnDNS: "])
    if host.sim.get("hang"):
        console.log("info", "Waiting for Azure (hang scenario)")
        hang_forever()
    correlation = ctx.opt("correlation-id") or str(uuid.uuid4())
    dialer = ctx.dialer()
    api = azure.Azure(dialer, console, target["cloud"], correlation, generation=generation,
                      retry_delay=host.sim.get("sdk_retry_delay", 0.05))
    if not ctx.opt("ignore-network-check"):
        network_check(ctx, dialer, target)
    transient_failure(ctx, creds, api)
    tenant = authenticate(ctx, api, creds, "connect")
    console.progress(20)
    subscription = resolve_subscription(ctx, api)
    register_providers(ctx, api, subscription)
    console.progress(30)
    path = machine_path(subscription, target["group"], target["name"])
    vm_id = (local.get("vmId") if partial else "") or str(uuid.uuid4())
    if host.legacy:
        console.line("DEBUG", "Generated Resource Id", {"VM Id": vm_id})
    existing = None
    try:
        _status, existing = api.arm("GET", "%s?api-version=%s" % (path, azure.MACHINES_API), log_msg="Get ARM Resource Response",
                                    expected=(404,))
    except azure.ArmFailure as exc:
        if exc.status != 404:
            raise arm_error(exc, 42, generation=generation) from None
    except RequestError as exc:
        raise network_error(ctx, exc, "connect", "arm") from None
    resource_id = (existing or {}).get("id") or path
    if existing:
        props = existing.get("properties") or {}
        other_vm = str(props.get("vmId") or "")
        if other_vm.lower() != vm_id.lower():
            raise AzcmError(44, "A resource with the name '%s' already exists in resource group '%s' for another machine "
                                "(Resource ID=%s, VM Id=%s). Specify a different name with --resource-name or delete the "
                                "existing resource in Azure." % (target["name"], target["group"], resource_id, other_vm))
        if partial:
            state = props.get("provisioningState") or props.get("status") or "unknown"
            detail = ("The resource %s already exists in Azure from a previous incomplete connect attempt (provisioningState "
                      "%s, VM Id=%s). Delete the resource in Azure, run 'azcmagent disconnect --force-local-only', then "
                      "connect again." % (resource_id, state, vm_id))
            write_error_state(ctx, 62, detail)
            raise AzcmError(62, detail)
    console.info("Creating resource in Azure...", {"Correlation ID": correlation, "Resource ID": path})
    body = machine_body(ctx, target, vm_id, tenant)
    try:
        status, created = api.arm("PUT", "%s?api-version=%s" % (path, azure.MACHINES_API), body=body)
    except azure.ArmFailure as exc:
        console.line("ERROR", "Failed to AzcmagentConnect ARM resource", {"Error": exc.flattened()})
        raise arm_error(exc, 42, generation=generation) from None
    except RequestError as exc:
        raise network_error(ctx, exc, "connect", "arm") from None
    console.line("DEBUG", "Create ARM Resource Response", {"Body": json.dumps(created, separators=(",", ":")),
                                                          "Status Code": status})
    console.line("DEBUG", "ARM Resource Creation Successful")
    resource_id = (created or {}).get("id") or path
    faults.point(ctx, "connect_after_create", pending={"resourceId": resource_id, "resourceName": target["name"],
                                                       "resourceGroup": target["group"], "subscriptionId": subscription,
                                                       "tenantId": tenant, "location": target["location"], "vmId": vm_id})
    console.progress(60)
    config = {
        "resourceId": resource_id, "resourceName": target["name"], "resourceGroup": target["group"],
        "subscriptionId": subscription, "tenantId": tenant, "location": target["location"], "cloud": target["cloud"],
        "vmId": vm_id, "vmUuid": vm_uuid(host), "correlationId": correlation, "status": "Connected",
        "lastHeartbeat": utc_now(), "connectPending": False, "errorCode": "", "errorDetails": "", "errorTimestamp": "",
        "privateLinkScope": target["pls"], "tags": target["tags"],
    }
    try:
        host.save_agent_config(config)
    except OSError as exc:
        raise AzcmError(62, "Failed to write the local configuration after the resource %s was created: %s"
                        % (resource_id, exc)) from None
    console.progress(80)
    console.progress(100)
    console.info("Connected machine to Azure")
    console.end_progress()
    url = portal_url(target["cloud"], tenant, resource_id)
    console.info("Machine overview page: %s" % url)
    if ctx.opt("json"):
        console.plain(json.dumps({"status": "Connected", "resourceId": resource_id, "resourceName": target["name"],
                                  "resourceGroup": target["group"], "subscriptionId": subscription, "tenantId": tenant,
                                  "location": target["location"], "cloud": target["cloud"], "vmId": vm_id,
                                  "correlationId": correlation, "portalUrl": url}))


PROXY_STATUS = {False: "proxy is not used", True: "proxy set via config command"}


def regional_discovery(ctx, dialer, cloud, location):
    """The agent asks gbl.his for the regional HIS host; when gbl cannot be reached the regional row is left out and
    the agent logs `Regional Service Discovery` at error level (capture C).  Returns (discovered, gbl probe)."""
    gbl = "gbl." + azure.cloud_info(cloud)["his"]
    probe = dialer.probe(gbl)
    if probe["reachable"] or not location:
        return True, probe
    url = azure.discovery_url(cloud, location)
    fields = {"Error": 'Get "%s": %s' % (url, probe["error"]), "Proxy Status": PROXY_STATUS[dialer.uses_proxy(gbl)],
              "Request URL": url}
    ctx.console.log("error", "Regional Service Discovery", fields)
    return False, probe


def network_check(ctx, dialer, target):
    """The agent's own connectivity check before a connect (skipped with --ignore-network-check).

    modern: INFO line, debug lines per endpoint (C-99004), private link checks (C-109136, C-184), and a fatal
    ``required endpoints unavailable: …`` (C-13955) that stops the connect with AZCM0026.
    logfmt: the 2020 console lines (C-64707); a failure is logged and the connect goes on.  logrus: none."""
    console, host = ctx.console, ctx.host
    generation = host.generation
    if generation == "logrus":
        return
    if generation == "logfmt":
        console.info("Check network connectivity to all endpoints...")
    else:
        console.info("Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.")
    private = {str(k).lower(): str(v) for k, v in (host.sim.get("private_endpoints") or {}).items()}
    gbl = "gbl." + azure.cloud_info(target["cloud"])["his"]
    if not target["pls"] and generation == "modern":
        if gbl in private:
            raise AzcmError(26, "Private Link Scope resource ID must be provided as endpoint %s is configured private" % gbl)
        for name in sorted(private):
            raise AzcmError(26, "No indication of Private Link Scope but found private endpoint %s: %s " % (name, private[name]))
    discovered, _probe = regional_discovery(ctx, dialer, target["cloud"], target["location"])
    hosts = azure.endpoint_hosts(target["cloud"], target["location"], telemetry=generation == "logfmt", discovered=discovered)
    failed = []
    for name in hosts:
        console.line("DEBUG", "Checking connectivity to https://%s, proxy status: %s" % (name, PROXY_STATUS[dialer.uses_proxy(name)]))
    for name in hosts:
        result = dialer.probe(name)
        if result["reachable"]:
            console.line("DEBUG", "https://%s is available, using cryptographic protocol: %s" % (name, result["tls"]))
        else:
            failed.append((name, result["error"]))
    if not failed:
        return
    if generation == "logfmt":
        for name, error in failed:
            console.line("ERROR", "%s. Failed to Tls dialing %s" % (error.replace("tls: failed to verify certificate: ", ""), name))
        console.info("For network endpoint issue, please review https://aka.ms/arcserver-network for details of required "
                     "network access.")
        return
    parts = []
    for name, error in failed:
        probe_url = "https://%s/connectivitytest" % name if name == gbl else "https://%s" % name
        parts.append('https://%s/ (error: Get "%s": %s)' % (name, probe_url, error))
    raise AzcmError(26, "required endpoints unavailable: %s" % ", ".join(parts), legacy_code=41)


def transient_failure(ctx, creds, api):
    """The first `transient_failures` connects fail with a network error (counted in sim-state.json)."""
    limit = int(ctx.host.sim.get("transient_failures") or 0)
    state = ctx.host.sim_state()
    state["connect_attempts"] = int(state.get("connect_attempts", 0)) + 1
    ctx.host.save_sim_state(state)
    if state["connect_attempts"] <= limit:
        # azidentity's pipeline retries a reset connection (SDK-POL) without logging; every try of this run is reset.
        for attempt in range(api.sdk_retries):
            time.sleep(api.retry_delay * (2 ** attempt))
        target = api.dialer.mapped(api.cloud["login"]) or "127.0.0.1:443"
        inner = "read tcp 127.0.0.1:%d->%s: read: connection reset by peer" % (random.randint(40000, 60000), target)
        exc = RequestError("POST", api.token_url(creds.tenant or "organizations"), inner)
        raise network_error(ctx, exc, "connect", "token")


def resolve_subscription(ctx, api):
    """The subscription GUID; a name is looked up (AZCM0068 when that fails)."""
    value = ctx.opt("subscription-id")
    if is_guid(value):
        return value
    try:
        subscriptions = api.subscriptions()
    except azure.ArmFailure as exc:
        raise AzcmError(68, ["Unable to fetch the subscription ID of subscription '%s'" % value, exc.flattened()]) from None
    except RequestError as exc:
        raise AzcmError(68, ["Unable to fetch the subscription ID of subscription '%s'" % value, str(exc)]) from None
    for item in subscriptions:
        if str(item.get("displayName", "")).lower() == value.lower():
            return str(item.get("subscriptionId") or str(item.get("id", "")).rsplit("/", 1)[-1])
    raise AzcmError(68, "Unable to fetch the subscription ID of subscription '%s': no subscription with this name is "
                        "accessible to the identity used" % value)


# The resource providers the agent registers (Microsoft's prerequisites for Arc-enabled servers).
AGENT_PROVIDERS = ("Microsoft.HybridCompute", "Microsoft.GuestConfiguration", "Microsoft.HybridConnectivity")


def register_providers(ctx, api, subscription):
    """Provider auto-registration, as the agent does it on connect.

    logfmt (1.21-1.23): POST register of every provider on every connect.  modern (1.24+, D-RN124): only
    for a provider that is not Registered (a state that cannot be read counts as not Registered: assumed).
    A refused registration is logged at debug with the Azure SDK block (C-99004) and the connect goes on.
    logrus (1.7): no auto-registration (assumed; the feature is younger)."""
    generation = ctx.host.generation
    if generation == "logrus":
        return
    for namespace in AGENT_PROVIDERS:
        path = "/subscriptions/%s/providers/%s?api-version=%s" % (subscription, namespace, azure.PROVIDERS_API)
        if generation == "modern":
            try:
                _status, provider = api.arm("GET", path, sdk=True)
                if str((provider or {}).get("registrationState") or "").lower() == "registered":
                    continue
            except azure.ArmFailure:
                pass
            except RequestError as exc:
                raise network_error(ctx, exc, "connect", "arm") from None
        register = "/subscriptions/%s/providers/%s/register?api-version=%s" % (subscription, namespace, azure.PROVIDERS_API)
        try:
            api.arm("POST", register, sdk=True)
        except azure.ArmFailure as exc:
            ctx.console.line("DEBUG", "Failed to register resource provider '%s'. Error: %s" % (namespace, exc.sdk_block()))
        except RequestError as exc:
            raise network_error(ctx, exc, "connect", "arm") from None


def vm_uuid(host):
    return host.sim.get("vm_uuid") or str(uuid.uuid5(uuid.NAMESPACE_DNS, host.hostname)).upper()


def machine_body(ctx, target, vm_id, tenant):
    local = ctx.host.local_config()
    body = {
        "location": target["location"],
        "identity": {"type": "SystemAssigned"},
        "tags": target["tags"],
        "properties": {
            "vmId": vm_id, "vmUuid": vm_uuid(ctx.host), "status": "Connected", "agentVersion": ctx.host.version,
            "osName": "linux", "osType": "linux", "osVersion": ctx.host.sim.get("os_version", "12"),
            "osSku": ctx.host.sim.get("os_sku", "Debian GNU/Linux 12 (bookworm)"), "displayName": ctx.host.hostname,
            "machineFqdn": ctx.host.hostname, "osProfile": {"computerName": ctx.host.hostname},
            "clientPublicKey": azure.b64url(uuid.uuid4().bytes * 8), "cloudMetadata": {"provider": "N/A"},
            "mssqlDiscovered": "false",
            "agentConfiguration": {"proxyUrl": local.get("proxy.url", ""), "proxyBypass": local.get("proxy.bypass", []),
                                   "extensionsEnabled": str(local.get("extensions.enabled", True)).lower(),
                                   "guestConfigurationEnabled": str(local.get("guestconfiguration.enabled", True)).lower(),
                                   "configMode": local.get("config.mode", "full")},
        },
    }
    if target["pls"]:
        body["properties"]["privateLinkScopeResourceId"] = target["pls"]
    if ctx.opt("enable-automatic-upgrade", False) is True:
        # --enable-automatic-upgrade (agent 1.57+, preview): the machine's agentUpgrade property (how the agent sends it is
        # not public; the property and its shape are the RP's, azure-api-reference.md section 3.3)
        body["properties"]["agentUpgrade"] = {"enableAutomaticUpgrade": True}
    if tenant:
        body["identity"]["tenantId"] = tenant
    return body


# -- disconnect -----------------------------------------------------------------------------
def disconnect(ctx):
    console, host = ctx.console, ctx.host
    local = host.agent_config(strict=not ctx.opt("force-local-only"))
    if ctx.opt("force-local-only"):
        console.info("Resetting the local agent configuration (the Azure resource is not deleted)",
                     {"Resource ID": local.get("resourceId") or "none"})
        host.reset_agent_config()
        console.info("Disconnected machine from Azure")
        return
    if not local.get("resourceId"):
        raise AzcmError(63, "The machine is not connected to Azure: no resource ID in the local configuration. "
                            "Use --force-local-only to reset the local configuration only.")
    creds = Credentials(ctx, tenant_default=local.get("tenantId") or "")
    missing = creds.missing()
    if missing:
        raise AzcmError(16, ["Missing mandatory parameter: --%s" % flag for flag in missing])
    for flag in ("tenant-id", "service-principal-id"):
        if ctx.opt(flag) and not is_guid(ctx.opt(flag)):
            raise AzcmError(23, "Invalid value for --%s: '%s' is not a valid GUID" % (flag, ctx.opt(flag)), legacy_code=101)
    if host.sim.get("hang"):
        console.log("info", "Waiting for Azure (hang scenario)")
        hang_forever()
    correlation = str(uuid.uuid4())
    api = azure.Azure(ctx.dialer(), console, local.get("cloud") or "AzureCloud", correlation, generation=host.generation,
                      retry_delay=host.sim.get("sdk_retry_delay", 0.05))
    authenticate(ctx, api, creds, "disconnect")
    resource_id = local["resourceId"]
    faults.point(ctx, "disconnect_before_delete")
    console.info("Deleting resource from Azure...", {"Correlation ID": correlation, "Resource ID": resource_id})
    url = "%s?api-version=%s" % (resource_id, azure.MACHINES_API)
    try:
        # The agent reads the resource first: a resource that is gone fails here with 404.
        api.arm("GET", url, log_msg="Get ARM Resource Response")
        console.line("DEBUG", "Delete ARM Resource", {"Request URL": "https://%s%s" % (api.cloud["arm"], url)})
        status, body = api.arm("DELETE", url, log_msg="Delete ARM Resource Response")
        console.line("DEBUG", "Delete ARM Resource Response", {"Body": json.dumps(body, separators=(",", ":")) if body else ""})
        if status == 202:
            wait_for_operation(api, api.last_headers)
    except azure.ArmFailure as exc:
        extra = None
        if exc.status == 404:
            extra = ("The resource was not found in Azure. Run 'azcmagent disconnect --force-local-only' to reset the "
                     "local configuration.")
        raise arm_error(exc, 43, extra, generation=host.generation) from None
    except RequestError as exc:
        raise network_error(ctx, exc, "disconnect", "arm") from None
    host.reset_agent_config()
    console.info("Disconnected machine from Azure")


def wait_for_operation(api, headers, attempts=30):
    """Poll Azure-AsyncOperation (or Location) of a 202 until Succeeded; ArmFailure-like AzcmError otherwise."""
    target = headers.get("azure-asyncoperation") or headers.get("location")
    if not target:
        return
    prefix = "https://%s" % api.cloud["arm"]
    path = target[len(prefix):] if target.lower().startswith(prefix.lower()) else target
    delay = min(float(headers.get("retry-after") or 1), 1.0)
    for _attempt in range(attempts):
        time.sleep(delay)
        status, body = api.arm("GET", path)
        state = str((body or {}).get("status") or ("Succeeded" if status in (200, 204) else "InProgress"))
        if state.lower() == "succeeded":
            return
        if state.lower() in ("failed", "canceled"):
            error = (body or {}).get("error") or {}
            raise azure.ArmFailure(status, str(error.get("code") or state), str(error.get("message") or "The operation " + state.lower()),
                                   api.correlation_id, body)
    raise AzcmError(43, "Timed out waiting for the deletion of the resource in Azure")


# -- show -----------------------------------------------------------------------------------
def show_fields(ctx):
    """[(display name, json key, value)] in `show` order; value None marks a header."""
    host = ctx.host
    config = host.agent_config()
    local = host.local_config()
    connected = bool(config.get("resourceId"))
    status = (config.get("status") or "Disconnected") if connected else "Disconnected"
    himds = "active" if himds_dial_error(host) is None else "inactive"
    # The other services run unless disabled by the agent's settings (extensions.enabled, guestconfiguration.enabled) or
    # stopped by the scenario (sim.json stopped_services); arcproxyd runs without a gateway too (reference: Linux rows active).
    stopped = set(host.sim.get("stopped_services") or ())
    disabled = {"extd": str(local.get("extensions.enabled", True)).lower() == "false",
                "gcad": str(local.get("guestconfiguration.enabled", True)).lower() == "false"}

    def state(name):
        return "inactive" if name in stopped or disabled.get(name) else "active"
    bypass = local.get("proxy.bypass") or []
    portal = portal_url(config.get("cloud"), config.get("tenantId"), config["resourceId"]) if connected else ""
    return [
        ("Resource Name", "resourceName", config.get("resourceName", "")),
        ("Resource Group Name", "resourceGroup", config.get("resourceGroup", "")),
        ("Resource Namespace", "resourceNamespace", "Microsoft.HybridCompute"),
        ("Resource Id", "resourceId", config.get("resourceId", "")),
        ("Subscription ID", "subscriptionId", config.get("subscriptionId", "")),
        ("Tenant ID", "tenantId", config.get("tenantId", "")),
        ("VM ID", "vmId", config.get("vmId", "") if connected else ""),
        ("Correlation ID", "correlationId", config.get("correlationId", "")),
        ("VM UUID", "vmUuid", vm_uuid(host)),
        ("Location", "location", config.get("location", "")),
        ("Cloud", "cloud", config.get("cloud", "") or "AzureCloud"),
        ("Agent Version", "agentVersion", host.version),
        ("Agent Logfile", "agentLogfile", host.himds_log_path),
        ("Agent Status", "status", status),
        ("Agent Last Heartbeat", "lastHeartbeat", config.get("lastHeartbeat", "")),
        ("Agent Error Code", "agentErrorCode", config.get("errorCode", "")),
        ("Agent Error Details", "agentErrorDetails", config.get("errorDetails", "")),
        ("Agent Error Timestamp", "agentErrorTimestamp", config.get("errorTimestamp", "")),
        ("Using HTTPS Proxy", "httpsProxy", local.get("proxy.url", "")),
        ("Proxy Bypass List", "proxyBypass", bypass),
        ("Upstream Proxy", "upstreamProxy", ""),
        ("Gateway URL", "gatewayUrl", ""),
        ("Cloud Provider", "cloudProvider", host.sim.get("cloud_provider", "N/A")),
        ("Cloud Metadata", "cloudMetadata", None),
        ("Manufacturer", "manufacturer", host.sim.get("manufacturer", "QEMU")),
        ("Model", "model", host.sim.get("model", "Standard PC (Q35 + ICH9, 2009)")),
        ("MSSQL Server Detected", "mssqlServerDetected", "false"),
        ("MySQL Server Detected", "mysqlServerDetected", "false"),
        ("PGSQL Server Detected", "pgsqlServerDetected", "false"),
        ("Dependent Service Status", "services", [
            {"displayName": "Agent Service", "serviceName": "himdsd", "status": himds},
            {"displayName": "Azure Arc Proxy", "serviceName": "arcproxyd", "status": state("arcproxyd")},
            {"displayName": "Extension Service", "serviceName": "extd", "status": state("extd")},
            {"displayName": "GC Service", "serviceName": "gcad", "status": state("gcad")},
        ]),
        ("Portal Page", "portalPage", portal),
        ("Disabled Features", "disabledFeatures", ""),
        ("Agent Auto Upgrade Task Status", "agentAutoUpgradeTaskStatus", AUTO_UPGRADE),
    ]


def _text_value(value):
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def show(ctx):
    fields = show_fields(ctx)
    wanted = [word.strip().lower() for word in ctx.positionals]
    if wanted:
        index = {}
        for field in fields:
            index[field[0].strip().lower()] = field
            index[field[1].lower()] = field
        unknown = [word for word in ctx.positionals if word.strip().lower() not in index]
        if unknown:
            raise AzcmError(23, "Unknown property: %s" % ", ".join(unknown), legacy_code=101)
        fields = [index[word] for word in wanted]
    if ctx.opt("json"):
        data = {}
        for _label, key, value in fields:
            if value is not None:
                data[key] = value
        ctx.console.plain(json.dumps(data, indent=2))
        return
    for label, _key, value in fields:
        if value is None:
            ctx.console.plain(label)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            ctx.console.plain(label)
            for service in value:
                ctx.console.plain("%-40s: %s" % ("  %s (%s)" % (service["displayName"], service["serviceName"]), service["status"]))
        else:
            ctx.console.plain("%-40s: %s" % (label, _text_value(value)))


# -- check ----------------------------------------------------------------------------------
def tabwriter(rows, padding=2):
    """Go text/tabwriter with the Debug flag: cells padded by 2 and terminated by ``|``."""
    widths = [max(len(row[col]) for row in rows) for col in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = ["%-*s|" % (widths[col] + padding, row[col]) for col in range(len(row) - 1)]
        lines.append("".join(cells) + row[-1])
    return lines


def check(ctx):
    console, host = ctx.console, ctx.host
    local_state = host.agent_config()
    cloud = ctx.opt("cloud") or local_state.get("cloud") or "AzureCloud"
    info = azure.cloud_info(cloud)
    if info is None:
        raise AzcmError(23, "Invalid cloud '%s': supported values are AzureCloud, AzureUSGovernment, AzureChinaCloud" % cloud,
                        legacy_code=14)
    if ctx.opt("cloud") and not ctx.opt("location"):
        raise AzcmError(16, "Missing mandatory parameter: --location (required with --cloud)")
    location = azure.normalize_location(ctx.opt("location") or local_state.get("location") or "")
    if location and location not in azure.REGIONS[info["name"]]:
        raise AzcmError(20, "Unknown region '%s' for cloud %s" % (ctx.opt("location"), info["name"]), legacy_code=101)
    extensions = [item.strip().lower() for item in (ctx.opt("extensions") or "").split(",") if item.strip()]
    if not ctx.opt("json"):
        console.info("Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.")
    dialer = ctx.dialer()
    results = []
    discovered, _probe = regional_discovery(ctx, dialer, info["name"], location)
    if not discovered:
        url = azure.discovery_url(info["name"], location)
        console.plain('time="%s" level=error msg="Regional Service Discovery" Error=%s Proxy Status=%s Request URL=%s' % (
            utc_now(), json.dumps('Get "%s": %s' % (url, _probe["error"])), json.dumps(PROXY_STATUS[dialer.uses_proxy(
                "gbl." + info["his"])]), json.dumps(url)), stream=console.err)
    for name in azure.endpoint_hosts(info["name"], location, extensions, discovered=discovered):
        probe = dialer.probe(name)
        url = "https://%s" % name
        if probe["reachable"]:
            console.log("info", "%s is available, using cryptographic protocol: %s" % (url, probe["tls"]))
        else:
            console.log("error", "%s is not reachable" % url, {"Error": probe["error"]})
            console.plain('time="%s" level=error msg="%s is not reachable" Error=%s' % (
                utc_now(), url, json.dumps(probe["error"])), stream=console.err)
        results.append({
            "endpoint": url, "reachable": probe["reachable"],
            "private": "false" if probe["reachable"] else "unknown",
            "tls": probe["tls"],
            "proxy status": "set" if dialer.uses_proxy(name) else "not used",
            "bypass group": bypass_group(name),
            "error": probe["error"],
        })
    if ctx.opt("json"):
        console.plain(json.dumps(results, indent=2))
        return
    rows = [("ENDPOINT", "REACHABLE", "PRIVATE", "TLS", "PROXY")]
    rows += [(item["endpoint"], "true" if item["reachable"] else "false", item["private"], item["tls"], item["proxy status"])
             for item in results]
    for line in tabwriter(rows):
        console.plain(line)


# -- config ---------------------------------------------------------------------------------
def _config_text(value):
    if isinstance(value, list):
        return "[%s]" % " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _config_label(key):
    return key + " (preview)" if key in PREVIEW_KEYS else key


def _parse_setting(key, raw, current, add, remove):
    """The new value of ``key`` from the command-line text, or AzcmError 23."""
    raw = raw.strip()
    if key in MULTI_VALUE:
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if key == "proxy.bypass":
            canonical = {value.lower(): value for value in PROXY_BYPASS_VALUES}
            bad = [item for item in items if item.lower() not in canonical]
            if bad:
                raise AzcmError(23, "Invalid value '%s' for proxy.bypass: allowed values are %s" % (",".join(bad), ", ".join(PROXY_BYPASS_VALUES)))
            items = [canonical[item.lower()] for item in items]
        elif key == "incomingconnections.ports":
            if any(not item.isdigit() or not 0 < int(item) < 65536 for item in items):
                raise AzcmError(23, "Invalid value '%s' for %s: expected port numbers" % (raw, key))
        elif any(not EXTENSION_RE.match(item) for item in items):
            raise AzcmError(23, "Invalid value '%s' for %s: expected Publisher/Type" % (raw, key))
        if add:
            return list(current) + [item for item in items if item not in current]
        if remove:
            return [item for item in current if item not in items]
        return items
    if add or remove:
        raise AzcmError(23, "--add and --remove can only be used with multi-value properties: %s" % ", ".join(MULTI_VALUE))
    if key in BOOLEAN_KEYS:
        if raw.lower() not in ("true", "false"):
            raise AzcmError(23, "Invalid value '%s' for %s: expected true or false" % (raw, key))
        return raw.lower() == "true"
    if key == "proxy.url":
        if raw and not PROXY_URL_RE.match(raw):
            raise AzcmError(23, "Invalid proxy URL '%s': expected http://host:port" % raw)
        return raw
    if key == "config.mode":
        if raw.lower() not in ("full", "monitor"):
            raise AzcmError(23, "Invalid value '%s' for config.mode: expected full or monitor" % raw)
        return raw.lower()
    if key == "connection.type":
        if raw.lower() not in ("default", "direct", "gateway"):
            raise AzcmError(23, "Invalid value '%s' for connection.type: expected default, direct or gateway" % raw)
        return raw.lower()
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise AzcmError(23, "Invalid value '%s' for %s: expected a percentage between 1 and 100" % (raw, key))
    return int(raw)


def config(ctx):
    console, host = ctx.console, ctx.host
    words = ctx.positionals
    if not words:
        console.plain(usage("config").rstrip("\n"))
        return
    action, args = words[0].lower(), words[1:]
    local = host.local_config()
    keys = [key for key, _default in LOCAL_DEFAULTS]

    def known(key):
        key = key.replace(" (preview)", "").strip().lower()
        if key not in keys:
            raise AzcmError(23, "Unknown configuration property '%s'. Run 'azcmagent config info' for the list of properties" % key,
                            legacy_code=101)
        return key

    if action == "list":
        if ctx.opt("json"):
            console.plain(json.dumps({key: local.get(key) for key in keys}, indent=2))
            return
        console.plain("Local Configuration Settings")
        for key in keys:
            console.plain("  %-54s: %s" % (_config_label(key), _config_text(local.get(key))))
    elif action == "get":
        if len(args) != 1:
            raise AzcmError(23, "config get takes exactly one property name", legacy_code=101)
        key = known(args[0])
        console.plain(json.dumps({key: local.get(key)}) if ctx.opt("json") else _config_text(local.get(key)))
    elif action == "info":
        selected = [known(arg) for arg in args] or keys
        if ctx.opt("json"):
            console.plain(json.dumps({key: CONFIG_INFO[key] for key in selected}, indent=2))
            return
        for key in selected:
            console.plain("  %-54s: %s" % (_config_label(key), CONFIG_INFO[key]))
    elif action in ("set", "clear"):
        ctx.require_root("config %s" % action)
        add, remove = bool(ctx.opt("add")), bool(ctx.opt("remove"))
        if add and remove:
            raise AzcmError(23, "--add and --remove are mutually exclusive")
        if action == "set":
            if len(args) != 2:
                raise AzcmError(23, "config set takes a property name and a value", legacy_code=101)
            key = known(args[0])
            if key in ("extensions.allowlist", "extensions.blocklist") and local.get("config.mode") == "monitor":
                raise AzcmError(27, "%s cannot be changed while config.mode is monitor" % key)
            value = _parse_setting(key, args[1], local.get(key) or [], add, remove)
        else:
            if len(args) != 1:
                raise AzcmError(23, "config clear takes exactly one property name", legacy_code=101)
            key = known(args[0])
            value = dict(LOCAL_DEFAULTS)[key]
        stored = dict(local)
        stored[key] = value
        try:
            host.save_local_config(stored)
        except OSError as exc:
            raise AzcmError(69, "Unable to write %s: %s" % (host.localconfig_path, exc)) from None
        if action == "set":
            console.plain("Config property %s set to value %s" % (key, _config_text(value)))
        else:
            console.plain("Config property %s cleared" % key)
        if key.startswith("proxy."):
            console.info("Updating service configuration: Azure Arc Proxy")
    else:
        raise AzcmError(23, 'unknown command "%s" for "azcmagent config"' % action, legacy_code=101)


# -- logs -----------------------------------------------------------------------------------
def logs(ctx):
    host = ctx.host
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    output = ctx.opt("output") or os.path.join(os.getcwd(), "azcmagent-%s-%s.zip" % (stamp, host.hostname))
    try:
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for folder, _dirs, files in os.walk(host.log_dir):
                for name in sorted(files):
                    path = os.path.join(folder, name)
                    if ctx.opt("full") or not name.endswith((".1", ".2", ".gz")):
                        archive.write(path, os.path.join("log", os.path.relpath(path, host.log_dir)))
            for path in (host.agentconfig_path, host.localconfig_path):
                if os.path.exists(path):
                    archive.write(path, os.path.join("config", os.path.basename(path)))
    except OSError as exc:
        raise AzcmError(101, "Unable to write %s: %s" % (output, exc)) from None
    ctx.console.info("Logs collected in %s" % os.path.abspath(output))


# -- upgrade (agent 1.62 and later) ------------------------------------------------------------
# `azcmagent upgrade [--version MAJOR.MINOR]` (azcmagent-upgrade.md): on Linux the simulator upgrades its own package
# with the host's package manager (apt), from the sources the host has configured. How the real agent does it and what
# it prints are not public: every text here is assumed (texts.py U1-U3).
UPGRADE_VERSION_RE = re.compile(r"^\d+\.\d+$")


def upgrade(ctx):
    import subprocess  # pylint: disable=import-outside-toplevel
    from .state import package_version  # pylint: disable=import-outside-toplevel

    wanted = ctx.opt("version")
    if wanted and not UPGRADE_VERSION_RE.match(wanted):
        raise AzcmError(23, "Invalid version %s: use MAJOR.MINOR, for example 1.63" % wanted)
    before = ctx.host.version
    ctx.console.info("Upgrading the agent from version %s" % before)
    spec = "azcmagent=%s.*" % wanted if wanted else "azcmagent"
    env = dict(os.environ, LANG="C", LC_ALL="C", DEBIAN_FRONTEND="noninteractive")
    argv = ["apt-get", "install", "-y", "-q", "--only-upgrade", "--allow-change-held-packages", spec]
    ctx.console.log("debug", "Running package manager", {"Command": " ".join(argv)})
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    except OSError as exc:
        raise AzcmError(1, "Failed to upgrade the agent: %s" % exc) from None
    if proc.returncode != 0:
        lines = [line.strip() for line in (proc.stderr + "\n" + proc.stdout).splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("E: ")]
        detail = (errors or lines or ["exit status %d" % proc.returncode])[-1]
        code = 147 if any("not found" in line for line in errors or lines) else 1
        raise AzcmError(code, "Failed to upgrade the agent: %s" % detail)
    after = package_version() or before
    if after == before:
        ctx.console.info("The agent is already at the latest available version %s" % after)
    else:
        ctx.console.info("Agent upgraded to version %s" % after)
