# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the install role must do with the agent package: a pure decision from facts and variables.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

:func:`install_plan` takes the host's package manager, distribution and installed package
records (``ansible_facts.packages``) and the role's variables, and returns the package family
(``apt``, ``dnf``, ``zypper`` or ``unsupported``), the action (``install``, ``none``, ``change``
or ``mismatch``), the installed and wanted versions, the repository URL and suite, the package
spec for the package manager, the path of a package file and the proxy environment.

An agent that the package manager does not know (``package_records`` empty) but that answers
``azcmagent version`` at the path the roles are given (``azcmagent_executable``) is *unmanaged*:
``unmanaged_output`` carries that answer, the plan reports its version and never installs a
package over it (action ``none``, or ``mismatch`` when another version is wanted).
"""

from __future__ import annotations

import typing as t

from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_version

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
) -> Plan:
    """The install plan (see the module docstring)."""
    family = FAMILIES.get(pkg_mgr or "", "unsupported")
    installed = installed_version(package_records)
    unmanaged = "" if installed else (parse_version(unmanaged_output or "") or "")
    wanted = str(version if version is not None else "").strip()
    distro = (distribution or "").lower()
    proxy = (proxy or "").strip()
    return {
        "family": family,
        # an unmanaged agent is never changed through the package manager
        "action": _action(installed or unmanaged, wanted, bool(version_change) and not unmanaged),
        "version_before": installed or unmanaged,
        "managed": not unmanaged,
        "wanted": wanted,
        "repo_url": repo_url or _default_repo_url(family, distro, distribution_version or "", distribution_major_version or ""),
        "suite": repo_suite or distribution_release or "",
        "package_spec": _package_spec(family, package_name, wanted),
        "package_path": f"{package_dest}/{package_name}.{'deb' if family == 'apt' else 'rpm'}",
        "proxy_env": {key: proxy for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")} if proxy else {},
    }
