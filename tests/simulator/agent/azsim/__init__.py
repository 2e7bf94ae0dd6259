# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The azcmagent simulator (test double of the Azure Connected Machine agent).

Modules: ``errors`` (AZCM codes and titles), ``console`` (console and logfmt output),
``state`` (a host's files), ``netdial`` (the loopback-only HTTPS dialer with Go-style
errors), ``azure`` (Entra ID + Resource Manager calls), ``commands`` (what each
subcommand does) and ``cli`` (argument parsing and dispatch).  See ../NOTES.md.
"""
