# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# PRIVATE: this doc fragment is internal to the arcops.azcmagent collection and may change at any time.

from __future__ import annotations


class ModuleDocFragment(object):
    """Authentication and endpoint options of the modules that call Azure Resource Manager."""

    DOCUMENTATION = r"""
options:
  service_principal_id:
    description:
      - Application (client) ID of the service principal to authenticate as.
      - When not set, the value of the E(AZURE_CLIENT_ID) environment variable is used (the AWX / Automation Platform
        C(Microsoft Azure Resource Manager) credential sets it).
      - Needs O(tenant_id) and one of O(service_principal_secret) or O(service_principal_cert).
    type: str
  service_principal_secret:
    description:
      - Client secret of the service principal.
      - When not set, the value of E(AZURE_SECRET) is used.
      - Never shown in results, errors or logs.
    type: str
  service_principal_cert:
    description:
      - Path on the node running the module of a PEM file holding the service principal's certificate and its
        unencrypted private key, or of a PFX file without a password (the forms the agent accepts).
      - The module signs an RS256 client assertion with it; this needs the Python C(cryptography) library
        (Debian package C(python3-cryptography)) on that node.
    type: path
  access_token:
    description:
      - An Azure Resource Manager access token to use as is, instead of a service principal.
      - Takes precedence over the service principal options and environment variables.
    type: str
  tenant_id:
    description:
      - Microsoft Entra tenant (directory) ID or verified domain of the service principal.
      - When not set, the value of E(AZURE_TENANT) is used.
    type: str
  cloud:
    description:
      - Azure cloud whose Entra ID and Resource Manager endpoints are used.
      - When not set, the value of E(AZURE_CLOUD_ENVIRONMENT) is used, else V(AzureCloud).
    type: str
    choices: [AzureCloud, AzureUSGovernment, AzureChinaCloud]
  authority_host:
    description:
      - Override of the cloud's Entra ID authority host, for example V(https://login.microsoftonline.com).
      - The token scope still follows O(cloud).
    type: str
  resource_manager_endpoint:
    description:
      - Override of the cloud's Resource Manager endpoint, for example V(https://management.azure.com).
      - Next-page and operation URLs returned by Resource Manager are only followed on this host.
    type: str
  ca_file:
    description:
      - PEM file of the certificate authorities that verify the TLS certificates of Entra ID and Resource Manager.
      - When not set, the system's trust store is used.
    type: path
  api_version:
    description:
      - API version of the Resource Manager calls.
      - When not set, V(2025-01-13) is used for C(Microsoft.HybridCompute/machines) and V(2021-04-01) for resource
        providers. Sovereign clouds may need an older machines API version.
    type: str
  timeout:
    description:
      - Seconds to wait for one HTTP answer.
      - Answers V(429) and V(5xx) are retried up to four times, honouring C(Retry-After), for at most 60 seconds
        of waiting in all; RV(retries) reports how many retries were made.
    type: int
    default: 60
  lang:
    description:
      - Language of C(msg), the causes and the remediations in the findings.
    type: str
    choices: [en, nl]
    default: en
notes:
  - Credentials can come from the environment variables E(AZURE_CLIENT_ID), E(AZURE_SECRET), E(AZURE_TENANT) and
    E(AZURE_SUBSCRIPTION_ID), as the AWX / Automation Platform Azure Resource Manager credential injects them.
    Options given explicitly win.
  - Standard library only; HTTPS proxies are taken from E(https_proxy) / E(no_proxy) as Python's C(urllib) does.
"""
