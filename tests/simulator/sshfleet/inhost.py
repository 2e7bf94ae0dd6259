# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run inside an SSH fleet host (``nsenter``): seed the installed agent's local state at its real paths.

    python3 -I inhost.py connected|disconnected|expired|pending SIM_HOST RESOURCE_ID '{"tenant_id": ...}'

Prints the agentconfig.json it wrote (JSON). The simulator's sim.json in SIM_HOST has ``root: /``, so hostlib
writes /var/opt/azcmagent/agentconfig.json of this host's own file system.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "agent"))

import hostlib  # noqa: E402  pylint: disable=wrong-import-position

KINDS = {"connected": hostlib.set_connected, "disconnected": hostlib.set_disconnected, "expired": hostlib.set_expired,
         "pending": hostlib.set_partial}


def main(argv):
    kind, sim_host, resource_id, kwargs = argv
    config = KINDS[kind](sim_host, resource_id, **json.loads(kwargs))
    print(json.dumps(config))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
