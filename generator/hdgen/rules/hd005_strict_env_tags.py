"""No mutable image tags in the strict envs (prod by default).

When validating a rendered env named in `strictEnvs` (hdgen.yaml; default
`[prod]`), every container and init container must use an image pinned by a
commit SHA tag (7–40 lowercase hex) or an `@sha256:` digest. Image names
listed in `allowMutableTags` (e.g. `docker.io/library/redis`, third-party
images on a version tag) are accepted. Not checked when validating arbitrary
paths (no env name).

Why: the runbook's deploys ship one commit SHA (`kubectl set image …:${SHA}`);
a moving tag in prod means a node restart can silently change the running
code, and a rollback by revision cannot bring the old bytes back.

Passes (env prod):

    image: gitea.treytartt.com/admin/honeydue-api:d3708e6

Fails (env prod):

    image: gitea.treytartt.com/admin/honeydue-api:latest

Opt out: annotate the workload with `hdgen.io/ignore-HD005: "<reason>"`, or
list the image name under `allowMutableTags` in hdgen.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding
from hdgen.rules._shared.images import parse_image
from hdgen.rules._shared.workloads import containers

ID = "HD005"
NAME = "pinned-tags-in-strict-envs"
LEVEL = Level.ERROR


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if context.env is None or context.env not in context.settings.strict_envs:
        return
    allowed = set(context.settings.allow_mutable_tags)
    for container in containers(document):
        reference = container.body.get("image")
        if not isinstance(reference, str) or not reference.strip():
            continue
        image = parse_image(reference)
        if image.is_mutable and image.name not in allowed:
            yield finding(
                ID, LEVEL, document,
                f"{container.label}: image {image.shown} is mutable, and env "
                f"{context.env} is strict: pin a commit SHA tag (hdgen bump) or a digest",
                *container.path, "image",
            )
