"""Objects carry the recommended app.kubernetes.io labels.

Checks `metadata.labels` of every object for `app.kubernetes.io/name`,
`/instance`, `/component`, `/part-of` and `/managed-by`, non-empty.

Default level warning: manifests from third parties often carry only some of
them, and they change no behaviour. hdgen's own tree sets them all, so this
project's hdgen.yaml raises the rule to error.

Why: the runbook's debugging commands select pods by
`app.kubernetes.io/name`; dashboards and `kubectl get -l` group by
instance/part-of, and managed-by tells an operator not to `kubectl edit` an
object that the GitOps agent owns.

Passes:

    metadata:
      labels:
        app.kubernetes.io/name: api
        app.kubernetes.io/instance: honeydue-prod
        app.kubernetes.io/component: api
        app.kubernetes.io/part-of: honeydue
        app.kubernetes.io/managed-by: hdgen

Fails:

    metadata:
      labels: {app: api}

Opt out: annotate the object with `hdgen.io/ignore-HD012: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding, mapping

ID = "HD012"
NAME = "recommended-labels"
LEVEL = Level.WARNING

RECOMMENDED = tuple(f"app.kubernetes.io/{part}" for part in ("name", "instance", "component", "part-of", "managed-by"))


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if not document.kind:
        return
    labels = mapping(document.body, "metadata", "labels")
    missing = [label for label in RECOMMENDED if not labels.get(label)]
    if missing:
        yield finding(
            ID, LEVEL, document,
            f"{document.kind} {document.name!r} lacks the recommended label{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}",
            "metadata", "labels",
        )
