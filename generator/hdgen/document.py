"""A Kubernetes object read from a file: its body and where it came from.

Validation and policy rules work on Documents, so they apply to any manifests,
not only hdgen's own output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    file: str  # path as shown to the user
    line: int  # 1-based line where the document (or the List item) starts
    body: dict[str, Any] = field(compare=False)
    # Lines of keys inside the body, by key path (("spec", "template", …)), where known.
    key_lines: dict[tuple, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion") or "")

    @property
    def kind(self) -> str:
        return str(self.body.get("kind") or "")

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.body.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @property
    def name(self) -> str:
        return str(self.metadata.get("name") or "")

    @property
    def namespace(self) -> str:
        return str(self.metadata.get("namespace") or "")

    def line_of(self, *path: str | int) -> int:
        """The line of the deepest known key on path, else the document's line."""
        for end in range(len(path), 0, -1):
            found = self.key_lines.get(tuple(path[:end]))
            if found:
                return found
        return self.line
