# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Argument parsing (pflag rules: ``--flag value``, ``--flag=value``, ``-f value``, ``-fvalue``,
bundled short booleans ``-vj``), ``--config`` files, and dispatch to the commands."""

from __future__ import annotations

import json
import os
import sys

from . import commands
from .console import Console
from .errors import AzcmError
from .state import Host

# long name -> (short letter or None, takes a value)
GLOBAL_FLAGS = {
    "config": (None, True), "help": ("h", False), "json": ("j", False), "log-stderr": (None, False),
    "no-color": (None, False), "verbose": ("v", False),
}
AUTH_FLAGS = {
    "access-token": (None, True), "service-principal-id": ("i", True), "service-principal-cert": (None, True),
    "service-principal-cert-thumbprint": (None, True), "service-principal-secret": ("p", True),
    "tenant-id": ("t", True), "use-device-code": (None, False), "use-azcli": (None, False),
    "user-tenant-id": (None, True),
}
COMMAND_FLAGS = {
    "connect": dict(AUTH_FLAGS, **{
        "automanage-profile": (None, True), "cloud": (None, True), "correlation-id": (None, True),
        "enable-automatic-upgrade": (None, False), "ignore-network-check": (None, False), "location": ("l", True),
        "private-link-scope": (None, True), "gateway-id": (None, True), "resource-group": ("g", True),
        "resource-name": ("n", True), "subscription-id": ("s", True), "tags": (None, True),
        "identity-key-store": (None, True),
    }),
    "disconnect": dict(AUTH_FLAGS, **{"force-local-only": ("f", False)}),
    "show": {"os": (None, False)},
    "check": {"cloud": (None, True), "extensions": ("e", True), "include-all": (None, False),
              "location": ("l", True), "enable-pls-check": ("p", False)},
    "config": {"add": ("a", False), "remove": ("r", False)},
    "logs": {"full": ("f", False), "output": ("o", True)},
    "version": {}, "help": {}, "license": {}, "genkey": {},
    "upgrade": {"version": (None, True), "cloud": (None, True), "background": (None, False)},
}
# The first minor version whose agent has `azcmagent upgrade` (release notes 1.62, azcmagent-upgrade.md).
UPGRADE_MINOR = 62
SECRET_FLAGS = ("service-principal-secret", "access-token")
_TRUE = ("true", "1", "t", "yes")
_FALSE = ("false", "0", "f", "no")


class UsageError(Exception):
    """A command line pflag/cobra rejects (unknown flag, missing value...)."""


def parse(command, argv):
    """(options, positionals, explicitly set long names) for the words after the command."""
    table = dict(GLOBAL_FLAGS)
    table.update(COMMAND_FLAGS.get(command, {}))
    shorts = {short: name for name, (short, _v) in table.items() if short}
    options, positionals, given = {}, [], set()
    index = 0
    while index < len(argv):
        word = argv[index]
        index += 1
        if word == "--":
            positionals.extend(argv[index:])
            break
        if word.startswith("--") and len(word) > 2:
            name, has_value, value = word[2:].partition("=")
            if name not in table:
                raise UsageError("unknown flag: --%s" % name)
            takes = table[name][1]
            if takes and not has_value:
                if index >= len(argv):
                    raise UsageError("flag needs an argument: --%s" % name)
                value = argv[index]
                index += 1
            options[name] = _bool(name, value) if not takes and has_value else (value if takes else True)
            given.add(name)
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            while letters:
                letter, letters = letters[0], letters[1:]
                if letter not in shorts:
                    raise UsageError("unknown shorthand flag: '%s' in %s" % (letter, word))
                name = shorts[letter]
                if table[name][1]:
                    if letters:
                        value, letters = letters.lstrip("="), ""
                    elif index < len(argv):
                        value = argv[index]
                        index += 1
                    else:
                        raise UsageError("flag needs an argument: '%s' in -%s" % (letter, letter))
                    options[name] = value
                else:
                    options[name] = True
                given.add(name)
        else:
            positionals.append(word)
    return options, positionals, given


def _bool(name, value):
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise UsageError('invalid argument "%s" for "--%s" flag: strconv.ParseBool: parsing "%s": invalid syntax' % (value, name, value))


def load_config_file(path, command):
    """Options from a ``--config`` JSON or YAML file (keys: long flag names without dashes)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise AzcmError(19, "Config file %s not found: open %s: %s" % (path, path, (exc.strerror or "").lower()),
                        legacy_code=101) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise AzcmError(19, "Unable to read config file %s: invalid character 'ï' looking for beginning of value" % path,
                        legacy_code=101)
    text = raw.decode("utf-8", "replace")
    data = None
    try:
        data = json.loads(text)
    except ValueError:
        try:
            import yaml
            data = yaml.safe_load(text)
        except ImportError:
            data = _simple_yaml(text)
        except Exception as exc:  # pylint: disable=broad-except
            raise AzcmError(19, "Unable to read config file %s: %s" % (path, str(exc).splitlines()[0]), legacy_code=101) from None
    if not isinstance(data, dict):
        raise AzcmError(19, "Unable to read config file %s: expected a map of flag names to values" % path, legacy_code=101)
    table = dict(GLOBAL_FLAGS)
    table.update(COMMAND_FLAGS.get(command, {}))
    options, ignored = {}, []
    for key, value in data.items():
        name = str(key).strip().lstrip("-").replace("_", "-").lower()
        if name not in table or name == "config":
            ignored.append(str(key))
            continue
        if table[name][1]:
            if isinstance(value, list):
                value = ",".join(str(item) for item in value)
            elif isinstance(value, dict):
                value = ",".join("%s=%s" % item for item in value.items())
            options[name] = "" if value is None else ("true" if value is True else "false" if value is False else str(value))
        else:
            options[name] = value if isinstance(value, bool) else str(value).lower() in _TRUE
    return options, ignored


