# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The controller-side identity stage: one credential, one token, the prerequisites proven before any host is touched.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

Decisions only; Resource Manager is reached through an injected client (:class:`~._arm.ArmClient` or a stand-in):

* :func:`resolve_credential`: which credential the controller was given (service principal secret or certificate,
  from the options or the AWX / Automation Platform credential's ``AZURE_*`` environment, a managed identity, or a
  given token), or none; an incomplete one is an error naming what is missing;
* :func:`stage_enabled`: ``auto`` runs the stage exactly when the controller has a credential;
* :func:`distinct_targets`: the (subscription, resource group) pairs of the hosts, each checked once;
* :func:`allows`: whether effective permissions (the Resource Manager permissions API) grant an action;
* :func:`verify_target`: the token works there, the group exists, the principal may create
  ``Microsoft.HybridCompute/machines`` in it, the providers are registered;
* :func:`needs_renewal`: whether the hosts' token expires within the renewal margin.

Every failure is an :class:`IdentityError` with a cause and a remediation in ``en`` or ``nl``; the module turns all of a
run's problems into one message.
"""

from __future__ import annotations

import fnmatch
import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import DEFAULT_NAMESPACES, ArmError
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text

STAGES = ("auto", "required", "disabled")
# What creating (and then reading back) an Arc machine resource needs at the resource group (the Onboarding role's actions).
ONBOARD_ACTIONS = ("Microsoft.HybridCompute/machines/write", "Microsoft.HybridCompute/machines/read")
# Reading a resource group: when the principal may, its existence is confirmed with a GET as well.
READ_GROUP_ACTION = "Microsoft.Resources/subscriptions/resourceGroups/read"
# Registration states in which the agent's create fails with MissingSubscriptionRegistration.
UNREGISTERED_STATES = ("NotRegistered", "Unregistered", "Unregistering")
# At most this many problems are spelled out in the one message; the rest are counted.
MAX_PROBLEMS = 5
# Renew the hosts' token when it expires within this many seconds (a batch of hosts must finish its connects in it).
DEFAULT_RENEW_BEFORE = 1800

Record = t.Dict[str, t.Any]


class IdentityError(Exception):
    """A failed prerequisite: ``check`` (``credential``, ``token``, ``resource_group``, ``permission``, ``provider``,
    ``subscription``, ``target``), the ``cause`` and the ``remediation`` (both in the stage's language), a ``category``."""

    def __init__(self, check: str, cause: str, remediation: str, category: str = "input", target: str = "") -> None:
        super().__init__(cause)
        self.check = check
        self.cause = cause.rstrip(".")
        self.remediation = remediation.rstrip(".")
        self.category = category
        self.target = target

    def sentence(self) -> str:
        return "%s. %s." % (self.cause, self.remediation)


class Credential(t.NamedTuple):
    """What the controller authenticates with. ``kind``: ``service_principal_secret``, ``service_principal_certificate``,
    ``managed_identity``, ``access_token`` or ``none``."""

    kind: str
    client_id: str = ""
    tenant_id: str = ""

    @property
    def principal(self) -> str:
        if self.kind == "managed_identity":
            return "managed identity" + (" " + self.client_id if self.client_id else "")
        if self.kind == "access_token":
            return "the given access token"
        return self.client_id


class Target(t.NamedTuple):
    subscription_id: str
    resource_group: str

    @property
    def label(self) -> str:
        return "%s/%s" % (self.subscription_id, self.resource_group)


class _Arm(t.Protocol):
    """What verify_target needs of the ARM client."""

    def list_permissions(self, subscription_id: str, resource_group: str | None = None) -> t.List[t.Any]:
        """The principal's permissions at the group (or the subscription)."""

    def get_resource_group(self, subscription_id: str, resource_group: str) -> t.Any:
        """The resource group."""

    def get_provider(self, subscription_id: str, namespace: str) -> t.Any:
        """A resource provider's registration."""


def resolve_credential(*, client_id: str | None = None, secret: str | None = None, cert: str | None = None,
                       tenant_id: str | None = None, access_token: str | None = None, managed_identity: bool = False,
                       managed_identity_client_id: str | None = None, lang: str = "en") -> Credential:
    """The controller's credential (options first; the module's environment fallbacks have already filled them in)."""
    if managed_identity:
        return Credential("managed_identity", client_id=managed_identity_client_id or "", tenant_id=tenant_id or "")
    if access_token:
        return Credential("access_token", tenant_id=tenant_id or "")
    if not (client_id or secret or cert):
        return Credential("none")
    missing = [name for name, value in (("service_principal_id (AZURE_CLIENT_ID)", client_id), ("tenant_id (AZURE_TENANT)", tenant_id))
               if not value]
    if not (secret or cert):
        missing.append("service_principal_secret (AZURE_SECRET) or service_principal_cert")
    if missing:
        raise IdentityError("credential", text("identity.incomplete_cause", lang, missing=", ".join(missing)),
                            text("identity.incomplete_remediation", lang), category="input")
    kind = "service_principal_secret" if secret else "service_principal_certificate"
    return Credential(kind, client_id=str(client_id), tenant_id=str(tenant_id))


def stage_enabled(stage: str, credential: Credential, lang: str = "en") -> bool:
    """``auto``: when the controller has a credential; ``required``: always (an error without one); ``disabled``: never."""
    if stage not in STAGES:
        raise IdentityError("credential", text("identity.bad_stage", lang, stage=stage, stages=", ".join(STAGES)),
                            text("identity.no_credential_remediation", lang))
    if stage == "disabled":
        return False
    if credential.kind == "none":
        if stage == "required":
            raise IdentityError("credential", text("identity.no_credential_cause", lang), text("identity.no_credential_remediation", lang))
        return False
    return True


def _target_fields(entry: t.Any) -> t.Optional[t.Tuple[t.Any, t.Any, t.Any]]:
    """(subscription, group, tenant) of a dict or a ``[subscription, group(, tenant)]`` list; None for anything else."""
    if isinstance(entry, t.Mapping):
        return entry.get("subscription_id"), entry.get("resource_group"), entry.get("tenant_id")
    if isinstance(entry, (list, tuple)) and len(entry) in (2, 3):
        return entry[0], entry[1], entry[2] if len(entry) == 3 else None
    return None


def target_tenant(targets: t.Iterable[t.Any]) -> str | None:
    """The one tenant the targets name (their hosts' ``azcmagent_tenant_id``), None when they name none or several."""
    tenants: t.Dict[str, str] = {}
    for fields in map(_target_fields, targets or ()):
        if fields and fields[2] and str(fields[2]).strip():
            tenants.setdefault(str(fields[2]).strip().lower(), str(fields[2]).strip())
    return next(iter(tenants.values())) if len(tenants) == 1 else None


def distinct_targets(targets: t.Iterable[t.Any], default_subscription: str | None = None, lang: str = "en") -> t.List[Target]:
    """The distinct (subscription, resource group) pairs of ``targets`` (dicts with ``subscription_id`` and
    ``resource_group``, or ``[subscription, group(, tenant)]`` lists), case-insensitively, in first-seen order."""
    seen: t.Dict[t.Tuple[str, str], Target] = {}
    for entry in targets or ():
        fields = _target_fields(entry)
        if fields is not None:
            sub, group = fields[0], fields[1]
        else:
            raise IdentityError("target", text("identity.bad_target", lang, target=repr(entry)), text("identity.no_target_remediation", lang))
        sub = str(sub or default_subscription or "").strip()
        group = str(group or "").strip()
        if not sub or not group:
            raise IdentityError("target", text("identity.incomplete_target", lang, subscription_id=sub or "?", resource_group=group or "?"),
                                text("identity.no_target_remediation", lang))
        seen.setdefault((sub.lower(), group.lower()), Target(sub, group))
    if not seen:
        raise IdentityError("target", text("identity.no_target_cause", lang), text("identity.no_target_remediation", lang))
    return list(seen.values())


def _matches(pattern: object, action: str) -> bool:
    # Azure's wildcard: '*' stands for any run of characters, '/' included; names compare case-insensitively.
    return isinstance(pattern, str) and fnmatch.fnmatchcase(action.lower(), pattern.lower())


def allows(permissions: t.Iterable[t.Any], action: str) -> bool:
    """Whether one of the effective permissions grants ``action``: in its ``actions`` and not in its ``notActions``
    (each entry stands for one role; a role's notActions do not take away what another role grants)."""
    for entry in permissions or ():
        if not isinstance(entry, t.Mapping):
            continue
        if any(_matches(p, action) for p in entry.get("actions") or ()) and not any(_matches(p, action) for p in entry.get("notActions") or ()):
            return True
    return False


def needs_renewal(expires_on: float | None, now: float, renew_before: float = DEFAULT_RENEW_BEFORE) -> bool:
    """Whether a token that expires at ``expires_on`` (epoch seconds; None: unknown) must be renewed now."""
    if expires_on is None:
        return True
    return float(expires_on) - float(now) <= float(renew_before)


def _arm_problem(error: ArmError, target: Target, what: str, lang: str) -> IdentityError:
    """An ARM answer that stops the stage, in the stage's words (subscription missing, wrong tenant, anything else)."""
    found = error.findings(lang)
    remediation = str(found[0].get("remediation") or "") if found else ""
    category = str(found[0].get("category") or error.category_guess()) if found else error.category_guess()
    if error.arm_code == "SubscriptionNotFound":
        return IdentityError("subscription", text("identity.subscription_cause", lang, subscription_id=target.subscription_id),
                             text("identity.subscription_remediation", lang), category="input", target=target.label)
    if error.arm_code == "ResourceGroupNotFound":
        return _group_missing(target, lang)
    return IdentityError("target", text("identity.check_failed_cause", lang, what=what, target=target.label, error=str(error)),
                         remediation or text("arm.remediation_internal", lang), category=category, target=target.label)


def _group_missing(target: Target, lang: str) -> IdentityError:
    return IdentityError("resource_group", text("identity.group_missing_cause", lang, resource_group=target.resource_group,
                                                subscription_id=target.subscription_id),
                         text("identity.group_missing_remediation", lang, resource_group=target.resource_group),
                         category="input", target=target.label)


def verify_target(arm: _Arm, target: Target, principal: str, namespaces: t.Sequence[str] = DEFAULT_NAMESPACES,
                  lang: str = "en") -> t.Tuple[t.List[Record], t.List[IdentityError], t.List[str]]:
    """Check one target: ``(checks, problems, warnings)``. A check the principal may not make (403 on reading a provider)
    is a warning, not a problem: only what is proven wrong stops the run."""
    checks: t.List[Record] = []
    problems: t.List[IdentityError] = []
    warnings: t.List[str] = []
    label = target.label
    try:
        permissions = arm.list_permissions(target.subscription_id, target.resource_group)
    except ArmError as error:
        problem = _arm_problem(error, target, "permissions", lang)
        checks.append({"target": label, "check": problem.check, "ok": False, "detail": problem.cause})
        problems.append(problem)
        return checks, problems, warnings
    checks.append({"target": label, "check": "token", "ok": True, "detail": "Resource Manager accepted the token"})
    if allows(permissions, READ_GROUP_ACTION):
        try:
            group = arm.get_resource_group(target.subscription_id, target.resource_group)
        except ArmError as error:
            group, problem = {}, _arm_problem(error, target, "resource group", lang)
            problems.append(problem)
        if group is None:
            problems.append(_group_missing(target, lang))
    checks.append({"target": label, "check": "resource_group", "ok": not any(p.check == "resource_group" for p in problems),
                   "detail": target.resource_group})
    missing = [action for action in ONBOARD_ACTIONS if not allows(permissions, action)]
    if missing:
        problems.append(IdentityError(
            "permission", text("identity.permission_cause", lang, principal=principal, resource_group=target.resource_group,
                               subscription_id=target.subscription_id, actions=", ".join(missing)),
            text("identity.permission_remediation", lang, resource_group=target.resource_group), category="permissions", target=label))
    checks.append({"target": label, "check": "permission", "ok": not missing, "detail": ", ".join(missing) or ", ".join(ONBOARD_ACTIONS)})
    for namespace in namespaces:
        try:
            provider = arm.get_provider(target.subscription_id, namespace)
        except ArmError as error:
            if error.status == 403:
                warnings.append(text("identity.provider_unverified", lang, namespace=namespace, subscription_id=target.subscription_id,
                                     principal=principal))
                checks.append({"target": label, "check": "provider", "ok": None, "detail": namespace})
                continue
            problem = _arm_problem(error, target, "provider " + namespace, lang)
            problems.append(problem)
            checks.append({"target": label, "check": "provider", "ok": False, "detail": namespace})
            continue
        state = str((provider or {}).get("registrationState") or "NotRegistered")
        registered = state not in UNREGISTERED_STATES
        checks.append({"target": label, "check": "provider", "ok": registered, "detail": "%s %s" % (namespace, state)})
        if not registered:
            problems.append(IdentityError(
                "provider", text("identity.provider_cause", lang, namespace=namespace, state=state, subscription_id=target.subscription_id),
                text("identity.provider_remediation", lang, namespace=namespace), category="providers", target=label))
    return checks, problems, warnings


def token_problem(error: ArmError, credential: Credential, lang: str = "en") -> IdentityError:
    """Entra ID (or the identity endpoint) refused to give a token: the cause and the remediation of its answer."""
    found = error.findings(lang)
    first: t.Mapping[str, t.Any] = found[0] if found else {}
    category = str(first.get("category") or "credentials")
    remediation = str(first.get("remediation") or text("arm.remediation_credentials", lang))
    return IdentityError("token", text("identity.token_cause", lang, principal=credential.principal, error=str(error)), remediation,
                         category=category)


def stop_message(problems: t.Sequence[IdentityError], lang: str = "en") -> str:
    """THE one message that stops the run: every distinct problem (at most MAX_PROBLEMS, the rest counted)."""
    distinct: t.List[str] = []
    for problem in problems:
        sentence = ("%s: %s" % (problem.target, problem.sentence())) if problem.target else problem.sentence()
        if sentence not in distinct:
            distinct.append(sentence)
    shown = distinct[:MAX_PROBLEMS]
    if len(distinct) > MAX_PROBLEMS:
        shown.append(text("identity.more_problems", lang, count=len(distinct) - MAX_PROBLEMS))
    return text("identity.stopped", lang, problems=" ".join(shown))
