"""Images come from the allowed registries.

Checks the image of every container and init container of a workload
against `allowedRegistries` in hdgen.yaml: each entry is a registry or a
path prefix inside one, matched on whole path parts
(`docker.io/library` allows `redis:7`, which is `docker.io/library/redis`).
Default: `gitea.treytartt.com/admin`, `docker.io/library`,
`docker.io/victoriametrics`. Short names are read as Docker Hub does
(`redis` is `docker.io/library/redis`, `bitnami/redis` is
`docker.io/bitnami/redis`).

Why: the runbook builds and pushes every honeyDue image to the Gitea
registry; an image from anywhere else is either a typo (ImagePullBackOff,
runbook "Common deploy failures") or code nobody reviewed running next to the
app's secrets.

Passes:

    image: gitea.treytartt.com/admin/honeydue-api:d3708e6

Fails:

    image: ghcr.io/someone/honeydue-api:d3708e6

Opt out: annotate the workload with `hdgen.io/ignore-HD014: "<reason>"`, or
add the registry to `allowedRegistries`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding
from hdgen.rules._shared.images import matches_prefix, parse_image
from hdgen.rules._shared.workloads import containers

ID = "HD014"
NAME = "allowed-registries"
LEVEL = Level.ERROR


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    allowed = context.settings.allowed_registries
    for container in containers(document):
        reference = container.body.get("image")
        if not isinstance(reference, str) or not reference.strip():
            continue
        image = parse_image(reference)
        if not matches_prefix(image, allowed):
            yield finding(
                ID, LEVEL, document,
                f"{container.label}: image {image.name} is not from an allowed registry "
                f"({', '.join(allowed) or 'none allowed'}; see allowedRegistries in hdgen.yaml)",
                *container.path, "image",
            )
