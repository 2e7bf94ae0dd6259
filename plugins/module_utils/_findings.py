# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one registry of finding kinds: what a finding id means, whoever found it.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

A *finding* is a known error recognised in agent output by a classifier rule (``_classifier``)
or seen by a network probe of the check module (``_probes``). Both build their findings from
the :class:`FindingKind` of the id, so ``io_timeout`` has the same category, action and
retryability whichever of them produced it. The texts are in ``_texts``: a rule's under
``diagnosis.<id>.cause`` / ``.remediation`` (placeholders filled from the evidence), a probe's
under ``probes.<probe_texts>.cause`` / ``.remediation`` (placeholders filled from the probe).
"""

from __future__ import annotations

import dataclasses
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

__all__ = ["Finding", "FindingKind", "FINDING_KINDS", "KINDS", "kind", "weight"]


class Finding(t.TypedDict):
    """A finding, as the classifier and the probes give it: the kind's id, category, action and retryable, the texts in one
    language, the evidence (secrets scrubbed) and the details the texts were filled with."""

    id: str
    category: str
    cause: str
    remediation: str
    evidence: str
    action: str
    retryable: bool
    details: dict[str, t.Any]


@dataclasses.dataclass(frozen=True)
class FindingKind:
    """One finding id: its category and automatic action (``_catalog`` vocabularies), whether a retry can help,
    how strongly it explains a failure (``weight``, higher is more specific; the strongest finding refines a
    generic AZCM code), whether a classifier rule finds it (``rule``) and the probe text entry (``probe_texts``)
    when a network probe does."""

    id: str
    category: str
    action: str
    retryable: bool
    weight: int = 0
    rule: bool = False
    probe_texts: str | None = None
    #: the module_util that produces this kind when neither a classifier rule nor a probe does (its texts are under
    #: ``diagnosis.<id>``, like a rule's)
    producer: str | None = None

    def rule_text(self, part: str, lang: str, **fields: object) -> str:
        """The classifier's ``cause`` or ``remediation`` of this kind in ``lang``, filled with ``fields``."""
        return text(f"diagnosis.{self.id}.{part}", lang, **fields)

    def probe_text(self, part: str, lang: str, **fields: object) -> str:
        """The probes' ``cause`` or ``remediation`` of this kind in ``lang``, filled with ``fields``."""
        return text(f"probes.{self.probe_texts or self.id}.{part}", lang, **fields)


