# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Data of the AZCM code catalog: every code, in English and Dutch.

PRIVATE: this module is private to the arcops.azcmagent collection and may change at any time.
Use ``_catalog.lookup()``; do not read this table directly.

A plain dict literal on purpose: it imports fast on managed nodes. Per code:
``exit_code`` (the process exit status, equal to the code's number), ``legacy`` (dropped from the
newest troubleshooting guide, still printed by older agents), ``category``, ``retryable`` (can a
plain retry help?), ``action`` (what the remediate role can do), ``console_title`` (as the agent
prints it after the code), and per language (``en``, ``nl``): ``title``, ``cause`` (no final full
stop: messages read ``AZCMnnnn: <cause>. <remediation>``), ``remediation``, ``note`` (the code's
older meaning, or None).

Sources: the troubleshooting guide (newest version, 2026) and its 2021 Dutch translation; see
docs/architecture.md ("Catalog").
"""

from __future__ import annotations

import typing as t

CATALOG: t.Dict[str, t.Dict[str, t.Any]] = {
    "AZCM0000": {
        "exit_code": 0,
        "legacy": False,
        "category": "success",
        "retryable": False,
        "action": "none",
        "console_title": "No Error",
        "title": {
            "en": "No error",
            "nl": "Geen fout",
        },
        "cause": {
            "en": "The action was successful",
            "nl": "De actie is geslaagd",
        },
        "remediation": {
            "en": "N/A: no action is needed.",
            "nl": "N.v.t.: er is geen actie nodig.",
        },
        "note": None,
    },
    "AZCM0001": {
        "exit_code": 1,
        "legacy": False,
        "category": "internal",
        "retryable": False,
        "action": "report",
        "console_title": "Default Error",
        "title": {
            "en": "Default error",
            "nl": "Standaardfout",
        },
        "cause": {
            "en": "An unknown error occurred",
            "nl": "Er is een onbekende fout opgetreden",
        },
        "remediation": {
            "en": "Contact Microsoft Support for assistance.",
            "nl": "Neem contact op met Microsoft Ondersteuning voor hulp.",
        },
        "note": None,
    },
    "AZCM0002": {
        "exit_code": 2,
        "legacy": False,
        "category": "internal",
        "retryable": True,
        "action": "restart_services",
        "console_title": "Internal Error",
        "title": {
            "en": "Internal error",
            "nl": "Interne fout",
        },
        "cause": {
            "en": "An internal error occurred in the agent",
            "nl": "Er is een interne fout in de agent opgetreden",
        },
        "remediation": {
            "en": "Restart the agent service (HIMDS) and try again. If the issue persists, contact Microsoft Support.",
            "nl": (
                "Start de agentservice (HIMDS) opnieuw en probeer het nog eens. Neem contact op met Microsoft Ondersteuning "
                "als het probleem blijft bestaan."
            ),
        },
        "note": None,
    },
    "AZCM0003": {
        "exit_code": 3,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Operation Not Supported",
        "title": {
            "en": "Operation not supported",
            "nl": "Bewerking niet ondersteund",
        },
        "cause": {
            "en": "The requested operation isn't supported",
            "nl": "De gevraagde bewerking wordt niet ondersteund",
        },
        "remediation": {
            "en": "Verify the command is valid for your operating system and agent version.",
            "nl": "Controleer of de opdracht geldig is voor uw besturingssysteem en agentversie.",
        },
        "note": None,
    },
    "AZCM0004": {
        "exit_code": 4,
        "legacy": False,
        "category": "agent_service",
        "retryable": True,
        "action": "restart_services",
        "console_title": "Arc Proxy Service Not Running",
        "title": {
            "en": "Arc proxy service isn't running",
            "nl": "Arc-proxyservice draait niet",
        },
        "cause": {
            "en": "The Azure Arc proxy service isn't running",
            "nl": "De Azure Arc-proxyservice draait niet",
        },
        "remediation": {
            "en": "Ensure the Hybrid Instance Metadata Service (HIMDS) is running, then try again.",
            "nl": "Zorg dat de Hybrid Instance Metadata Service (HIMDS) draait en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0005": {
        "exit_code": 5,
        "legacy": False,
        "category": "local_config",
        "retryable": False,
        "action": "report",
        "console_title": "File Logger Unavailable",
        "title": {
            "en": "File logger unavailable",
            "nl": "Bestandslogger niet beschikbaar",
        },
        "cause": {
            "en": "No file logger is available",
            "nl": "Er is geen bestandslogger beschikbaar",
        },
        "remediation": {
            "en": "Check that the log directory exists and has sufficient disk space and permissions.",
            "nl": "Controleer of de logmap bestaat en of er voldoende schijfruimte en de juiste machtigingen zijn.",
        },
        "note": None,
    },
    "AZCM0006": {
        "exit_code": 6,
        "legacy": False,
        "category": "internal",
        "retryable": False,
        "action": "report",
        "console_title": "Initialization Failed",
        "title": {
            "en": "Initialization failed",
            "nl": "Initialisatie mislukt",
        },
        "cause": {
            "en": "Agent initialization failed",
            "nl": "De initialisatie van de agent is mislukt",
        },
        "remediation": {
            "en": "Check prerequisites (network connectivity, permissions), then run the command again.",
            "nl": "Controleer de vereisten (netwerkverbinding, machtigingen) en voer de opdracht daarna opnieuw uit.",
        },
        "note": None,
    },
    "AZCM0011": {
        "exit_code": 11,
        "legacy": False,
        "category": "transient",
        "retryable": True,
        "action": "retry",
        "console_title": "Interrupted",
        "title": {
            "en": "Interrupted (Ctrl+C)",
            "nl": "Onderbroken (Ctrl+C)",
        },
        "cause": {
            "en": "The user canceled the action (CTRL+C)",
            "nl": "De gebruiker heeft de actie geannuleerd (Ctrl+C)",
        },
        "remediation": {
            "en": "Retry the previous command.",
            "nl": "Voer de vorige opdracht opnieuw uit.",
        },
        "note": None,
    },
    "AZCM0012": {
        "exit_code": 12,
        "legacy": False,
        "category": "credentials",
        "retryable": False,
        "action": "report",
        "console_title": "Invalid Access Token",
        "title": {
            "en": "Invalid access token",
            "nl": "Ongeldig toegangstoken",
        },
        "cause": {
            "en": "The access token is invalid",
            "nl": "Het toegangstoken is ongeldig",
        },
        "remediation": {
            "en": (
                "If authenticating via access token, obtain a new token and try again. If authenticating via service principal "
                "or device logins, contact Microsoft Support for assistance."
            ),
            "nl": (
                "Meldt u zich aan met een toegangstoken, vraag dan een nieuw token aan en probeer het opnieuw. Meldt u zich "
                "aan met een service-principal of met een apparaatcode, neem dan contact op met Microsoft Ondersteuning voor "
                "hulp."
            ),
        },
        "note": None,
    },
    "AZCM0013": {
        "exit_code": 13,
        "legacy": True,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Invalid Tags",
        "title": {
            "en": "Invalid tags",
            "nl": "Ongeldige tags",
        },
        "cause": {
            "en": "The tags provided are invalid",
            "nl": "De opgegeven tags zijn ongeldig",
        },
        "remediation": {
            "en": (
                "Put the tags in double quotes, separated by commas, and put names or values that contain spaces in single "
                "quotes, for example --tags \"SingleName='Value with spaces',Location=Redmond\"."
            ),
            "nl": (
                "Zet de tags tussen dubbele aanhalingstekens, gescheiden door komma's, en zet namen of waarden met spaties "
                "tussen enkele aanhalingstekens, bijvoorbeeld --tags \"SingleName='Value with spaces',Location=Redmond\"."
            ),
        },
        "note": None,
    },
    "AZCM0014": {
        "exit_code": 14,
        "legacy": True,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Invalid Cloud",
        "title": {
            "en": "Invalid cloud",
            "nl": "Ongeldige cloud",
        },
        "cause": {
            "en": "The cloud is invalid",
            "nl": "De cloud is ongeldig",
        },
        "remediation": {
            "en": "Specify a supported cloud: AzureCloud or AzureUSGovernment.",
            "nl": "Geef een ondersteunde cloud op: AzureCloud of AzureUSGovernment.",
        },
        "note": None,
    },
    "AZCM0015": {
        "exit_code": 15,
        "legacy": True,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Invalid Correlation ID",
        "title": {
            "en": "Invalid correlation ID",
            "nl": "Ongeldige correlatie-id",
        },
        "cause": {
            "en": "The correlation ID specified isn't a valid GUID",
            "nl": "De opgegeven correlatie-id is geen geldige GUID",
        },
        "remediation": {
            "en": "Provide a valid GUID for --correlation-id.",
            "nl": "Geef een geldige GUID op voor --correlation-id.",
        },
        "note": None,
    },
    "AZCM0016": {
        "exit_code": 16,
        "legacy": False,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Missing Mandatory Parameter",
        "title": {
            "en": "Missing mandatory parameter",
            "nl": "Verplichte parameter ontbreekt",
        },
        "cause": {
            "en": "A mandatory parameter is missing",
            "nl": "Er ontbreekt een verplichte parameter",
        },
        "remediation": {
            "en": (
                "Review the error message in the output to identify which parameters are missing. For the complete syntax of "
                "the command, run azcmagent <command> --help."
            ),
            "nl": (
                "Lees de foutmelding in de uitvoer om te zien welke parameters ontbreken. Voer azcmagent <opdracht> --help uit "
                "voor de volledige syntaxis van de opdracht."
            ),
        },
        "note": None,
    },
    "AZCM0017": {
        "exit_code": 17,
        "legacy": True,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Invalid Resource Name",
        "title": {
            "en": "Invalid resource name",
            "nl": "Ongeldige resourcenaam",
        },
        "cause": {
            "en": "The resource name is invalid",
            "nl": "De resourcenaam is ongeldig",
        },
        "remediation": {
            "en": "Use only alphanumerics, hyphens and underscores; the name cannot end with a hyphen or underscore.",
            "nl": (
                "Gebruik alleen letters, cijfers, koppeltekens en onderstrepingstekens; de naam mag niet eindigen op een "
                "koppelteken of onderstrepingsteken."
            ),
        },
        "note": None,
    },
    "AZCM0018": {
        "exit_code": 18,
        "legacy": False,
        "category": "permissions",
        "retryable": False,
        "action": "escalate",
        "console_title": "Administrative Privileges Required",
        "title": {
            "en": "Administrative privileges required",
            "nl": "Beheerdersbevoegdheden vereist",
        },
        "cause": {
            "en": "The command was executed without administrative privileges",
            "nl": "De opdracht is uitgevoerd zonder beheerdersbevoegdheden",
        },
        "remediation": {
            "en": "Retry the command in an elevated user context (administrator/root).",
            "nl": "Voer de opdracht opnieuw uit in een verhoogde gebruikerscontext (administrator/root).",
        },
        "note": None,
    },
    "AZCM0019": {
        "exit_code": 19,
        "legacy": False,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Configuration File Not Found",
        "title": {
            "en": "Configuration file not found",
            "nl": "Configuratiebestand niet gevonden",
        },
        "cause": {
            "en": "The path to the configuration file is incorrect",
            "nl": "Het pad naar het configuratiebestand is onjuist",
        },
        "remediation": {
            "en": "Ensure the path to the configuration file is correct and try again.",
            "nl": "Controleer of het pad naar het configuratiebestand klopt en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0020": {
        "exit_code": 20,
        "legacy": False,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Unknown Region",
        "title": {
            "en": "Unknown region",
            "nl": "Onbekende regio",
        },
        "cause": {
            "en": "An unknown region was specified",
            "nl": "Er is een onbekende regio opgegeven",
        },
        "remediation": {
            "en": "Check the region name for typos and ensure the region is supported.",
            "nl": "Controleer de regionaam op typefouten en ga na of de regio wordt ondersteund.",
        },
        "note": None,
    },
    "AZCM0023": {
        "exit_code": 23,
        "legacy": False,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Invalid Arguments",
        "title": {
            "en": "Invalid arguments",
            "nl": "Ongeldige argumenten",
        },
        "cause": {
            "en": "The value provided for a parameter (argument) is invalid",
            "nl": "De opgegeven waarde voor een parameter (argument) is ongeldig",
        },
        "remediation": {
            "en": (
                "Check for more specific information in the error message. Refer to the syntax of the command (azcmagent "
                "<command> --help) for valid values or expected format for the arguments."
            ),
            "nl": (
                "Zoek in de foutmelding naar specifiekere informatie. Raadpleeg de syntaxis van de opdracht (azcmagent "
                "<opdracht> --help) voor geldige waarden of de verwachte notatie van de argumenten."
            ),
        },
        "note": None,
    },
    "AZCM0026": {
        "exit_code": 26,
        "legacy": False,
        "category": "network",
        "retryable": True,
        "action": "retry",
        "console_title": "Network Error",
        "title": {
            "en": "Network error",
            "nl": "Netwerkfout",
        },
        "cause": {
            "en": "There's an error in network configuration or some critical services are temporarily unavailable",
            "nl": "Er zit een fout in de netwerkconfiguratie, of enkele essentiële services zijn tijdelijk niet beschikbaar",
        },
        "remediation": {
            "en": (
                "Check if the required endpoints are reachable (for example, hostnames are resolvable, endpoints aren't "
                "blocked). If the network is configured for Private Link Scope, a Private Link Scope resource ID must be "
                "provided for onboarding using the --private-link-scope parameter."
            ),
            "nl": (
                "Controleer of de vereiste eindpunten bereikbaar zijn (bijvoorbeeld of de hostnamen kunnen worden omgezet en "
                "de eindpunten niet worden geblokkeerd). Is het netwerk ingericht voor een Private Link Scope, geef dan bij "
                "het onboarden de resource-id van de Private Link Scope op met de parameter --private-link-scope."
            ),
        },
        "note": None,
    },
    "AZCM0027": {
        "exit_code": 27,
        "legacy": False,
        "category": "local_config",
        "retryable": False,
        "action": "report",
        "console_title": "Configuration Conflict",
        "title": {
            "en": "Configuration conflict",
            "nl": "Configuratieconflict",
        },
        "cause": {
            "en": "A configuration conflict was detected",
            "nl": "Er is een conflict in de configuratie gevonden",
        },
        "remediation": {
            "en": "Remove conflicting settings in the agent configuration file and try again.",
            "nl": "Verwijder de conflicterende instellingen uit het configuratiebestand van de agent en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0028": {
        "exit_code": 28,
        "legacy": False,
        "category": "tpm",
        "retryable": False,
        "action": "report",
        "console_title": "Failed to Open TPM",
        "title": {
            "en": "Failed to open TPM",
            "nl": "TPM openen mislukt",
        },
        "cause": {
            "en": "Failed to open the TPM device",
            "nl": "Het TPM-apparaat kon niet worden geopend",
        },
        "remediation": {
            "en": "Verify that the Trusted Platform Module (TPM) is enabled and accessible, then try again.",
            "nl": "Controleer of de Trusted Platform Module (TPM) is ingeschakeld en toegankelijk is en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0041": {
        "exit_code": 41,
        "legacy": False,
        "category": "credentials",
        "retryable": False,
        "action": "report",
        "console_title": "Failed to Obtain Access Token",
        "title": {
            "en": "Failed to obtain access token",
            "nl": "Toegangstoken ophalen mislukt",
        },
        "cause": {
            "en": "The credentials supplied are invalid",
            "nl": "De opgegeven referenties zijn ongeldig",
        },
        "remediation": {
            "en": (
                "For device logins, verify that the user account specified has access to the tenant and subscription where the "
                "server resource will be created. For service principal logins, check the client ID and secret for correctness "
                "and a valid expiration date, and ensure that the service principal is from the same tenant where the server "
                "resource will be created."
            ),
            "nl": (
                "Controleer bij aanmelding met een apparaatcode of het opgegeven gebruikersaccount toegang heeft tot de tenant "
                "en het abonnement waarin de serverresource wordt gemaakt. Controleer bij aanmelding met een service-principal "
                "of de client-id en het geheim juist zijn en het geheim niet is verlopen, en of de service-principal uit "
                "dezelfde tenant komt als die waarin de serverresource wordt gemaakt."
            ),
        },
        "note": None,
    },
    "AZCM0042": {
        "exit_code": 42,
        "legacy": False,
        "category": "permissions",
        "retryable": False,
        "action": "report",
        "console_title": "Failed to Create Resource",
        "title": {
            "en": "Failed to create Azure resource",
            "nl": "Azure-resource maken mislukt",
        },
        "cause": {
            "en": "Creation of the Azure Arc-enabled server resource failed",
            "nl": "Het maken van de Azure Arc-serverresource is mislukt",
        },
        "remediation": {
            "en": (
                "Review the error message in the output to identify the cause of the failure to create resource and the "
                "suggested remediation. For more information, see Required permissions "
                "(https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#required-permissions)."
            ),
            "nl": (
                "Lees de foutmelding in de uitvoer om te zien waarom de resource niet kon worden gemaakt en wat de "
                "voorgestelde oplossing is. Zie voor meer informatie Vereiste machtigingen "
                "(https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#required-permissions)."
            ),
        },
        "note": None,
    },
    "AZCM0043": {
        "exit_code": 43,
        "legacy": False,
        "category": "resource_conflict",
        "retryable": False,
        "action": "force_local_disconnect",
        "console_title": "Failed to Delete Resource",
        "title": {
            "en": "Failed to delete Azure resource",
            "nl": "Azure-resource verwijderen mislukt",
        },
        "cause": {
            "en": "Deletion of the Azure Arc-enabled server resource failed",
            "nl": "Het verwijderen van de Azure Arc-serverresource is mislukt",
        },
        "remediation": {
            "en": (
                "Verify that the user or service principal specified has permissions to delete Azure Arc-enabled server or "
                "resources in the specified group. For more information, see Required permissions "
                "(https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#required-permissions). If the resource no "
                "longer exists in Azure, use the --force-local-only flag to proceed."
            ),
            "nl": (
                "Controleer of de opgegeven gebruiker of service-principal machtigingen heeft om Azure Arc-servers of "
                "resources in de opgegeven resourcegroep te verwijderen. Zie voor meer informatie Vereiste machtigingen "
                "(https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#required-permissions). Bestaat de resource "
                "niet meer in Azure, gebruik dan de vlag --force-local-only om door te gaan."
            ),
        },
        "note": None,
    },
    "AZCM0044": {
        "exit_code": 44,
        "legacy": False,
        "category": "resource_conflict",
        "retryable": False,
        "action": "delete_resource",
        "console_title": "Resource Already Exists",
        "title": {
            "en": "Resource already exists",
            "nl": "Resource bestaat al",
        },
        "cause": {
            "en": "A resource with the same name already exists",
            "nl": "Er bestaat al een resource met dezelfde naam",
        },
        "remediation": {
            "en": (
                "Specify a different name for the --resource-name parameter or delete the existing Azure Arc-enabled server in "
                "Azure and try again."
            ),
            "nl": (
                "Geef een andere naam op met de parameter --resource-name, of verwijder de bestaande Azure Arc-server in Azure "
                "en probeer het opnieuw."
            ),
        },
        "note": None,
    },
    "AZCM0045": {
        "exit_code": 45,
        "legacy": False,
        "category": "network",
        "retryable": True,
        "action": "retry",
        "console_title": "Failed to Update Reconnect Public Key",
        "title": {
            "en": "Failed to update reconnect public key",
            "nl": "Openbare sleutel voor opnieuw verbinden bijwerken mislukt",
        },
        "cause": {
            "en": "Failed to update the service with the new public key to reconnect",
            "nl": "De nieuwe openbare sleutel om opnieuw te verbinden kon niet aan de service worden doorgegeven",
        },
        "remediation": {
            "en": "Verify network connectivity, then retry. Review the agent logs for details.",
            "nl": "Controleer de netwerkverbinding en probeer het daarna opnieuw. Raadpleeg de agentlogboeken voor details.",
        },
        "note": None,
    },
    "AZCM0061": {
        "exit_code": 61,
        "legacy": False,
        "category": "agent_service",
        "retryable": True,
        "action": "restart_services",
        "console_title": "Agent Communication Error",
        "title": {
            "en": "Agent communication error",
            "nl": "Communicatiefout met de agent",
        },
        "cause": {
            "en": "The agent service isn't responding or unavailable",
            "nl": "De agentservice reageert niet of is niet beschikbaar",
        },
        "remediation": {
            "en": (
                "Verify the command is run in an elevated user context (administrator/root). Ensure that the HIMDS service is "
                "running (start or restart HIMDS as needed) then try the command again."
            ),
            "nl": (
                "Controleer of u de opdracht uitvoert in een verhoogde gebruikerscontext (administrator/root). Zorg dat de "
                "HIMDS-service draait (start of herstart HIMDS zo nodig) en voer de opdracht daarna opnieuw uit."
            ),
        },
        "note": None,
    },
    "AZCM0062": {
        "exit_code": 62,
        "legacy": False,
        "category": "resource_conflict",
        "retryable": False,
        "action": "delete_resource",
        "console_title": "Failed to Connect Machine",
        "title": {
            "en": "Failed to connect machine",
            "nl": "Machine verbinden mislukt",
        },
        "cause": {
            "en": "An error occurred while connecting the server",
            "nl": "Er is een fout opgetreden tijdens het verbinden van de server",
        },
        "remediation": {
            "en": (
                "Review the error message in the output for more specific information. If the error occurred after the Azure "
                "resource was created, delete this resource before retrying."
            ),
            "nl": (
                "Lees de foutmelding in de uitvoer voor specifiekere informatie. Trad de fout op nadat de Azure-resource was "
                "gemaakt, verwijder die resource dan voordat u het opnieuw probeert."
            ),
        },
        "note": None,
    },
    "AZCM0063": {
        "exit_code": 63,
        "legacy": False,
        "category": "resource_conflict",
        "retryable": False,
        "action": "force_local_disconnect",
        "console_title": "Failed to Disconnect Machine",
        "title": {
            "en": "Failed to disconnect machine",
            "nl": "Verbinding verbreken mislukt",
        },
        "cause": {
            "en": "An error occurred while disconnecting the server",
            "nl": "Er is een fout opgetreden tijdens het verbreken van de verbinding van de server",
        },
        "remediation": {
            "en": (
                "Review the error message in the output for more specific information. If this error persists, delete the "
                "resource in Azure, and then run azcmagent disconnect --force-local-only on the server."
            ),
            "nl": (
                "Lees de foutmelding in de uitvoer voor specifiekere informatie. Blijft deze fout optreden, verwijder dan de "
                "resource in Azure en voer daarna op de server azcmagent disconnect --force-local-only uit."
            ),
        },
        "note": None,
    },
    "AZCM0064": {
        "exit_code": 64,
        "legacy": False,
        "category": "agent_service",
        "retryable": True,
        "action": "restart_services",
        "console_title": "Unable to Establish Communication With HIMDS",
        "title": {
            "en": "Unable to establish communication with HIMDS",
            "nl": "Geen communicatie met HIMDS mogelijk",
        },
        "cause": {
            "en": "The agent service isn't responding or unavailable",
            "nl": "De agentservice reageert niet of is niet beschikbaar",
        },
        "remediation": {
            "en": (
                "Verify the command is run in an elevated user context (administrator/root). Ensure that the HIMDS service is "
                "running (start or restart HIMDS as needed) then try the command again."
            ),
            "nl": (
                "Controleer of u de opdracht uitvoert in een verhoogde gebruikerscontext (administrator/root). Zorg dat de "
                "HIMDS-service draait (start of herstart HIMDS zo nodig) en voer de opdracht daarna opnieuw uit."
            ),
        },
        "note": None,
    },
    "AZCM0065": {
        "exit_code": 65,
        "legacy": False,
        "category": "agent_service",
        "retryable": True,
        "action": "restart_services",
        "console_title": "Unable To Obtain Agent Metadata",
        "title": {
            "en": "Unable to obtain agent metadata",
            "nl": "Agentmetadata ophalen mislukt",
        },
        "cause": {
            "en": "The agent service isn't responding or unavailable",
            "nl": "De agentservice reageert niet of is niet beschikbaar",
        },
        "remediation": {
            "en": (
                "Verify the command is run in an elevated user context (administrator/root). Ensure that the HIMDS service is "
                "running (start or restart HIMDS as needed) then try the command again."
            ),
            "nl": (
                "Controleer of u de opdracht uitvoert in een verhoogde gebruikerscontext (administrator/root). Zorg dat de "
                "HIMDS-service draait (start of herstart HIMDS zo nodig) en voer de opdracht daarna opnieuw uit."
            ),
        },
        "note": {
            "en": (
                "Until 2022 the guide described AZCM0065 as \"An internal agent communication error occurred\" with the "
                "remediation \"Contact Microsoft Support\"; from late 2022 it was grouped with AZCM0061, AZCM0064, AZCM0066 and "
                "AZCM0070 as \"the agent service isn't responding\"."
            ),
            "nl": (
                "Tot 2022 beschreef de handleiding AZCM0065 als \"Er is een communicatiefout opgetreden in de interne agent\", "
                "met als oplossing \"Neem contact op met Microsoft Ondersteuning\"; sinds eind 2022 valt de code samen met "
                "AZCM0061, AZCM0064, AZCM0066 en AZCM0070 onder \"de agentservice reageert niet\"."
            ),
        },
    },
    "AZCM0066": {
        "exit_code": 66,
        "legacy": False,
        "category": "agent_service",
        "retryable": True,
        "action": "restart_services",
        "console_title": "Unable To Obtain Agent Status",
        "title": {
            "en": "Unable to obtain agent status",
            "nl": "Agentstatus ophalen mislukt",
        },
        "cause": {
            "en": "The agent service isn't responding or unavailable",
            "nl": "De agentservice reageert niet of is niet beschikbaar",
        },
        "remediation": {
            "en": (
                "Verify the command is run in an elevated user context (administrator/root). Ensure that the HIMDS service is "
                "running (start or restart HIMDS as needed) then try the command again."
            ),
            "nl": (
                "Controleer of u de opdracht uitvoert in een verhoogde gebruikerscontext (administrator/root). Zorg dat de "
                "HIMDS-service draait (start of herstart HIMDS zo nodig) en voer de opdracht daarna opnieuw uit."
            ),
        },
        "note": {
            "en": (
                "Until 2022 the guide described AZCM0066 as \"The agent web service isn't responding or is unavailable\" with "
                "the remediation \"Contact Microsoft Support\"; from late 2022 it was grouped with AZCM0061, AZCM0064, AZCM0065 "
                "and AZCM0070 as \"the agent service isn't responding\"."
            ),
            "nl": (
                "Tot 2022 beschreef de handleiding AZCM0066 als \"De webservice van de agent reageert niet of is niet "
                "beschikbaar\", met als oplossing \"Neem contact op met Microsoft Ondersteuning\"; sinds eind 2022 valt de code "
                "samen met AZCM0061, AZCM0064, AZCM0065 en AZCM0070 onder \"de agentservice reageert niet\"."
            ),
        },
    },
    "AZCM0067": {
        "exit_code": 67,
        "legacy": False,
        "category": "already_connected",
        "retryable": False,
        "action": "reonboard",
        "console_title": "Machine Already Connected",
        "title": {
            "en": "Machine already connected",
            "nl": "Machine is al verbonden",
        },
        "cause": {
            "en": "The machine is already connected to Azure",
            "nl": "De machine is al verbonden met Azure",
        },
        "remediation": {
            "en": "Run azcmagent disconnect to remove the current connection, then try again.",
            "nl": "Voer azcmagent disconnect uit om de huidige verbinding te verbreken en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0068": {
        "exit_code": 68,
        "legacy": False,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Unable To Fetch Subscription ID",
        "title": {
            "en": "Unable to fetch subscription ID",
            "nl": "Abonnements-id ophalen mislukt",
        },
        "cause": {
            "en": "Subscription name was provided, and an error occurred while looking up the corresponding subscription GUID",
            "nl": "Er is een abonnementsnaam opgegeven en bij het opzoeken van de bijbehorende abonnements-GUID is een fout opgetreden",
        },
        "remediation": {
            "en": "Retry the command with the subscription GUID instead of subscription name.",
            "nl": "Voer de opdracht opnieuw uit met de GUID van het abonnement in plaats van de naam.",
        },
        "note": {
            "en": (
                "In the 2021 and 2022 guides AZCM0068 meant \"An internal error occurred while disconnecting the server from "
                "Azure\", with the remediation \"Contact Microsoft Support\"; older agents may still print it with that meaning."
            ),
            "nl": (
                "In de handleidingen van 2021 en 2022 betekende AZCM0068 \"Er is een interne fout opgetreden tijdens het "
                "loskoppelen van de server van Azure\", met als oplossing \"Neem contact op met Microsoft Ondersteuning\"; oudere "
                "agents kunnen de code nog in die betekenis tonen."
            ),
        },
    },
    "AZCM0069": {
        "exit_code": 69,
        "legacy": False,
        "category": "local_config",
        "retryable": False,
        "action": "report",
        "console_title": "Error Updating Local Config",
        "title": {
            "en": "Error updating local configuration",
            "nl": "Fout bij bijwerken van de lokale configuratie",
        },
        "cause": {
            "en": "An error occurred while completing the local configuration update",
            "nl": "Er is een fout opgetreden bij het voltooien van de update van de lokale configuratie",
        },
        "remediation": {
            "en": "Check file permissions for the agent configuration directory and try again.",
            "nl": "Controleer de bestandsmachtigingen van de configuratiemap van de agent en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0070": {
        "exit_code": 70,
        "legacy": False,
        "category": "agent_service",
        "retryable": True,
        "action": "restart_services",
        "console_title": "Unable To Obtain Local Config",
        "title": {
            "en": "Unable to obtain local configuration",
            "nl": "Lokale configuratie ophalen mislukt",
        },
        "cause": {
            "en": "The agent service isn't responding or unavailable",
            "nl": "De agentservice reageert niet of is niet beschikbaar",
        },
        "remediation": {
            "en": (
                "Verify the command is run in an elevated user context (administrator/root). Ensure that the HIMDS service is "
                "running (start or restart HIMDS as needed) then try the command again."
            ),
            "nl": (
                "Controleer of u de opdracht uitvoert in een verhoogde gebruikerscontext (administrator/root). Zorg dat de "
                "HIMDS-service draait (start of herstart HIMDS zo nodig) en voer de opdracht daarna opnieuw uit."
            ),
        },
        "note": None,
    },
    "AZCM0072": {
        "exit_code": 72,
        "legacy": False,
        "category": "extension",
        "retryable": True,
        "action": "report",
        "console_title": "Error Running Extension Tool",
        "title": {
            "en": "Error running extension tool",
            "nl": "Fout bij uitvoeren van extensiehulpprogramma",
        },
        "cause": {
            "en": "An error occurred while running an extension tool",
            "nl": "Er is een fout opgetreden bij het uitvoeren van een extensiehulpprogramma",
        },
        "remediation": {
            "en": "Review the extension logs for details and retry.",
            "nl": "Raadpleeg de extensielogboeken voor details en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0073": {
        "exit_code": 73,
        "legacy": False,
        "category": "local_config",
        "retryable": False,
        "action": "report",
        "console_title": "Unable To Obtain Partner Config",
        "title": {
            "en": "Unable to obtain partner configuration",
            "nl": "Partnerconfiguratie ophalen mislukt",
        },
        "cause": {
            "en": "Unable to obtain partner configuration properties",
            "nl": "De eigenschappen van de partnerconfiguratie konden niet worden opgehaald",
        },
        "remediation": {
            "en": "Validate the partner integration settings and try again.",
            "nl": "Controleer de instellingen van de partnerintegratie en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0074": {
        "exit_code": 74,
        "legacy": False,
        "category": "extension",
        "retryable": False,
        "action": "report",
        "console_title": "Error Adding Extension",
        "title": {
            "en": "Error adding extension",
            "nl": "Fout bij toevoegen van extensie",
        },
        "cause": {
            "en": "An error occurred while adding extensions",
            "nl": "Er is een fout opgetreden bij het toevoegen van extensies",
        },
        "remediation": {
            "en": "Ensure the extension package is valid and try again.",
            "nl": "Controleer of het extensiepakket geldig is en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0075": {
        "exit_code": 75,
        "legacy": False,
        "category": "network",
        "retryable": True,
        "action": "retry",
        "console_title": "Unable To Obtain Cloud Config",
        "title": {
            "en": "Unable to obtain cloud configuration",
            "nl": "Cloudconfiguratie ophalen mislukt",
        },
        "cause": {
            "en": "Unable to obtain cloud configuration",
            "nl": "De cloudconfiguratie kon niet worden opgehaald",
        },
        "remediation": {
            "en": "Check connectivity to the required Azure endpoints and try again.",
            "nl": "Controleer de verbinding met de vereiste Azure-eindpunten en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0076": {
        "exit_code": 76,
        "legacy": False,
        "category": "tpm",
        "retryable": False,
        "action": "report",
        "console_title": "TPM Based Connect Failed",
        "title": {
            "en": "TPM-based connect failed",
            "nl": "Verbinden via TPM mislukt",
        },
        "cause": {
            "en": "Failed to connect the machine to Azure using TPM-based authentication",
            "nl": "De machine kon niet met Azure worden verbonden via verificatie op basis van de TPM",
        },
        "remediation": {
            "en": "Verify that the Trusted Platform Module (TPM) is enabled and accessible, then try again.",
            "nl": "Controleer of de Trusted Platform Module (TPM) is ingeschakeld en toegankelijk is en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0081": {
        "exit_code": 81,
        "legacy": False,
        "category": "resource_conflict",
        "retryable": False,
        "action": "delete_resource",
        "console_title": "Failed to Get MSI Certificate From HIS",
        "title": {
            "en": "Failed to get MSI certificate from HIS",
            "nl": "MSI-certificaat ophalen bij HIS mislukt",
        },
        "cause": {
            "en": "An error occurred while downloading the Microsoft Entra managed identity certificate",
            "nl": "Er is een fout opgetreden bij het downloaden van het certificaat van de beheerde identiteit in Microsoft Entra",
        },
        "remediation": {
            "en": (
                "If this message is encountered while attempting to connect the server to Azure, the agent won't be able to "
                "communicate with the Azure Arc service. Delete the resource in Azure and try connecting again."
            ),
            "nl": (
                "Verschijnt deze melding bij een poging om de server met Azure te verbinden, dan kan de agent niet "
                "communiceren met de Azure Arc-service. Verwijder de resource in Azure en probeer opnieuw verbinding te maken."
            ),
        },
        "note": None,
    },
    "AZCM0082": {
        "exit_code": 82,
        "legacy": False,
        "category": "tpm",
        "retryable": False,
        "action": "report",
        "console_title": "Failed to Get MSI Certificate Using TPM",
        "title": {
            "en": "Failed to get MSI certificate using TPM",
            "nl": "MSI-certificaat ophalen via TPM mislukt",
        },
        "cause": {
            "en": "Failed to get the managed identity certificate from the Hybrid Instance Metadata Service (HIMDS) using TPM",
            "nl": (
                "Het certificaat van de beheerde identiteit kon niet via de TPM bij de Hybrid Instance Metadata Service "
                "(HIMDS) worden opgehaald"
            ),
        },
        "remediation": {
            "en": "Ensure the HIMDS service is running and the TPM is accessible, then try again.",
            "nl": "Zorg dat de HIMDS-service draait en de TPM toegankelijk is en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0083": {
        "exit_code": 83,
        "legacy": False,
        "category": "network",
        "retryable": True,
        "action": "retry",
        "console_title": "Failed to Register Arc Persistent Credential",
        "title": {
            "en": "Failed to register Arc persistent credential",
            "nl": "Persistente Arc-referentie registreren mislukt",
        },
        "cause": {
            "en": "Failed to register the Arc persistent credential with the service",
            "nl": "De persistente Arc-referentie kon niet bij de service worden geregistreerd",
        },
        "remediation": {
            "en": "Verify network connectivity and try again. Review the agent logs for details.",
            "nl": "Controleer de netwerkverbinding en probeer het opnieuw. Raadpleeg de agentlogboeken voor details.",
        },
        "note": None,
    },
    "AZCM0101": {
        "exit_code": 101,
        "legacy": False,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Command Execution Error",
        "title": {
            "en": "Command execution error",
            "nl": "Fout bij uitvoeren van de opdracht",
        },
        "cause": {
            "en": "An error occurred while executing the command",
            "nl": "Er is een fout opgetreden bij het uitvoeren van de opdracht",
        },
        "remediation": {
            "en": "Review the command syntax (azcmagent <command> --help) and check the agent logs for more specific information.",
            "nl": (
                "Controleer de syntaxis van de opdracht (azcmagent <opdracht> --help) en raadpleeg de agentlogboeken voor "
                "specifiekere informatie."
            ),
        },
        "note": {
            "en": (
                "In the 2021 and 2022 guides AZCM0101 meant \"The command was not parsed successfully\", with the remediation "
                "\"Run azcmagent <command> --help to review the correct command syntax\"."
            ),
            "nl": (
                "In de handleidingen van 2021 en 2022 betekende AZCM0101 \"De opdracht kon niet worden geparseerd\", met als "
                "oplossing \"Voer azcmagent <opdracht> --help uit om de juiste syntaxis van de opdracht te controleren\"."
            ),
        },
    },
    "AZCM0102": {
        "exit_code": 102,
        "legacy": False,
        "category": "input",
        "retryable": False,
        "action": "report",
        "console_title": "Unable To Generate Resource Name",
        "title": {
            "en": "Unable to generate resource name",
            "nl": "Resourcenaam genereren mislukt",
        },
        "cause": {
            "en": "An error occurred while retrieving the computer hostname",
            "nl": "Er is een fout opgetreden bij het ophalen van de hostnaam van de computer",
        },
        "remediation": {
            "en": (
                "Retry the command and specify a resource name (with parameter --resource-name or -n). Use only alphanumeric "
                "characters, hyphens, and/or underscores; note that resource name can't end with a hyphen or underscore."
            ),
            "nl": (
                "Voer de opdracht opnieuw uit en geef een resourcenaam op (met de parameter --resource-name of -n). Gebruik "
                "alleen letters, cijfers, koppeltekens en/of onderstrepingstekens; de resourcenaam mag niet eindigen op een "
                "koppelteken of onderstrepingsteken."
            ),
        },
        "note": None,
    },
    "AZCM0103": {
        "exit_code": 103,
        "legacy": False,
        "category": "internal",
        "retryable": False,
        "action": "report",
        "console_title": "Failed to Process RSA Keys",
        "title": {
            "en": "Failed to process RSA keys",
            "nl": "RSA-sleutels verwerken mislukt",
        },
        "cause": {
            "en": "An error occurred while generating RSA keys",
            "nl": "Er is een fout opgetreden bij het genereren van RSA-sleutels",
        },
        "remediation": {
            "en": "Contact Microsoft Support for assistance.",
            "nl": "Neem contact op met Microsoft Ondersteuning voor hulp.",
        },
        "note": None,
    },
    "AZCM0104": {
        "exit_code": 104,
        "legacy": True,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Failed To Get OS Information",
        "title": {
            "en": "Failed to get OS information",
            "nl": "Besturingssysteemgegevens ophalen mislukt",
        },
        "cause": {
            "en": "Failed to read system information",
            "nl": "De systeemgegevens konden niet worden gelezen",
        },
        "remediation": {
            "en": (
                "Make the machine's fully qualified domain name resolve: hostname -f must print it and getent hosts "
                "$(hostname -f) must answer (add it to DNS or /etc/hosts), then connect again. The guide also asks to verify "
                "that azcmagent runs as administrator/root."
            ),
            "nl": (
                "Zorg dat de volledige domeinnaam van de machine kan worden omgezet: hostname -f moet hem tonen en getent "
                "hosts $(hostname -f) moet antwoorden (zet hem in DNS of /etc/hosts), en verbind daarna opnieuw. De gids "
                "vraagt ook te controleren of azcmagent als beheerder/root wordt uitgevoerd."
            ),
        },
        "note": {
            "en": (
                "Dropped from the newest guide; agents of 2021 and 2022 print it when OS discovery fails. The newest exit-code "
                "table lists process exit code 104 as \"Failed to retrieve private key\"."
            ),
            "nl": (
                "Niet meer in de nieuwste handleiding; agents uit 2021 en 2022 tonen de code als het uitlezen van het "
                "besturingssysteem mislukt. De nieuwste tabel met afsluitcodes noemt procesafsluitcode 104 \"Failed to retrieve "
                "private key\" (persoonlijke sleutel ophalen mislukt)."
            ),
        },
    },
    "AZCM0105": {
        "exit_code": 105,
        "legacy": False,
        "category": "network",
        "retryable": True,
        "action": "retry",
        "console_title": "Failed to Get Signed Message",
        "title": {
            "en": "Failed to get signed message",
            "nl": "Ondertekend bericht ophalen mislukt",
        },
        "cause": {
            "en": "Failed to get the signed message",
            "nl": "Het ondertekende bericht kon niet worden opgehaald",
        },
        "remediation": {
            "en": "Verify network connectivity to the Azure Arc service and try again.",
            "nl": "Controleer de netwerkverbinding met de Azure Arc-service en probeer het opnieuw.",
        },
        "note": {
            "en": (
                "From 2022 until early 2026 the guide described AZCM0105 as \"An error occurred while downloading the Microsoft "
                "Entra managed identity certificate\" (the 2021 guide had an empty row for it)."
            ),
            "nl": (
                "Van 2022 tot begin 2026 beschreef de handleiding AZCM0105 als \"Er is een fout opgetreden bij het downloaden "
                "van het certificaat van de beheerde identiteit in Microsoft Entra\" (de handleiding van 2021 had er een lege "
                "rij voor)."
            ),
        },
    },
    "AZCM0107": {
        "exit_code": 107,
        "legacy": False,
        "category": "local_config",
        "retryable": False,
        "action": "report",
        "console_title": "Failed to Retrieve Certificate",
        "title": {
            "en": "Failed to retrieve certificate",
            "nl": "Certificaat ophalen mislukt",
        },
        "cause": {
            "en": "Failed to retrieve the certificate",
            "nl": "Het certificaat kon niet worden opgehaald",
        },
        "remediation": {
            "en": "Validate the certificate store and try again.",
            "nl": "Controleer het certificaatarchief en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0108": {
        "exit_code": 108,
        "legacy": False,
        "category": "tpm",
        "retryable": False,
        "action": "report",
        "console_title": "Failed to Process TPM Keys",
        "title": {
            "en": "Failed to process TPM keys",
            "nl": "TPM-sleutels verwerken mislukt",
        },
        "cause": {
            "en": "Failed to process TPM keys",
            "nl": "De TPM-sleutels konden niet worden verwerkt",
        },
        "remediation": {
            "en": "Verify that the Trusted Platform Module (TPM) is enabled and accessible, then try again.",
            "nl": "Controleer of de Trusted Platform Module (TPM) is ingeschakeld en toegankelijk is en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0130": {
        "exit_code": 130,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Systemd Required",
        "title": {
            "en": "systemd required",
            "nl": "systemd vereist",
        },
        "cause": {
            "en": "The agent requires systemd, but the systemctl command wasn't found in PATH (Linux)",
            "nl": "De agent vereist systemd, maar de opdracht systemctl is niet gevonden in PATH (Linux)",
        },
        "remediation": {
            "en": (
                "Use a systemd-based init system on a supported distribution (see Supported operating systems: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
            "nl": (
                "Gebruik een init-systeem op basis van systemd op een ondersteunde distributie (zie Ondersteunde "
                "besturingssystemen: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
        },
        "note": None,
    },
    "AZCM0131": {
        "exit_code": 131,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Unknown Linux Distribution",
        "title": {
            "en": "Unknown Linux distribution",
            "nl": "Onbekende Linux-distributie",
        },
        "cause": {
            "en": "The Linux distribution couldn't be identified during installation",
            "nl": "De Linux-distributie kon tijdens de installatie niet worden vastgesteld",
        },
        "remediation": {
            "en": (
                "Verify the OS is a supported distribution (see Supported operating systems: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
            "nl": (
                "Controleer of het besturingssysteem een ondersteunde distributie is (zie Ondersteunde besturingssystemen: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
        },
        "note": None,
    },
    "AZCM0132": {
        "exit_code": 132,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Unsupported Platform",
        "title": {
            "en": "Unsupported platform",
            "nl": "Platform niet ondersteund",
        },
        "cause": {
            "en": "The processor architecture or platform isn't supported (Linux)",
            "nl": "De processorarchitectuur of het platform wordt niet ondersteund (Linux)",
        },
        "remediation": {
            "en": (
                "Use a supported platform/architecture (see Supported operating systems: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
            "nl": (
                "Gebruik een ondersteund platform of een ondersteunde architectuur (zie Ondersteunde besturingssystemen: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
        },
        "note": None,
    },
    "AZCM0133": {
        "exit_code": 133,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Unsupported Distribution",
        "title": {
            "en": "Unsupported distribution",
            "nl": "Distributie niet ondersteund",
        },
        "cause": {
            "en": "The Linux distribution or its ARM64 variant isn't supported",
            "nl": "De Linux-distributie of de ARM64-variant ervan wordt niet ondersteund",
        },
        "remediation": {
            "en": (
                "Use a supported distribution and architecture (see Supported operating systems: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
            "nl": (
                "Gebruik een ondersteunde distributie en architectuur (zie Ondersteunde besturingssystemen: "
                "https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#supported-operating-systems)."
            ),
        },
        "note": None,
    },
    "AZCM0141": {
        "exit_code": 141,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Azure VM Not Supported",
        "title": {
            "en": "Azure virtual machine not supported",
            "nl": "Virtuele machine in Azure niet ondersteund",
        },
        "cause": {
            "en": "The agent can't be installed on an Azure virtual machine (Linux)",
            "nl": "De agent kan niet worden geïnstalleerd op een virtuele machine in Azure (Linux)",
        },
        "remediation": {
            "en": (
                "Azure VMs are managed natively; don't install the Connected Machine agent on them. For testing only, see "
                "https://aka.ms/azcmagent-testwarning."
            ),
            "nl": (
                "Azure-VM's worden al rechtstreeks door Azure beheerd; installeer de Connected Machine-agent er niet op. "
                "Alleen voor testdoeleinden: zie https://aka.ms/azcmagent-testwarning."
            ),
        },
        "note": None,
    },
    "AZCM0143": {
        "exit_code": 143,
        "legacy": False,
        "category": "install",
        "retryable": True,
        "action": "report",
        "console_title": "Package Installation Failed",
        "title": {
            "en": "Package installation failed",
            "nl": "Pakketinstallatie mislukt",
        },
        "cause": {
            "en": "The package manager (apt/dnf/zypper) failed to install the azcmagent package (Linux)",
            "nl": "De pakketbeheerder (apt/dnf/zypper) kon het pakket azcmagent niet installeren (Linux)",
        },
        "remediation": {
            "en": "Review the package-manager command logs for details and retry.",
            "nl": "Raadpleeg de logboeken van de pakketbeheerder voor details en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0145": {
        "exit_code": 145,
        "legacy": False,
        "category": "install",
        "retryable": True,
        "action": "retry",
        "console_title": "Package Manager Lock Held",
        "title": {
            "en": "Package manager lock held",
            "nl": "Vergrendeling van de pakketbeheerder bezet",
        },
        "cause": {
            "en": "The apt/dpkg lock was still held after 5 minutes (Linux)",
            "nl": "De vergrendeling van apt/dpkg was na 5 minuten nog steeds bezet (Linux)",
        },
        "remediation": {
            "en": "Ensure no other apt/dpkg operation is running, then retry.",
            "nl": "Zorg dat er geen andere apt/dpkg-bewerking actief is en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0146": {
        "exit_code": 146,
        "legacy": False,
        "category": "network",
        "retryable": True,
        "action": "check_network",
        "console_title": "Failed to Download Repository Configuration",
        "title": {
            "en": "Failed to download repository configuration",
            "nl": "Repositoryconfiguratie downloaden mislukt",
        },
        "cause": {
            "en": "Failed to download the Microsoft package repository configuration (packages-microsoft-prod) (Linux)",
            "nl": "De configuratie van de Microsoft-pakketrepository (packages-microsoft-prod) kon niet worden gedownload (Linux)",
        },
        "remediation": {
            "en": "Check whether a firewall is blocking packages.microsoft.com and retry.",
            "nl": "Controleer of een firewall packages.microsoft.com blokkeert en probeer het opnieuw.",
        },
        "note": {
            "en": (
                "From late 2022 until early 2026 the guide grouped AZCM0127 to AZCM0146 as \"An error occurred while installing "
                "Azcmagent on Linux\", and listed the failed download of the Microsoft repository metadata under AZCM0157."
            ),
            "nl": (
                "Van eind 2022 tot begin 2026 groepeerde de handleiding AZCM0127 tot en met AZCM0146 als \"Er is een fout "
                "opgetreden bij het installeren van Azcmagent op Linux\", en stond het mislukte downloaden van de metagegevens "
                "van de Microsoft-repository onder AZCM0157."
            ),
        },
    },
    "AZCM0147": {
        "exit_code": 147,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "Requested Version Not Found",
        "title": {
            "en": "Requested version not found",
            "nl": "Gevraagde versie niet gevonden",
        },
        "cause": {
            "en": (
                "On Linux, the requested --desiredversion wasn't found; on Windows, the agent can't be installed on an Azure "
                "virtual machine"
            ),
            "nl": (
                "Op Linux is de gevraagde --desiredversion niet gevonden; op Windows kan de agent niet op een virtuele machine "
                "in Azure worden geïnstalleerd"
            ),
        },
        "remediation": {
            "en": (
                "Linux: specify an available version. Windows: don't install on Azure VMs (for testing only, see "
                "https://aka.ms/azcmagent-testwarning)."
            ),
            "nl": (
                "Linux: geef een beschikbare versie op. Windows: installeer de agent niet op Azure-VM's (alleen voor "
                "testdoeleinden: zie https://aka.ms/azcmagent-testwarning)."
            ),
        },
        "note": None,
    },
    "AZCM0148": {
        "exit_code": 148,
        "legacy": False,
        "category": "network",
        "retryable": True,
        "action": "check_network",
        "console_title": "Failed to Download Installer",
        "title": {
            "en": "Failed to download installer",
            "nl": "Installatieprogramma downloaden mislukt",
        },
        "cause": {
            "en": "Failed to download the agent installer (.msi) (Windows)",
            "nl": "Het installatieprogramma van de agent (.msi) kon niet worden gedownload (Windows)",
        },
        "remediation": {
            "en": "Verify network, proxy, firewall access to the download endpoint and retry.",
            "nl": "Controleer of netwerk, proxy en firewall toegang tot het downloadeindpunt toestaan en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0149": {
        "exit_code": 149,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "Unexpected Installer Error",
        "title": {
            "en": "Unexpected installer error",
            "nl": "Onverwachte fout van het installatieprogramma",
        },
        "cause": {
            "en": "The Windows installer (msiexec) returned an unexpected error code",
            "nl": "Het Windows-installatieprogramma (msiexec) gaf een onverwachte foutcode terug",
        },
        "remediation": {
            "en": "Review the installation log and the reported msiexec exit code, and then retry.",
            "nl": "Raadpleeg het installatielogboek en de gemelde afsluitcode van msiexec en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0150": {
        "exit_code": 150,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "Installation Failed",
        "title": {
            "en": "Installation failed",
            "nl": "Installatie mislukt",
        },
        "cause": {
            "en": "Generic failure during installation",
            "nl": "Algemene fout tijdens de installatie",
        },
        "remediation": {
            "en": "Submit a support ticket to get assistance.",
            "nl": "Dien een ondersteuningsticket in om hulp te krijgen.",
        },
        "note": None,
    },
    "AZCM0151": {
        "exit_code": 151,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": ".NET Framework Missing",
        "title": {
            "en": ".NET Framework missing",
            "nl": ".NET Framework ontbreekt",
        },
        "cause": {
            "en": "The required .NET Framework version isn't installed (Windows)",
            "nl": "De vereiste versie van .NET Framework is niet geïnstalleerd (Windows)",
        },
        "remediation": {
            "en": "Install the required .NET Framework version or later and try again.",
            "nl": "Installeer de vereiste versie van .NET Framework of nieuwer en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0152": {
        "exit_code": 152,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Azure Stack HCI Detected",
        "title": {
            "en": "Azure Stack HCI detected",
            "nl": "Azure Stack HCI gedetecteerd",
        },
        "cause": {
            "en": "The server is running Azure Stack HCI (Windows)",
            "nl": "Op de server draait Azure Stack HCI (Windows)",
        },
        "remediation": {
            "en": "Connect it to Azure Arc by using the built-in registration experience: https://aka.ms/install-arc-on-hci-host.",
            "nl": "Verbind de server met Azure Arc via de ingebouwde registratie: https://aka.ms/install-arc-on-hci-host.",
        },
        "note": None,
    },
    "AZCM0153": {
        "exit_code": 153,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "Unsupported Architecture",
        "title": {
            "en": "Unsupported architecture",
            "nl": "Architectuur niet ondersteund",
        },
        "cause": {
            "en": "The operating system architecture isn't supported; the agent requires a 64-bit (x64) OS (Windows)",
            "nl": (
                "De architectuur van het besturingssysteem wordt niet ondersteund; de agent vereist een 64-bits (x64) "
                "besturingssysteem (Windows)"
            ),
        },
        "remediation": {
            "en": "Install on a supported x64 operating system.",
            "nl": "Installeer de agent op een ondersteund x64-besturingssysteem.",
        },
        "note": None,
    },
    "AZCM0154": {
        "exit_code": 154,
        "legacy": False,
        "category": "platform",
        "retryable": False,
        "action": "report",
        "console_title": "PowerShell Too Old",
        "title": {
            "en": "PowerShell too old",
            "nl": "PowerShell-versie te oud",
        },
        "cause": {
            "en": "The installed PowerShell version is too old (Windows)",
            "nl": "De geïnstalleerde versie van PowerShell is te oud (Windows)",
        },
        "remediation": {
            "en": "Upgrade to PowerShell 3.0 or later and try again.",
            "nl": "Werk PowerShell bij naar versie 3.0 of nieuwer en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0155": {
        "exit_code": 155,
        "legacy": False,
        "category": "permissions",
        "retryable": False,
        "action": "escalate",
        "console_title": "Administrator Permissions Required",
        "title": {
            "en": "Administrator permissions required",
            "nl": "Beheerdersrechten vereist",
        },
        "cause": {
            "en": "The installation wasn't run with administrator permissions (Windows)",
            "nl": "De installatie is niet uitgevoerd met beheerdersrechten (Windows)",
        },
        "remediation": {
            "en": "Run the installation script again as an administrator.",
            "nl": "Voer het installatiescript opnieuw uit als beheerder.",
        },
        "note": None,
    },
    "AZCM0156": {
        "exit_code": 156,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "MSI Installation Failed",
        "title": {
            "en": "MSI installation failed",
            "nl": "MSI-installatie mislukt",
        },
        "cause": {
            "en": "A fatal error occurred during MSI installation (Windows; msiexec 1603)",
            "nl": "Er is een fatale fout opgetreden tijdens de MSI-installatie (Windows; msiexec 1603)",
        },
        "remediation": {
            "en": (
                "Review the installation log at %SystemRoot%\\AzureConnectedMachineAgent\\temp\\installationlog.txt for details "
                "and retry."
            ),
            "nl": (
                "Raadpleeg het installatielogboek %SystemRoot%\\AzureConnectedMachineAgent\\temp\\installationlog.txt voor "
                "details en probeer het opnieuw."
            ),
        },
        "note": None,
    },
    "AZCM0157": {
        "exit_code": 157,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "Curl Permission Error",
        "title": {
            "en": "curl permission error",
            "nl": "Geen toestemming om curl uit te voeren",
        },
        "cause": {
            "en": "The installer couldn't run curl because of a permission error (Linux)",
            "nl": "Het installatieprogramma kon curl niet uitvoeren door een machtigingsfout (Linux)",
        },
        "remediation": {
            "en": "Ensure curl is installed and executable by the install user, and then retry.",
            "nl": (
                "Zorg dat curl is geïnstalleerd en uitvoerbaar is voor de gebruiker die de installatie uitvoert, en probeer "
                "het daarna opnieuw."
            ),
        },
        "note": {
            "en": (
                "From late 2022 until early 2026 the guide described AZCM0157 as \"Unable to download repo metadata for the "
                "Microsoft Linux software repository\"; the newest guide reports that failure as AZCM0146."
            ),
            "nl": (
                "Van eind 2022 tot begin 2026 beschreef de handleiding AZCM0157 als \"De metagegevens van de "
                "Microsoft-softwarerepository voor Linux kunnen niet worden gedownload\"; de nieuwste handleiding meldt die "
                "fout als AZCM0146."
            ),
        },
    },
    "AZCM0158": {
        "exit_code": 158,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "Insufficient Disk Space",
        "title": {
            "en": "Insufficient disk space",
            "nl": "Onvoldoende schijfruimte",
        },
        "cause": {
            "en": "Installation failed due to insufficient disk space (Windows; msiexec 112)",
            "nl": "De installatie is mislukt door onvoldoende schijfruimte (Windows; msiexec 112)",
        },
        "remediation": {
            "en": "Free up disk space and retry.",
            "nl": "Maak schijfruimte vrij en probeer het opnieuw.",
        },
        "note": None,
    },
    "AZCM0159": {
        "exit_code": 159,
        "legacy": False,
        "category": "install",
        "retryable": True,
        "action": "retry",
        "console_title": "Another Installation In Progress",
        "title": {
            "en": "Another installation in progress",
            "nl": "Er loopt al een andere installatie",
        },
        "cause": {
            "en": "Another installation is already in progress (Windows; msiexec 1618)",
            "nl": "Er wordt al een andere installatie uitgevoerd (Windows; msiexec 1618)",
        },
        "remediation": {
            "en": "Wait for the other installation to finish, and then retry.",
            "nl": "Wacht tot de andere installatie klaar is en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0160": {
        "exit_code": 160,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "Unable To Open Installer Log",
        "title": {
            "en": "Unable to open installer log",
            "nl": "Installatielogboek openen mislukt",
        },
        "cause": {
            "en": "The installer couldn't open its log file (Windows; msiexec 1622)",
            "nl": "Het installatieprogramma kon zijn logboekbestand niet openen (Windows; msiexec 1622)",
        },
        "remediation": {
            "en": "Verify the log directory exists and is writable, and then retry.",
            "nl": "Controleer of de logmap bestaat en beschrijfbaar is, en probeer het daarna opnieuw.",
        },
        "note": None,
    },
    "AZCM0171": {
        "exit_code": 171,
        "legacy": False,
        "category": "install",
        "retryable": False,
        "action": "report",
        "console_title": "Signature Validation Failed",
        "title": {
            "en": "Signature validation failed",
            "nl": "Handtekeningcontrole mislukt",
        },
        "cause": {
            "en": "The agent MSI failed signature validation (Windows)",
            "nl": "Het MSI-pakket van de agent heeft de handtekeningcontrole niet doorstaan (Windows)",
        },
        "remediation": {
            "en": "Ensure the installer is the genuine, Microsoft-signed package and isn't tampered with, and then retry.",
            "nl": (
                "Zorg dat het installatieprogramma het echte, door Microsoft ondertekende pakket is en niet is gemanipuleerd, "
                "en probeer het daarna opnieuw."
            ),
        },
        "note": None,
    },
}
