"""Where health findings go besides the log: a deployment's hook.

``NEWSLOOM_HEALTH_HOOK=package.module:function`` names a callable that receives the list of
:class:`~processing.report.health.Finding` (only when there is at least one). It is how a
deployment sends them to Slack, e-mail or an incident tool (docs/health.md has examples with
Airflow's ``SlackNotifier`` and ``SmtpNotifier``). The adapters (CLI, Airflow) read the
variable; this module only resolves and calls the target.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence

from processing.core.errors import HookError
from processing.report.health import Finding

logger = logging.getLogger(__name__)

HOOK_ENV = "NEWSLOOM_HEALTH_HOOK"

Hook = Callable[[list[Finding]], object]  # what it returns is not used


def load_hook(target: str) -> Hook:
    """``package.module:function`` (or ``package.module.function``) to the callable."""
    module_name, sep, attr = target.partition(":")
    if not sep:
        module_name, _, attr = target.rpartition(".")
    if not module_name or not attr:
        raise HookError(f"{HOOK_ENV}={target!r}: expected package.module:function")
    try:
        obj: object = importlib.import_module(module_name)
    except ImportError as exc:
        raise HookError(f"{HOOK_ENV}={target!r}: cannot import {module_name}: {exc}") from exc
    for part in attr.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            raise HookError(f"{HOOK_ENV}={target!r}: {module_name} has no {attr}")
    if not callable(obj):
        raise HookError(f"{HOOK_ENV}={target!r} is not callable")
    hook: Hook = obj
    return hook


def notify(findings: Sequence[Finding], target: str | None) -> bool:
    """Call the hook with the findings; False when there is no hook or nothing to say.

    A failing hook raises: the warning was not delivered, so the caller (an Airflow task)
    should fail and be retried rather than pretend it was.
    """
    if not target or not findings:
        return False
    hook = load_hook(target)
    hook(list(findings))
    logger.info("health: %d finding(s) sent to %s", len(findings), target)
    return True
