# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module clients: what every module of the collection builds on.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

In the manner of community.docker's ``AnsibleModuleDockerClient``, a client owns the module:

* :class:`ModuleClient` merges the argument specs (common options, then the module's own), passes
  the declarative rules (``mutually_exclusive``, ``required_together``, ``required_one_of``,
  ``required_if``, ``required_by``, environment fallbacks in the spec) to ``AnsibleModule``, and
  holds ``lang``, ``check_mode``, ``diff`` and :meth:`~ModuleClient.warn`. It is also THE failure
  path of the collection: :meth:`~ModuleClient.fail` is the only ``fail_json`` call, and
  :meth:`~ModuleClient.run` turns a :class:`~._outcome.ModuleFailure` (or any unexpected error)
  into it.
* :class:`AgentModuleClient` adds the agent: the runner (its executor injectable through the
  class attribute :attr:`~AgentModuleClient.executor`, so unit tests stub run results), the
  secrets (every ``no_log`` option of the spec), one :meth:`~AgentModuleClient.session` that finds
  the agent's state directory and holds the per-machine lock, the agent state, the outcome of a
  run, and :meth:`~AgentModuleClient.warn_unparsed`: agent output the parsers do not recognise
  becomes a warning instead of being dropped.
* :class:`AzureModuleClient` adds Entra ID and Resource Manager: the shared Azure options with
  their AWX environment fallbacks, the :class:`~._arm.ArmClient`, and Resource Manager failures
  in the same outcome shape as the agent modules.
"""

from __future__ import annotations

import contextlib
import copy
import re
import time
import traceback
import typing as t

from ansible.module_utils import basic as _basic
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.arcops.azcmagent.plugins.module_utils import _outcome
from ansible_collections.arcops.azcmagent.plugins.module_utils._arm import ENV_FALLBACKS, ArmClient, ArmError
from ansible_collections.arcops.azcmagent.plugins.module_utils._clouds import CLOUD_NAMES
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_console import scan_output
from ansible_collections.arcops.azcmagent.plugins.module_utils._runner import (
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_TIMEOUT,
    AgentError,
    AgentRunner,
    Executor,
    Facts,
    RunResult,
    auth_args,
)
from ansible_collections.arcops.azcmagent.plugins.module_utils._texts import text
from ansible_collections.arcops.azcmagent.plugins.module_utils._validate import (
    AGENT_OPTION_FORMS,
    AZURE_OPTION_FORMS,
    ValidationError,
    check_options,
)

Spec = t.Dict[str, t.Dict[str, t.Any]]
Result = t.Dict[str, t.Any]
C = t.TypeVar("C", bound="ModuleClient")

# At most this many unrecognised lines of agent output become warnings per run; the rest are counted.
MAX_UNPARSED_WARNINGS = 10
# Each of them shortened to this many characters.
UNPARSED_LINE_MAX = 200
# "line 7: unrecognised agent output: <line>" as the parsers word their warnings: the line number is dropped to
# recognise the same line in stdout and in the log.
_WARNING_LINENO_RE = re.compile(r"^line \d+: ")


class OptionRules(t.NamedTuple):
    """Declarative option rules that the client checks when the module needs the options (not when it starts),
    failing with the code the agent would print: AZCM0023 for a conflict, AZCM0016 for a missing option."""

    mutually_exclusive: t.Sequence[t.Tuple[str, str]] = ()
    required_by: t.Mapping[str, t.Sequence[str]] = {}


# The agent's non-interactive identities (doc fragment arcops.azcmagent._agent.auth). They apply only when the
# module is about to run connect or disconnect: a machine already in the requested state needs no identity.
AUTH_RULES = OptionRules(
    mutually_exclusive=(("service_principal_secret", "service_principal_cert"), ("access_token", "service_principal_secret"),
                        ("access_token", "service_principal_cert"), ("access_token", "service_principal_id")),
    required_by={"service_principal_secret": ("service_principal_id",), "service_principal_cert": ("service_principal_id",),
                 "service_principal_id": ("tenant_id",)},
)


def agent_argument_spec() -> Spec:
    """Options of every module that runs the agent (doc fragment arcops.azcmagent._agent)."""
    return {
        "executable": {"type": "path"},
        "timeout": {"type": "int", "default": DEFAULT_TIMEOUT},
        "lock_timeout": {"type": "int", "default": DEFAULT_LOCK_TIMEOUT},
    }


def auth_argument_spec() -> Spec:
    """Authentication options of connect and disconnect (doc fragment arcops.azcmagent._agent.auth)."""
    return {
        "tenant_id": {"type": "str"},
        "service_principal_id": {"type": "str"},
        "service_principal_secret": {"type": "str", "no_log": True},
        "service_principal_cert": {"type": "path"},
        "access_token": {"type": "str", "no_log": True},
    }


def azure_argument_spec() -> Spec:
    """Options of the Resource Manager modules (doc fragment arcops.azcmagent._azure), with the AWX credential's
    environment variables as fallbacks."""
    spec: Spec = {
        "subscription_id": {"type": "str"},
        "service_principal_id": {"type": "str"},
        "service_principal_secret": {"type": "str", "no_log": True},
        "service_principal_cert": {"type": "path"},
        "access_token": {"type": "str", "no_log": True},
        "tenant_id": {"type": "str"},
        "cloud": {"type": "str", "choices": list(CLOUD_NAMES)},
        "authority_host": {"type": "str"},
        "resource_manager_endpoint": {"type": "str"},
        "ca_file": {"type": "path"},
        "api_version": {"type": "str"},
        "timeout": {"type": "int", "default": 60},
    }
    for option, variable in ENV_FALLBACKS.items():
        spec[option]["fallback"] = (env_fallback, [variable])
    return spec


def _raw_arguments() -> t.Dict[str, t.Any]:
    """The module's arguments as the task gave them, before AnsibleModule converts them to the spec's types (a dict
    given for a string option would otherwise arrive as its repr). A copy: AnsibleModule updates the original."""
    try:
        raw = _basic._load_params()
    except Exception:  # pylint: disable=broad-except
        return {}  # AnsibleModule reports unreadable arguments itself
    return copy.deepcopy(dict(raw)) if isinstance(raw, dict) else {}


class ModuleClient:
    """The AnsibleModule, its merged options and the one failure path (see the module docstring)."""

    # Whether option values may reach the agent's command line (a leading '-' is then refused), and the form of the
    # value of each option the client knows (see _validate.check_options).
    option_argv: t.ClassVar[bool] = True
    option_forms: t.ClassVar[t.Mapping[str, str]] = {}

    def __init__(self, argument_spec: t.Optional[Spec] = None, *, supports_check_mode: bool = True,
                 nested_specs: t.Optional[t.Mapping[str, Spec]] = None,
                 mutually_exclusive: t.Optional[t.Sequence[t.Sequence[str]]] = None,
                 required_together: t.Optional[t.Sequence[t.Sequence[str]]] = None,
                 required_one_of: t.Optional[t.Sequence[t.Sequence[str]]] = None,
                 required_if: t.Optional[t.Sequence[t.Sequence[t.Any]]] = None,
                 required_by: t.Optional[t.Mapping[str, t.Sequence[str]]] = None) -> None:
        spec = self.common_argument_spec()
        spec.update(argument_spec or {})
        self.argument_spec = spec
        # dict options whose keys follow a spec of their own that AnsibleModule does not enforce (connect's
        # preflight: the check module's options); check_options checks them against it
        self.nested_specs: t.Mapping[str, Spec] = dict(nested_specs or {})
        self.raw_arguments = _raw_arguments()
        rules = {"mutually_exclusive": mutually_exclusive, "required_together": required_together,
                 "required_one_of": required_one_of, "required_if": required_if, "required_by": required_by}
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=supports_check_mode,
                                    **{name: value for name, value in rules.items() if value})
        self.params: t.Dict[str, t.Any] = self.module.params

    @staticmethod
    def common_argument_spec() -> Spec:
        """Options every module has."""
        return {"lang": {"type": "str", "default": "en", "choices": ["en", "nl"]}}

    @property
    def lang(self) -> str:
        return str(self.params.get("lang") or "en")

    @property
    def check_mode(self) -> bool:
        return bool(self.module.check_mode)

    @property
    def diff(self) -> bool:
        return bool(self.module._diff)

    def warn(self, warning: str) -> None:
        self.module.warn(warning)

    def secret_values(self) -> t.List[str]:
        """The values of the spec's ``no_log`` options (given, or from their environment fallback)."""
        return [str(self.params[name]) for name, option in self.argument_spec.items() if option.get("no_log") and self.params.get(name)]

    def check_rules(self, rules: OptionRules, state: str | None = None) -> None:
        """Fail with AZCM0023 (conflict) or AZCM0016 (missing) naming the option when ``rules`` do not hold."""
        given = {name for name, value in self.params.items() if value not in (None, "")}
        for first, second in rules.mutually_exclusive:
            if first in given and second in given:
                error = ValidationError("AZCM0023", first, text("outcome.option_conflict", self.lang, option=first, other=second))
                raise _outcome.failure_from_validation(error, self.lang, state=state)
        for option, needed in rules.required_by.items():
            for requirement in needed:
                if option in given and requirement not in given:
                    detail = text("outcome.option_required_by", self.lang, option=requirement, other=option)
                    raise _outcome.failure_from_validation(ValidationError("AZCM0016", requirement, detail), self.lang, state=state)

    def check_options(self) -> None:
        """Check every option's value before the module does anything (:func:`._validate.check_options`): a wrong type,
        an empty or overlong value, control characters, command syntax, a leading '-' where the value reaches the
        agent's argv, or a value not in its form fails with AZCM0023 (AZCM0016 for an empty required option)."""
        try:
            spec = {name: dict(option, options=self.nested_specs[name]) if name in self.nested_specs else option
                    for name, option in self.argument_spec.items()}
            check_options(self.params, spec, self.lang, raw=self.raw_arguments, argv=self.option_argv,
                          forms=self.option_forms)
        except ValidationError as error:
            raise _outcome.failure_from_validation(error, self.lang) from None

    def translate(self, error: Exception) -> t.Optional[_outcome.ModuleFailure]:
        """The failure for a domain error of this kind of client (None: not one of ours)."""
        return None

    def fail(self, failure: _outcome.ModuleFailure) -> t.NoReturn:
        """THE place where a module of this collection fails: msg, cmd, rc, stdout, stderr and the outcome fields."""
        result = dict(failure.outcome)
        result.update(failure.extra)
        run = failure.run
        result["cmd"] = run.cmd if run is not None else result.get("cmd", "")
        result["rc"] = run.rc if run is not None else result.get("rc")
        result["stdout"] = run.stdout if run is not None else ""
        result["stderr"] = run.stderr if run is not None else ""
        result.setdefault("changed", False)
        self.module.fail_json(msg=failure.msg, **result)
        raise AssertionError("fail_json returned")  # pragma: no cover

    @staticmethod
    def validate_dict(name: str, spec: Spec, values: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
        """``values`` of the dict option ``name`` checked against ``spec`` (types, choices, unknown keys), defaults
        filled in; a ValueError that names the option and what is wrong otherwise."""
        validated = ArgumentSpecValidator(spec).validate(dict(values))
        if validated.error_messages:
            raise ValueError(f"{name} must follow its documented options: " + "; ".join(validated.error_messages))
        return dict(validated.validated_parameters)

    def run(self: C, func: t.Callable[[C], t.Mapping[str, t.Any]]) -> t.NoReturn:
        """Run ``func(client) -> result`` and exit with the result, or fail through :meth:`fail`."""
        try:
            self.check_options()
            result = dict(func(self))
        except _outcome.ModuleFailure as failure:
            self.fail(failure)
        except Exception as exc:  # pylint: disable=broad-except
            translated = self.translate(exc)
            if translated is None:
                outcome = _outcome.internal_outcome(exc, self.lang)
                translated = _outcome.failure(outcome, exception=traceback.format_exc())
            self.fail(translated)
        self.module.exit_json(**result)
        raise AssertionError("exit_json returned")  # pragma: no cover


class AgentModuleClient(ModuleClient):
    """A module that runs the agent: runner, secrets, lock, state, outcomes and warnings about agent output."""

    # What starts the agent's processes: None is the runner's own (a process group per run); unit tests set a stub,
    # here or through the constructor's ``executor``.
    executor: t.ClassVar[t.Optional[Executor]] = None
    option_forms = AGENT_OPTION_FORMS

    def __init__(self, argument_spec: t.Optional[Spec] = None, *, auth: bool = False, agent_options: bool = True,
                 executor: t.Optional[Executor] = None, **kwargs: t.Any) -> None:
        spec: Spec = agent_argument_spec() if agent_options else {}
        if auth:
            spec.update(auth_argument_spec())
        spec.update(argument_spec or {})
        super().__init__(spec, **kwargs)
        self.auth = auth
        # (read from the class, so that a plain function set there is not bound to the instance)
        self._executor = executor if executor is not None else type(self).executor
        self._runner: t.Optional[AgentRunner] = None

    def make_runner(self, timeout: float | None = None, lock_timeout: float | None = None) -> AgentRunner:
        """A new runner for this module (raises :class:`~._runner.AgentNotFound` when there is no agent)."""
        runner = AgentRunner(self.module, self.params.get("executable"),
                             timeout if timeout is not None else self.params.get("timeout"),
                             lock_timeout if lock_timeout is not None else self.params.get("lock_timeout"),
                             executor=self._executor)
        for secret in self.secret_values():
            runner.add_secret(secret)
        return runner

    @property
    def runner(self) -> AgentRunner:
        if self._runner is None:
            self._runner = self.make_runner()
        return self._runner

    def translate(self, error: Exception) -> t.Optional[_outcome.ModuleFailure]:
        if isinstance(error, AgentError):
            return _outcome.failure_from_agent_error(error, self.lang)
        return None

    # -- state and lock ------------------------------------------------------------------------
    def read_state(self) -> t.Tuple[t.Optional[Facts], RunResult]:
        """``show`` normalized (None when unreadable) and the run that read it."""
        return self.runner.state()

    def state(self, required: bool = True) -> Facts:
        """The agent's state now; when it cannot be read, a failure (``required``) or ``{}``."""
        facts, run = self.read_state()
        if facts is None:
            if required:
                raise _outcome.failure_from_run(run, self.lang)
            return {}
        return facts

    def peek(self) -> t.Optional[Facts]:
        """The agent's state read without the lock (one ``show``; it also tells the runner where the lock lives), or
        None when it cannot be read. Only a decision to change nothing may rest on it: a change takes
        :meth:`session`, which reads the state again under the lock."""
        return self.read_state()[0]

    @contextlib.contextmanager
    def session(self, required: bool = True) -> t.Iterator[Facts]:
        """Find the agent's state directory, hold the per-machine agent lock, and yield the state read under it."""
        runner = self.runner
        runner.find_state_dir()  # where the lock lives
        # Check mode changes no file: it takes an existing lock (to read a state no other run is changing) but never
        # makes one, and writes no holder record into it.
        with runner.lock(create=not self.check_mode):
            recovered = runner.lock_recovered
            if recovered:
                since = recovered.get("since")
                since_text = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(since)) if isinstance(since, (int, float)) else "?"
                self.warn(text("outcome.lock_recovered", self.lang, path=runner.lock_path, pid=recovered.get("pid"), since=since_text))
            yield self.state(required)

    def status(self, fallback: str | None = None) -> str | None:
        """The agent's status as ``show`` reports it now (``fallback`` when it cannot be read)."""
        facts = self.read_state()[0]
        return facts.get("status") if facts else fallback

    # -- authentication ------------------------------------------------------------------------
    def require_auth(self, required: bool = True, state: str | None = None) -> t.Tuple[t.List[str], t.Dict[str, str]]:
        """Check the identity options (declarative :data:`AUTH_RULES`, then the values) and return (argv, secrets)."""
        from ansible_collections.arcops.azcmagent.plugins.module_utils._validate import validate_auth, validate_tenant
        self.check_rules(AUTH_RULES, state)
        try:
            if self.params.get("tenant_id"):
                validate_tenant(self.params["tenant_id"], lang=self.lang)
            validate_auth(self.params, self.lang, required=required)
        except ValidationError as error:
            raise _outcome.failure_from_validation(error, self.lang, state=state) from None
        return auth_args(self.params)

    # -- outcomes ------------------------------------------------------------------------------
    def warn_unparsed(self, run: RunResult) -> int:
        """One warning per line of the run's output and appended log that the parsers do not recognise (at most
        :data:`MAX_UNPARSED_WARNINGS`, each shortened, the rest counted in one more); returns how many there were."""
        command = " ".join(run.argv[1:2]) or "azcmagent"
        seen: t.Dict[str, None] = {}
        for part in (run.stdout, run.stderr, "\n".join(run.log_lines)):
            if not part:
                continue
            for warning in scan_output(part).get("warnings") or ():
                seen.setdefault(_WARNING_LINENO_RE.sub("", str(warning)), None)
        lines = list(seen)
        for line in lines[:MAX_UNPARSED_WARNINGS]:
            if len(line) > UNPARSED_LINE_MAX:
                line = line[:UNPARSED_LINE_MAX] + "..."
            self.warn(text("outcome.unparsed_line", self.lang, command=f"azcmagent {command}", warning=line))
        if len(lines) > MAX_UNPARSED_WARNINGS:
            self.warn(text("outcome.unparsed_more", self.lang, command=f"azcmagent {command}", count=len(lines) - MAX_UNPARSED_WARNINGS))
        return len(lines)

    def warn_truncated(self, run: RunResult) -> None:
        """One warning per output stream of the run that was cut to the runner's bound (the output says where)."""
        for stream, dropped in sorted(getattr(run, "truncated", {}).items()):
            command = " ".join(run.argv[1:2]) or "azcmagent"
            self.warn(text("input.output_truncated", self.lang, command=f"azcmagent {command}", stream=stream, dropped=dropped))

    def outcome(self, run: RunResult, state: str | None = None) -> _outcome.Outcome:
        """The outcome fields of a run (warning about what its output held that the parsers do not know)."""
        self.warn_truncated(run)
        self.warn_unparsed(run)
        # agent_uid: the user the agent ran as (0: root), so that a later diagnosis of the result never plans escalate
        return dict(_outcome.from_run(run, self.lang, state), agent_uid=run.uid)

    def failure(self, run: RunResult, state: str | None = None, **extra: t.Any) -> _outcome.ModuleFailure:
        """The failure of a run (warning about what its output held that the parsers do not know)."""
        self.warn_truncated(run)
        self.warn_unparsed(run)
        extra.setdefault("agent_uid", run.uid)
        return _outcome.failure_from_run(run, self.lang, state, **extra)


class AzureModuleClient(ModuleClient):
    """A module that calls Entra ID and Resource Manager: Azure options, the ArmClient, failures as outcomes."""

    # Option values go into URL paths and JSON bodies (quoted), never into an agent's argv.
    option_argv = False
    option_forms = AZURE_OPTION_FORMS

    def __init__(self, argument_spec: t.Optional[Spec] = None, **kwargs: t.Any) -> None:
        spec = azure_argument_spec()
        spec.update(argument_spec or {})
        super().__init__(spec, **kwargs)
        self._arm: t.Optional[ArmClient] = None
        # Extra return values of a failure (the machine's id, for example).
        self.failure_fields: t.Dict[str, t.Any] = {}

    @property
    def arm(self) -> ArmClient:
        """The ArmClient of the module's options (an explicit access token makes the service principal irrelevant)."""
        if self._arm is None:
            params = self.params
            token = params.get("access_token")
            self._arm = ArmClient(
                cloud=params.get("cloud"), tenant_id=params.get("tenant_id"),
                client_id=None if token else params.get("service_principal_id"),
                client_secret=None if token else params.get("service_principal_secret"),
                client_cert=None if token else params.get("service_principal_cert"),
                access_token=token, authority_host=params.get("authority_host"),
                resource_manager_endpoint=params.get("resource_manager_endpoint"), ca_file=params.get("ca_file"),
                timeout=params.get("timeout") or 60,
            )
        return self._arm

    @property
    def retries(self) -> int:
        return self._arm.retries if self._arm is not None else 0

    def require_subscription(self) -> str:
        """The subscription (option, else E(AZURE_SUBSCRIPTION_ID)); a failure naming both when neither is set."""
        subscription = self.params.get("subscription_id")
        if not subscription:
            outcome = _outcome.empty_outcome()
            cause = text("arm.no_subscription", self.lang)
            outcome.update({"rc": None, "exit_code": None, "category": "input", "action": "report", "cause": cause})
            raise _outcome.failure(outcome, msg=cause, retries=0)
        return str(subscription)

    def translate(self, error: Exception) -> t.Optional[_outcome.ModuleFailure]:
        if isinstance(error, ArmError):
            fields = dict(self.failure_fields)
            fields["retries"] = self._arm.retries if self._arm is not None else error.retries
            if self._arm is not None:
                fields["azure_calls"] = self._arm.figures()
            return _outcome.failure_from_arm_error(error, self.lang, **fields)
        return None

    def fail_with(self, cause: str, category: str = "input", **extra: t.Any) -> t.NoReturn:
        """Fail with a sentence of the module itself (not an Azure answer), in the outcome shape."""
        outcome = _outcome.empty_outcome()
        outcome.update({"rc": None, "exit_code": None, "category": category, "action": "report", "cause": cause})
        extra.setdefault("retries", self.retries)
        self.fail(_outcome.failure(outcome, msg=cause, **extra))