#: Every finding kind; the classifier's rules come first, in the order of its RULES.
FINDING_KINDS: tuple[FindingKind, ...] = (
    # found by the classifier (and, where probe_texts is set, by the network probes as well)
    FindingKind(id="network_unreachable", category="network", action="check_network", retryable=True, weight=60, rule=True, probe_texts="tcp_connect_failed"),
    FindingKind(id="proxy_forbidden", category="proxy", action="check_network", retryable=False, weight=80, rule=True, probe_texts="proxy_forbidden"),
    FindingKind(id="proxy_auth_required", category="proxy", action="check_network", retryable=False, weight=80, rule=True, probe_texts="proxy_forbidden"),
    FindingKind(id="proxyconnect_failed", category="proxy", action="check_network", retryable=True, weight=82, rule=True, probe_texts="proxyconnect_failed"),
    FindingKind(id="connection_refused", category="network", action="check_network", retryable=True, weight=60, rule=True, probe_texts="tcp_connect_failed"),
    FindingKind(id="connection_reset", category="transient", action="retry", retryable=True, weight=45, rule=True),
    FindingKind(id="io_timeout", category="network", action="check_network", retryable=True, weight=50, rule=True, probe_texts="io_timeout"),
    FindingKind(id="dns_no_such_host", category="dns", action="check_network", retryable=False, weight=70, rule=True, probe_texts="dns_no_such_host"),
    FindingKind(id="gpo_profile_cleanup", category="local_config", action="report", retryable=False, weight=40, rule=True),
    FindingKind(id="tls_interception", category="tls", action="check_network", retryable=False, weight=78, rule=True, probe_texts="tls_interception"),
    FindingKind(id="private_link_scope_required", category="input", action="report", retryable=False, weight=86, rule=True),
    FindingKind(id="scope_locked", category="permissions", action="report", retryable=False, weight=90, rule=True),
    FindingKind(id="missing_subscription_registration", category="providers", action="register_providers", retryable=False, weight=92, rule=True),
    FindingKind(id="authorization_failed", category="permissions", action="report", retryable=False, weight=90, rule=True),
    FindingKind(id="invalid_client_secret", category="credentials", action="report", retryable=False, weight=95, rule=True),
    FindingKind(id="expired_client_secret", category="credentials", action="report", retryable=False, weight=95, rule=True),
    FindingKind(id="application_not_found", category="credentials", action="report", retryable=False, weight=94, rule=True),
    FindingKind(id="tenant_not_found", category="credentials", action="report", retryable=False, weight=93, rule=True),
    FindingKind(id="certificate_not_registered", category="credentials", action="report", retryable=False, weight=93, rule=True),
    FindingKind(id="access_token_invalid", category="credentials", action="report", retryable=False, weight=88, rule=True),
    FindingKind(id="throttled", category="throttling", action="retry", retryable=True, weight=75, rule=True),
    FindingKind(id="arm_server_error", category="transient", action="retry", retryable=True, weight=45, rule=True),
    FindingKind(id="fqdn_unknown", category="platform", action="report", retryable=False, weight=84, rule=True),
    FindingKind(id="clock_skew", category="platform", action="report", retryable=False, weight=85, rule=True),
    FindingKind(id="not_root", category="permissions", action="escalate", retryable=True, weight=96, rule=True),
    FindingKind(id="device_code_login", category="credentials", action="report", retryable=False, weight=65, rule=True),
    FindingKind(id="resource_group_not_found", category="input", action="report", retryable=False, weight=70, rule=True),
    FindingKind(id="subscription_not_found", category="input", action="report", retryable=False, weight=70, rule=True),
    # the agent's own network check before connecting
    FindingKind(id="private_endpoint_no_scope", category="input", action="report", retryable=False, weight=87, rule=True),
    FindingKind(id="tls_remote_error", category="tls", action="check_network", retryable=False, weight=76, rule=True),
    FindingKind(id="endpoints_unavailable", category="network", action="check_network", retryable=True, weight=55, rule=True),
    # install stage: the package manager, the install script and the Windows installer
    FindingKind(id="install_no_systemd", category="platform", action="report", retryable=False, weight=83, rule=True),
    FindingKind(id="install_package_not_found", category="install", action="report", retryable=False, weight=81, rule=True),
    FindingKind(id="install_repository_unavailable", category="install", action="report", retryable=False, weight=79, rule=True),
    FindingKind(id="install_signature_invalid", category="install", action="report", retryable=False, weight=80, rule=True),
    FindingKind(id="install_download_failed", category="network", action="check_network", retryable=True, weight=57, rule=True),
    FindingKind(id="install_script_failed", category="install", action="report", retryable=False, weight=50, rule=True),
    FindingKind(id="install_service_failed", category="install", action="report", retryable=False, weight=72, rule=True),
    # found only by the network probes of the check module
    FindingKind(id="dns_not_private", category="dns", action="report", retryable=False, probe_texts="dns_not_private"),
    FindingKind(id="dns_not_public", category="dns", action="report", retryable=False, probe_texts="dns_not_public"),
    FindingKind(id="tcp_connect_failed", category="network", action="check_network", retryable=True, probe_texts="tcp_connect_failed"),
    FindingKind(id="tls_handshake_failed", category="tls", action="check_network", retryable=True, probe_texts="tls_handshake_failed"),
    FindingKind(id="proxy_connect_failed", category="proxy", action="check_network", retryable=True, probe_texts="proxy_connect_failed"),
    # found from the agent's version (_versions): released more than a year ago, outside Microsoft's support window
    FindingKind(id="agent_out_of_support", category="install", action="report", retryable=False, producer="_versions"),
)

#: The kinds by id.
KINDS: t.Mapping[str, FindingKind] = {item.id: item for item in FINDING_KINDS}


def kind(finding_id: str) -> FindingKind:
    """The kind of a finding id; KeyError for an id no rule or probe produces (a bug of the collection)."""
    return KINDS[finding_id]


def weight(finding_id: object) -> int:
    """How strongly a finding of this id explains a failure (higher is more specific); 0 for an unknown id."""
    found = KINDS.get(finding_id) if isinstance(finding_id, str) else None
    return found.weight if found is not None else 0
