# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fault points: places in a command where a test can make the simulated agent wait, rotate its log or die.

sim.json ``fault_points`` maps a point's name to what happens there, in this order::

    {"connect_after_create": {"delay": 5, "rotate_log": true, "kill": true, "times": 1}}

* ``delay``: seconds to sleep (a window in which a test kills the controller, or holds the agent mid-command);
* ``rotate_log``: rename ``azcmagent.log`` to ``azcmagent.log.1`` and start a new one (what logrotate does);
* ``kill``: the agent dies with SIGKILL (no cleanup), as when it is killed or the machine loses power; at
  ``connect_after_create`` it first records what the agent's own state holds at that moment (the resource ID with
  ``connectPending``, the ``partial_connect`` state of scenarios.yml);
* ``times``: how many runs the point fires in (counted in sim-state.json; default: every run).

Points: ``connect_after_create`` (the Azure resource was just created, nothing saved locally yet) and
``disconnect_before_delete`` (authenticated, the resource not deleted yet). None is in a real agent's output: no
classifier rule or repair depends on anything a fault point does; they only make real interruptions reproducible.
"""

from __future__ import annotations

import os
import signal
import time


def point(ctx, name, pending=None):
    """Carry out fault point ``name`` of the host's sim.json (nothing when it names none)."""
    host = ctx.host
    spec = (host.sim.get("fault_points") or {}).get(name)
    if not spec:
        return
    state = host.sim_state()
    fired = state.setdefault("fault_points", {})
    times = spec.get("times")
    if times is not None and int(fired.get(name, 0)) >= int(times):
        return
    fired[name] = int(fired.get(name, 0)) + 1
    host.save_sim_state(state)
    if spec.get("delay"):
        time.sleep(float(spec["delay"]))
    if spec.get("rotate_log") and os.path.exists(host.log_path):
        os.replace(host.log_path, host.log_path + ".1")
        with open(host.log_path, "w", encoding="utf-8"):
            pass
    if spec.get("kill"):
        if pending:
            config = host.agent_config(strict=False)
            config.update(pending)
            config["connectPending"] = True
            config["status"] = ""
            host.save_agent_config(config)
        os.kill(os.getpid(), signal.SIGKILL)
