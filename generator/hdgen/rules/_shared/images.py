"""Container image references: registry, repository, tag, digest, and mutability.

Parsed the way the container runtime reads them: a first path part with a
'.' or ':' (or `localhost`) is a registry, anything else is on Docker Hub,
and a single name there lives under `library/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from hdgen.patterns import COMMIT_SHA, DIGEST

DOCKER_HUB = "docker.io"
DOCKER_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


@dataclass(frozen=True)
class ImageRef:
    registry: str
    repository: str  # path inside the registry, e.g. library/redis
    tag: str | None
    digest: str | None

    @property
    def name(self) -> str:
        """registry/repository without tag or digest, e.g. docker.io/library/redis."""
        return f"{self.registry}/{self.repository}"

    @property
    def is_mutable(self) -> bool:
        """True unless pinned by digest or a commit SHA tag: the registry may move it."""
        if self.digest is not None and DIGEST.match(self.digest):
            return False
        return self.tag is None or not COMMIT_SHA.match(self.tag)

    @property
    def shown(self) -> str:
        """The image as a reader knows it: name:tag, or name (no tag)."""
        return f"{self.name}:{self.tag}" if self.tag else f"{self.name} (no tag)"


def parse_image(reference: str) -> ImageRef:
    rest, _, digest = reference.strip().partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    tag = None
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1 :] or None
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first.lower(), remainder
    else:
        registry, repository = DOCKER_HUB, rest
    if registry in DOCKER_HUB_ALIASES:
        registry = DOCKER_HUB
        if "/" not in repository:
            repository = f"library/{repository}"
    return ImageRef(registry=registry, repository=repository, tag=tag, digest=digest or None)


def matches_prefix(image: ImageRef, prefixes: list[str]) -> bool:
    """True when the image name is one of prefixes or lies under one (by whole path parts)."""
    name = image.name
    for prefix in prefixes:
        prefix = prefix.rstrip("/")
        if name == prefix or name.startswith(prefix + "/"):
            return True
    return False
