# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AZCM codes the simulator prints, their console titles, and the error that carries them."""

from __future__ import annotations

# Title-case names printed after "Exit Code:  AZCMnnnn: ".  Captured titles verbatim (Network Error,
# Failed to Delete Resource, Failed To Get OS Information, Unable To Obtain Local Config); the others are
# the "Description" column of Microsoft's 2022 troubleshooting table (D-TSG2022) where it names the code,
# else assumed.  Every title and its source is in texts.py and tests/simulator/README.md.
TITLES = {
    0: "No Error",
    1: "Default Error",
    2: "Internal Error",
    11: "Control C Pressed",
    12: "Invalid Access Token",
    13: "Invalid Tags",
    14: "Invalid Cloud",
    15: "Invalid Correlation ID",
    16: "Missing Mandatory Parameter",
    17: "Invalid Resource Name",
    18: "Admin Privileges Needed",
    19: "Configuration File Not Found",
    20: "Unknown Region",
    23: "Invalid Argument",
    26: "Network Error",
    27: "Configuration Conflict",
    41: "Failed to Get Access Token",
    42: "Failed to Create Resource",
    43: "Failed to Delete Resource",
    44: "Resource Already Exists",
    62: "Failed to Onboard Server to Azure",
    63: "Failed to Disconnect Server from Azure",
    64: "Unable to Establish Communication with HIMDS",
    67: "Machine Already Connected",
    68: "Unable to Fetch Subscription ID",
    69: "Error Updating Local Configuration",
    70: "Unable To Obtain Local Config",
    101: "Command Execution Error",
    104: "Failed To Get OS Information",
}

# Legacy agents (1.7) predate AZCM0019/0020/0023/0026: what they print instead.
LEGACY_FALLBACK = {19: 101, 20: 101, 23: 101, 26: 41}


class AzcmError(Exception):
    """A failure that ends the run with ``Exit Code:  AZCMnnnn`` and exit status nnnn.

    ``details`` are the FATAL lines; ``legacy_code`` is what a 1.7 agent prints instead
    (None: the LEGACY_FALLBACK table, else the same code); ``log`` holds extra
    (level, msg, fields) records written to azcmagent.log before the exit lines.
    """

    def __init__(self, code, details, legacy_code=None, log=None):
        if isinstance(details, str):
            details = [details]
        self.code = int(code)
        self.details = [str(line) for line in details]
        self.legacy_code = legacy_code
        self.log = list(log or [])
        super().__init__("AZCM%04d: %s" % (self.code, "; ".join(self.details)))

    def effective_code(self, legacy):
        """The code printed by a modern (legacy=False) or a 1.7 agent."""
        if not legacy:
            return self.code
        if self.legacy_code is not None:
            return self.legacy_code
        return LEGACY_FALLBACK.get(self.code, self.code)


def title(code):
    """Console title of a code."""
    return TITLES.get(int(code), "Default Error")


def code_text(code):
    """``AZCMnnnn``."""
    return "AZCM%04d" % int(code)
