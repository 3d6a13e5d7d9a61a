"""A Kubernetes object read from a file: its body and where it came from.

Validation and policy rules work on Documents, so they apply to any manifests,
not only hdgen's own output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    file: str  # path as shown to the user
    line: int  # 1-based line where the document (or the List item) starts
    body: dict[str, Any] = field(compare=False)
    # Lines of keys inside the body, by key path (("spec", "template", …)), where known.
    key_lines: dict[tuple, int] = field(default_factory=dict, compare=False, repr=False)
    # Fills key_lines on first use. Reading line numbers costs several times more
    # than reading data, so the loader defers it to the documents a finding points into.
    load_key_lines: Callable[[], dict[tuple, int]] | None = field(default=None, compare=False, repr=False)
    # The document's own text, as written in the file (kubeconform validates these bytes).
    source: str = field(default="", compare=False, repr=False)
    # Set for an item of a `kind: List`: its index in the List's items.
    list_index: int | None = field(default=None, compare=False)

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
        self.fill_key_lines()
        for end in range(len(path), 0, -1):
            found = self.key_lines.get(tuple(path[:end]))
            if found:
                return found
        return self.line

    def fill_key_lines(self) -> None:
        """Make key_lines complete (a no-op when the loader filled it up front)."""
        if self.load_key_lines is not None and not self.key_lines:
            self.key_lines.update(self.load_key_lines())
            self.key_lines.setdefault((), self.line)  # marks "loaded", even for a document without keys
