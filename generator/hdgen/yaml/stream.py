"""A stream of YAML documents in: manifest files, the files of a diff's base, CRD bundles.

split_documents is hdgen's one document splitter: at a `---` line, as kubectl
and kubeconform split a file, so each document maps back to its own lines.
Each document is then read fast (construct.py's C loader), else by ruamel's C
loader, which also words any error (errors.py).
"""

from __future__ import annotations

import re
from typing import Any

from hdgen.yaml.limits import TOO_DEEP, nesting_problem

# A line that starts a new document: `---` alone or followed by a space (`--- # note`). Lines end
# at "\n" only, as kubectl splits (breaks.py): `$` in MULTILINE mode is before a "\n" or the end.
_SEPARATOR = re.compile(r"^---(?:[ \t][^\n]*)?\r*$", re.MULTILINE)
# What only ruamel reads as the YAML spec says: text after a `---` (`--- !tag`,
# `--- |`), an end marker `...`, a directive `%YAML`.
_MARKERS = re.compile(r"^(?:---[ \t]|\.\.\.|%)", re.MULTILINE)


def split_documents(text: str) -> list[tuple[int, str]]:
    """(0-based line where the document starts, its text) for each `---`-separated document that is not blank.

    What follows `---` on its line is not part of any document (a comment, as
    kubectl reads it). Each text is handed to kubeconform on its own, so a
    result maps back to exactly one document.
    """
    if "---" not in text:  # one document: no line can be a separator
        return [(0, text)] if text.strip() else []
    chunks: list[tuple[int, str]] = []
    start = first = 0  # where the current document starts: character, 0-based line
    for separator in _SEPARATOR.finditer(text):
        chunk = text[start:separator.start()]
        chunks.append((first, chunk))
        first += chunk.count("\n") + 1
        start = separator.end() + 1  # past the separator line's "\n"
    chunks.append((first, text[start:]))
    return [(first, chunk) for first, chunk in chunks if chunk.strip()]


def load_document(text: str, label: str = "") -> Any:
    """The one document of text (a document split_documents gave) as plain data; None when it is empty.

    Raises YamlProblem with the line within text (1 when the error names none, the
    last line for an error at the end of input) and the problem, worded once.
    """
    from hdgen.yaml.construct import load
    from hdgen.yaml.errors import INVALID, MISTAGGED, YamlProblem, mistagged, problem_of

    deep = nesting_problem(text)
    if deep is not None:  # the C loaders would crash the process on it
        raise YamlProblem(label, deep[0], TOO_DEEP)
    try:
        return load(text)
    except Exception:  # noqa: BLE001 - anything unusual: ruamel reads it, and words the error
        pass
    from ruamel.yaml.error import YAMLError

    from hdgen.yaml.engines import safe_loader

    try:
        return safe_loader().load(text)
    except YAMLError as error:
        line, problem = problem_of(error, text, INVALID)
        raise YamlProblem(label, min(line or 1, max(text.count("\n"), 1)), problem) from None
    except MISTAGGED:
        said = mistagged(text)
        raise YamlProblem(label, said.line or 1, INVALID + said.words) from None


def load_all(text: str, label: str) -> list:
    """Every non-empty document of a multi-document YAML text, as plain data; a YamlProblem names label:line."""
    from hdgen.yaml.errors import INVALID, MISTAGGED, YamlProblem, mistagged, problem_of

    deep = nesting_problem(text)
    if deep is not None:  # the C loaders would crash the process on it
        raise YamlProblem(label, deep[0], TOO_DEEP)
    if not _MARKERS.search(text):
        documents = _load_each(text)
        if documents is not None:
            return documents
    from ruamel.yaml.error import YAMLError

    from hdgen.yaml.engines import safe_loader

    try:
        return [document for document in safe_loader().load_all(text) if document is not None]
    except YAMLError as error:
        raise YamlProblem(label, *problem_of(error, text, INVALID)) from None
    except MISTAGGED:
        said = mistagged(text)
        raise YamlProblem(label, said.line, INVALID + said.words) from None


def _load_each(text: str) -> list | None:
    """Each document read by the fast loader (a diff reads thousands: ruamel's Python constructor
    took 70% of `hdgen ci` at 2,940 resources), or None when one needs ruamel, which then reads
    the whole text and words any error with the line in it."""
    from hdgen.yaml.construct import load

    documents = []
    for _, chunk in split_documents(text):
        try:
            document = load(chunk)
        except Exception:  # noqa: BLE001
            return None
        if document is not None:
            documents.append(document)
    return documents
