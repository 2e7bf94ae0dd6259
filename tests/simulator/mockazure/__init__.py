# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Mock Microsoft Entra ID + Azure Resource Manager for the simulated fleet (test double).

Modules: ``certs`` (CA and server certificates), ``model`` (state and every Azure rule),
``server`` (the HTTPS server, its admin API and the daemon launcher), ``client`` (a small
urllib client for the admin API, used by the fleet and the tests).
Wire formats follow /work/shared/reference/azure-api-reference.md; see ../README.md.
"""
