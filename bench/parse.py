#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: diagnose a realistic 100 MB azcmagent.log with the azcm_diagnose filter.

Generates (once, cached in the temp directory) a verbose ``azcmagent.log`` made of
logfmt lines as the agent writes them: ``Agent Version`` / ``Agent Command`` headers,
verbose request lines, TLS endpoint lines, progress, successful connects and a share of
failed runs with flattened ARM errors, Entra ID errors, network errors and ``Exit Code:``
lines. Then reads the file and calls the filter function on the text, best of three,
and prints MB, seconds, MB/s and the peak memory of the process.

Usage: python bench/parse.py [--size-mb 100] [--runs 3] [--regenerate]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOAL_MB_S = 50.0
GENERATOR_VERSION = 2

AGENT_VERSIONS = ("1.21.02043.347", "1.41.02664.1629", "1.58.03228.700", "1.64.03414.1320")
LOCATIONS = ("westeurope", "northeurope", "eastus", "swedencentral")


def _guid(rnd):
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _ts(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + "Z"


def _line(epoch, level, msg, **fields):
    msg = msg.replace("\\", "\\\\").replace('"', '\\"')
    extra = "".join(' {0}="{1}"'.format(k.replace("_", " "), v) for k, v in fields.items())
    return 'time="{0}" level={1} msg="{2}"{3}\n'.format(_ts(epoch), level, msg, extra)


def _failure(rnd, sub, rg, name, tenant):
    """Return (error lines, exit code line) for one failure scenario."""
    corr = _guid(rnd)
    app = _guid(rnd)
    scenarios = [
        ("Failed to AzcmagentConnect ARM resource",
         "RequestCorrelationId:{0} Message: The subscription is not registered to use namespace 'Microsoft.HybridCompute'. "
         "See https://aka.ms/rps-not-found for how to register subscriptions. Code: MissingSubscriptionRegistration httpStatusCode:409 ".format(corr),
         "AZCM0042: Failed to Create Resource"),
        ("Failed to acquire authorization token from SPN",
         "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
         "not the client secret ID, for a secret added to app '{0}'. Trace ID: {1} Correlation ID: {2} Timestamp: 2025-09-08 05:33:54Z".format(
             app, _guid(rnd), corr),
         "AZCM0041: Failed to Obtain Access Token"),
        ("Get ARM Resource Response",
         "The client '{0}' with object id '{0}' does not have authorization to perform action 'Microsoft.HybridCompute/machines/read' "
         "over scope '/subscriptions/{1}/resourcegroups/{2}/providers/Microsoft.HybridCompute/machines/{3}' or the scope is invalid. "
         "If access was recently granted, please refresh your credentials. Status Code=403".format(app, sub, rg, name),
         "AZCM0042: Failed to Create Resource"),
        ("Failed to acquire authorization token device flow",
         "Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/{0}/oauth2/devicecode?api-version=1.0:  "
         "dial tcp 40.126.{1}.{2}:443: connect: network is unreachable.".format(tenant, rnd.randint(0, 255), rnd.randint(1, 254)),
         "AZCM0026: Network Error"),
        ("Failed to acquire authorization token from SPN",
         "Failed to execute the refresh request. Error = 'Post \\\"https://login.microsoftonline.com/{0}/oauth2/v2.0/token\\\": Forbidden'".format(tenant),
         "AZCM0026: Network Error"),
        ("Failed to AzcmagentConnect ARM resource",
         "RequestCorrelationId:{0} Message: A resource with the name '{1}' already exists in resource group '{2}'. Code: Conflict httpStatusCode:409 ".format(
             corr, name, rg),
         "AZCM0044: Resource Already Exists"),
        ("Failed to Tls dialing",
         "x509: certificate signed by unknown authority. Failed to Tls dialing gbl.his.arc.azure.com:443",
         "AZCM0026: Network Error"),
        ("Failed to AzcmagentConnect ARM resource",
         "RequestCorrelationId:{0} Message: Number of 'write' requests for subscription '{1}' actor '{2}' exceeded. Please try again after '{3}' "
         "seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information. "
         "Code: SubscriptionRequestsThrottled httpStatusCode:429 ".format(corr, sub, app, rnd.randint(5, 40)),
         "AZCM0042: Failed to Create Resource"),
    ]
    return scenarios[rnd.randrange(len(scenarios))]


def _run(rnd, epoch, failure_rate):
    """One agent invocation: a list of log lines."""
    sub, rg, tenant = _guid(rnd), "rg-arc-{0:03d}".format(rnd.randrange(200)), _guid(rnd)
    name = "srv{0:05d}".format(rnd.randrange(100000))
    loc = rnd.choice(LOCATIONS)
    out = [_line(epoch, "info", "Agent Version: " + rnd.choice(AGENT_VERSIONS)), _line(epoch, "info", "Agent Command: connect")]
    out.append(_line(epoch, "info", "Connecting machine to Azure... This might take a few minutes."))
    out.append(_line(epoch, "info", "Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes."))
    for host in ("management.azure.com", "login.microsoftonline.com", "gbl.his.arc.azure.com", loc + ".his.arc.azure.com",
                 "pas.windows.net", "guestnotificationservice.azure.com", loc + "-gas.guestconfiguration.azure.com"):
        out.append(_line(epoch, "info", "https://{0} is available, using cryptographic protocol: TLS 1.2".format(host)))
    for i in range(rnd.randint(6, 14)):
        epoch += rnd.random()
        url = "https://management.azure.com/subscriptions/{0}/resourceGroups/{1}/providers/Microsoft.HybridCompute/machines/{2}?api-version=2024-07-10".format(
            sub, rg, name)
        out.append(_line(epoch, "debug", "Sending request", Request_URL=url, Method=rnd.choice(("GET", "PUT", "GET", "POST")),
                         Correlation_ID=_guid(rnd)))
        out.append(_line(epoch, "debug", "Received response", Status_Code=rnd.choice((200, 200, 200, 201, 202, 404)), Request_URL=url,
                         x_ms_request_id=_guid(rnd)))
    if rnd.random() < failure_rate:
        message, error, exit_line = _failure(rnd, sub, rg, name, tenant)
        out.append(_line(epoch, "error", message, Error=error))
        out.append(_line(epoch, "info", "Exit Code:  " + exit_line))
        out.append(_line(epoch, "info", "For troubleshooting, see https://aka.ms/arc/azcmerror"))
        out.append(_line(epoch, "fatal", error))
    else:
        out.append(_line(epoch, "info", "Creating resource in Azure...", Correlation_ID=_guid(rnd),
                         Resource_ID="/subscriptions/{0}/resourceGroups/{1}/providers/Microsoft.HybridCompute/machines/{2}".format(sub, rg, name)))
        for pct in (20, 30, 60, 80, 100):
            out.append(_line(epoch, "debug", "Progress {0}%".format(pct)))
        out.append(_line(epoch, "info", "Connected machine to Azure"))
        out.append(_line(epoch, "info", "Machine overview page: https://portal.azure.com/#@{0}/resource/subscriptions/{1}/resourceGroups/{2}"
                         "/providers/Microsoft.HybridCompute/machines/{3}/overview".format(tenant, sub, rg, name)))
    return epoch, out


def generate(path, size_mb, seed=20250101, failure_rate=0.1):
    """Write a log of about size_mb megabytes to path (atomically)."""
    rnd = random.Random(seed)
    target = size_mb * 1000 * 1000
    epoch = 1700000000.0
    written = 0
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        while written < target:
            epoch, lines = _run(rnd, epoch + rnd.randint(30, 3600), failure_rate)
            chunk = "".join(lines)
            handle.write(chunk)
            written += len(chunk)
    os.replace(tmp, path)


def _filter_function():
    sys.path.insert(0, os.path.join(ROOT, "build", "dev"))
    link = os.path.join(ROOT, "build", "dev", "ansible_collections", "arcops", "azcmagent")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    from ansible_collections.arcops.azcmagent.plugins.filter.azcm_diagnose import azcm_diagnose  # pylint: disable=import-error
    return azcm_diagnose


# One-megabyte lines made of a single repeated unit: the shapes that once made a parser
# regular expression quadratic. Their time should stay in the same range as a normal MB.
LONG_LINES = (
    ("level words", "INFO    "), ("empty pairs", "FATAL   x  " + "a=  "), ("backslashes", 'msg="' + "\\"),
    ("codes", "AZCM0042"), ("nested json", '{"code":'), ("flattened tails", "Code: X httpStatusCode:200 "),
    ("escaped json", 'msg="' + '{\\n\\"error\\":'), ("elapsed marks", "[0032]"),
)


def long_lines(azcm_diagnose):
    """Seconds azcm_diagnose takes on each 1 MB pathological line."""
    figures = []
    for label, unit in LONG_LINES:
        line = (unit * (1000000 // len(unit) + 1))[:1000000]
        start = time.perf_counter()
        azcm_diagnose(line)
        figures.append((label, time.perf_counter() - start))
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)

    cache = os.path.join(tempfile.gettempdir(), "arcops-azcmagent-bench")
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, "azcmagent-{0}MB-v{1}.log".format(args.size_mb, GENERATOR_VERSION))
    if args.regenerate or not os.path.exists(path):
        start = time.perf_counter()
        generate(path, args.size_mb)
        print("generated {0} in {1:.1f} s".format(path, time.perf_counter() - start))

    azcm_diagnose = _filter_function()
    size = os.path.getsize(path)
    best = None
    result = None
    for _ in range(args.runs):
        start = time.perf_counter()
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        result = azcm_diagnose(text)
        elapsed = time.perf_counter() - start
        del text
        best = elapsed if best is None else min(best, elapsed)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mb = size / 1e6
    rate = mb / best
    print("file      {0}".format(path))
    print("size      {0:.1f} MB".format(mb))
    print("best      {0:.3f} s of {1} runs (read + azcm_diagnose)".format(best, args.runs))
    print("rate      {0:.1f} MB/s (goal >= {1:.0f} MB/s)".format(rate, GOAL_MB_S))
    print("peak RSS  {0:.0f} MB".format(peak_kb / 1024.0))
    print("result    azcm_code={0} codes={1} findings={2} actions={3}".format(
        result["azcm_code"], len(result["azcm_codes"]), len(result["findings"]), result["actions"]))
    for label, seconds in long_lines(azcm_diagnose):
        print("1 MB line {0:<16} {1:.3f} s".format(label, seconds))
    return 0 if rate >= GOAL_MB_S else 1


if __name__ == "__main__":
    sys.exit(main())
