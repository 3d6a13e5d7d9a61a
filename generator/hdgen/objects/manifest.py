"""The Manifest record: one Kubernetes object and where it lives in the env folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Manifest:
    path: str  # posix path inside the env folder, e.g. "api/deployment.yaml"
    body: dict[str, Any] = field(compare=False)
    text: str  # the bytes written (UTF-8), normalised YAML

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion", ""))

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        return str((self.body.get("metadata") or {}).get("name", ""))

    @property
    def namespace(self) -> str | None:
        return (self.body.get("metadata") or {}).get("namespace")

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of the object in a cluster: apiVersion group, kind, namespace, name."""
        group = self.api_version.rpartition("/")[0]
        return (group, self.kind, self.namespace or "", self.name)
