# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the install role must do with the agent package: a pure decision from facts and variables.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

:func:`install_plan` takes the host's package manager, distribution and installed package
records (``ansible_facts.packages``) and the role's variables, and returns the package family
(``apt``, ``dnf``, ``zypper`` or ``unsupported``), the action (``install``, ``none``, ``change``,
``mismatch``, and with ``upgrade``: ``upgrade`` or ``not_installed``), the installed and wanted versions,
the repository URL and suite, the package spec for the package manager, the package state (``present``,
``latest``), how an upgrade is done (``upgrade_method``: ``agent`` runs ``azcmagent upgrade``, which agents
from 1.62 on have; ``package`` uses the package manager), the path of a package file and the proxy environment.

An upgrade never downgrades: an installed version newer than (or equal to) the wanted one is left alone.

An agent that the package manager does not know (``package_records`` empty) but that answers
``azcmagent version`` at the path the roles are given (``azcmagent_executable``) is *unmanaged*:
``unmanaged_output`` carries that answer, the plan reports its version and never installs, changes
or upgrades a package over it (action ``none``, or ``mismatch`` when another version is wanted).
"""

from __future__ import annotations

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_version as version_in_output
from ansible_collections.arcops.azcmagent.plugins.module_utils._versions import parse_version, short_version, upgrade_method

# Package managers as Ansible names them (ansible_facts.pkg_mgr) -> the family of tasks that installs with it.
FAMILIES = {"apt": "apt", "dnf": "dnf", "dnf5": "dnf", "yum": "dnf", "zypper": "zypper"}

PACKAGES_URL = "https://packages.microsoft.com"

Plan = t.Dict[str, t.Any]


def installed_version(records: t.Sequence[t.Mapping[str, t.Any]] | None) -> str:
    """``version[-release]`` of the last package record (``ansible_facts.packages[name]``), or ``""``."""
    installed = ""
    for record in records or ():
        release = str(record.get("release") or "")
        installed = f"{record.get('version', '')}-{release}" if release else str(record.get("version", ""))
    return installed


def version_matches(installed: str, wanted: str) -> bool:
    """Whether the installed version is the wanted one; a short version (``1.58``) matches its releases."""
    return not wanted or installed == wanted or any(installed.startswith(wanted + sep) for sep in ".-~")


def _action(installed: str, wanted: str, allow_change: bool) -> str:
    if not installed:
        return "install"
    if version_matches(installed, wanted):
        return "none"
    return "change" if allow_change else "mismatch"


def _upgrade_action(installed: str, wanted: str) -> str:
    if not installed:
        return "not_installed"
    if not wanted:
        return "upgrade"  # to the newest version the source offers: the package manager knows whether there is one
    have, want = parse_version(installed), parse_version(wanted)
    if version_matches(installed, wanted) or (have is not None and want is not None and have[:len(want)] >= want):
        return "none"
    return "upgrade"


def _upgrade_method(installed: str, method: str) -> str:
    if method in ("agent", "package"):
        return method
    return upgrade_method(installed) or "package"


def _package_spec(family: str, name: str, wanted: str) -> str:
    if not wanted:
        return name
    if family == "apt":
        return f"{name}={wanted}*"
    if family == "zypper":
        # zypper's name=version needs the whole version (1.58 does not match 1.58.03228.700) and takes no wildcard:
        # a full version (four dotted parts or a release) pins it with =, a shorter one is a capability >=.
        full = len(wanted.split(".")) >= 4 or "-" in wanted
        return f"{name}{'=' if full else '>='}{wanted}"
    return f"{name}-{wanted}*"


def _default_repo_url(family: str, distribution: str, version: str, major_version: str) -> str:
    if family == "apt":
        return f"{PACKAGES_URL}/{distribution}/{version if distribution == 'ubuntu' else major_version}/prod"
    if family == "zypper":
        return f"{PACKAGES_URL}/sles/{major_version}/prod/"
    return f"{PACKAGES_URL}/rhel/{major_version}/prod/"


def install_plan(
    *,
    pkg_mgr: str | None,
    distribution: str | None,
    distribution_version: str | None,
    distribution_major_version: str | None,
    distribution_release: str | None,
    package_records: t.Sequence[t.Mapping[str, t.Any]] | None,
    package_name: str,
    version: object = "",
    version_change: bool = False,
    repo_url: str | None = "",
    repo_suite: str | None = "",
    package_dest: str = "",
    proxy: str | None = "",
    unmanaged_output: str | None = "",
    upgrade: bool = False,
    method: str | None = "auto",
) -> Plan:
    """The install plan (see the module docstring)."""
    family = FAMILIES.get(pkg_mgr or "", "unsupported")
    installed = installed_version(package_records)
    unmanaged = "" if installed else (version_in_output(unmanaged_output or "") or "")
    wanted = str(version if version is not None else "").strip()
    distro = (distribution or "").lower()
    proxy = (proxy or "").strip()
    if unmanaged:  # an unmanaged agent is never changed through the package manager
        action = _action(unmanaged, wanted, False)
    elif upgrade:
        action = _upgrade_action(installed, wanted)
    else:
        action = _action(installed, wanted, bool(version_change))
    return {
        "family": family,
        "action": action,
        "package_state": "latest" if action == "upgrade" and not wanted else "present",
        "upgrade_method": _upgrade_method(installed, method or "auto") if action == "upgrade" else "",
        "upgrade_version": short_version(wanted),
        "version_before": installed or unmanaged,
        "managed": not unmanaged,
        "wanted": wanted,
        "repo_url": repo_url or _default_repo_url(family, distro, distribution_version or "", distribution_major_version or ""),
        "suite": repo_suite or distribution_release or "",
        "package_spec": _package_spec(family, package_name, wanted),
        "package_path": f"{package_dest}/{package_name}.{'deb' if family == 'apt' else 'rpm'}",
        "proxy_env": {key: proxy for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")} if proxy else {},
    }
