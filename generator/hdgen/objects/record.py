"""A Kubernetes object read from a file: its body and where it came from.

Validation and policy rules work on Documents, so they apply to any manifests,
not only hdgen's own output.
"""

from __future__ import annotations

from collections import namedtuple

_DocumentFields = namedtuple(
    "Document",
    [
        "file",  # str: path as shown to the user
        "line",  # int: 1-based line where the document (or the List item) starts
        "body",  # dict: the object
        # Lines of keys inside the body, by key path (("spec", "template", …)), where known.
        "key_lines",
        # Fills key_lines on first use. Reading line numbers costs several times more
        # than reading data, so the loader defers it to the documents a finding points into.
        "load_key_lines",
        # The document's own text, as written in the file (kubeconform validates these bytes).
        "source",
        # Set for an item of a `kind: List`: its index in the List's items.
        "list_index",
    ],
)


class Document(_DocumentFields):
    """A named tuple, not a dataclass (see hdgen.finding); equal and hashed by where it is, not by its body."""

    __slots__ = ()

    def __new__(cls, file: str, line: int, body: dict, key_lines: dict | None = None, load_key_lines=None,
                source: str = "", list_index: int | None = None):
        return super().__new__(cls, file, line, body, {} if key_lines is None else key_lines, load_key_lines,
                               source, list_index)

    def _where(self) -> tuple:
        return (self.file, self.line)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Document) and self._where() == other._where()

    def __ne__(self, other: object) -> bool:  # tuple defines its own !=, which would compare bodies
        return not self == other

    def __hash__(self) -> int:
        return hash(self._where())

    def __repr__(self) -> str:
        return f"Document(file={self.file!r}, line={self.line!r}, kind={self.kind!r}, name={self.name!r})"

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion") or "")

    @property
    def kind(self) -> str:
        return str(self.body.get("kind") or "")

    @property
    def metadata(self) -> dict:
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
