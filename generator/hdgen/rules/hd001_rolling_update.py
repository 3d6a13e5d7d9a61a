"""Deployments roll out one new pod at a time and remove no ready pod before its replacement is ready.

Checks what the rollout really does, computed as the Deployment controller
does it (`deployment/util.ResolveFenceposts`): `maxSurge` and `maxUnavailable`
(each defaults to 25%) are resolved against the desired replicas, a
percentage of maxSurge rounding up and one of maxUnavailable rounding down;
when both resolve to 0, maxUnavailable becomes 1. The desired replicas are
`spec.replicas` (unset means 1); for a Deployment that an HPA in the tree
scales (its scaleTargetRef names it), every count from the HPA's
`minReplicas` (default 1) to its `maxReplicas`. At every such count the
rollout must resolve to maxSurge 1 and maxUnavailable 0:

- maxUnavailable above 0 removes ready pods before their replacements are
  ready (the message names the count and the numbers: "at 8 replicas the
  default 25%/25% lets 2 ready pods go before their replacements are ready");
- maxSurge above 1 starts several new pods at once.

So `maxSurge: 1, maxUnavailable: 0` always passes, and the API default passes
at 1 to 3 replicas (25% resolves to surge 1, unavailable 0); other explicit
values pass where they resolve to 1/0 over the whole range (`maxSurge: 50%`
at 2 replicas), which is all the runbook relies on. Both resolved numbers only
grow with the replica count, so the HPA's maxReplicas decides; the message
names the first failing count, where the trouble starts. `Recreate` always
fails: it stops every pod before starting new ones. 0 replicas pass: nothing
rolls.

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

Passes (1 to 3 replicas, the default strategy):

    kind: Deployment
    spec: {replicas: 3}

Fails:

    kind: Deployment
    spec: {replicas: 8}        # default 25%/25%: surge 2, unavailable 2

Opt out: annotate the Deployment with `hdgen.io/ignore-HD001: "<reason>"`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, finding, get, mapping
from hdgen.rules._shared.workloads import scalers_of

ID = "HD001"
NAME = "rolling-update"
LEVEL = Level.ERROR

DEFAULT = "25%"  # the API default of both maxSurge and maxUnavailable
PERCENT = re.compile(r"^([0-9]+)%$")


@dataclass(frozen=True)
class Rollout:
    """What the controller does at one replica count."""

    replicas: int
    surge: int
    unavailable: int
    bumped: bool  # both resolved to 0, so the controller made maxUnavailable 1


def resolve(max_surge, max_unavailable, replicas: int) -> Rollout | None:
    """ResolveFenceposts: None when a value is neither an integer nor a percentage."""
    surge = _scaled(max_surge, replicas, round_up=True)
    unavailable = _scaled(max_unavailable, replicas, round_up=False)
    if surge is None or unavailable is None:
        return None
    bumped = surge == 0 and unavailable == 0
    return Rollout(replicas, surge, 1 if bumped else unavailable, bumped)


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind != "Deployment":
        return
    strategy = get(document.body, "spec", "strategy")
    strategy = strategy if isinstance(strategy, dict) else {}
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
    surge, unavailable = rolling.get("maxSurge", DEFAULT), rolling.get("maxUnavailable", DEFAULT)
    ranges, scale = _replica_ranges(document, context)
    for key, value in (("maxSurge", surge), ("maxUnavailable", unavailable)):
        if key in rolling and _scaled(value, 1, round_up=True) is None:
            yield finding(
                ID, LEVEL, document,
                f"rollingUpdate.{key} {value!r} is neither an integer nor a percentage: the API server refuses it",
                "spec", "strategy", "rollingUpdate", key,
            )
            return
    failing = [_first_failing(surge, unavailable, low, high) for low, high in ranges]
    failing = [rollout for rollout in failing if rollout is not None]
    if failing:
        yield from _findings(document, rolling, strategy, min(failing, key=lambda r: r.replicas), scale)


def _fails(rollout: Rollout) -> bool:
    return rollout.unavailable > 0 or rollout.surge > 1


def _first_failing(surge, unavailable, low: int, high: int) -> Rollout | None:
    """The rollout at the lowest failing count of low..high, by bisection: both resolved numbers
    only grow with the count (a maxSurge that resolves to 0 fails at every count), so failing does too."""
    if not _fails(resolve(surge, unavailable, high)):
        return None
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if _fails(resolve(surge, unavailable, middle)) else (middle + 1, high)
    return resolve(surge, unavailable, low)


def _findings(document: Document, rolling: dict, strategy: dict, rollout: Rollout, scale: str) -> Iterator[Finding]:
    """One finding per key at fault, on its line (or on the nearest line that is there)."""
    at = f"at {rollout.replicas} replica{'s' if rollout.replicas != 1 else ''}{scale}"
    if "maxSurge" not in rolling and "maxUnavailable" not in rolling:
        settings = f"the default {DEFAULT}/{DEFAULT}"
    else:
        settings = f"maxSurge {_spell(rolling, 'maxSurge')}, maxUnavailable {_spell(rolling, 'maxUnavailable')}"
    where = ("spec", "strategy", "rollingUpdate") if rolling else ("spec", "strategy") if strategy else ("spec",)
    problems = []
    if rollout.unavailable > 0:
        pods = f"{rollout.unavailable} ready pod{'s' if rollout.unavailable != 1 else ''}"
        reason = " (both resolve to 0, so the controller makes maxUnavailable 1)" if rollout.bumped else ""
        replacements = "their replacements are" if rollout.unavailable != 1 else "its replacement is"
        problems.append(("maxUnavailable", f"lets {pods} go before {replacements} ready{reason}"))
    if rollout.surge > 1:
        problems.append(("maxSurge", f"starts {rollout.surge} new pods at once"))
    advice = "set rollingUpdate maxSurge: 1, maxUnavailable: 0"
    if settings.startswith("the default"):
        yield finding(ID, LEVEL, document, f"{at} {settings} {' and '.join(p for _, p in problems)}: {advice}", *where)
        return
    for key, problem in problems:
        path = (*where, key) if key in rolling else where
        yield finding(ID, LEVEL, document, f"{at} {settings} {problem}: {advice}", *path)


def _replica_ranges(document: Document, context: RuleContext) -> tuple[list[tuple[int, int]], str]:
    """The ranges of desired replicas to check, and how the message names their source."""
    ranges = []
    for hpa in scalers_of(document, context):
        low, high = get(hpa.body, "spec", "minReplicas"), get(hpa.body, "spec", "maxReplicas")
        low = low if _is_int(low) else 1
        high = high if _is_int(high) else low
        ranges.append((hpa.name, max(low, 1), max(high, low, 1)))
    if ranges:
        name, low, high = ranges[0]
        return [(low, high) for _, low, high in ranges], f" (HPA {name!r} scales it {low}-{high})"
    replicas = get(document.body, "spec", "replicas")
    replicas = replicas if _is_int(replicas) else 1
    return ([(replicas, replicas)] if replicas > 0 else []), ""


def _spell(rolling: dict, key: str) -> str:
    return str(rolling[key]) if key in rolling else f"{DEFAULT} (the default)"


def _scaled(value, replicas: int, *, round_up: bool) -> int | None:
    """GetScaledValueFromIntOrPercent: an int as is, a percentage of replicas rounded up or down."""
    if _is_int(value):
        return value if value >= 0 else None
    found = PERCENT.match(value) if isinstance(value, str) else None
    if found is None:
        return None
    scaled = int(found.group(1)) * replicas  # in hundredths: integer arithmetic, exact like Go's float64 here
    return -(-scaled // 100) if round_up else scaled // 100


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
