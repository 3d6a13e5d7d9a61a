"""Opt-out annotations name a known rule and give a reason.

An object opts out of one rule with the annotation
`hdgen.io/ignore-<RULE ID>: "<reason>"`. This rule flags such an annotation
when its reason is empty (the object then does not opt out: the rule still
runs on it) and when the rule ID is unknown (a typo would otherwise skip
nothing, silently).

Why: an opt-out is a decision a reviewer must be able to read in the diff;
"why" is the part that lets the next operator know whether it still holds.

Passes:

    metadata:
      annotations:
        hdgen.io/ignore-HD013: "multi-arch image, built for amd64 and arm64"

Fails:

    metadata:
      annotations:
        hdgen.io/ignore-HD013: ""

This rule itself cannot be opted out of.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import IGNORE_PREFIX, RuleContext, annotations, finding

ID = "HD016"
NAME = "opt-out-reason"
LEVEL = Level.ERROR
CAN_OPT_OUT = False  # an annotation must not silence the check of annotations


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    known = context.rule_ids  # passed in: the registry imports this module, not the reverse
    for key, reason in annotations(document).items():
        if not isinstance(key, str) or not key.startswith(IGNORE_PREFIX):
            continue
        rule_id = key[len(IGNORE_PREFIX) :]
        where = ("metadata", "annotations", key)
        if rule_id not in known or rule_id == ID:
            yield finding(
                ID, LEVEL, document,
                f"{key}: unknown rule {rule_id!r}, so nothing is skipped (rules that can be skipped: "
                f"{', '.join(r for r in known if r != ID)})",
                *where,
            )
        elif not isinstance(reason, str) or not reason.strip():
            yield finding(
                ID, LEVEL, document,
                f"{key} has no reason, so {rule_id} still runs: say why this object is an exception",
                *where,
            )
