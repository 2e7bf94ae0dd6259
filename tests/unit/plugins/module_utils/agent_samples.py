# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Agent output samples shared by the diagnosis and plan tests: a console run with its exit line, and error texts."""

from __future__ import annotations

import uuid

SUB = str(uuid.uuid4())


def console(code, title, *fatal):
    lines = ["INFO    Connecting machine to Azure... This might take a few minutes.",
             "INFO    Exit Code:  %s: %s" % (code, title),
             "INFO    For troubleshooting, see https://aka.ms/arc/azcmerror"]
    lines += ["FATAL   %s" % line for line in fatal]
    return "\n".join(lines) + "\n"


STALE_ID = "/subscriptions/%s/resourceGroups/arc-rg/providers/Microsoft.HybridCompute/machines/web01" % uuid.uuid4()
STALE = ("A resource with the name 'web01' already exists in resource group 'arc-rg' for another machine (Resource ID=%s, "
         "VM Id=%s). Specify a different name with --resource-name or delete the existing resource in Azure." % (STALE_ID, uuid.uuid4()))
NOT_REGISTERED = "The subscription is not registered to use namespace 'Microsoft.HybridCompute'. Code: MissingSubscriptionRegistration"
BAD_SECRET = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value."
PROXY_FORBIDDEN = "Post \"https://login.microsoftonline.com/%s/oauth2/v2.0/token\": Forbidden" % uuid.uuid4()
LOCKED = ("The scope '/subscriptions/%s/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/m1' cannot perform delete operation "
          "because following scope(s) are locked: '/subscriptions/%s/resourceGroups/rg'. Please remove the lock and try again." % (SUB, SUB))
THROTTLED = ("Number of 'write' requests for subscription '%s' actor '%s' exceeded. Please try again after '45' seconds after additional "
             "tokens are available. Code: SubscriptionRequestsThrottled httpStatusCode:429 " % (SUB, uuid.uuid4()))
UNREACHABLE = "dial tcp 20.190.1.1:443: connect: network is unreachable"
