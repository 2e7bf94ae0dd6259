# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one text table of the collection (English and Dutch) and its one accessor.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Every sentence a module, filter or role shows a person, other than the per-code texts of the
AZCM catalog (``_catalog_data``), lives here under a dotted key ``<area>.<name>`` with one
entry per language; :func:`text` is the only way to read it. Placeholders use
``str.format`` names (``{timeout}``); a test checks that both languages of a key have the same
placeholders.
"""

from __future__ import annotations

import re
import typing as t

LANGUAGES = ("en", "nl")
DEFAULT_LANG = "en"

# (typing's aliases, not collections.abc's: module_utils still import on the managed node's Python 3.8)
Texts = t.Mapping[str, t.Mapping[str, str]]

# Each area keeps its own block, so that the table reads by area. Keys are "<area>.<name>".

# -- module outcomes: agent not found, lock, timeout, target mismatch, internal errors ---------
_OUTCOME: Texts = {
    "outcome.timeout_cause": {
        "en": "The azcmagent command did not finish within {timeout} seconds; its process group was stopped",
        "nl": "De azcmagent-opdracht was na {timeout} seconden niet klaar; de procesgroep is gestopt",
    },
    "outcome.timeout_remediation": {
        "en": "Retry the command; if it keeps hanging, check the network path to Azure (azcmagent check) and raise the module's "
              "timeout option",
        "nl": "Voer de opdracht opnieuw uit; blijft hij hangen, controleer dan de netwerkroute naar Azure (azcmagent check) en "
              "verhoog de optie timeout van de module",
    },
    "outcome.not_found_cause": {
        "en": "The Azure Connected Machine agent was not found ({detail})",
        "nl": "De Azure Connected Machine-agent is niet gevonden ({detail})",
    },
    "outcome.not_found_remediation": {
        "en": "Install the agent (role arcops.azcmagent.install) or set the executable option to its path",
        "nl": "Installeer de agent (rol arcops.azcmagent.install) of zet de optie executable op het pad ervan",
    },
    "outcome.lock_cause": {
        "en": "Another azcmagent run on this machine kept the agent lock ({detail})",
        "nl": "Een andere azcmagent-opdracht op deze machine hield de agentvergrendeling vast ({detail})",
    },
    "outcome.lock_recovered": {
        "en": "The agent lock {path} was left by a run that ended without releasing it (pid {pid}, since {since}); it was taken over",
        "nl": ("De agentvergrendeling {path} was achtergelaten door een opdracht die stopte zonder haar vrij te geven "
               "(pid {pid}, sinds {since}); ze is overgenomen"),
    },
    "outcome.lock_remediation": {
        "en": "Wait for the other run to finish and try again, or raise the lock_timeout option",
        "nl": "Wacht tot de andere opdracht klaar is en probeer het opnieuw, of verhoog de optie lock_timeout",
    },
    "outcome.mismatch_cause": {
        "en": "The machine is already connected to another target (now: {current}; requested: {requested})",
        "nl": "De machine is al verbonden met een ander doel (nu: {current}; gevraagd: {requested})",
    },
    "outcome.mismatch_state_cause": {
        "en": "The machine is still onboarded with status {status} (resource {current}; requested: {requested})",
        "nl": "De machine is nog aangemeld met status {status} (resource {current}; gevraagd: {requested})",
    },
    "outcome.mismatch_remediation": {
        "en": "Run azcmagent disconnect to remove the current connection, then connect again; or set on_mismatch=reconnect to "
              "let the module do it",
        "nl": "Voer azcmagent disconnect uit om de huidige verbinding te verwijderen en maak daarna opnieuw verbinding; of zet "
              "on_mismatch=reconnect zodat de module dat doet",
    },
    "outcome.not_a_guid": {
        "en": "{fields} was given by name, which cannot be compared with the GUID the agent records; give the GUID so the module "
              "can compare the target",
        "nl": "{fields} is als naam opgegeven, die niet te vergelijken is met de GUID die de agent vastlegt; geef de GUID op zodat "
              "de module het doel kan vergelijken",
    },
    "outcome.same_target_cause": {
        "en": "The machine is already connected to the requested target ({current})",
        "nl": "De machine is al verbonden met het gevraagde doel ({current})",
    },
    "outcome.same_target_remediation": {
        "en": "Nothing to do",
        "nl": "Er hoeft niets te gebeuren",
    },
    "outcome.internal_cause": {
        "en": "The module failed unexpectedly: {detail}",
        "nl": "De module is onverwacht mislukt: {detail}",
    },
    "outcome.internal_remediation": {
        "en": "Report this as a bug of arcops.azcmagent with the module's output",
        "nl": "Meld dit als fout van arcops.azcmagent, met de uitvoer van de module",
    },
    "outcome.option_conflict": {
        "en": "{option} and {other} are mutually exclusive",
        "nl": "{option} en {other} sluiten elkaar uit",
    },
    "outcome.option_required_by": {
        "en": "{option} is required with {other}",
        "nl": "{option} is verplicht samen met {other}",
    },
    "outcome.list_mode_scalar": {
        "en": "list_mode={mode} only applies to multi-value settings ({settings})",
        "nl": "list_mode={mode} geldt alleen voor instellingen met meerdere waarden ({settings})",
    },
    "outcome.unparsed_line": {
        "en": "{command}: {warning} (the module did not recognise this line; please report it to arcops.azcmagent)",
        "nl": "{command}: {warning} (de module herkende deze regel niet; meld hem alstublieft bij arcops.azcmagent)",
    },
    "outcome.unparsed_more": {
        "en": "{command}: {count} more unrecognised lines of agent output were not shown",
        "nl": "{command}: nog {count} onherkende regels agentuitvoer zijn niet getoond",
    },
    "outcome.config_list_failed": {
        "en": "azcmagent config list failed (rc={rc}): {detail}",
        "nl": "azcmagent config list is mislukt (rc={rc}): {detail}",
    },
}

# -- the check module ---------------------------------------------------------------------------
_CHECK: Texts = {
    "check.summary_ok": {"en": "All {total} endpoints reachable.", "nl": "Alle {total} endpoints bereikbaar."},
    "check.summary_bad": {"en": "{good} of {total} endpoints reachable. {first}.", "nl": "{good} van {total} endpoints bereikbaar. {first}."},
    "check.summary_findings": {"en": "All {total} endpoints reachable, but: {first}.", "nl": "Alle {total} endpoints bereikbaar, maar: {first}."},
    "check.agent_missing": {
        "en": "agent_check=always but the agent is not installed ({detail})",
        "nl": "agent_check=always maar de agent is niet geinstalleerd ({detail})",
    },
    "check.agent_missing_remediation": {
        "en": "Install the agent (role arcops.azcmagent.install), set the executable option to its path, or set agent_check=auto",
        "nl": "Installeer de agent (rol arcops.azcmagent.install), zet de optie executable op het pad ervan, of zet agent_check=auto",
    },
    "check.bad_option": {"en": "{detail}", "nl": "{detail}"},
    "check.bad_option_remediation": {"en": "Correct the module's options", "nl": "Corrigeer de opties van de module"},
    # the agent's regional discovery failed ({url}: the discovery call, {error}: why, {host}: the fallback host)
    "check.discovery_fallback": {
        "en": (
            "The regional discovery {url} failed ({error}); probing {host} instead, the host a public source names for "
            "this region (an assumption: the agent uses what the discovery answers)"
        ),
        "nl": (
            "De regionale discovery {url} is mislukt ({error}); in plaats daarvan wordt {host} getest, de host die een "
            "openbare bron voor deze regio noemt (een aanname: de agent gebruikt wat de discovery antwoordt)"
        ),
    },
    "check.discovery_none": {
        "en": (
            "The regional discovery {url} failed ({error}) and no public source names the regional HIS host of this "
            "region: it is not probed (the agent resolves it when it connects)"
        ),
        "nl": (
            "De regionale discovery {url} is mislukt ({error}) en geen openbare bron noemt de regionale HIS-host van deze "
            "regio: die wordt niet getest (de agent zoekt hem op bij het verbinden)"
        ),
    },
    "check.not_reachable": {"en": "azcmagent check reports it not reachable", "nl": "azcmagent check meldt het als niet bereikbaar"},
    "check.no_finding": {"en": "The network check failed", "nl": "De netwerkcontrole is mislukt"},
    "check.no_finding_remediation": {
        "en": "Look at the endpoints and agent_check results of the module",
        "nl": "Bekijk de resultaten endpoints en agent_check van de module",
    },
}

# -- Resource Manager and Entra ID (the ARM client and the Azure modules) ----------------------
_ARM: Texts = {
    "arm.cause": {
        "en": "Azure answered {what} with {code} (HTTP {status}): {message}",
        "nl": "Azure beantwoordde {what} met {code} (HTTP {status}): {message}",
    },
    "arm.cause_network": {
        "en": "Azure could not be reached at {url}: {message}",
        "nl": "Azure is niet bereikbaar op {url}: {message}",
    },
    "arm.remediation_credentials": {
        "en": "Check the service principal, its secret or certificate and the tenant ID",
        "nl": "Controleer de service principal, het geheim of certificaat en de tenant-ID",
    },
    "arm.remediation_permissions": {
        "en": "Give the identity a role that allows the action (for example Azure Connected Machine Resource Administrator)",
        "nl": "Geef de identiteit een rol die de actie toestaat (bijvoorbeeld Azure Connected Machine Resource Administrator)",
    },
    "arm.remediation_input": {
        "en": "Check the subscription, resource group and machine name",
        "nl": "Controleer het abonnement, de resourcegroep en de machinenaam",
    },
    "arm.remediation_resource_conflict": {
        "en": "Resolve the conflict named in the message, then run again",
        "nl": "Los het conflict uit de melding op en voer opnieuw uit",
    },
    "arm.remediation_throttling": {
        "en": "Wait for the time Azure asks for, then run again",
        "nl": "Wacht de tijd af die Azure vraagt en voer dan opnieuw uit",
    },
    "arm.remediation_transient": {
        "en": "Run again later; Azure reported a temporary failure",
        "nl": "Voer later opnieuw uit; Azure meldde een tijdelijke fout",
    },
    "arm.remediation_network": {
        "en": "Check the network path, proxy and CA file (ca_file) to the Azure endpoints",
        "nl": "Controleer het netwerkpad, de proxy en het CA-bestand (ca_file) naar de Azure-endpoints",
    },
    "arm.remediation_internal": {
        "en": "Report this answer with its request id",
        "nl": "Meld dit antwoord met de request-ID",
    },
    "arm.no_subscription": {
        "en": "subscription_id is required (or the AZURE_SUBSCRIPTION_ID environment variable)",
        "nl": "subscription_id is verplicht (of de omgevingsvariabele AZURE_SUBSCRIPTION_ID)",
    },
    "arm.machine_missing": {
        "en": "The machine resource {id} does not exist. The agent creates it when it connects: run arcops.azcmagent.connect on "
              "the machine first; this module only reconciles the tags of an existing resource",
        "nl": "De machineresource {id} bestaat niet. De agent maakt haar aan bij het verbinden: voer eerst arcops.azcmagent.connect "
              "uit op de machine; deze module past alleen de tags van een bestaande resource aan",
    },
    "arm.name_needs_group": {
        "en": "name needs resource_group: a machine is looked up in its resource group",
        "nl": "name vereist resource_group: een machine wordt in haar resourcegroep opgezocht",
    },
    "arm.provider_timeout": {
        "en": "Resource provider {namespace} is still {state} after {timeout} seconds. Wait and run again, or raise wait_timeout",
        "nl": "Resourceprovider {namespace} is na {timeout} seconden nog steeds {state}. Wacht en voer opnieuw uit, of verhoog "
              "wait_timeout",
    },
    "arm.cause_operation_timeout": {
        "en": "Azure accepted the {method} of {what} but still reported it {status} after {seconds} seconds and {polls} status "
              "checks: it is not done, and the resource may still exist",
        "nl": "Azure nam de {method} van {what} aan, maar meldde na {seconds} seconden en {polls} statuscontroles nog steeds "
              "{status}: de bewerking is niet klaar en de resource kan nog bestaan",
    },
    "arm.remediation_operation_timeout": {
        "en": "Run again later (the next run sees whether the resource is gone), or raise wait_timeout",
        "nl": "Voer later opnieuw uit (de volgende run ziet of de resource weg is), of verhoog wait_timeout",
    },
}

# -- option validation (_validate): {option} names the module option, {value!r} the value given ---
_VALIDATION: Texts = {
    "validation.missing": {
        "en": "{option} is required",
        "nl": "{option} is verplicht",
    },
    "validation.missing_with": {
        "en": "{option} is required with {other}",
        "nl": "{option} is verplicht samen met {other}",
    },
    "validation.conflict": {
        "en": "{option} and {other} are mutually exclusive",
        "nl": "{option} en {other} sluiten elkaar uit",
    },
    "validation.no_auth": {
        "en": (
            "no non-interactive authentication was given: set service_principal_id with service_principal_secret or "
            "service_principal_cert, or access_token (the device code flow would wait for a person)"
        ),
        "nl": (
            "er is geen niet-interactieve aanmelding opgegeven: geef service_principal_id met service_principal_secret of "
            "service_principal_cert, of access_token (de apparaatcode-aanmelding zou op een persoon wachten)"
        ),
    },
    "validation.guid": {
        "en": "{option} must be a GUID such as 00000000-0000-0000-0000-000000000000, got {value!r}",
        "nl": "{option} moet een GUID zijn zoals 00000000-0000-0000-0000-000000000000, gekregen: {value!r}",
    },
    "validation.tenant": {
        "en": "{option} must be a GUID or a verified domain name, got {value!r}",
        "nl": "{option} moet een GUID of een geverifieerde domeinnaam zijn, gekregen: {value!r}",
    },
    "validation.subscription": {
        "en": "{option} must be a GUID or a subscription name of at most 64 characters, got {value!r}",
        "nl": "{option} moet een GUID of een abonnementsnaam van hoogstens 64 tekens zijn, gekregen: {value!r}",
    },
    "validation.resource_group": {
        "en": "{option} {value!r} is not a valid resource group name (1-90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.')",
        "nl": (
            "{option} {value!r} is geen geldige naam voor een resourcegroep (1-90 letters, cijfers, '_', '-', '.', '(' of "
            "')', niet eindigend op '.')"
        ),
    },
    "validation.resource_name": {
        "en": "{option} {value!r} is not a valid machine name (1-54 letters, digits, '-' or '_', starting and ending with a letter or digit)",
        "nl": "{option} {value!r} is geen geldige machinenaam (1-54 letters, cijfers, '-' of '_', beginnend en eindigend met een letter of cijfer)",
    },
    "validation.resource_id": {
        "en": "{option} must be a full Azure resource ID (/subscriptions/<guid>/resourceGroups/<group>/providers/...), got {value!r}",
        "nl": "{option} moet een volledige Azure-resource-ID zijn (/subscriptions/<guid>/resourceGroups/<groep>/providers/...), gekregen: {value!r}",
    },
    "validation.cloud": {
        "en": "{option} {value!r} is not a supported cloud; use one of {choices}",
        "nl": "{option} {value!r} is geen ondersteunde cloud; gebruik een van {choices}",
    },
    "validation.region": {
        "en": "{option} {value!r} is not a known region of {cloud}",
        "nl": "{option} {value!r} is geen bekende regio van {cloud}",
    },
    "validation.tag_key": {
        "en": "{option}: tag name {value!r} is invalid: 1-512 characters without control characters or any of < > % & \\ ? / = , '",
        "nl": "{option}: tagnaam {value!r} is ongeldig: 1-512 tekens zonder stuurtekens of een van < > % & \\ ? / = , '",
    },
    "validation.tag_value": {
        "en": "{option}: the value of tag {key!r} is invalid: at most 256 characters without control characters",
        "nl": "{option}: de waarde van tag {key!r} is ongeldig: hoogstens 256 tekens zonder stuurtekens",
    },
    "validation.tags_count": {
        "en": "{option}: at most 50 tags are allowed, got {value}",
        "nl": "{option}: hoogstens 50 tags zijn toegestaan, gekregen: {value}",
    },
    "validation.file": {
        "en": "{option} {value!r} is not a readable file",
        "nl": "{option} {value!r} is geen leesbaar bestand",
    },
    "validation.empty": {
        "en": "{option} must not be empty",
        "nl": "{option} mag niet leeg zijn",
    },
}

# -- network probes (_probes): finding texts by finding id; fields host, port, url, proxy, status, reason, error, addresses ---
_PROBES: Texts = {
    "probes.dns_no_such_host.cause": {
        "en": "The name {host} cannot be resolved ({error})",
        "nl": "De naam {host} kan niet worden omgezet ({error})",
    },
    "probes.dns_no_such_host.remediation": {
        "en": "Make sure the machine's DNS servers resolve {host} (or use a proxy that does), then run the check again",
        "nl": "Zorg dat de DNS-servers van de machine {host} kunnen omzetten (of gebruik een proxy die dat doet) en voer de controle opnieuw uit",
    },
    "probes.dns_not_private.cause": {
        "en": "{host} resolves to public addresses ({addresses}) although private link is used",
        "nl": "{host} wordt omgezet naar publieke adressen ({addresses}) terwijl private link wordt gebruikt",
    },
    "probes.dns_not_private.remediation": {
        "en": "Add the private endpoint's DNS records (private DNS zone or conditional forwarder) for {host}",
        "nl": "Voeg de DNS-records van het private endpoint (private DNS-zone of voorwaardelijke doorstuurserver) voor {host} toe",
    },
    "probes.dns_not_public.cause": {
        "en": "{host} resolves to private addresses ({addresses}) but no private link scope is used",
        "nl": "{host} wordt omgezet naar private adressen ({addresses}) maar er wordt geen private link scope gebruikt",
    },
    "probes.dns_not_public.remediation": {
        "en": "Connect with --private-link-scope, or remove the private DNS records for {host}",
        "nl": "Verbind met --private-link-scope, of verwijder de private DNS-records voor {host}",
    },
    "probes.tcp_connect_failed.cause": {
        "en": "The machine cannot open a TCP connection to {host} port {port} ({error})",
        "nl": "De machine kan geen TCP-verbinding openen naar {host} poort {port} ({error})",
    },
    "probes.tcp_connect_failed.remediation": {
        "en": "Allow outbound TCP {port} to {host} in the firewall, or set the agent's proxy.url to a proxy that can reach it",
        "nl": "Sta uitgaand TCP {port} naar {host} toe in de firewall, of stel proxy.url van de agent in op een proxy die er wel bij kan",
    },
    "probes.tls_interception.cause": {
        "en": "The TLS certificate presented for {host} does not verify ({error}): a proxy or firewall inspects TLS",
        "nl": "Het TLS-certificaat voor {host} kan niet worden geverifieerd ({error}): een proxy of firewall inspecteert TLS",
    },
    "probes.tls_interception.remediation": {
        "en": "Exclude {host} from TLS inspection on the proxy or firewall; the agent does not accept a substituted certificate",
        "nl": "Sluit {host} uit van TLS-inspectie op de proxy of firewall; de agent accepteert geen vervangen certificaat",
    },
    "probes.tls_handshake_failed.cause": {
        "en": "The TLS handshake with {host} failed ({error})",
        "nl": "De TLS-handshake met {host} is mislukt ({error})",
    },
    "probes.tls_handshake_failed.remediation": {
        "en": "Make sure {host} is reached without TLS downgrade or inspection and that TLS 1.2 or later is allowed",
        "nl": "Zorg dat {host} bereikt wordt zonder TLS-inspectie of -downgrade en dat TLS 1.2 of hoger is toegestaan",
    },
    "probes.proxy_forbidden.cause": {
        "en": "The proxy {proxy} refuses CONNECT to {host}:{port} ({status} {reason})",
        "nl": "De proxy {proxy} weigert CONNECT naar {host}:{port} ({status} {reason})",
    },
    "probes.proxy_forbidden.remediation": {
        "en": "Allow {host} on the proxy, or add its group to the agent's proxy.bypass if it is reachable directly",
        "nl": "Sta {host} toe op de proxy, of zet de groep ervan in proxy.bypass van de agent als het direct bereikbaar is",
    },
    "probes.proxy_connect_failed.cause": {
        "en": "The proxy {proxy} answered CONNECT to {host}:{port} with {status} {reason}",
        "nl": "De proxy {proxy} beantwoordde CONNECT naar {host}:{port} met {status} {reason}",
    },
    "probes.proxy_connect_failed.remediation": {
        "en": "Check the proxy's log for {host}; it must be able to reach the endpoint on port {port}",
        "nl": "Controleer het log van de proxy voor {host}; de proxy moet het endpoint op poort {port} kunnen bereiken",
    },
    "probes.proxyconnect_failed.cause": {
        "en": "The proxy {proxy} cannot be reached ({error})",
        "nl": "De proxy {proxy} is niet bereikbaar ({error})",
    },
    "probes.proxyconnect_failed.remediation": {
        "en": "Check the agent's proxy.url (or the proxy_url option) and that the proxy is running and allowed by the firewall",
        "nl": "Controleer proxy.url van de agent (of de optie proxy_url) en of de proxy draait en door de firewall wordt toegelaten",
    },
    "probes.io_timeout.cause": {
        "en": "The probe of {url} did not finish within the time limit",
        "nl": "De test van {url} is niet binnen de tijdslimiet klaar",
    },
    "probes.io_timeout.remediation": {
        "en": "Look for a firewall that silently drops traffic to {host}, or raise the timeout",
        "nl": "Zoek naar een firewall die verkeer naar {host} stilletjes laat vallen, of verhoog de timeout",
    },
}

# -- diagnosis (_diagnosis, _classifier): diagnosis sentences, classifier finding texts and their defaults ---
_DIAGNOSIS: Texts = {
    # diagnose(): the sentences of a diagnosis without a code, or of a success
    "diagnosis.ok": {
        "en": "No error: the agent reported success.",
        "nl": "Geen fout: de agent meldt dat het gelukt is.",
    },
    "diagnosis.unknown": {
        "en": "The command failed, but no AZCM code or known error was found in its output.",
        "nl": "De opdracht is mislukt, maar in de uitvoer staat geen AZCM-code of bekende fout.",
    },
    "diagnosis.unknown_remediation": {
        "en": "Read the output and the agent log (/var/opt/azcmagent/log/azcmagent.log); see https://aka.ms/arc/azcmerror.",
        "nl": "Lees de uitvoer en het agentlogboek (/var/opt/azcmagent/log/azcmagent.log); zie https://aka.ms/arc/azcmerror.",
    },
    "diagnosis.same_target": {
        "en": "The machine is already connected to the requested target: nothing to do.",
        "nl": "De machine is al verbonden met het gevraagde doel: er hoeft niets te gebeuren.",
    },
    # the catalog's entry for a well-formed AZCM code it does not know ({code}; {url}: the troubleshooting page)
    "diagnosis.unknown_code.title": {
        "en": "Unknown AZCM code",
        "nl": "Onbekende AZCM-code",
    },
    "diagnosis.unknown_code.cause": {
        "en": "The agent reported {code}, a code this catalog does not know (newer than this collection, or undocumented)",
        "nl": "De agent meldde {code}, een code die deze catalogus niet kent (nieuwer dan deze collectie, of niet gedocumenteerd)",
    },
    "diagnosis.unknown_code.remediation": {
        "en": (
            "Look the code up in the current list at {url}, then run azcmagent connect --verbose again and read the agent log "
            "(/var/opt/azcmagent/log/azcmagent.log) for the detailed error."
        ),
        "nl": (
            "Zoek de code op in de actuele lijst op {url}, voer daarna azcmagent connect --verbose opnieuw uit en lees het "
            "agentlogboek (/var/opt/azcmagent/log/azcmagent.log) voor de uitgebreide foutmelding."
        ),
    },
    # what a classifier text says when the evidence did not name a detail (keys: the placeholder's name)
    "diagnosis.default.url": {
        "en": "an endpoint",
        "nl": "een eindpunt",
    },
    "diagnosis.default.package": {
        "en": "azcmagent",
        "nl": "azcmagent",
    },
    "diagnosis.default.service": {
        "en": "an agent service",
        "nl": "een agentservice",
    },
    "diagnosis.default.host": {
        "en": "the Azure endpoint",
        "nl": "het Azure-eindpunt",
    },
    "diagnosis.default.namespace": {
        "en": "Microsoft.HybridCompute",
        "nl": "Microsoft.HybridCompute",
    },
    "diagnosis.default.action": {
        "en": "the required action",
        "nl": "de benodigde actie",
    },
    "diagnosis.default.scope": {
        "en": "the target scope",
        "nl": "het doelbereik",
    },
    "diagnosis.default.principal": {
        "en": "The identity",
        "nl": "De identiteit",
    },
    "diagnosis.default.app_id": {
        "en": "that was given",
        "nl": "die is opgegeven",
    },
    "diagnosis.default.tenant": {
        "en": "the tenant",
        "nl": "de tenant",
    },
    "diagnosis.default.retry_after": {
        "en": "some",
        "nl": "enkele",
    },
    "diagnosis.default.port": {
        "en": "443",
        "nl": "443",
    },
    "diagnosis.default.locked_scope": {
        "en": "a parent scope",
        "nl": "een bovenliggend bereik",
    },
    "diagnosis.default.operation": {
        "en": "this",
        "nl": "deze",
    },
    "diagnosis.default.resource_group": {
        "en": "the resource group",
        "nl": "de resourcegroep",
    },
    "diagnosis.default.subscription": {
        "en": "the subscription",
        "nl": "het abonnement",
    },
    "diagnosis.default.directory": {
        "en": "of the tenant",
        "nl": "van de tenant",
    },
    "diagnosis.default.status": {
        "en": "5xx",
        "nl": "5xx",
    },
    "diagnosis.default.proxy": {
        "en": "(the one in proxy.url or HTTPS_PROXY)",
        "nl": "(die in proxy.url of HTTPS_PROXY)",
    },
    # the classifier's findings, by finding id: cause and remediation, with placeholders filled from the evidence
    "diagnosis.network_unreachable.cause": {
        "en": "The machine cannot reach {host}: there is no network route to it (network is unreachable).",
        "nl": "De machine kan {host} niet bereiken: er is geen netwerkroute naartoe (network is unreachable).",
    },
    "diagnosis.network_unreachable.remediation": {
        "en": (
            "Run azcmagent check (or the arcops.azcmagent.check module) to see which endpoints are blocked. Make sure the "
            "machine has a route to {host} on TCP 443, directly or through a proxy (azcmagent config set proxy.url)."
        ),
        "nl": (
            "Voer azcmagent check uit (of de module arcops.azcmagent.check) om te zien welke eindpunten geblokkeerd zijn. "
            "Zorg dat de machine {host} op TCP 443 kan bereiken, direct of via een proxy (azcmagent config set "
            "proxy.url)."
        ),
    },
    "diagnosis.proxy_forbidden.cause": {
        "en": "A proxy server or firewall is blocking access to {host} (the connection was answered with Forbidden).",
        "nl": "Een proxyserver of firewall blokkeert de toegang tot {host} (de verbinding werd beantwoord met Forbidden).",
    },
    "diagnosis.proxy_forbidden.remediation": {
        "en": (
            "Allow {host} on TCP 443 in the proxy or firewall (see the Azure Arc network requirements), or set the proxy "
            "that does allow it with azcmagent config set proxy.url. Run azcmagent check (or the arcops.azcmagent.check "
            "module) to see which endpoints are blocked."
        ),
        "nl": (
            "Sta {host} op TCP 443 toe in de proxy of firewall (zie de netwerkvereisten van Azure Arc), of stel met "
            "azcmagent config set proxy.url een proxy in die het wel toestaat. Voer azcmagent check uit (of de module "
            "arcops.azcmagent.check) om te zien welke eindpunten geblokkeerd zijn."
        ),
    },
    "diagnosis.proxy_auth_required.cause": {
        "en": "The proxy server asks for authentication (HTTP 407); the agent does not support proxies that require credentials.",
        "nl": "De proxyserver vraagt om authenticatie (HTTP 407); de agent ondersteunt geen proxy's die inloggegevens vereisen.",
    },
    "diagnosis.proxy_auth_required.remediation": {
        "en": (
            "Let the machine use the proxy without authentication (for example allow it by source address) or use a proxy "
            "or Arc gateway that does not require credentials, then set it with azcmagent config set proxy.url."
        ),
        "nl": (
            "Laat de machine de proxy zonder authenticatie gebruiken (bijvoorbeeld op bronadres toestaan) of gebruik een "
            "proxy of Arc-gateway zonder inloggegevens, en stel die in met azcmagent config set proxy.url."
        ),
    },
    "diagnosis.proxyconnect_failed.cause": {
        "en": "The agent cannot connect to its proxy server {proxy}.",
        "nl": "De agent kan geen verbinding maken met zijn proxyserver {proxy}.",
    },
    "diagnosis.proxyconnect_failed.remediation": {
        "en": (
            "Check that the proxy in proxy.url (azcmagent config get proxy.url) or HTTPS_PROXY is right and running and "
            "that the machine can reach it; correct it with azcmagent config set proxy.url, or clear it with azcmagent "
            "config clear proxy.url."
        ),
        "nl": (
            "Controleer of de proxy in proxy.url (azcmagent config get proxy.url) of HTTPS_PROXY klopt en draait en of de "
            "machine hem kan bereiken; corrigeer hem met azcmagent config set proxy.url of wis hem met azcmagent config "
            "clear proxy.url."
        ),
    },
    "diagnosis.connection_refused.cause": {
        "en": "The connection to {host} port {port} was refused: the port is closed or the service behind it is not running.",
        "nl": "De verbinding met {host} poort {port} werd geweigerd: de poort is dicht of de dienst erachter draait niet.",
    },
    "diagnosis.connection_refused.remediation": {
        "en": (
            "Check that {host} listens on port {port} and that no firewall rejects the connection. Run azcmagent check "
            "(or the arcops.azcmagent.check module) to see which endpoints are blocked."
        ),
        "nl": (
            "Controleer of {host} luistert op poort {port} en of geen firewall de verbinding weigert. Voer azcmagent "
            "check uit (of de module arcops.azcmagent.check) om te zien welke eindpunten geblokkeerd zijn."
        ),
    },
    "diagnosis.connection_reset.cause": {
        "en": "The connection to {host} was cut off halfway (reset by the other side): a passing network fault or an overloaded endpoint.",
        "nl": (
            "De verbinding met {host} werd halverwege verbroken (door de andere kant gereset): een tijdelijke "
            "netwerkstoring of een overbelast eindpunt."
        ),
    },
    "diagnosis.connection_reset.remediation": {
        "en": (
            "Try again in a moment. If it keeps happening, check for a proxy or firewall that cuts long connections. Run "
            "azcmagent check (or the arcops.azcmagent.check module) to see which endpoints are blocked."
        ),
        "nl": (
            "Probeer het over enkele ogenblikken opnieuw. Gebeurt het steeds, controleer dan of een proxy of firewall "
            "lange verbindingen afbreekt. Voer azcmagent check uit (of de module arcops.azcmagent.check) om te zien welke "
            "eindpunten geblokkeerd zijn."
        ),
    },
    "diagnosis.io_timeout.cause": {
        "en": "The connection to {host} timed out: a firewall drops the traffic silently, or the network or the endpoint is too slow.",
        "nl": (
            "De verbinding met {host} verliep (time-out): een firewall laat het verkeer stilletjes vallen, of het netwerk "
            "of het eindpunt is te traag."
        ),
    },
    "diagnosis.io_timeout.remediation": {
        "en": (
            "Run azcmagent check (or the arcops.azcmagent.check module) to see which endpoints are blocked. If the "
            "endpoint is reachable, try again later; otherwise open TCP 443 to {host} in the firewall or proxy."
        ),
        "nl": (
            "Voer azcmagent check uit (of de module arcops.azcmagent.check) om te zien welke eindpunten geblokkeerd zijn. "
            "Is het eindpunt bereikbaar, probeer het later opnieuw; zo niet, open TCP 443 naar {host} in de firewall of "
            "proxy."
        ),
    },
    "diagnosis.dns_no_such_host.cause": {
        "en": "The name {host} cannot be resolved: DNS answers that there is no such host.",
        "nl": "De naam {host} kan niet worden omgezet: DNS antwoordt dat deze host niet bestaat.",
    },
    "diagnosis.dns_no_such_host.remediation": {
        "en": (
            "Check the DNS servers in /etc/resolv.conf and that they resolve {host} (with Private Link: to the private "
            "endpoint). Run azcmagent check (or the arcops.azcmagent.check module) to see which endpoints are blocked."
        ),
        "nl": (
            "Controleer de DNS-servers in /etc/resolv.conf en of ze {host} kunnen omzetten (bij Private Link: naar het "
            "privé-eindpunt). Voer azcmagent check uit (of de module arcops.azcmagent.check) om te zien welke eindpunten "
            "geblokkeerd zijn."
        ),
    },
    "diagnosis.gpo_profile_cleanup.cause": {
        "en": (
            "The device login could not resolve {host}. The 2021 troubleshooting guide ties this message to the Windows "
            "Group Policy 'Delete user profiles older than a specified number of days on system restart', which deletes "
            "the profile of the himds service account and with it the cached certificate the agent uses to talk to the "
            "service."
        ),
        "nl": (
            "De apparaataanmelding kon {host} niet omzetten. De probleemoplossingsgids van 2021 koppelt deze melding aan "
            "het Windows-groepsbeleid 'Delete user profiles older than a specified number of days on system restart', dat "
            "het profiel van het himds-serviceaccount verwijdert en daarmee het certificaat dat de agent gebruikt om met "
            "de service te praten."
        ),
    },
    "diagnosis.gpo_profile_cleanup.remediation": {
        "en": (
            "Check whether that Group Policy applies to the machine (Windows) and whether DNS resolves {host}. Then "
            "disconnect the machine (azcmagent disconnect) and connect it again (azcmagent connect)."
        ),
        "nl": (
            "Controleer of dat groepsbeleid op de machine van toepassing is (Windows) en of DNS {host} kan omzetten. "
            "Verbreek daarna de verbinding (azcmagent disconnect) en verbind de machine opnieuw (azcmagent connect)."
        ),
    },
    "diagnosis.tls_interception.cause": {
        "en": (
            "The TLS certificate presented for {host} is not trusted: a proxy or firewall inspects (intercepts) TLS "
            "traffic, or the CA store of the machine is incomplete."
        ),
        "nl": (
            "Het TLS-certificaat dat voor {host} wordt aangeboden is niet vertrouwd: een proxy of firewall inspecteert "
            "(onderschept) het TLS-verkeer, of de CA-store van de machine is onvolledig."
        ),
    },
    "diagnosis.tls_interception.remediation": {
        "en": (
            "Exclude the Azure Arc endpoints ({host} and the others of the network requirements) from TLS inspection in "
            "the proxy or firewall; the agent does not accept an intercepted connection. Also check the system clock and "
            "the CA bundle. Run azcmagent check (or the arcops.azcmagent.check module) to see which endpoints are "
            "blocked."
        ),
        "nl": (
            "Sluit de Azure Arc-eindpunten ({host} en de andere uit de netwerkvereisten) uit van TLS-inspectie in de "
            "proxy of firewall; de agent accepteert geen onderschepte verbinding. Controleer ook de systeemklok en de "
            "CA-bundel. Voer azcmagent check uit (of de module arcops.azcmagent.check) om te zien welke eindpunten "
            "geblokkeerd zijn."
        ),
    },
    "diagnosis.private_link_scope_required.cause": {
        "en": "DNS resolves {host} to a private endpoint, so the machine must be onboarded with a Private Link Scope, and none was given.",
        "nl": (
            "DNS zet {host} om naar een privé-eindpunt, dus de machine moet met een Private Link Scope worden verbonden, "
            "en die is niet opgegeven."
        ),
    },
    "diagnosis.private_link_scope_required.remediation": {
        "en": (
            "Pass the resource ID of the Azure Arc Private Link Scope with --private-link-scope (or fix DNS if the "
            "machine should use the public endpoints)."
        ),
        "nl": (
            "Geef de resource-ID van de Azure Arc Private Link Scope op met --private-link-scope (of corrigeer DNS als de "
            "machine de openbare eindpunten moet gebruiken)."
        ),
    },
    "diagnosis.scope_locked.cause": {
        "en": "A resource lock on {locked_scope} prevents the {operation} operation on {scope}.",
        "nl": "Een resourcevergrendeling (lock) op {locked_scope} verhindert de bewerking {operation} op {scope}.",
    },
    "diagnosis.scope_locked.remediation": {
        "en": (
            "Remove the lock (or ask its owner to) on {locked_scope} in the Azure portal or with az lock delete, then try "
            "again. Do not force a local disconnect: the resource would stay behind in Azure."
        ),
        "nl": (
            "Verwijder de vergrendeling op {locked_scope} (of vraag de eigenaar dat te doen) in de Azure-portal of met az "
            "lock delete, en probeer het opnieuw. Forceer geen lokale ontkoppeling: de resource blijft dan in Azure "
            "achter."
        ),
    },
    "diagnosis.missing_subscription_registration.cause": {
        "en": "The subscription is not registered for the resource provider {namespace}.",
        "nl": "Het abonnement is niet geregistreerd voor de resourceprovider {namespace}.",
    },
    "diagnosis.missing_subscription_registration.remediation": {
        "en": (
            "Register the resource providers Microsoft.HybridCompute, Microsoft.GuestConfiguration and "
            "Microsoft.HybridConnectivity (az provider register --namespace {namespace}, or the "
            "arcops.azcmagent.resource_provider module), then try again."
        ),
        "nl": (
            "Registreer de resourceproviders Microsoft.HybridCompute, Microsoft.GuestConfiguration en "
            "Microsoft.HybridConnectivity (az provider register --namespace {namespace}, of de module "
            "arcops.azcmagent.resource_provider) en probeer het opnieuw."
        ),
    },
    "diagnosis.authorization_failed.cause": {
        "en": "{principal} does not have permission for {action} on {scope}.",
        "nl": "{principal} heeft geen toestemming voor {action} op {scope}.",
    },
    "diagnosis.authorization_failed.remediation": {
        "en": (
            "Give that identity the role Azure Connected Machine Onboarding (or Contributor) on the resource group or "
            "subscription; registering resource providers also needs Microsoft.*/register/action on the subscription. A "
            "new role assignment can take a few minutes to apply."
        ),
        "nl": (
            "Geef die identiteit de rol Azure Connected Machine Onboarding (of Inzender/Contributor) op de resourcegroep "
            "of het abonnement; voor het registreren van resourceproviders is ook Microsoft.*/register/action op het "
            "abonnement nodig. Een nieuwe roltoewijzing kan enkele minuten nodig hebben voordat die werkt."
        ),
    },
    "diagnosis.invalid_client_secret.cause": {
        "en": "The service principal secret is wrong: Entra ID rejected it (AADSTS7000215).",
        "nl": "Het geheim van de service-principal is onjuist: Entra ID heeft het geweigerd (AADSTS7000215).",
    },
    "diagnosis.invalid_client_secret.remediation": {
        "en": (
            "Check the service principal secret: give the value of a current secret of the application, not the secret's "
            "ID. Do not retry with the same secret: repeated failures can lock the account."
        ),
        "nl": (
            "Controleer het geheim van de service-principal: geef de waarde van een geldig geheim van de applicatie op, "
            "niet de ID van het geheim. Probeer het niet opnieuw met hetzelfde geheim: herhaalde mislukkingen kunnen het "
            "account blokkeren."
        ),
    },
    "diagnosis.expired_client_secret.cause": {
        "en": "The client secret of the service principal has expired (AADSTS7000222).",
        "nl": "Het clientgeheim van de service-principal is verlopen (AADSTS7000222).",
    },
    "diagnosis.expired_client_secret.remediation": {
        "en": (
            "Create a new client secret for the application in Entra ID (https://aka.ms/NewClientSecret) or use a "
            "certificate, and update the secret in the inventory or vault."
        ),
        "nl": (
            "Maak in Entra ID een nieuw clientgeheim voor de applicatie (https://aka.ms/NewClientSecret) of gebruik een "
            "certificaat, en werk het geheim bij in de inventory of de kluis."
        ),
    },
    "diagnosis.application_not_found.cause": {
        "en": (
            "The application (service principal) {app_id} does not exist in the directory {directory}: the application ID "
            "or the tenant ID is wrong."
        ),
        "nl": "De applicatie (service-principal) {app_id} bestaat niet in de directory {directory}: de applicatie-ID of de tenant-ID klopt niet.",
    },
    "diagnosis.application_not_found.remediation": {
        "en": (
            "Check the service principal (application) ID and the tenant ID; the application must be registered (or "
            "consented) in the tenant of the subscription."
        ),
        "nl": (
            "Controleer de ID van de service-principal (applicatie) en de tenant-ID; de applicatie moet geregistreerd (of "
            "toegestaan) zijn in de tenant van het abonnement."
        ),
    },
    "diagnosis.tenant_not_found.cause": {
        "en": "The tenant {tenant} does not exist in this cloud (AADSTS90002).",
        "nl": "De tenant {tenant} bestaat niet in deze cloud (AADSTS90002).",
    },
    "diagnosis.tenant_not_found.remediation": {
        "en": (
            "Check the tenant ID and the cloud (AzureCloud, AzureUSGovernment, AzureChinaCloud): the tenant must exist in "
            "the cloud the agent signs in to."
        ),
        "nl": (
            "Controleer de tenant-ID en de cloud (AzureCloud, AzureUSGovernment, AzureChinaCloud): de tenant moet bestaan "
            "in de cloud waarbij de agent zich aanmeldt."
        ),
    },
    "diagnosis.certificate_not_registered.cause": {
        "en": "The certificate that signs the client assertion is not registered on the service principal (AADSTS700027).",
        "nl": "Het certificaat waarmee de client assertion is ondertekend, is niet geregistreerd bij de service-principal (AADSTS700027).",
    },
    "diagnosis.certificate_not_registered.remediation": {
        "en": (
            "Upload the public certificate to the application's certificates in Entra ID, or use the certificate (PEM "
            "with private key) that is registered there."
        ),
        "nl": (
            "Upload het openbare certificaat bij de certificaten van de applicatie in Entra ID, of gebruik het "
            "certificaat (PEM met privésleutel) dat daar geregistreerd is."
        ),
    },
    "diagnosis.access_token_invalid.cause": {
        "en": "Azure Resource Manager rejected the access token: it is invalid, expired or for another audience.",
        "nl": "Azure Resource Manager heeft het toegangstoken geweigerd: het is ongeldig, verlopen of voor een ander publiek (audience) bedoeld.",
    },
    "diagnosis.access_token_invalid.remediation": {
        "en": "Get a new access token for https://management.azure.com/ (tokens last about an hour) and try again, or use a service principal.",
        "nl": (
            "Vraag een nieuw toegangstoken aan voor https://management.azure.com/ (tokens zijn ongeveer een uur geldig) "
            "en probeer het opnieuw, of gebruik een service-principal."
        ),
    },
    "diagnosis.throttled.cause": {
        "en": "Azure throttled the requests (HTTP 429): too many calls in a short time for this subscription or resource.",
        "nl": "Azure heeft de aanvragen afgeremd (HTTP 429): te veel aanroepen in korte tijd voor dit abonnement of deze resource.",
    },
    "diagnosis.throttled.remediation": {
        "en": (
            "Wait at least {retry_after} seconds and try again; onboard fewer machines at a time (a lower Ansible forks "
            "or serial) if it keeps happening."
        ),
        "nl": (
            "Wacht minstens {retry_after} seconden en probeer het opnieuw; verbind minder machines tegelijk (lagere forks "
            "of serial in Ansible) als het blijft gebeuren."
        ),
    },
    "diagnosis.arm_server_error.cause": {
        "en": "Azure answered with a server error (HTTP {status}): the service had a temporary problem.",
        "nl": "Azure antwoordde met een serverfout (HTTP {status}): de service had een tijdelijk probleem.",
    },
    "diagnosis.arm_server_error.remediation": {
        "en": "Try again after a short wait; if it keeps failing, check the Azure status page and open a support case with the correlation ID.",
        "nl": (
            "Probeer het na korte tijd opnieuw; blijft het mislukken, kijk dan op de Azure-statuspagina en open een "
            "supportaanvraag met de correlatie-ID."
        ),
    },
    "diagnosis.fqdn_unknown.cause": {
        "en": "The agent could not find the machine's fully qualified domain name while collecting OS information.",
        "nl": "De agent kon de volledige domeinnaam (FQDN) van de machine niet vinden bij het verzamelen van de OS-gegevens.",
    },
    "diagnosis.fqdn_unknown.remediation": {
        "en": (
            "Make the machine's fully qualified name resolve: 1. hostname -f must print it (set it with hostnamectl "
            "set-hostname); 2. getent hosts $(hostname -f) must answer: add the name to DNS or to /etc/hosts "
            "(\"<ip> <fqdn> <short name>\"); 3. connect again. Running as another user does not help."
        ),
        "nl": (
            "Zorg dat de volledige naam van de machine kan worden omgezet: 1. hostname -f moet hem tonen (stel hem in met "
            "hostnamectl set-hostname); 2. getent hosts $(hostname -f) moet antwoorden: zet de naam in DNS of in /etc/hosts "
            "(\"<ip> <fqdn> <korte naam>\"); 3. verbind opnieuw. Uitvoeren als een andere gebruiker helpt niet."
        ),
    },
    "diagnosis.clock_skew.cause": {
        "en": "The system clock is wrong: tokens are rejected as not yet or no longer valid (clock skew).",
        "nl": "De systeemklok staat verkeerd: tokens worden geweigerd als nog niet of niet meer geldig (klokverschil).",
    },
    "diagnosis.clock_skew.remediation": {
        "en": "Synchronise the clock with NTP (chrony or systemd-timesyncd), check the time zone, then try again.",
        "nl": "Synchroniseer de klok met NTP (chrony of systemd-timesyncd), controleer de tijdzone en probeer het opnieuw.",
    },
    "diagnosis.not_root.cause": {
        "en": "The agent was run without root privileges; connect, disconnect and config need root.",
        "nl": "De agent is zonder rootrechten uitgevoerd; connect, disconnect en config hebben rootrechten nodig.",
    },
    "diagnosis.not_root.remediation": {
        "en": "Run the command as root: with Ansible, set become: true (sudo) on the task or play.",
        "nl": "Voer de opdracht uit als root: zet in Ansible become: true (sudo) op de taak of het play.",
    },
    "diagnosis.device_code_login.cause": {
        "en": (
            "The agent fell back to an interactive device-code sign-in, which nobody completes in an unattended run: no "
            "service principal or access token was given."
        ),
        "nl": (
            "De agent viel terug op een interactieve aanmelding met apparaatcode, die niemand voltooit in een onbewaakte "
            "run: er is geen service-principal of toegangstoken opgegeven."
        ),
    },
    "diagnosis.device_code_login.remediation": {
        "en": (
            "Give a service principal (azcmagent_service_principal_id and azcmagent_service_principal_secret) or an "
            "access token (azcmagent_access_token) together with azcmagent_tenant_id."
        ),
        "nl": (
            "Geef een service-principal op (azcmagent_service_principal_id en azcmagent_service_principal_secret) of een "
            "toegangstoken (azcmagent_access_token), samen met azcmagent_tenant_id."
        ),
    },
    "diagnosis.resource_group_not_found.cause": {
        "en": "The resource group {resource_group} does not exist (or the identity cannot see it).",
        "nl": "De resourcegroep {resource_group} bestaat niet (of de identiteit kan hem niet zien).",
    },
    "diagnosis.resource_group_not_found.remediation": {
        "en": "Create the resource group or correct its name (azcmagent_resource_group), and check that the identity has access to it.",
        "nl": "Maak de resourcegroep aan of corrigeer de naam (azcmagent_resource_group), en controleer of de identiteit er toegang toe heeft.",
    },
    "diagnosis.subscription_not_found.cause": {
        "en": "The subscription {subscription} does not exist in this tenant (or the identity cannot see it).",
        "nl": "Het abonnement {subscription} bestaat niet in deze tenant (of de identiteit kan het niet zien).",
    },
    "diagnosis.subscription_not_found.remediation": {
        "en": "Check the subscription ID (azcmagent_subscription_id), the tenant and the cloud.",
        "nl": "Controleer de abonnements-ID (azcmagent_subscription_id), de tenant en de cloud.",
    },
    # diagnose(): the agent says it lacks administrative privileges although the run already had root
    "diagnosis.root_not_enough": {
        "en": (
            "The agent reports that it lacks administrative privileges although it already ran as root (user ID 0, or "
            "with privilege escalation): escalating again cannot help"
        ),
        "nl": (
            "De agent meldt dat hij geen beheerdersrechten heeft, terwijl hij al als root draaide (gebruikers-ID 0, of met "
            "verhoogde rechten): opnieuw rechten verhogen helpt niet"
        ),
    },
    "diagnosis.root_not_enough_remediation": {
        "en": (
            "Find what takes root's rights away from the agent: an azcmagent_executable or wrapper that runs it as "
            "another user, a sudo rule, a security policy (SELinux, AppArmor) or a container without the needed "
            "capabilities; then run the command again as root"
        ),
        "nl": (
            "Zoek wat de agent de rechten van root afneemt: een azcmagent_executable of wrapper die hem als een andere "
            "gebruiker start, een sudo-regel, een beveiligingsbeleid (SELinux, AppArmor) of een container zonder de "
            "benodigde capabilities; voer de opdracht daarna opnieuw als root uit"
        ),
    },
    # diagnose(): a text whose only failure evidence is a debug or info line ({finding}: that finding's cause)
    "diagnosis.insufficient": {
        "en": (
            "Unknown: the text shows a failure only in debug or info lines ({finding}) and holds no exit status, exit "
            "line, fatal or error line, so it cannot tell whether the run failed"
        ),
        "nl": (
            "Onbekend: de tekst toont alleen in debug- of info-regels een fout ({finding}) en bevat geen exitstatus, "
            "exitregel, fatal- of error-regel, dus er valt niet uit af te leiden of de run mislukt is"
        ),
    },
    "diagnosis.insufficient_remediation": {
        "en": (
            "Diagnose the registered result of the run (with its exit status) or the whole agent log "
            "(/var/opt/azcmagent/log/azcmagent.log), not an excerpt"
        ),
        "nl": (
            "Diagnosticeer het geregistreerde resultaat van de run (met de exitstatus) of het hele agentlogboek "
            "(/var/opt/azcmagent/log/azcmagent.log), niet een fragment"
        ),
    },
    # diagnose(): an unknown failure, quoted from the agent's last fatal or error line ({line})
    "diagnosis.unknown_line": {
        "en": "The run failed with a message no rule knows: {line}",
        "nl": "De run is mislukt met een melding die geen regel kent: {line}",
    },
    # the agent's own network check before connecting
    "diagnosis.private_endpoint_no_scope.cause": {
        "en": (
            "The agent's network check found a private endpoint ({host}) but no Private Link Scope was given: the agent "
            "will not connect through a private endpoint without one. A retry cannot help."
        ),
        "nl": (
            "De netwerkcontrole van de agent vond een privé-eindpunt ({host}), maar er is geen Private Link Scope "
            "opgegeven: zonder scope verbindt de agent niet via een privé-eindpunt. Opnieuw proberen helpt niet."
        ),
    },
    "diagnosis.private_endpoint_no_scope.remediation": {
        "en": (
            "Give the resource ID of the Azure Arc Private Link Scope (azcmagent_private_link_scope, azcmagent connect "
            "--private-link-scope); the scope must be reachable by the onboarding identity (a scope in another subscription "
            "needs access there). If the machine must connect publicly, fix DNS so that the endpoints resolve to public addresses."
        ),
        "nl": (
            "Geef de resource-ID van de Azure Arc Private Link Scope op (azcmagent_private_link_scope, azcmagent connect "
            "--private-link-scope); de identiteit die de machine verbindt, moet bij die scope kunnen (een scope in een ander "
            "abonnement vraagt daar toegang). Moet de machine publiek verbinden, zorg dan dat DNS de eindpunten naar "
            "openbare adressen omzet."
        ),
    },
    "diagnosis.endpoints_unavailable.cause": {
        "en": "The agent's network check found required endpoints unreachable: {url} and possibly others.",
        "nl": "De netwerkcontrole van de agent vond vereiste eindpunten onbereikbaar: {url} en mogelijk andere.",
    },
    "diagnosis.endpoints_unavailable.remediation": {
        "en": (
            "Allow outbound HTTPS (443) from the machine to every endpoint the message names (see "
            "https://aka.ms/arcserver-network), directly or through the proxy; azcmagent check shows which endpoints fail."
        ),
        "nl": (
            "Sta uitgaand HTTPS-verkeer (443) toe van de machine naar elk eindpunt dat de melding noemt (zie "
            "https://aka.ms/arcserver-network), direct of via de proxy; azcmagent check toont welke eindpunten falen."
        ),
    },
    "diagnosis.tls_remote_error.cause": {
        "en": (
            "The TLS handshake with {host} was refused by the other side (remote error: tls: handshake failure), often a "
            "firewall or TLS inspection in the path."
        ),
        "nl": (
            "De TLS-handshake met {host} werd door de andere kant geweigerd (remote error: tls: handshake failure), vaak "
            "door een firewall of TLS-inspectie onderweg."
        ),
    },
    "diagnosis.tls_remote_error.remediation": {
        "en": "Exempt the Azure Arc endpoints from TLS inspection in the firewall or proxy and allow TLS 1.2 or newer to them.",
        "nl": "Zonder de Azure Arc-eindpunten uit van TLS-inspectie in de firewall of proxy en sta TLS 1.2 of nieuwer ernaartoe toe.",
    },
    # install stage: the package manager, Microsoft's install script and the Windows installer
    "diagnosis.install_no_systemd.cause": {
        "en": "The agent package needs systemd as init system (PID 1), and this system was not booted with it (a container or WSL without systemd).",
        "nl": (
            "Het agentpakket heeft systemd als init-systeem (PID 1) nodig, en dit systeem is daar niet mee opgestart "
            "(een container of WSL zonder systemd)."
        ),
    },
    "diagnosis.install_no_systemd.remediation": {
        "en": "Install the agent on a machine (or WSL distribution) that runs systemd as PID 1; containers are not supported.",
        "nl": "Installeer de agent op een machine (of WSL-distributie) die systemd als PID 1 draait; containers worden niet ondersteund.",
    },
    "diagnosis.install_package_not_found.cause": {
        "en": "The package manager found no package {package} in its repositories (none for this distribution or architecture).",
        "nl": "De pakketbeheerder vond geen pakket {package} in zijn repository's (geen voor deze distributie of architectuur).",
    },
    "diagnosis.install_package_not_found.remediation": {
        "en": (
            "Check that the distribution, version and architecture are supported (https://aka.ms/arc/os) and that the "
            "Microsoft repository for them is configured and refreshed."
        ),
        "nl": (
            "Controleer of de distributie, versie en architectuur ondersteund worden (https://aka.ms/arc/os) en of de "
            "Microsoft-repository daarvoor is ingesteld en ververst."
        ),
    },
    "diagnosis.install_repository_unavailable.cause": {
        "en": "The package repository could not be read: {url} answered with an error (the repository does not exist for this system or is unreachable).",
        "nl": (
            "De pakketrepository kon niet worden gelezen: {url} antwoordde met een fout (de repository bestaat niet "
            "voor dit systeem of is onbereikbaar)."
        ),
    },
    "diagnosis.install_repository_unavailable.remediation": {
        "en": (
            "Check the repository URL for this distribution and version (https://packages.microsoft.com) and that the "
            "machine (or its proxy) can reach it; install from a package file if there is no repository for it."
        ),
        "nl": (
            "Controleer de repository-URL voor deze distributie en versie (https://packages.microsoft.com) en of de "
            "machine (of de proxy) hem kan bereiken; installeer vanaf een pakketbestand als er geen repository voor is."
        ),
    },
    "diagnosis.install_signature_invalid.cause": {
        "en": "The package manager could not verify the signature of the Microsoft repository or package (missing or outdated key).",
        "nl": "De pakketbeheerder kon de handtekening van de Microsoft-repository of het pakket niet controleren (sleutel ontbreekt of is verouderd).",
    },
    "diagnosis.install_signature_invalid.remediation": {
        "en": "Import Microsoft's package signing key (https://packages.microsoft.com/keys/microsoft.asc) and refresh the repository.",
        "nl": "Importeer de pakketsleutel van Microsoft (https://packages.microsoft.com/keys/microsoft.asc) en ververs de repository.",
    },
    "diagnosis.install_download_failed.cause": {
        "en": "Downloading the agent or the install script failed ({url}).",
        "nl": "Het downloaden van de agent of het installatiescript is mislukt ({url}).",
    },
    "diagnosis.install_download_failed.remediation": {
        "en": "Check that the machine (or its proxy) can reach packages.microsoft.com and aka.ms over HTTPS, then install again.",
        "nl": "Controleer of de machine (of de proxy) packages.microsoft.com en aka.ms via HTTPS kan bereiken en installeer daarna opnieuw.",
    },
    "diagnosis.install_script_failed.cause": {
        "en": "Installing the agent package failed (the installer or package manager exited with status {status}).",
        "nl": "Het installeren van het agentpakket is mislukt (het installatieprogramma of de pakketbeheerder stopte met status {status}).",
    },
    "diagnosis.install_script_failed.remediation": {
        "en": "Read the package manager's messages above the failure for the reason, fix it and install again.",
        "nl": "Lees de meldingen van de pakketbeheerder boven de fout voor de reden, los die op en installeer opnieuw.",
    },
    "diagnosis.install_service_failed.cause": {
        "en": "The installer could not start one of the agent's services ({service}).",
        "nl": "Het installatieprogramma kon een van de agentservices niet starten ({service}).",
    },
    "diagnosis.install_service_failed.remediation": {
        "en": "Read the service's event or journal log for the reason (a blocked service account, policy or antivirus), fix it and install again.",
        "nl": (
            "Lees het gebeurtenissen- of journaallogboek van de service voor de reden (een geblokkeerd serviceaccount, "
            "beleid of antivirus), los die op en installeer opnieuw."
        ),
    },
    # found from the agent's version (_versions), not by a rule: {version}, {released} (YYYY-MM), {supported_until}, {days_over}
    "diagnosis.agent_out_of_support.cause": {
        "en": "Agent version {version} was released in {released} and left Microsoft's one-year support window on {supported_until} "
              "({days_over} days ago).",
        "nl": "Agentversie {version} is uitgebracht in {released} en viel op {supported_until} buiten de ondersteuningstermijn van "
              "een jaar van Microsoft ({days_over} dagen geleden).",
    },
    "diagnosis.agent_out_of_support.remediation": {
        "en": "Upgrade the agent (playbook arcops.azcmagent.upgrade; from agent 1.62 on also azcmagent upgrade), or enable automatic "
              "agent upgrades (azcmagent_enable_automatic_upgrade).",
        "nl": "Werk de agent bij (playbook arcops.azcmagent.upgrade; vanaf agent 1.62 ook azcmagent upgrade), of zet automatische "
              "agentupdates aan (azcmagent_enable_automatic_upgrade).",
    },
}

# -- remediation plans ----------------------------------------------------------------------------
_PLAN: Texts = {
    "plan.budget": {
        "en": "The retry budget is spent (attempt {attempt} of {max_attempts}): {remediation}",
        "nl": "Het aantal pogingen is op (poging {attempt} van {max_attempts}): {remediation}",
    },
    "plan.blocked": {
        "en": "The policy does not allow {action} (policy key {policy_key}): {remediation}",
        "nl": "Het beleid staat {action} niet toe (beleidssleutel {policy_key}): {remediation}",
    },
    # the conflicting machine resource (_conflict.decide): what was found in Resource Manager and what happens to it
    "plan.conflict_none": {"en": "none", "nl": "geen"},
    "plan.conflict_no_target": {
        "en": "The requested machine resource is not known (subscription, resource group or name missing), so nothing is deleted.",
        "nl": "De gevraagde machineresource is niet bekend (abonnement, resourcegroep of naam ontbreekt), dus wordt er niets verwijderd.",
    },
    "plan.conflict_absent": {
        "en": "Azure Resource Manager holds no machine resource {resource_id}, so there is nothing to delete.",
        "nl": "Azure Resource Manager heeft geen machineresource {resource_id}, dus er valt niets te verwijderen.",
    },
    "plan.conflict_found": {
        "en": "Found {resource_id} (vmId {vm_id}, provisioningState {state}, status {status}); this machine's vmId is {local_vm_id}.",
        "nl": "Gevonden: {resource_id} (vmId {vm_id}, provisioningState {state}, status {status}); de vmId van deze machine is {local_vm_id}.",
    },
    "plan.conflict_other_machine": {
        "en": "It belongs to another machine.",
        "nl": "Die resource hoort bij een andere machine.",
    },
    "plan.conflict_unfinished": {
        "en": "It is this machine's own resource from an unfinished connect (provisioningState {state}).",
        "nl": "Het is de eigen resource van deze machine, van een onafgemaakte verbinding (provisioningState {state}).",
    },
    "plan.conflict_succeeded": {
        "en": "It is this machine's own resource and its provisioning succeeded.",
        "nl": "Het is de eigen resource van deze machine en het inrichten ervan is geslaagd.",
    },
    "plan.conflict_same_machine": {
        "en": "It is this machine's own resource (the same vmId), not a stale one.",
        "nl": "Het is de eigen resource van deze machine (dezelfde vmId), geen verouderde.",
    },
    "plan.conflict_unknown_identity": {
        "en": "Whether it belongs to this machine cannot be told (a vmId is missing).",
        "nl": "Of de resource bij deze machine hoort, valt niet vast te stellen (er ontbreekt een vmId).",
    },
    "plan.conflict_blocked": {
        "en": "The policy does not allow delete_resource, so it is not deleted.",
        "nl": "Het beleid staat delete_resource niet toe, dus wordt de resource niet verwijderd.",
    },
    "plan.conflict_delete": {"en": "It will be deleted.", "nl": "De resource wordt verwijderd."},
    "plan.conflict_would_delete": {
        "en": "It would be deleted (check mode: nothing is deleted).",
        "nl": "De resource zou worden verwijderd (controlemodus: er wordt niets verwijderd).",
    },
    "plan.conflict_keep": {"en": "Nothing is deleted.", "nl": "Er wordt niets verwijderd."},
    "plan.conflict_hint": {
        "en": "The agent's output names {hint}; that name is only a hint and was not acted on.",
        "nl": "De uitvoer van de agent noemt {hint}; die naam is alleen een aanwijzing en er is niets mee gedaan.",
    },
}

# -- per-host results and the fleet summary -----------------------------------------------------
_RESULTS: Texts = {
    "results.message": {
        "en": "{host}: {code} ({category}): {cause}. {remediation}",
        "nl": "{host}: {code} ({category}): {cause}. {remediation}",
    },
    "results.no_code": {"en": "no AZCM code", "nl": "geen AZCM-code"},
    "results.step_failed": {
        "en": "The automatic step {action} failed: {detail}.",
        "nl": "De automatische stap {action} is mislukt: {detail}.",
    },
    "results.remediate_step_failed": {
        "en": "The step {action} failed: {detail}.",
        "nl": "De stap {action} is mislukt: {detail}.",
    },
    "results.no_detail": {"en": "no detail", "nl": "geen details"},
    "results.state_refused": {
        "en": "The agent's state directory could not be derived from its log file ({log_file}), so nothing was removed. "
              "Set azcmagent_state_dirs to the directories to remove.",
        "nl": "De statusmap van de agent kon niet uit zijn logbestand ({log_file}) worden afgeleid, dus er is niets verwijderd. "
              "Geef in azcmagent_state_dirs de mappen op die weg moeten.",
    },
    "results.none_reported": {"en": "none reported", "nl": "geen gemeld"},
    "results.still_stopped": {
        "en": "After the repair the agent is {state} and these services are still stopped: {services}.",
        "nl": "Na het herstel is de agent {state} en deze services staan nog steeds stil: {services}.",
    },
    "results.unknown": {"en": "unknown", "nl": "onbekend"},
    "results.none": {"en": "none", "nl": "geen"},
    "results.healthy": {"en": "healthy", "nl": "gezond"},
    "results.restarted": {"en": "restarted {services}", "nl": "herstart: {services}"},
    "results.would_restart": {"en": "would restart {services}", "nl": "zou herstarten: {services}"},
    "results.not_repaired": {"en": "not repaired: {services}", "nl": "niet hersteld: {services}"},
    "results.agent_is": {"en": "The agent is {status}", "nl": "De agent is {status}"},
    "results.onboard_it": {
        "en": "Onboard it with the arcops.azcmagent.onboard playbook.",
        "nl": "Verbind de machine met het playbook arcops.azcmagent.onboard.",
    },
    "results.diagnose_message": {"en": "{host}: {code}: {remediation}", "nl": "{host}: {code}: {remediation}"},
    "results.no_result": {
        "en": "The host has no result: it was unreachable or failed before the role ended; read its task output.",
        "nl": "De host heeft geen resultaat: hij was onbereikbaar of faalde voordat de rol klaar was; lees de uitvoer van zijn taken.",
    },
    "results.no_result_message": {"en": "{host}: no result", "nl": "{host}: geen resultaat"},
    "results.title_default": {"en": "Azure Arc", "nl": "Azure Arc"},
    "results.title_onboard": {"en": "Onboarding", "nl": "Verbinden"},
    "results.title_offboard": {"en": "Offboarding", "nl": "Loskoppelen"},
    "results.title_remediate": {"en": "Remediation", "nl": "Herstel"},
    "results.title_diagnose": {"en": "Diagnosis", "nl": "Diagnose"},
    "results.headline": {
        "en": "{title}: {hosts} hosts, {connected} connected, {changed} changed, {repaired} repaired, {failed} failed.",
        "nl": "{title}: {hosts} hosts, {connected} verbonden, {changed} gewijzigd, {repaired} hersteld, {failed} mislukt.",
    },
    "results.repaired_line": {"en": "repaired {code} x{count}: {hosts}", "nl": "hersteld {code} x{count}: {hosts}"},
    "results.failed_line": {
        "en": "FAILED {code} ({category}) x{count}: {hosts} -> {remediation}",
        "nl": "MISLUKT {code} ({category}) x{count}: {hosts} -> {remediation}",
    },
    "results.failed_group": {"en": "FAILED {code} ({category}) x{count}: {hosts}", "nl": "MISLUKT {code} ({category}) x{count}: {hosts}"},
    "results.failed_member": {"en": "{hosts} -> {remediation}", "nl": "{hosts} -> {remediation}"},
    # the upgrade playbook and the support window
    "results.title_upgrade": {"en": "Agent upgrade", "nl": "Agentupdate"},
    "results.upgraded": {"en": "upgraded {before} -> {after} ({method})", "nl": "bijgewerkt {before} -> {after} ({method})"},
    "results.would_upgrade": {"en": "would upgrade {before} ({method})", "nl": "zou {before} bijwerken ({method})"},
    "results.up_to_date": {"en": "{version}: nothing to upgrade", "nl": "{version}: niets bij te werken"},
    "results.not_installed": {"en": "the agent is not installed", "nl": "de agent is niet geïnstalleerd"},
    "results.upgrade_failed_cause": {"en": "The upgrade of the agent failed", "nl": "Het bijwerken van de agent is mislukt"},
    "results.out_of_support_line": {
        "en": "out of support x{count}: {hosts}",
        "nl": "buiten ondersteuning x{count}: {hosts}",
    },
}

# -- option and role variable forms (_validate.check_options, check_value): {option} names the option or role variable,
# {form} the expected form (one of the input.form_* texts), {value!r} the value given (never a secret's) ---
_INPUT: Texts = {
    "input.not_text": {
        "en": "{option} must be a string ({form}), got a {kind}",
        "nl": "{option} moet een tekenreeks zijn ({form}), gekregen: een {kind}",
    },
    "input.wrong_type": {
        "en": "{option} must be {expected}, got a {kind}",
        "nl": "{option} moet {expected} zijn, gekregen: een {kind}",
    },
    "input.empty": {
        "en": "{option} must not be empty: expected {form}",
        "nl": "{option} mag niet leeg zijn: verwacht {form}",
    },
    "input.blank": {
        "en": "{option} holds only blanks: expected {form}",
        "nl": "{option} bevat alleen spaties: verwacht {form}",
    },
    "input.control": {
        "en": "{option} must not contain control characters (newline, tab, NUL, ...): expected {form}",
        "nl": "{option} mag geen stuurtekens bevatten (regeleinde, tab, NUL, ...): verwacht {form}",
    },
    "input.too_long": {
        "en": "{option} is {length} characters long, at most {limit} are allowed: expected {form}",
        "nl": "{option} is {length} tekens lang, hoogstens {limit} zijn toegestaan: verwacht {form}",
    },
    "input.leading_dash": {
        "en": "{option} must not start with '-' (the agent would read it as one of its options): expected {form}, got {value!r}",
        "nl": "{option} mag niet met '-' beginnen (de agent zou het als een van zijn opties lezen): verwacht {form}, gekregen: {value!r}",
    },
    "input.shell_chars": {
        "en": "{option} must not contain any of ; ` $ | < > (command syntax has no place in it): expected {form}, got {value!r}",
        "nl": "{option} mag geen van ; ` $ | < > bevatten (opdrachtsyntaxis hoort er niet in): verwacht {form}, gekregen: {value!r}",
    },
    "input.form": {
        "en": "{option} must be {form}, got {value!r}",
        "nl": "{option} moet {form} zijn, gekregen: {value!r}",
    },
    "input.range": {
        "en": "{option} must be a whole number from {low} to {high}, got {value!r}",
        "nl": "{option} moet een geheel getal van {low} tot en met {high} zijn, gekregen: {value!r}",
    },
    "input.range_number": {
        "en": "{option} must be a number from {low} to {high}, got {value!r}",
        "nl": "{option} moet een getal van {low} tot en met {high} zijn, gekregen: {value!r}",
    },
    "input.nested": {
        "en": "{option} must hold only strings, numbers and booleans, got a {kind} under {key!r}",
        "nl": "{option} mag alleen tekenreeksen, getallen en booleaanse waarden bevatten, gekregen: een {kind} onder {key!r}",
    },
    "input.key": {
        "en": "{option} has a key that is not a string: {key!r}",
        "nl": "{option} heeft een sleutel die geen tekenreeks is: {key!r}",
    },
    "input.unknown_key": {
        "en": "{option} has an unknown key {key!r}: expected one of {choices}",
        "nl": "{option} heeft een onbekende sleutel {key!r}: verwacht een van {choices}",
    },
    "input.no_outcome": {
        "en": "The input holds no outcome of an agent run: no exit status, no AZCM code, no line of the agent",
        "nl": "De invoer bevat geen uitkomst van een agentrun: geen afsluitstatus, geen AZCM-code, geen regel van de agent",
    },
    "input.no_outcome_remediation": {
        "en": ("Give the registered result of the task that ran the agent (with its rc, stdout and stderr), or the agent's "
               "console output or log"),
        "nl": ("Geef het geregistreerde resultaat van de taak die de agent uitvoerde (met rc, stdout en stderr), of de "
               "console-uitvoer of het logboek van de agent"),
    },
    "input.output_truncated": {
        "en": "{command} printed more than the module keeps: {dropped} bytes of its {stream} were dropped (the start and the end are kept)",
        "nl": ("{command} gaf meer uitvoer dan de module bewaart: {dropped} bytes van zijn {stream} zijn weggelaten (het begin en het "
               "einde zijn bewaard)"),
    },
    "input.form_text": {"en": "a single line of text", "nl": "een enkele regel tekst"},
    "input.form_secret": {"en": "a secret on one line", "nl": "een geheim op een enkele regel"},
    "input.form_path": {"en": "a file path", "nl": "een bestandspad"},
    "input.form_guid": {
        "en": "a GUID such as 00000000-0000-0000-0000-000000000000",
        "nl": "een GUID zoals 00000000-0000-0000-0000-000000000000",
    },
    "input.form_tenant": {"en": "a tenant GUID or a verified domain name", "nl": "een tenant-GUID of een geverifieerde domeinnaam"},
    "input.form_subscription": {
        "en": "a subscription GUID, or a subscription name of at most 64 characters",
        "nl": "een abonnements-GUID, of een abonnementsnaam van hoogstens 64 tekens",
    },
    "input.form_resource_group": {
        "en": "a resource group name (1-90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.')",
        "nl": "een naam van een resourcegroep (1-90 letters, cijfers, '_', '-', '.', '(' of ')', niet eindigend op '.')",
    },
    "input.form_resource_name": {
        "en": "a machine name (1-54 letters, digits, '-' or '_', starting and ending with a letter or digit)",
        "nl": "een machinenaam (1-54 letters, cijfers, '-' of '_', beginnend en eindigend met een letter of cijfer)",
    },
    "input.form_machine_name": {
        "en": "a machine resource name (1-54 letters, digits, '-', '_' or '.')",
        "nl": "een naam van een machineresource (1-54 letters, cijfers, '-', '_' of '.')",
    },
    "input.form_location": {"en": "an Azure region such as westeurope", "nl": "een Azure-regio zoals westeurope"},
    "input.form_cloud": {
        "en": "one of AzureCloud, AzureUSGovernment, AzureChinaCloud, Azure.Local",
        "nl": "een van AzureCloud, AzureUSGovernment, AzureChinaCloud, Azure.Local",
    },
    "input.form_resource_id": {
        "en": "a full Azure resource ID (/subscriptions/<guid>/resourceGroups/<group>/providers/...)",
        "nl": "een volledige Azure-resource-ID (/subscriptions/<guid>/resourceGroups/<groep>/providers/...)",
    },
    "input.form_tags": {
        "en": "a dict of at most 50 tags: names of 1-512 characters without < > % & \\ ? / = , ' or a leading '-', values of at most 256 characters",
        "nl": "een dict van hoogstens 50 tags: namen van 1-512 tekens zonder < > % & \\ ? / = , ' of een '-' vooraan, waarden van hoogstens 256 tekens",
    },
    "input.form_setting_name": {
        "en": "an agent setting name such as proxy.url or extensions.allowlist",
        "nl": "de naam van een agentinstelling zoals proxy.url of extensions.allowlist",
    },
    "input.form_setting_value": {
        "en": "a string, number, boolean or list of them, without ',' inside a list item",
        "nl": "een tekenreeks, getal, booleaanse waarde of een lijst daarvan, zonder ',' binnen een lijstelement",
    },
    "input.form_url": {
        "en": "an http:// or https:// URL such as http://proxy.example.com:3128",
        "nl": "een http://- of https://-URL zoals http://proxy.example.com:3128",
    },
    "input.form_https_url": {"en": "an https:// URL", "nl": "een https://-URL"},
    "input.form_namespace": {
        "en": "a resource provider namespace such as Microsoft.HybridCompute",
        "nl": "een naamruimte van een resourceprovider zoals Microsoft.HybridCompute",
    },
    "input.form_api_version": {"en": "an API version such as 2024-07-10 or 2024-07-10-preview", "nl": "een API-versie zoals 2024-07-10 of 2024-07-10-preview"},
    "input.form_service_name": {"en": "a service name such as himdsd", "nl": "een servicenaam zoals himdsd"},
    "input.form_package_name": {"en": "a package name such as azcmagent", "nl": "een pakketnaam zoals azcmagent"},
    "input.form_version": {
        "en": "a version such as 1.58 or 1.58.03228.700",
        "nl": "een versie zoals 1.58 of 1.58.03228.700",
    },
    "input.form_checksum": {"en": "a checksum such as sha256:<hex digits>", "nl": "een controlesom zoals sha256:<hexadecimale cijfers>"},
    "input.form_suite": {"en": "an apt suite or component name such as main", "nl": "de naam van een apt-suite of -component zoals main"},
    "input.form_host_name": {"en": "a host name such as web01", "nl": "een hostnaam zoals web01"},
    "input.form_state_dir": {
        "en": "an absolute directory path other than / and without '..'",
        "nl": "een absoluut mappad anders dan / en zonder '..'",
    },
    "input.form_settings": {
        "en": "a dict of agent setting names (such as proxy.bypass) to values",
        "nl": "een dict van namen van agentinstellingen (zoals proxy.bypass) naar waarden",
    },
    "input.form_plan": {
        "en": "a list of steps as azcm_plan returns them (dicts with a known action)",
        "nl": "een lijst van stappen zoals azcm_plan ze teruggeeft (dicts met een bekende actie)",
    },
}

# -- reconciliation of the inventory with Azure, and extensions before a disconnect -----------------
_RECONCILE: Texts = {
    "reconcile.headline": {
        "en": "Reconcile: {rows} rows, {connected} connected, {disconnected} disconnected, {expired} expired, {orphan} orphaned, "
              "{missing} missing, {duplicate} duplicate, {clone} cloned; allowed: {delete_orphan} deletes, {reonboard} "
              "re-onboardings, {reidentify} new identities.",
        "nl": "Afstemming: {rows} regels, {connected} verbonden, {disconnected} losgekoppeld, {expired} verlopen, {orphan} wees, "
              "{missing} ontbrekend, {duplicate} dubbel, {clone} gekloond; toegestaan: {delete_orphan} verwijderingen, "
              "{reonboard} keer opnieuw verbinden, {reidentify} nieuwe identiteiten.",
    },
    "reconcile.line": {"en": "{outcome} {what} ({status}): {verdict}", "nl": "{outcome} {what} ({status}): {verdict}"},
    "reconcile.days": {"en": ", {days} days since the last heartbeat", "nl": ", {days} dagen sinds de laatste heartbeat"},
    "reconcile.will": {"en": "the policy allows {action}", "nl": "het beleid staat {action} toe"},
    "reconcile.missing": {
        "en": "Azure has no machine resource for this host ({resource_id}): onboard it with the arcops.azcmagent.onboard playbook.",
        "nl": "Azure heeft geen machineresource voor deze host ({resource_id}): verbind hem met het playbook arcops.azcmagent.onboard.",
    },
    "reconcile.duplicate": {
        "en": "A second resource of {host}, whose agent uses {resource_id}: delete this one once you have checked that nothing "
              "refers to it.",
        "nl": "Een tweede resource van {host}, waarvan de agent {resource_id} gebruikt: verwijder deze zodra u hebt nagegaan dat er "
              "niets naar verwijst.",
    },
    "reconcile.unreachable": {
        "en": "{host} is {status} and could not be reached: bring it back online, or offboard it and delete its resource.",
        "nl": "{host} is {status} en was niet bereikbaar: breng de machine weer online, of koppel haar los en verwijder haar resource.",
    },
    "reconcile.reonboard_blocked": {
        "en": "The resource is {status}: re-onboard the host (reconcile policy reonboard: true), or run azcmagent disconnect and "
              "connect on it.",
        "nl": "De resource is {status}: verbind de host opnieuw (afstemmingsbeleid reonboard: true), of voer daar azcmagent "
              "disconnect en connect uit.",
    },
    "reconcile.reonboard": {
        "en": "The resource is {status}: the host is re-onboarded.",
        "nl": "De resource is {status}: de host wordt opnieuw verbonden.",
    },
    "reconcile.clone_same_name": {
        "en": "{host} carries the identity of {keeper} and would connect under the same resource name: give it its own "
              "azcmagent_resource_name, then run azcmagent disconnect --force-local-only and connect on it.",
        "nl": "{host} draagt de identiteit van {keeper} en zou onder dezelfde resourcenaam verbinden: geef de host een eigen "
              "azcmagent_resource_name en voer daarna azcmagent disconnect --force-local-only en connect uit.",
    },
    "reconcile.clone_blocked": {
        "en": "This host is a clone of {keeper} (same agent identity): run azcmagent disconnect --force-local-only and connect on "
              "it (reconcile policy reidentify_clones: true).",
        "nl": "Deze host is een kloon van {keeper} (dezelfde agentidentiteit): voer daar azcmagent disconnect --force-local-only en "
              "connect uit (afstemmingsbeleid reidentify_clones: true).",
    },
    "reconcile.clone": {
        "en": "This host is a clone of {keeper}: it gets an identity of its own (local disconnect, then connect).",
        "nl": "Deze host is een kloon van {keeper}: hij krijgt een eigen identiteit (lokaal loskoppelen, daarna verbinden).",
    },
    "reconcile.orphan_connected": {
        "en": "No inventory host claims this Connected machine: add it to the inventory (it is never deleted while it is Connected).",
        "nl": "Geen host uit de inventaris claimt deze verbonden machine: neem haar op in de inventaris (zolang ze verbonden is, "
              "wordt ze nooit verwijderd).",
    },
    "reconcile.orphan_blocked": {
        "en": "No inventory host claims this resource: delete it if the server is gone (reconcile policy delete_orphans: true).",
        "nl": "Geen host uit de inventaris claimt deze resource: verwijder haar als de server weg is (afstemmingsbeleid "
              "delete_orphans: true).",
    },
    "reconcile.orphan_young": {
        "en": "No inventory host claims this resource, but its status changed {days} days ago (orphan_min_days is {min_days}): "
              "it is kept for now.",
        "nl": "Geen host uit de inventaris claimt deze resource, maar haar status is {days} dagen geleden gewijzigd "
              "(orphan_min_days is {min_days}): ze blijft voorlopig staan.",
    },
    "reconcile.orphan_delete": {
        "en": "No inventory host claims this resource and its status has not changed for {days} days: it is deleted.",
        "nl": "Geen host uit de inventaris claimt deze resource en haar status is al {days} dagen niet gewijzigd: ze wordt verwijderd.",
    },
    "reconcile.extensions_block": {
        "en": "The machine has extensions ({extensions}), which Microsoft asks to remove before a disconnect and which are not "
              "recognised after a new connect, so the {what} did not disconnect it",
        "nl": "De machine heeft extensies ({extensions}), die Microsoft vóór het loskoppelen wil laten verwijderen en die na een "
              "nieuwe verbinding niet meer worden herkend, dus de {what} heeft haar niet losgekoppeld",
    },
    "reconcile.extensions_remedy": {
        "en": "Remove the extensions first, or let the role remove them with azcmagent_remove_extensions: true.",
        "nl": "Verwijder eerst de extensies, of laat de rol ze verwijderen met azcmagent_remove_extensions: true.",
    },
    "reconcile.title": {"en": "Reconcile", "nl": "Afstemming"},
    "reconcile.not_done": {
        "en": "the action was allowed but has no result: the host was unreachable or failed before it ended",
        "nl": "de actie was toegestaan maar heeft geen resultaat: de host was onbereikbaar of faalde voordat ze klaar was",
    },
    "reconcile.actions_line": {
        "en": "Carried out: {done} done, {changed} changed, {failed} failed.",
        "nl": "Uitgevoerd: {done} gedaan, {changed} gewijzigd, {failed} mislukt.",
    },
    "reconcile.action_done": {"en": "done {action} {what} -> {state}", "nl": "gedaan {action} {what} -> {state}"},
    "reconcile.action_would": {"en": "would {action} {what} (check mode)", "nl": "zou {action} {what} (controlemodus)"},
    "reconcile.action_failed": {"en": "FAILED {action} {what}: {detail}", "nl": "MISLUKT {action} {what}: {detail}"},
    "reconcile.extensions_remove": {
        "en": "The extensions {extensions} are removed before the {what}.",
        "nl": "De extensies {extensions} worden verwijderd vóór de {what}.",
    },
    "reconcile.extensions_would_remove": {
        "en": "The extensions {extensions} would be removed before the {what} (check mode: nothing is removed).",
        "nl": "De extensies {extensions} zouden worden verwijderd vóór de {what} (controlemodus: er wordt niets verwijderd).",
    },
}

# -- the controller-side identity stage (_identity, module identity) ---------------------------
_IDENTITY: Texts = {
    "identity.stopped": {
        "en": "The identity stage stopped the run before any host was changed. {problems}",
        "nl": "De identiteitsfase heeft de run gestopt voordat er iets op een host is gewijzigd. {problems}",
    },
    "identity.more_problems": {"en": "And {count} more problems.", "nl": "En nog {count} problemen."},
    "identity.no_credential_cause": {
        "en": "azcmagent_identity_stage is required, but the controller was given no Azure credential",
        "nl": "azcmagent_identity_stage is required, maar de controller heeft geen Azure-referentie gekregen",
    },
    "identity.no_credential_remediation": {
        "en": "Attach a Microsoft Azure Resource Manager credential to the job (AZURE_CLIENT_ID, AZURE_SECRET, AZURE_TENANT), set "
              "azcmagent_identity_client_id with azcmagent_identity_client_secret or azcmagent_identity_client_cert, or set "
              "azcmagent_identity_managed to true on a controller with a managed identity",
        "nl": "Koppel een Microsoft Azure Resource Manager-referentie aan de job (AZURE_CLIENT_ID, AZURE_SECRET, AZURE_TENANT), zet "
              "azcmagent_identity_client_id met azcmagent_identity_client_secret of azcmagent_identity_client_cert, of zet "
              "azcmagent_identity_managed op true op een controller met een beheerde identiteit",
    },
    "identity.bad_stage": {
        "en": "azcmagent_identity_stage is {stage}; it must be one of {stages}",
        "nl": "azcmagent_identity_stage is {stage}; toegestaan zijn {stages}",
    },
    "identity.incomplete_cause": {
        "en": "The controller's Azure credential is incomplete: {missing} is missing",
        "nl": "De Azure-referentie van de controller is onvolledig: {missing} ontbreekt",
    },
    "identity.incomplete_remediation": {
        "en": "Give the application (client) ID, the tenant ID and a secret or certificate, as options or in the AZURE_* environment "
              "variables of the Azure Resource Manager credential",
        "nl": "Geef de applicatie-ID (client-ID), de tenant-ID en een geheim of certificaat op, als opties of in de "
              "AZURE_*-omgevingsvariabelen van de Azure Resource Manager-referentie",
    },
    "identity.no_target_cause": {
        "en": "The hosts of this run name no subscription and resource group",
        "nl": "De hosts van deze run noemen geen abonnement en resourcegroep",
    },
    "identity.bad_target": {
        "en": "The target {target} is not a subscription and resource group",
        "nl": "Het doel {target} is geen abonnement met resourcegroep",
    },
    "identity.incomplete_target": {
        "en": "A host names subscription {subscription_id} and resource group {resource_group}: one of them is missing",
        "nl": "Een host noemt abonnement {subscription_id} en resourcegroep {resource_group}: een van beide ontbreekt",
    },
    "identity.no_target_remediation": {
        "en": "Set azcmagent_subscription_id and azcmagent_resource_group for every host (the subscription may also come from "
              "AZURE_SUBSCRIPTION_ID)",
        "nl": "Zet azcmagent_subscription_id en azcmagent_resource_group voor elke host (het abonnement mag ook uit "
              "AZURE_SUBSCRIPTION_ID komen)",
    },
    "identity.token_cause": {
        "en": "{principal} could not get an access token: {error}",
        "nl": "{principal} kon geen toegangstoken krijgen: {error}",
    },
    "identity.subscription_cause": {
        "en": "Subscription {subscription_id} was not found, or the identity has no role in it",
        "nl": "Abonnement {subscription_id} is niet gevonden, of de identiteit heeft er geen rol in",
    },
    "identity.subscription_remediation": {
        "en": "Check azcmagent_subscription_id and that the subscription belongs to the identity's tenant",
        "nl": "Controleer azcmagent_subscription_id en of het abonnement bij de tenant van de identiteit hoort",
    },
    "identity.group_missing_cause": {
        "en": "Resource group {resource_group} does not exist in subscription {subscription_id}",
        "nl": "Resourcegroep {resource_group} bestaat niet in abonnement {subscription_id}",
    },
    "identity.group_missing_remediation": {
        "en": "Create it (az group create --name {resource_group} --location <region>) or correct azcmagent_resource_group",
        "nl": "Maak haar aan (az group create --name {resource_group} --location <regio>) of corrigeer azcmagent_resource_group",
    },
    "identity.permission_cause": {
        "en": "{principal} may not create Microsoft.HybridCompute/machines in resource group {resource_group} of subscription "
              "{subscription_id} (not granted: {actions})",
        "nl": "{principal} mag geen Microsoft.HybridCompute/machines aanmaken in resourcegroep {resource_group} van abonnement "
              "{subscription_id} (niet toegestaan: {actions})",
    },
    "identity.permission_remediation": {
        "en": "Assign the identity the Azure Connected Machine Onboarding role on resource group {resource_group} (or on the "
              "subscription), wait a few minutes for the assignment to apply, then run again",
        "nl": "Ken de identiteit de rol Azure Connected Machine Onboarding toe op resourcegroep {resource_group} (of op het "
              "abonnement), wacht enkele minuten tot de toewijzing actief is en voer dan opnieuw uit",
    },
    "identity.provider_cause": {
        "en": "Resource provider {namespace} is {state} in subscription {subscription_id}",
        "nl": "Resourceprovider {namespace} is {state} in abonnement {subscription_id}",
    },
    "identity.provider_remediation": {
        "en": "Register it once with an identity that may (az provider register --namespace {namespace}, or the module "
              "arcops.azcmagent.resource_provider), then run again",
        "nl": "Registreer hem eenmalig met een identiteit die dat mag (az provider register --namespace {namespace}, of de module "
              "arcops.azcmagent.resource_provider) en voer dan opnieuw uit",
    },
    "identity.provider_unverified": {
        "en": "{principal} may not read resource provider {namespace} in subscription {subscription_id}: its registration was not "
              "checked",
        "nl": "{principal} mag resourceprovider {namespace} in abonnement {subscription_id} niet lezen: de registratie is niet "
              "gecontroleerd",
    },
    "identity.check_failed_cause": {
        "en": "Checking the {what} of {target} failed: {error}",
        "nl": "Het controleren van {what} van {target} is mislukt: {error}",
    },
}

TEXTS: dict[str, t.Mapping[str, str]] = {}
for _area in (_OUTCOME, _CHECK, _ARM, _VALIDATION, _PROBES, _DIAGNOSIS, _PLAN, _RESULTS, _INPUT, _RECONCILE, _IDENTITY):
    _clash = set(TEXTS) & set(_area)
    if _clash:
        raise RuntimeError(f"text keys defined twice: {sorted(_clash)}")
    TEXTS.update(_area)


# A language tag: a two-letter primary language, then optional "-" or "_" subtags ("nl", "nl-NL", "nl_BE", "EN").
_LANG_RE = re.compile(r"^(?P<primary>[A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*$")


def normalize_lang(lang: object) -> str:
    """``en`` or ``nl`` from a language tag such as ``EN``, ``nl-NL`` or ``nl_BE``.

    Raises ``ValueError`` naming the accepted values for anything else."""
    match = _LANG_RE.match(lang.strip()) if isinstance(lang, str) else None
    if match is not None and match.group("primary").lower() in LANGUAGES:
        return match.group("primary").lower()
    raise ValueError(f"unsupported language {lang!r}: expected one of {', '.join(LANGUAGES)} (a region such as 'nl-NL' is allowed)")


def text(key: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """The sentence ``key`` in ``lang`` (English when the key has no text in that language), filled with ``fields``.

    An unknown key raises ``KeyError``: a missing text is a bug of the collection, not of the input."""
    entry = TEXTS[key]
    template = entry.get(normalize_lang(lang)) or entry[DEFAULT_LANG]
    return template.format(**fields) if fields else template
