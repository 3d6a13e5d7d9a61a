"""Containers on a mutable image tag pull Always.

Checks every container and init container of a workload. A tag is mutable
unless the image is pinned by an `@sha256:` digest or its tag is a 7–40
character lowercase hex commit SHA: no tag, `latest`, `7.4-alpine`, `v1.2` are
all mutable. A container on a mutable tag needs `imagePullPolicy: Always`.
An unset policy passes only where the API server defaults it to Always (no
tag, or `latest`). Pinned images may use any policy.

Why: the runbook's gotcha ("TL;DR for a single-service code change"): with
IfNotPresent the kubelet keeps a cached image for a tag even after the
registry moved it, so a restart runs old code.

Passes:

    image: gitea.treytartt.com/admin/honeydue-api:latest
    imagePullPolicy: Always

Fails:

    image: docker.io/library/redis:7.4-alpine
    imagePullPolicy: IfNotPresent

Opt out: annotate the workload with `hdgen.io/ignore-HD004: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, finding
from hdgen.rules._shared.images import parse_image
from hdgen.rules._shared.workloads import containers

ID = "HD004"
NAME = "pull-always-on-mutable-tag"
LEVEL = Level.ERROR


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    for container in containers(document):
        reference = container.body.get("image")
        if not isinstance(reference, str) or not reference.strip():
            continue
        image = parse_image(reference)
        if not image.is_mutable:
            continue
        policy = container.body.get("imagePullPolicy")
        if policy is None:
            policy = "Always" if image.tag in (None, "latest") and image.digest is None else "IfNotPresent"
            if policy == "Always":
                continue
            where = (*container.path, "image")
            shown = "unset (IfNotPresent by default)"
        else:
            where = (*container.path, "imagePullPolicy")
            shown = repr(policy)
        if policy != "Always":
            yield finding(
                ID, LEVEL, document,
                f"{container.label}: image {image.shown} is mutable but imagePullPolicy is "
                f"{shown}: nodes would keep running a cached image; set imagePullPolicy: Always, or pin a "
                "commit SHA tag or a digest",
                *where,
            )
