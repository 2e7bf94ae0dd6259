# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry of every text the agent simulator prints, with its public source or ``assumed``.

The table in tests/simulator/README.md is generated from ``TEXTS`` (``python -m azsim.texts`` from
``tests/simulator/agent``) and ``tests/simulator/test_texts.py`` fails when

* the README table differs from ``markdown()``, or
* a sentence-like string literal of the simulator (``azsim/*.py``, ``himds.py``) is not part of a
  registered text (so a new text cannot be printed without a row, a source or ``assumed``).

Templates are written as the code writes them (``%s`` marks a variable part).  ``where``: ``console``
(stdout/stderr), ``log`` (azcmagent.log only), ``both``, ``show``/``check``/``config`` (command output),
``himds.log``.  ``source``: a key of ``SOURCES`` (a public capture or document) or ``assumed``.
"""

from __future__ import annotations

import collections

# Public sources (the real-capture corpus tests/unit/plugins/module_utils/fixtures/real/ keeps the captures).
SOURCES = {
    "C-99004": "https://github.com/MicrosoftDocs/azure-docs/issues/99004",
    "C-109136": "https://github.com/MicrosoftDocs/azure-docs/issues/109136",
    "C-184": "https://github.com/Azure/AzureLocal-Supportability/issues/184",
    "C-64707": "https://github.com/MicrosoftDocs/azure-docs/issues/64707",
    "C-13955": "https://github.com/Azure/Azure-Sentinel/issues/13955",
    "C-77734": "https://github.com/MicrosoftDocs/azure-docs/issues/77734",
    "C-157": "https://github.com/microsoft/azure_arc/issues/157",
    "C-570": "https://github.com/microsoft/azure_arc/issues/570",
    "C-3322": "https://github.com/microsoft/azure_arc/issues/3322",
    "C-mslab": "https://github.com/andrijun0406/csc-lab-mslab-azurestackhci23h2/blob/d1a43a19b664498f0a657bdd2aa8e712b9ced969/13-Cleanup-MSLAB/README.md",
    "C-jpazmon": "https://github.com/jpazmon-integ/blog/blob/05ee3cf6a71474ca56b83efec0e656b7e0d5122d/articles/Arc/Arc_AAMPLS_DNS.md",
    "C-df151": "https://github.com/DamianFlynn/garden/blob/2dfdb0687af3269d1da101bcd138f541b8e7128a/content/posts/azure-arc-enabling-an-ubuntu-server/index.md",
    "C-df158": "https://github.com/DamianFlynn/garden/blob/72f0c8324f513eec5565cb5437488e7b2b7b14c2/content/posts/1-azure-arc-enabled-infrastructure-for-iot-edge-foundation-for-azure-iot-operations-on-k3s/index.md",
    "C-mslearn": "https://github.com/MicrosoftDocs/azure-management-docs/blob/9142287e198da098837022621df68a1438f9d37f/articles/azure-arc/servers/onboard-powershell.md",
    "IMG-check": "https://github.com/jonathan-vella/azure-arc-enabled-sql-server/blob/e96a9a34ee284c7b7738c58b2ba33cacbd449645/arc-sql-connectivity/media/azcmagent-output-2.png",
    "D-TSG2022": "https://github.com/MicrosoftDocs/azure-docs/blob/0171f0c7fcaf17bc70f93e1d3f57170635c09842/articles/azure-arc/servers/troubleshoot-agent-onboard.md",
    "D-96347": "https://github.com/MicrosoftDocs/azure-docs/issues/96347",
    "D-Nexus": "https://learn.microsoft.com/azure/operator-nexus/howto-arc-enroll-virtual-machine-using-managed-identities",
    "SDK-RE": "https://github.com/Azure/azure-sdk-for-go/blob/722a3a49226a514f90bbb21eb5dc5da8721e6de1/sdk/azcore/internal/exported/response_error.go",
    "SDK-ID": "https://github.com/Azure/azure-sdk-for-go/blob/0a5bdddb50a6f5b6f0b43ffbafb70ad0c494c349/sdk/azidentity/errors.go",
    "GO-NET": "https://pkg.go.dev/net",
    # Sources of the mock Azure's answers (the [S#] of /work/shared/reference/azure-api-reference.md).
    "S1": "https://github.com/MicrosoftDocs/entra-docs/blob/main/docs/identity-platform/v2-oauth2-client-creds-grant-flow.md",
    "S5": "https://github.com/Azure/sap-automation/issues/418",
    "S7": "https://github.com/liprec/vsts-release-aas/issues/119",
    "S8": "https://github.com/vippsas/vipps-ecom-api/issues/183",
    "S13": "https://github.com/Azure/azure-cli/issues/22145",
    "S16": "https://github.com/keycloak/keycloak/issues/19425",
    "S25": "https://github.com/MicrosoftDocs/azure-docs/issues/99004",
    "S29": "https://github.com/microsoft/azure_arc/issues/157",
    "S31": "https://github.com/Azure/apiops/issues/606",
    "S33": "https://github.com/microsoft/azure_arc/issues/3255",
    "S35": "https://github.com/pulumi/pulumi/issues/3891",
    "S36": "https://github.com/microsoft/AzureStorageExplorer/issues/4273",
    "S37": "https://github.com/Azure/azure-powershell/issues/27882",
    "S38": "https://github.com/microsoft/vscode-azureappservice/issues/2483",
    "S39": "https://github.com/Azure/aks-engine/blob/master/pkg/armhelpers/httpMockClient.go",
    "S40": "https://github.com/JetBrains/azure-tools-for-intellij/issues/16",
    "S41": "https://github.com/velero-io/velero/issues/9171",
    "S43": "https://github.com/Azure/migAz/issues/246",
    "S46": "https://github.com/Azure/azure-rest-api-specs/issues/21163",
    "CAP-C": "research-endpoints.md 2.1 capture C (Windows `azcmagent check`, 2023-09-21; public index id 17311501488)",
}

Text = collections.namedtuple("Text", "id text where source note")

TEXTS = (
    # -- console framing and exit block ---------------------------------------------------------
    Text("F1", "INFO    / FATAL   ", "console", "C-jpazmon", "modern level prefix (word padded to 7 + space); also C-mslab, C-df158"),
    Text("F2", "DEBUG   / ERROR   / WARN    ", "console", "assumed", "modern prefix of the other levels (no modern capture shows them)"),
    Text("F4", "INFO[0032] / DEBUG[0031] / ERROR[0032] / FATAL[0032]", "console", "C-77734", "logrus (1.7) prefix, seconds since start"),
    Text("F4b", 'time="%s" level=%s msg="%s"', "both", "C-64707", "the log line; the logfmt generation prints it on the console too"),
    Text("F5", "ESC[36mINFO   ESC[0m", "console", "IMG-check", "colour on a terminal only (`←[36mINFO   ←[0m` in the Windows capture)"),
    Text("F7", "  20% [==>            ] / 100% [===============]", "console", "C-jpazmon", "progress bars (modern); also C-df151, C-df158"),
    Text("F9", "Exit Code:  %s: %s", "both", "C-mslab", "INFO on the console, level=info in the log (C-109136); logrus form C-77734"),
    Text("F10", "For troubleshooting, see https://aka.ms/arc/azcmerror", "both", "C-mslab", "not printed by the 1.7 agent (C-77734)"),
    Text("F6", "%-*s %s", "console", "C-jpazmon", "message padded to 45 (44 logrus, C-157) before Key=value fields"),
    Text("L0", "Agent Version: %s", "log", "C-99004", "debug"),
    Text("L1", "Agent Command: %s", "log", "C-99004", "debug"),
    # -- exit titles ---------------------------------------------------------------------------
    Text("T26", "Network Error", "both", "C-109136", "AZCM0026; also C-184"),
    Text("T43", "Failed to Delete Resource", "both", "C-mslab", "AZCM0043"),
    Text("T70", "Unable To Obtain Local Config", "both", "D-96347", "AZCM0070"),
    Text("T104", "Failed To Get OS Information", "both", "C-77734", "AZCM0104"),
    Text("TDOC", "No Error / Default Error / Control C Pressed / Invalid Access Token / Missing Mandatory Parameter / "
                 "Admin Privileges Needed / Configuration File Not Found / Invalid Argument / Failed to Get Access Token / "
                 "Failed to Create Resource / Resource Already Exists / Failed to Onboard Server to Azure / "
                 "Failed to Disconnect Server from Azure / Machine Already Connected / Unable to Fetch Subscription ID / "
                 "Command Execution Error", "both", "D-TSG2022",
         "the Description column of the 2022 error-code table (0016 is spelled 'Paremeter' there); no console capture"),
    Text("TASM", "Internal Error / Invalid Tags / Invalid Cloud / Invalid Correlation ID / Invalid Resource Name / Unknown Region / "
                 "Configuration Conflict / Unable to Establish Communication with HIMDS / Error Updating Local Configuration",
         "both", "assumed", "exit-code names of the reference, Title Case by us"),
    # -- connect -------------------------------------------------------------------------------
    Text("K1", "Connecting machine to Azure... This might take a few minutes.", "console", "C-df158", "modern; also C-jpazmon, C-df151"),
    Text("K1L", "Onboarding Machine. It usually takes a few minutes to complete. Sometimes it may take longer depending on network "
                "and server load status.", "console", "C-64707", "logfmt generation (2020 logfmt agents; C-mslearn too)"),
    Text("K2", "Cloud: %s", "console", "C-df158", "modern (1.58)"),
    Text("K3", "Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.",
         "console", "C-df158", "modern connect and `check` (IMG-check)"),
    Text("K3L", "Check network connectivity to all endpoints...", "console", "C-64707", "logfmt generation"),
    Text("K4a", "Checking connectivity to https://%s, proxy status: %s", "log", "C-99004", "debug; one per endpoint"),
    Text("K4b", "proxy is not used", "log", "C-99004", "proxy status of K4a"),
    Text("K4c", "proxy set via config command", "log", "CAP-C", "proxy status when proxy.url is set (a `Proxy Status=` field there)"),
    Text("K4d", "https://%s is available, using cryptographic protocol: %s", "log", "C-99004", "debug"),
    Text("K5", "required endpoints unavailable: %s", "both", "C-13955", "modern: FATAL of AZCM0026 (exit code assumed: the capture shows none)"),
    Text("K5b", 'https://%s/ (error: Get "%s": %s)', "both", "C-13955", "one item of K5; gbl is probed at /connectivitytest"),
    Text("K5c", "%s. Failed to Tls dialing %s", "both", "C-64707", "logfmt generation, error level, the connect goes on; "
                                                                     "wording for other errors than x509 by analogy"),
    Text("K5d", "For network endpoint issue, please review https://aka.ms/arcserver-network for details of required network access.",
         "both", "C-64707", "logfmt generation, after K5c"),
    Text("K5e", "tls: failed to verify certificate: ", "both", "GO-NET", "Go >= 1.20 prefix, dropped in the 2020 form K5c"),
    Text("K5f", "Private Link Scope resource ID must be provided as endpoint %s is configured private", "both", "C-109136",
         "fatal, AZCM0026"),
    Text("K5g", "No indication of Private Link Scope but found private endpoint %s: %s ", "both", "C-184",
         "AZCM0026; printed as FATAL (the capture shows no level)"),
    Text("K6a", "Getting Authorization Token", "both", "C-99004", "debug (console with --verbose)"),
    Text("K6b", "Successfully acquired Authorization Token", "both", "C-99004", "debug, field Method=SPN; 1.7 without field (C-77734)"),
    Text("K10", "Failed to acquire authorization token from SPN", "log", "C-99004", "debug, fields Application Id, Error"),
    Text("K10a", "%s authentication failed", "log", "C-99004", "1.2x azidentity block: then POST <url>, rule, RESPONSE 400 Bad Request"),
    Text("K10b", "%s authentication failed. ", "log", "SDK-ID", "modern azidentity block (C-3322 shows 'failed.  ----')"),
    Text("K10c", "To troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot#client-secret", "log", "SDK-ID", "last line of K10b"),
    Text("K10d", "RESPONSE %d %s", "log", "C-99004", "1.2x azidentity status line"),
    Text("K10e", "Application Id", "log", "C-99004", "field"),
    Text("K11", "Failed to acquire authorization token from SPN: %s: %s", "both", "D-TSG2022",
         "FATAL of AZCM0041: TSG message + error text; the '<error>: <description>' join is assumed"),
    Text("K11b", "unknown error", "both", "assumed", "K11 when Entra ID gives no description"),
    Text("K12", "Get ARM Resource Response", "log", "D-TSG2022", "fields Body (compact JSON, C-99004) and Status Code"),
    Text("K12b", "Status Code", "log", "C-99004", "field"),
    Text("K13", "Failed to AzcmagentConnect ARM resource", "both", "C-157", "error, field Error=<flattened>; also C-570"),
    Text("K17", "Failed to register resource provider '%s'. Error: %s", "both", "C-99004",
         "debug; the connect goes on; 1.21-1.23 every connect, 1.24+ only for an unregistered provider"),
    Text("K17b", "RESPONSE %d: %d %s", "both", "SDK-RE", "azcore block (C-99004 shows `RESPONSE 403: 403 Forbidden`)"),
    Text("K17c", "ERROR CODE: %s", "both", "SDK-RE", "azcore block (C-99004)"),
    Text("K17d", "ERROR CODE UNAVAILABLE", "both", "SDK-RE", "azcore block without an error code"),
    Text("K17e", "%s %s", "both", "SDK-RE", "first line of the block: method and URL without the query"),
    Text("K17f", "POST %s", "log", "C-99004", "azidentity block, second line"),
    Text("K18", "RequestCorrelationId:%s Message: %s Code: %s httpStatusCode:%d ", "both", "C-157",
         "FATAL of an ARM failure in every generation (C-mslab 1.40, C-570)"),
    Text("K21", "Creating resource in Azure...", "console", "C-jpazmon", "fields Correlation ID, Resource ID; also C-df151, C-df158"),
    Text("K21b", "Create ARM Resource Response", "log", "C-99004", "debug, Body=<compact JSON> Status Code=200"),
    Text("K21c", "ARM Resource Creation Successful", "log", "C-99004", "debug"),
    Text("K22", "Connected machine to Azure", "console", "C-jpazmon", "also C-df151, C-df158"),
    Text("K23", "Machine overview page: %s", "console", "C-jpazmon", "also C-df151, C-df158"),
    Text("K25", "Machine is already connected to Azure", "console", "assumed", "INFO with Resource ID= before AZCM0067"),
    Text("K25b", "The machine is already connected to Azure: Resource ID=%s. Run 'azcmagent disconnect' before connecting again.",
         "both", "assumed", "AZCM0067 detail; TSG cause 'The machine is already connected to Azure'"),
    Text("K26", "Unable to establish communication with HIMDS: %s. Ensure the %s service is running.", "both", "assumed", "AZCM0064"),
    Text("K26b", "dial unix %s: connect: %s", "both", "GO-NET", "Go dial error of the himds socket"),
    Text("K26c", "no such file or directory / connection refused", "both", "GO-NET", "errno texts"),
    Text("K26d", "Starting client connection on: %s / Awaiting status message from agent... / Status Message received", "both",
         "C-99004", "debug, before a connect talks to himds; also C-77734, C-109136"),
    Text("K26e", "Generated Resource Id", "both", "C-77734", "debug, 1.7, field VM Id"),
    Text("K27", "Failed to discover OS information for onboarding", "both", "C-77734", "error, Error=\"Failed to obtain FqdnDNS: \""),
    Text("K27b", "Failed to obtain FqdnDNS: ", "both", "C-77734", "FATAL of AZCM0104 (nothing after the colon)"),
    Text("K28", "Waiting for Azure (hang scenario)", "log", "assumed", "ours: the hang scenario"),
    Text("K29", "A resource with the name '%s' already exists in resource group '%s' for another machine (Resource ID=%s, VM Id=%s). "
                "Specify a different name with --resource-name or delete the existing resource in Azure.", "both", "assumed",
         "AZCM0044 detail; no capture names the resource (issue 9 case 7): no repair may use it"),
    Text("K30", "The resource %s already exists in Azure from a previous incomplete connect attempt (provisioningState %s, VM Id=%s). "
                "Delete the resource in Azure, run 'azcmagent disconnect --force-local-only', then connect again.", "both", "assumed",
         "AZCM0062 detail (issue 9 case 7)"),
    Text("K31", "Failed to write the local configuration after the resource %s was created: %s", "both", "assumed", "AZCM0062"),
    Text("K32", "Unable to fetch the subscription ID of subscription '%s': no subscription with this name is accessible to the "
                "identity used", "both", "assumed", "AZCM0068 (also without the tail, then the error on its own line)"),
    Text("K42", "read tcp 127.0.0.1:%d->%s: read: connection reset by peer", "both", "assumed",
         "transient scenario; the Windows wording of the same reset is in C-13955"),
    Text("K43", "To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", "console", "C-mslab",
         "device code; also C-df151, C-df158"),
    Text("K44", "Waiting for device code authentication", "log", "assumed", "field Timeout"),
    Text("K44b", "Failed to acquire authorization token device flow: expired_token: AADSTS70020: The provided value for the input "
                 "parameter 'device_code' is not valid. This device code has expired.", "both", "assumed", "AZCM0041"),
    Text("K45", "Failed to acquire authorization token device flow: Error occurred while sending request for Device Authorization "
                "Code: %s", "both", "D-TSG2022", "AZCM0026; the TSG shows the old Go form of the inner error"),
    Text("K46", "The access token is invalid: it is not a JSON Web Token / The access token is invalid: it expired at %s", "both",
         "assumed", "AZCM0012; TSG cause 'The access token is invalid'"),
    Text("K47", "Unable to read the service principal certificate: open %s: no such file or directory / "
                "Failed to load the service principal certificate %s: %s", "both", "assumed", "AZCM0023"),
    Text("K48", "Missing mandatory parameter: --%s / Missing mandatory parameter: --location (required with --cloud)", "both",
         "assumed", "AZCM0016, one line per flag"),
    Text("K49", "Invalid cloud '%s': supported values are AzureCloud, AzureUSGovernment, AzureChinaCloud / "
                "Invalid value for --%s: '%s' is not a valid GUID / Invalid resource name '%s': use 1-54 letters, digits, hyphens, "
                "underscores or periods, not ending with a hyphen or underscore / Invalid resource group name '%s' / "
                "Invalid tags: %s. Use --tags \"Name1=Value1,Name2='Value with spaces'\" / unbalanced quote or trailing escape in %r / "
                "empty tag in %r / invalid tag %r / Invalid private link scope resource ID '%s' / Unknown region '%s' for cloud %s",
         "both", "assumed", "AZCM0023/0020 validation"),
    Text("K50", "Administrative privileges are required to run 'azcmagent %s'. Run the command as root (for example with sudo). / "
                "config %s", "both", "assumed", "AZCM0018; TSG cause 'The command was executed without administrative privileges'"),
    Text("K51", "You must be root to execute /usr/bin/azcmagent", "console", "C-570", "1.7-era agent"),
    Text("K52", "Failed to read the local configuration %s: the file is not valid JSON", "both", "assumed", "AZCM0070 detail"),
    Text("K53", "The operation was canceled by the user (CTRL+C)", "both", "D-TSG2022", "AZCM0011; TSG cause 'The user canceled the action (CTRL+C)'"),
    Text("K55", "Ignoring unknown key in config file", "log", "assumed", "warning, field Key"),
    Text("K56", "Config file %s not found: open %s: %s / Unable to read config file %s: invalid character 'ï' looking for beginning "
                "of value / Unable to read config file %s: %s / Unable to read config file %s: expected a map of flag names to values",
         "both", "assumed", "AZCM0019"),
    Text("K57", "unknown flag: --%s / flag needs an argument: --%s / unknown shorthand flag: '%s' in %s / flag needs an argument: "
                "'%s' in -%s / invalid argument \"%s\" for \"--%s\" flag: strconv.ParseBool: parsing \"%s\": invalid syntax / "
                "unknown command \"%s\" for \"azcmagent\" / unknown command \"%s\" for \"azcmagent config\"", "both", "assumed",
         "AZCM0023: cobra/pflag wording"),
    Text("K58", "commands.USAGE (help texts)", "console", "assumed", "ours; header 'Azure Connected Machine Agent (simulator)'"),
    Text("K59", "azcmagent version %s / azcmagent version  %s", "console", "assumed", "modern / 1.7 (two spaces)"),
    Text("K61", "MICROSOFT SOFTWARE LICENSE TERMS (simulator: see https://aka.ms/azcmagent-license) / Public key: ", "console",
         "assumed", "license, genkey"),
    # -- Go transport errors -------------------------------------------------------------------
    Text("G1", "%s \"%s\": %s", "both", "C-13955", "Go url.Error `Get \"https://pas.windows.net\": EOF`"),
    Text("G2", "dial tcp / %s %s:%d / %s: %s / connect: %s / %s: i/o timeout", "both", "D-TSG2022",
         "`dial tcp 40.126.9.7:443: connect: network is unreachable.`"),
    Text("G3", "connect: network is unreachable", "both", "D-TSG2022", ""),
    Text("G4", "connect: connection refused / connect: no route to host / connect: connection reset by peer / "
               "connect: cannot assign requested address", "both", "GO-NET", "Linux errno texts; no agent capture"),
    Text("G5", "dial tcp: lookup %s: no such host", "both", "D-TSG2022", "`dial tcp lookup login.windows.net: no such host` (older Go)"),
    Text("G6", "tls: failed to verify certificate: x509: certificate signed by unknown authority", "both", "C-64707",
         "x509 text verbatim; the Go >= 1.20 prefix is Go's"),
    Text("G7", "tls: failed to verify certificate: x509: certificate is not valid for %s / tls: failed to verify certificate: x509: "
               "certificate has expired or is not yet valid", "both", "GO-NET", "no agent capture"),
    Text("G8", "remote error: tls: %s / handshake failure", "both", "C-13955", ""),
    Text("G9", "EOF", "both", "C-13955", ""),
    Text("G10", "Forbidden", "both", "D-TSG2022", "proxy CONNECT refusal: the status text"),
    Text("G11", "proxyconnect tcp: dial tcp / proxyconnect tcp: dial tcp: lookup %s: no such host / proxyconnect tcp: i/o timeout / "
                "proxyconnect tcp: %s / proxyconnect tcp: malformed HTTP response %r / unknown status code", "both", "CAP-C",
         "the `proxyconnect tcp: dial tcp` prefix is in capture C; the rest assumed"),
    Text("G12", "net/http: TLS handshake timeout / context deadline exceeded (Client.Timeout exceeded while awaiting headers) / "
                "read tcp: read: connection reset by peer", "both", "assumed", "Go wording, no agent capture"),
    # -- disconnect ----------------------------------------------------------------------------
    Text("D1", "Deleting resource from Azure...", "console", "C-mslab", "fields Correlation ID, Resource ID"),
    Text("D1b", "Delete ARM Resource", "log", "C-99004", "debug, field Request URL"),
    Text("D1c", "Delete ARM Resource Response", "log", "C-99004", "debug, field Body"),
    Text("D2", "Disconnected machine from Azure", "console", "assumed", "a third-party script greps for it; no capture"),
    Text("D3", "Resetting the local agent configuration (the Azure resource is not deleted)", "console", "assumed", "--force-local-only"),
    Text("D4", "The machine is not connected to Azure: no resource ID in the local configuration. Use --force-local-only to reset the "
               "local configuration only.", "both", "assumed", "AZCM0063"),
    Text("D5", "The resource was not found in Azure. Run 'azcmagent disconnect --force-local-only' to reset the local configuration. / "
               "Timed out waiting for the deletion of the resource in Azure / The operation ", "both", "assumed", "AZCM0043"),
    # -- show ----------------------------------------------------------------------------------
    Text("S1", "%-40s: %s / Resource Name / Resource Group Name / Resource Namespace / Resource Id / Subscription ID / Tenant ID / "
               "VM ID / Correlation ID / VM UUID / Location / Cloud / Agent Version / Agent Logfile / Agent Status / "
               "Agent Last Heartbeat / Agent Error Code / Agent Error Details / Agent Error Timestamp / Using HTTPS Proxy / "
               "Proxy Bypass List / Upstream Proxy / Gateway URL / Cloud Provider / Cloud Metadata / Manufacturer / Model / "
               "MSSQL Server Detected / MySQL Server Detected / PGSQL Server Detected / Dependent Service Status / Agent Service / "
               "Azure Arc Proxy / Extension Service / GC Service / Portal Page / Disabled Features / Agent Auto Upgrade Task Status",
         "show", "C-df158", "Linux 1.58 labels, order and layout (Manufacturer/Model not indented); 1.7's own fields: no capture"),
    Text("S4", "inactive", "show", "assumed", "a stopped himdsd (systemd word); Windows prints `stopped` (C-mslab)"),
    Text("S5", "enabled, id: /etc/cron.d/azcmagent_autoupgrade", "show", "C-df158", ""),
    Text("S7", "Unknown property: %s", "both", "assumed", "AZCM0023"),
    # -- check ---------------------------------------------------------------------------------
    Text("C1", "ENDPOINT / REACHABLE / PRIVATE / TLS / PROXY / not used / set / unknown", "check", "IMG-check",
         "tabwriter table, rows sorted by URL; transcribed from images (research-endpoints 2.1)"),
    Text("C1b", "Regional Service Discovery", "both", "CAP-C",
         "error; fields Error (Get <gbl>/discovery?location=<region>&api-version=2.1: <err>), Proxy Status, Request URL; "
         "then no regional HIS row (connect and check)"),
    Text("C1c", 'time="%s" level=error msg="Regional Service Discovery" Error=%s Proxy Status=%s Request URL=%s', "console", "CAP-C",
         "check: the same line on stderr"),
    Text("C2", "%s is available, using cryptographic protocol: %s", "log", "C-99004", "check: debug"),
    Text("C3", "%s is not reachable / time=\"%s\" level=error msg=\"%s is not reachable\" Error=%s", "console", "assumed",
         "check stderr and log; no capture"),
    Text("C4", "proxy status / bypass group", "check", "assumed", "`check -j` keys (the first five from a troubleshooter's code)"),
    # -- config / logs -------------------------------------------------------------------------
    Text("G-1", "Local Configuration Settings /   %-54s: %s", "config", "D-Nexus", ""),
    Text("G-2", "Config property %s set to value %s / Updating service configuration: Azure Arc Proxy", "config", "D-Nexus", ""),
    Text("G-3", "Config property %s cleared", "config", "assumed", ""),
    Text("G-4", "commands.CONFIG_INFO (config info descriptions)", "config", "assumed", "ours"),
    Text("G-5", "Invalid value '%s' for proxy.bypass: allowed values are %s / Invalid value '%s' for %s: expected port numbers / "
                "Invalid value '%s' for %s: expected Publisher/Type / --add and --remove can only be used with multi-value "
                "properties: %s / Invalid value '%s' for %s: expected true or false / Invalid proxy URL '%s': expected "
                "http://host:port / Invalid value '%s' for config.mode: expected full or monitor / Invalid value '%s' for "
                "connection.type: expected default, direct or gateway / Invalid value '%s' for %s: expected a percentage between 1 "
                "and 100 / Unknown configuration property '%s'. Run 'azcmagent config info' for the list of properties / "
                "config get takes exactly one property name / --add and --remove are mutually exclusive / config set takes a "
                "property name and a value / config clear takes exactly one property name / %s cannot be changed while "
                "config.mode is monitor / Unable to write %s: %s", "both", "assumed", "AZCM0023/0027/0069"),
    Text("L-1", "Logs collected in %s", "console", "assumed", "AZCM0101 on failure: 'Unable to write %s: %s'"),
    # -- upgrade (agent 1.62 and later; azcmagent-upgrade.md documents the flags, no output is public) -------------
    Text("U1", "Upgrading the agent from version %s / Running package manager", "both", "assumed",
         "the simulator runs apt-get install --only-upgrade azcmagent[=M.m.*] (debug line with Command=)"),
    Text("U2", "Agent upgraded to version %s / The agent is already at the latest available version %s", "console", "assumed", ""),
    Text("U3", "Invalid version %s: use MAJOR.MINOR, for example 1.63 / Failed to upgrade the agent: %s / exit status %d", "both", "assumed",
         "AZCM0023 / AZCM0147 (version not found, the install script's code) / AZCM0001; detail: the last line apt printed, "
         "else the exit status"),
    # -- himds ---------------------------------------------------------------------------------
    Text("H1", "himds started, listening on %s / himds stopping", "himds.log", "assumed", "no real himds.log line found"),
    Text("H2", "usage: himds.py --agent-dir DIR [--daemon]", "console", "assumed", "ours (the daemon's own usage)"),
)

# What the mock Azure answers (relayed by the simulator in FATAL lines and Body= fields); scanned in mockazure/model.py.
AZURE_TEXTS = (
    Text("M1", "The client '%s' with object id '%s' does not have authorization to perform action '%s' over scope '%s' or the scope "
               "is invalid. If access was recently granted, please refresh your credentials.", "azure", "S25", "AuthorizationFailed 403"),
    Text("M2", "The scope '%s' cannot perform %s operation because following scope(s) are locked: '%s'. Please remove the lock and "
               "try again.", "azure", "C-mslab", "ScopeLocked 409 (the write wording is assumed)"),
    Text("M3", "The subscription is not registered to use namespace '%s'. See https://aka.ms/rps-not-found for how to register "
               "subscriptions.", "azure", "S29", "MissingSubscriptionRegistration 409; also C-570"),
    Text("M4", "Number of '%s' requests for subscription '%s' actor '%s' exceeded. Please try again after '%s' seconds after "
               "additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.", "azure", "S41",
         "SubscriptionRequestsThrottled 429; never seen from azcmagent"),
    Text("M5", "The Resource 'Microsoft.HybridCompute/machines/%s' under resource group '%s' was not found. For more details please go "
               "to https://aka.ms/ARMResourceNotFoundFix / The Resource 'Microsoft.HybridCompute/locations/%s/operationstatus/%s' "
               "was not found.", "azure", "S33", "ResourceNotFound 404 (the operation-status form is assumed)"),
    Text("M6", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
               "not the client secret ID, for a secret added to app '{client_id}'.", "azure", "S5", "not seen from azcmagent"),
    Text("M7", "AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{directory}'. This can happen "
               "if the application has not been installed by the administrator of the tenant or consented to by any user in the "
               "tenant. You may have sent your authentication request to the wrong tenant.", "azure", "C-99004", "also S8"),
    Text("M8", "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the "
               "correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for "
               "the tenant.", "azure", "S13", "not seen from azcmagent"),
    Text("M9a", "AADSTS7000222: The provided client secret keys for app '{client_id}' are expired. Visit the Azure portal to create new "
                "keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: "
                "https://aka.ms/certCreds.", "azure", "S7", "mock knob secret_expired"),
    Text("M9b", "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. "
                "[Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see "
                "configured keys for app Id '{client_id}'. Review the documentation at https://docs.microsoft.com/en-us/graph/"
                "deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/"
                "application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as "
                "'https://graph.microsoft.com/beta/applications/{app_object_id}'].", "azure", "S16", ""),
    Text("M9c", "AADSTS700027: Client assertion contains an invalid signature. [Reason - The provided signature value did not match the "
                "expected signature value., Thumbprint of key used by client: '{thumbprint}', Found key 'Start=01/01/2025 00:00:00, "
                "End=01/01/2030 00:00:00']", "azure", "assumed", "the older 700027 family form"),
    Text("M9d", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'. / "
                "AADSTS900144: The request body must contain the following parameter: '{parameter}'. / AADSTS70003: The app "
                "requested an unsupported grant type '{grant_type}'. / AADSTS700024: Client assertion is not within its valid time "
                "range. Current time: {now}, assertion valid from {nbf}, expiry time of assertion {exp}. / AADSTS50027: JWT token "
                "is invalid or malformed. / AADSTS900561: The endpoint only accepts POST requests. Received a %s request. / "
                "Service unavailable / %s%sTrace ID: %s%sCorrelation ID: %s%sTimestamp: %s", "azure", "assumed",
         "Entra ID answers to malformed requests and faults; no scenario prints them"),
    Text("M10", "Authentication failed. The 'Authorization' header is missing. / The authentication failed because of missing "
                "'Authorization' header.", "azure", "S39", "AuthenticationFailed 401"),
    Text("M11", "The access token is invalid.", "azure", "S37", "InvalidAuthenticationToken 401"),
    Text("M12", "The access token expiry UTC time '%s' is earlier than current UTC time '%s'. / The access token expiry UTC time is "
                "earlier than current UTC time. / %d/%d/%d %d:%02d:%02d %s", "azure", "S38", "ExpiredAuthenticationToken 401"),
    Text("M13", "The access token has been obtained for wrong audience or resource '%s'. It should exactly match with one of the allowed "
                "audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/',"
                "'https://management.azure.com'. / The access token has been obtained for wrong audience.", "azure", "S40",
         "InvalidAuthenticationTokenAudience 401"),
    Text("M14", "The access token is from the wrong issuer 'https://sts.windows.net/%s/'. It must match the tenant "
                "'https://sts.windows.net/%s/' associated with this subscription. Please use the authority (URL) "
                "'https://login.windows.net/%s' to get the token. Note, if the subscription is transferred to another tenant there "
                "is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you "
                "just transferred your subscription and see this error message, please try back later.", "azure", "assumed",
         "InvalidAuthenticationTokenTenant 401"),
    Text("M15", "Bearer authorization_uri=\"https://login.windows.net/%s\", error=\"invalid_token\", error_description=\"%s\"",
         "azure", "S39", "WWW-Authenticate header (sourced for the missing-header case only)"),
    Text("M16", "The subscription '%s' could not be found.", "azure", "S36", "SubscriptionNotFound 404"),
    Text("M17", "Resource group '%s' could not be found.", "azure", "S35", "ResourceGroupNotFound 404"),
    Text("M18", "No registered resource provider found for location '%s' and API version '%s' for type 'machines'. The supported "
                "api-versions are '%s'. The supported locations are 'eastus, westeurope, westus2, southeastasia'.", "azure", "S43", "NoRegisteredProviderFound 400"),
    Text("M19", "The request does not have sufficient information to complete the operation. Missing or invalid properties: VmId",
         "azure", "S46", "HCRP400"),
    Text("M20", "The server encountered an internal error. Please retry the request. / The api-version query parameter "
                "(?api-version=) is required for all requests. / The requested resource does not support http method '%s'. / "
                "The request content was invalid and could not be deserialized. / The resource type could not be found in the "
                "namespace for api version '%s'. / The location property is required for this definition. / Resource name %s is "
                "invalid. The name can be up to 54 characters in length and can contain letters, digits, hyphens, "
                "underscores and periods. / The skip token is invalid.", "azure", "assumed", "ARM answers no scenario prints"),
    Text("M21", "\"https://%s.%s\" / Only GET is supported. / The location and api-version parameters are required. / "
                "The location '%s' is not supported.", "azure", "assumed",
         "gbl.his…/discovery answers: one JSON string URL (a public script strips https:// from the 1.1-preview answer; "
         "no capture of 2.1); the error texts are ours"),
    Text("M22", "Required metadata header not specified / Only GET is allowed / Identity not found / IMDS is busy / "
                "Required query variable '%s' is missing", "azure", "assumed",
         "the IMDS-style managed identity endpoint's error texts (identity stage); no public capture used"),
    Text("M23", "Provisioning succeeded / Extension Message: Enable succeeded / The Resource "
                "'Microsoft.HybridCompute/machines/%s/extensions/%s' under resource group '%s' was not found. For more "
                "details please go to https://aka.ms/ARMResourceNotFoundFix", "azure", "assumed",
         "machine extensions: instanceView texts and the not-found answer (modelled on the machine's own 404)"),
)

# String literals of the simulator that never reach a user (wire protocol, internal usage): the test skips them.
NOT_PRINTED = (
    "azcmagent simulator: --sim-host DIR (or AZCMAGENT_SIM_HOST) is required\n",  # the simulator's own usage (not the agent's)
    "Bearer %s",  # HTTP Authorization header
    "CONNECT {0}:443 HTTP/1.1\r\nHost: {0}:443\r\nUser-Agent: azcmagent\r\n\r\n",  # proxy CONNECT request
    "User-Agent: azcmagent/sim", "Connection: close", "%s %s HTTP/1.1", "Host: %s", "Content-Length: %d", "%s: %s",  # HTTP request
    'time="%s" level=info msg="%s"\n',  # himds.log line format (logfmt, as the agent's own log)
    "AZCM%04d: %s",  # str() of AzcmError (Python side only; the console prints the exit block)
    # mock Azure: role names and location display names (data, not messages), the admin API of the tests
    "azure connected machine onboarding", "azure connected machine resource administrator",
    "Azure Connected Machine Onboarding", "Azure Connected Machine Resource Administrator", "West Europe", "Southeast Asia",
    "no such admin endpoint %s %s", "body is not JSON", "seed must be a JSON object", "a fault needs at least status",
    "a fault needs at least status (or reset: true, or token_expired: true)",
    "Ref A: %s Ref B: AMS231032608023 Ref C: %s",  # x-msedge-ref header
)
# Module-level constants whose literals are covered by one registered row (K58, G-4).
BLOCKS = ("USAGE", "CONFIG_INFO")


def markdown():
    """The README table: one row per registered text (the agent simulator's, then the mock Azure's)."""
    lines = ["| id | text (template, `%s` = variable) | where | source | note |", "|---|---|---|---|---|"]
    for row in TEXTS + AZURE_TEXTS:
        source = row.source if row.source == "assumed" else "[%s](%s)" % (row.source, SOURCES[row.source]) \
            if SOURCES[row.source].startswith("http") else "%s: %s" % (row.source, SOURCES[row.source])
        text = row.text.replace("|", "\\|").replace("\n", "\\n")
        lines.append("| %s | `%s` | %s | %s | %s |" % (row.id, text, row.where, source, row.note.replace("|", "\\|")))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
