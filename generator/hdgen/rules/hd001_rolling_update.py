"""Deployments roll out with maxSurge 1 and maxUnavailable 0.

Checks every Deployment: `spec.strategy.type` is RollingUpdate (the default)
and `spec.strategy.rollingUpdate` sets `maxSurge: 1` and `maxUnavailable: 0`.
An unset strategy fails too: the API default is 25%/25%, which removes ready
pods before their replacements are ready.

Why: the runbook ("Rolling update semantics") relies on exactly this: no pod
is removed until its replacement is ready, and only one new pod starts at a
time, so the api's cold boot (migrations under an advisory lock) is
serialised and the lock queue stays short.

Passes:

    kind: Deployment
    spec:
      strategy:
        type: RollingUpdate
        rollingUpdate: {maxSurge: 1, maxUnavailable: 0}

Fails:

    kind: Deployment
    spec:
      strategy: {type: Recreate}

Opt out: annotate the Deployment with `hdgen.io/ignore-HD001: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding, get, mapping

ID = "HD001"
NAME = "rolling-update"
LEVEL = Level.ERROR

EXPECTED = {"maxSurge": 1, "maxUnavailable": 0}


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind != "Deployment":
        return
    strategy = get(document.body, "spec", "strategy")
    if not isinstance(strategy, dict):
        yield finding(
            ID, LEVEL, document,
            "no spec.strategy: the default rolling update (25% surge, 25% unavailable) removes ready pods "
            "early; set rollingUpdate maxSurge: 1, maxUnavailable: 0",
            "spec",
        )
        return
    kind = strategy.get("type", "RollingUpdate")
    if kind != "RollingUpdate":
        yield finding(
            ID, LEVEL, document,
            f"strategy {kind} stops every pod before starting new ones: use RollingUpdate with "
            "maxSurge: 1, maxUnavailable: 0",
            "spec", "strategy", "type",
        )
        return
    rolling = mapping(strategy, "rollingUpdate")
    for key, expected in EXPECTED.items():
        value = rolling.get(key)
        if value is None:
            yield finding(
                ID, LEVEL, document,
                f"rollingUpdate.{key} is unset (defaults to 25%): set {key}: {expected}",
                "spec", "strategy", "rollingUpdate" if rolling else "type",
            )
        elif value != expected or isinstance(value, bool):
            yield finding(
                ID, LEVEL, document,
                f"rollingUpdate.{key} is {value!r}: set {key}: {expected}",
                "spec", "strategy", "rollingUpdate", key,
            )
