"""The one record for a Kubernetes object: its body, its text, and where it came from.

Render builds one per rendered file; the manifest reader (hdgen.objects.reader)
builds one per object of a folder on disk (validate) or of a folder read out of
git (diff's base). Rules, kubeconform, the semantic diff, references and impact
all read the same fields, so a property of an object (its identity above all)
is defined here once.

Record style, for the whole package: a record built on a cached path
(`hdgen validate` and `hdgen render` answered from their caches: Finding,
Report, Project, Document, the caches' records) is a named tuple, not a
dataclass or typing.NamedTuple: importing dataclasses (inspect, ast, dis…) and
typing cost a cached `hdgen validate` ~25 ms, a sixth of it, and a cached
`hdgen render` 6-20 ms, a fifth of it. Records that exist only after the expensive work has started (the
values model, the render plan, a diff, bump's edits, kubeconform's results) are
frozen dataclasses: those paths import dataclasses anyway (pydantic, the
rules), and a dataclass states its fields with their types. Modules with a
record point here instead of repeating this.
"""

from __future__ import annotations

from collections import namedtuple

_DocumentFields = namedtuple(
    "Document",
    [
        "file",  # str: path as shown to the user (for a rendered tree: the path inside the env folder)
        "line",  # int: 1-based line where the document (or the List item) starts
        "body",  # dict: the object
        # Lines of keys inside the body, by key path (("spec", "template", …)), where known.
        "key_lines",
        # Fills key_lines on first use. Reading line numbers costs several times more
        # than reading data, so the reader defers it to the documents a finding points into.
        "load_key_lines",
        # The document's own text, as written in the file (kubeconform validates these bytes;
        # render writes exactly these). "" for a document built in code.
        "text",
        # Set for an item of a list (`kind: List`, or a typed list such as ConfigMapList): its index
        # in the list's items, and the list's kind.
        "list_index",
        "list_kind",
    ],
)


class Document(_DocumentFields):
    """A named tuple (see the module docstring); equal and hashed by where it is, not by its body."""

    __slots__ = ()

    def __new__(cls, file: str, line: int, body: dict, key_lines: dict | None = None, load_key_lines=None,
                text: str = "", list_index: int | None = None, list_kind: str = ""):
        return super().__new__(cls, file, line, body, {} if key_lines is None else key_lines, load_key_lines,
                               text, list_index, list_kind)

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
    def group(self) -> str:
        """The API group: "apps" for apps/v1, "" for the core group (v1)."""
        return self.api_version.rpartition("/")[0]

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

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of the object in a cluster: API group, kind, namespace, name (the diff matches on it)."""
        return (self.group, self.kind, self.namespace, self.name)

    def line_of(self, *path: str | int) -> int:
        """The line of the deepest known key on path, else the document's line."""
        self.fill_key_lines()
        for end in range(len(path), 0, -1):
            found = self.key_lines.get(tuple(path[:end]))
            if found:
                return found
        return self.line

    def fill_key_lines(self) -> None:
        """Make key_lines complete (a no-op when the reader filled it up front)."""
        if self.load_key_lines is not None and not self.key_lines:
            self.key_lines.update(self.load_key_lines())
            self.key_lines.setdefault((), self.line)  # marks "loaded", even for a document without keys