def _simple_yaml(text):
    data = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#") and ":" in line:
            key, _, value = line.partition(":")
            data[key.strip()] = value.strip().strip("'\"")
    return data


def main(argv=None, stdout=None, stderr=None, stdin=None):
    """Run the simulator; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    host_dir = os.environ.get("AZCMAGENT_SIM_HOST", "")
    if argv[:1] == ["--sim-host"] and len(argv) > 1:
        host_dir, argv = argv[1], argv[2:]
    elif argv and argv[0].startswith("--sim-host="):
        host_dir, argv = argv[0].split("=", 1)[1], argv[1:]
    if not host_dir:
        stderr.write("azcmagent simulator: --sim-host DIR (or AZCMAGENT_SIM_HOST) is required\n")
        return 2
    host = Host(host_dir)
    # The command is the first word that is not a flag (global flags may come before it).
    command, rest = None, []
    skip = False
    for position, word in enumerate(argv):
        if skip:
            skip = False
        elif word == "--config":
            skip = True
        elif not word.startswith("-"):
            command, rest = word, argv[:position] + argv[position + 1:]
            break
    if command is None:
        rest = argv
    early_color = hasattr(stdout, "isatty") and stdout.isatty() and "--no-color" not in argv
    console = Console(stdout, stderr, host.log_path, legacy=host.legacy, color=early_color, style=host.generation,
                      verbose="-v" in argv or "--verbose" in argv, log_stderr="--log-stderr" in argv)
    console.name_resource = host.sim.get("name_resource", True) is not False
    if command is None and ("--version" in argv):
        command, rest = "version", [word for word in argv if word != "--version"]
    known = command in COMMAND_FLAGS and not (command == "config" and host.generation == "logrus")
    known = known and not (command == "upgrade" and _minor(host.version) < UPGRADE_MINOR)
    if command is None or command == "help" or not known:
        if command is not None and not known:
            console.log("debug", "Agent Version: %s" % host.version)
            return _finish(console, host, AzcmError(23, 'unknown command "%s" for "azcmagent"' % command, legacy_code=101))
        stdout.write(commands.usage(None if command is None else (rest[0] if rest else None)))
        return 0
    console.log("debug", "Agent Version: %s" % host.version)
    console.log("debug", "Agent Command: %s" % command)
    try:
        options, positionals, given = parse(command, rest)
        if options.get("config"):
            file_options, ignored = load_config_file(options["config"], command)
            for name in ignored:
                console.log("warning", "Ignoring unknown key in config file", {"Key": name})
            for name, value in file_options.items():
                if name not in given:
                    options[name] = value
            for flag in SECRET_FLAGS:
                if file_options.get(flag):
                    console.add_secret(file_options[flag])
    except UsageError as exc:
        return _finish(console, host, AzcmError(23, str(exc), legacy_code=101))
    except AzcmError as exc:
        return _finish(console, host, exc)
    for flag in SECRET_FLAGS:
        if options.get(flag):
            console.add_secret(options[flag])
    console.verbose = bool(options.get("verbose"))
    console.log_stderr = bool(options.get("log-stderr"))
    console.json_mode = bool(options.get("json")) and command in ("connect", "disconnect")
    console.color = bool(hasattr(stdout, "isatty") and stdout.isatty() and not options.get("no-color"))
    if options.get("help"):
        stdout.write(commands.usage(command))
        return 0
    context = commands.Context(host, console, options, positionals, stdin or sys.stdin)
    try:
        commands.run(command, context)
    except AzcmError as exc:
        return _finish(console, host, exc)
    except KeyboardInterrupt:
        return _finish(console, host, AzcmError(11, "The operation was canceled by the user (CTRL+C)"))
    return 0


def _minor(version):
    parts = str(version).split(".")
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return 0


def _finish(console, host, error):
    for level, msg, fields in error.log:
        console.log(level, msg, fields)
    code = error.effective_code(host.legacy)
    console.exit_lines(code, error.details)
    return code
