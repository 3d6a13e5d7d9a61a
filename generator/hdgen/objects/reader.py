"""Read manifests from files and folders into Documents, and unreadable input into findings.

The one manifest reader: validate reads folders on disk (load_documents), diff
reads its base tree's files out of git (load_contents); both pick the same files
and get the same Documents and the same findings.

Any folder of manifests works, not only hdgen's output: multi-document YAML,
JSON, `kind: List` and typed lists such as ConfigMapList (each item becomes a
Document, as `kubectl apply` unpacks them), empty and comment-only
documents (ignored). What cannot become a Kubernetes object (malformed YAML,
a duplicate key, no kind or apiVersion) becomes an error finding with rule id
"parse" and the line, naming the object's kind and name when they can be
read (hdgen.yaml.identity), and is left out of the Documents.

Speed: hdgen.yaml.stream reads the data with its fast loader; the
round-trip loader, which knows the line of every key, is several times
slower, so it runs only when a finding asks a Document for a key's line
(Document.line_of).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from hdgen.objects.record import Document
from hdgen.errors import InputError
from hdgen.finding import Finding, Level
from hdgen.yaml.errors import YamlProblem
from hdgen.yaml.identity import identity_of
from hdgen.yaml.lines import key_lines as _key_lines
from hdgen.yaml.limits import MAX_DEPTH, TOO_DEEP
from hdgen.yaml.stream import load_document, split_documents

PARSE_RULE = "parse"
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
# Files in a manifest folder that are not Kubernetes objects: kustomize's own
# file lists them, and hdgen's PROVENANCE is not .yaml on purpose.
NOT_MANIFESTS = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})


def load_documents(paths: list[Path], shown_relative_to: Path | None) -> tuple[list[Document], list[Finding]]:
    """Every Kubernetes object in paths (files or folders, folders read recursively and sorted).

    Files are shown relative to shown_relative_to when inside it, else as given.
    A path that does not exist is an InputError (the caller names it first, for exit 2).
    """
    documents: list[Document] = []
    findings: list[Finding] = []
    for path in manifest_files(paths):
        shown = shown_path(path, shown_relative_to)
        file_documents, file_findings = load_file(path, shown)
        documents.extend(file_documents)
        findings.extend(file_findings)
    return documents, findings


def manifest_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read, in order, each once. A file named explicitly is read whatever its name."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = _folder_files(path)
        elif path.exists():
            found = [path]
        else:
            raise InputError(f"{path}: no such file or folder")
        for file in found:
            key = real_path(file)
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def load_contents(files: Iterable[tuple[str, bytes]], label: str | None) -> tuple[list[Document], list[Finding]]:
    """Every Kubernetes object in files given as (posix path inside a folder, content), for a folder
    not on disk (diff's base, read out of git; a cached render); files are shown as label/path, or
    as path when label is None. Only the files a folder walk would read are read."""
    documents: list[Document] = []
    findings: list[Finding] = []
    for path, raw in files:
        if not _in_folder_walk(path):
            continue
        file_documents, file_findings = load_bytes(raw, path if label is None else f"{label}/{path}", is_json=path.lower().endswith(".json"))
        documents.extend(file_documents)
        findings.extend(file_findings)
    return documents, findings


def _in_folder_walk(path: str) -> bool:
    """Whether a folder walk reads the file at path (a posix path inside the folder)."""
    *folders, name = path.split("/")
    return not any(folder.startswith(".") for folder in folders) and _is_manifest_name(name)


def _is_manifest_name(name: str) -> bool:
    # Hidden files and folders (.git, .github, hdgen's scratch folders) hold no manifests to apply.
    return not name.startswith(".") and name not in NOT_MANIFESTS and name.lower().endswith(MANIFEST_SUFFIXES)


def _folder_files(folder: Path) -> list[Path]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root, name) for name in sorted(names) if _is_manifest_name(name))
    return found


def shown_path(path: Path, base: Path | None) -> str:
    """path as reports show it: relative to base when inside it, else as given."""
    if base is not None:
        inside = _real_folder(base).as_posix().rstrip("/") + "/"
        real = real_path(path).as_posix()
        if real.startswith(inside):
            return real[len(inside):]
    return path.as_posix()


def real_path(path: Path) -> Path:
    """path.resolve(), resolving each folder once: Path.resolve checks every part of the path
    for a link, for every file, and most files in a tree share a few folders."""
    if path.is_symlink():
        return path.resolve()
    return _real_folder(path.parent) / path.name


@lru_cache(maxsize=None)
def _real_folder(folder: Path) -> Path:
    return folder.resolve()


def load_file(path: Path, shown: str) -> tuple[list[Document], list[Finding]]:
    """The Documents of one file, and the findings for what in it is not a Kubernetes object."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [], [_parse_finding(shown, 0, f"cannot read: {error.strerror or error}")]
    return load_bytes(raw, shown, is_json=path.suffix.lower() == ".json")


def load_bytes(raw: bytes, shown: str, is_json: bool) -> tuple[list[Document], list[Finding]]:
    """The Documents of one file's content, and the findings for what in it is not a Kubernetes object."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [], [_parse_finding(shown, line, f"not UTF-8 text (byte 0x{raw[error.start]:02x})")]
    if is_json:
        return _load_json(text, shown)
    documents: list[Document] = []
    findings: list[Finding] = []
    for first_line, chunk in split_documents(text):
        directive = _directive(chunk)
        if directive:
            findings.append(_parse_finding(shown, first_line + _first_content_line(chunk), (
                f"YAML directive {directive!r}: kubectl and kubeconform split files at '---' and "
                "cannot read directives; remove the line")))
            continue
        _load_yaml_chunk(chunk, first_line, shown, documents, findings)
    return documents, findings


def _directive(chunk: str) -> str | None:
    """The first `%YAML`/`%TAG` line of a chunk that holds nothing but directives and comments."""
    if "%" not in chunk:
        return None
    content = [line.strip() for line in chunk.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return content[0] if content and all(line.startswith("%") for line in content) else None


def _load_yaml_chunk(chunk: str, first_line: int, shown: str, documents: list[Document], findings: list[Finding]) -> None:
    try:
        body = load_document(chunk)
    except YamlProblem as problem:  # named by what can still be read of it, as kubeconform names it
        findings.append(_parse_finding(shown, first_line + problem.line, problem.problem, identity_of(chunk)))
        return
    if body is None:  # empty or comment-only document
        return
    line = first_line + _first_content_line(chunk)
    _add_object(body, shown, line, chunk, first_line, documents, findings)


def _load_json(text: str, shown: str) -> tuple[list[Document], list[Finding]]:
    import json  # only for .json files: most folders hold none

    if not text.strip():
        return [], []
    duplicates: list[str] = []

    def keep_first_duplicate(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result: dict[str, object] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    try:
        body = json.loads(text, object_pairs_hook=keep_first_duplicate)
    except json.JSONDecodeError as error:
        return [], [_parse_finding(shown, error.lineno, f"invalid JSON: {error.msg}")]
    except RecursionError:  # the json module stops at Python's recursion limit
        return [], [_parse_finding(shown, 1, TOO_DEEP)]
    if _deeper_than(body, MAX_DEPTH):
        return [], [_parse_finding(shown, 1, TOO_DEEP, body)]
    if duplicates:
        key = duplicates[0]
        return [], [_parse_finding(shown, _second_json_key_line(text, key), f"duplicate key {key!r}", body)]
    documents: list[Document] = []
    findings: list[Finding] = []
    line = _first_content_line(text)
    _add_object(body, shown, line, text, 0, documents, findings)
    return documents, findings


def _deeper_than(body: object, limit: int) -> bool:
    """True when lists and mappings nest more than limit levels (walked without recursion)."""
    stack = [(body, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


def _add_object(
    body: object,
    shown: str,
    line: int,
    source: str,
    first_line: int,
    documents: list[Document],
    findings: list[Finding],
) -> None:
    problem = _not_an_object(body)
    if problem:
        findings.append(_parse_finding(shown, line, problem, body))
        return
    if is_list(body):
        _add_list(body, shown, line, source, first_line, documents, findings)
        return
    documents.append(
        Document(file=shown, line=line, body=body, load_key_lines=lambda: _key_lines(source, first_line), text=source)
    )


def is_list(body: dict) -> bool:
    """Whether body is a list whose items are the objects: `kind: List`, or a typed list
    (ConfigMapList, RoleBindingList, …: a kind ending in "List" with `items`), which
    `kubectl apply` unpacks the same way."""
    kind = str(body["kind"])
    return kind.lower() == "list" or (kind.endswith("List") and "items" in body)


def _add_list(
    body: dict, shown: str, line: int, source: str, first_line: int, documents: list[Document], findings: list[Finding]
) -> None:
    """Each item of a list becomes a Document, with the line where the item starts."""
    kind = str(body["kind"])
    label = "List" if kind.lower() == "list" else kind
    items = body.get("items")
    if items is None:
        return  # an empty list
    if not isinstance(items, list):
        findings.append(_parse_finding(shown, line, f"{label}: items is not a list", body))
        return
    # Item lines need the round-trip reader; lists are rare enough to read them eagerly.
    all_lines = _key_lines(source, first_line)
    for index, item in enumerate(items):
        item_line = all_lines.get(("items", index), line)
        problem = _not_an_object(item)
        if problem:
            findings.append(_parse_finding(shown, item_line, f"{label} item {index}: {problem}", item))
            continue
        prefix = ("items", index)
        item_lines = {path[2:]: found for path, found in all_lines.items() if path[:2] == prefix and len(path) > 2}
        item_lines[()] = item_line
        documents.append(Document(file=shown, line=item_line, body=item, key_lines=item_lines, text=source,
                                  list_index=index, list_kind=kind))


def _not_an_object(body: object) -> str:
    """Why body is not a Kubernetes object, or "" when it is one."""
    if not isinstance(body, dict):
        return f"document is a {_type_name(body)}, not a Kubernetes object (a mapping with apiVersion and kind)"
    missing = [key for key in ("apiVersion", "kind") if not isinstance(body.get(key), str) or not body.get(key)]
    if missing:
        return "document has no " + " and no ".join(missing)
    return ""


def _type_name(value: object) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _parse_finding(file: str, line: int, message: str, body: object = None) -> Finding:
    kind = name = namespace = api_version = ""
    if isinstance(body, dict):
        kind = str(body.get("kind") or "")
        api_version = str(body.get("apiVersion") or "")
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        name = str(metadata.get("name") or "")
        namespace = str(metadata.get("namespace") or "")
    return Finding(
        file=file, line=line, rule=PARSE_RULE, level=Level.ERROR, message=message,
        kind=kind, name=name, namespace=namespace, api_version=api_version,
    )


def _first_content_line(text: str) -> int:
    """1-based line of the first line that is not blank, a comment or a directive (lines end at "\n")."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "%")):
            return number
    return 1


def _second_json_key_line(text: str, key: str) -> int:
    import json

    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    matches = list(pattern.finditer(text))
    if len(matches) < 2:
        return 1
    return text.count("\n", 0, matches[1].start()) + 1
