"""Read a folder of the project as it was at a git ref, with the real git binary.

`hdgen diff` compares the committed rendered tree at a base ref with a fresh
render. The base defaults to where the current branch left the main branch
(the merge base with `main`, else `master`, else `origin/HEAD`), so a pull
request is compared with what it started from, not with whatever main holds now.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from hdgen.errors import InputError, ToolError
from hdgen.git import Git
from hdgen.objects.record import Document

MAIN_BRANCHES = ("main", "master", "origin/HEAD")
_SYMLINK_MODE = "120000"


@dataclass(frozen=True)
class BaseRef:
    label: str  # what the user reads: "main (merge base)", "HEAD", or the ref they gave
    commit: str  # full commit id


def _git(root: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return Git(root, missing_hint="install git to compare with a base ref").call(*args, stdin=stdin, check=check)


def commit_of(root: Path, ref: str) -> str | None:
    proc = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if proc.returncode != 0:
        return None
    return proc.stdout.decode().strip()


def resolve_base(root: Path, ref: str | None) -> BaseRef:
    """The commit to compare with: ref when given, else the merge base with the main branch, else HEAD."""
    _git(root, "rev-parse", "--git-dir")  # not a repository: a ToolError with git's own words
    if ref is not None:
        if not ref or ref.startswith("-"):
            raise InputError(f"--base {ref!r}: not a git ref")
        commit = commit_of(root, ref)
        if commit is None:
            raise InputError(f"--base {ref!r}: unknown git ref (no commit by that name in {root})")
        return BaseRef(ref, commit)
    head = commit_of(root, "HEAD")
    if head is None:
        raise InputError(f"no commit in the git repository at {root}: commit first, or pass --base REF")
    for branch in MAIN_BRANCHES:
        if commit_of(root, branch) is None:
            continue
        proc = _git(root, "merge-base", "HEAD", branch, check=False)
        if proc.returncode == 0:
            return BaseRef(f"merge base with {branch}", proc.stdout.decode().strip())
    return BaseRef("HEAD", head)


def read_objects_at(root: Path, commit: str, folder: str) -> list[Document]:
    """Every Kubernetes object of the manifests below folder at commit, read as validate reads a folder.

    The base must be readable as it stands: the first problem the reader finds, or an object
    defined twice, is an InputError naming commit:folder/file:line.
    """
    return read_objects_from(read_folder_at(root, commit, folder), f"{commit[:12]}:{folder}")


def read_objects_from(files: dict[str, bytes], label: str) -> list[Document]:
    """The objects of files (path -> bytes) read as read_objects_at reads a folder; label names them in errors."""
    from hdgen.objects.reader import load_contents

    documents, problems = load_contents(files.items(), label)
    if problems:
        problem = problems[0]
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        raise InputError(f"{where}: {problem.message}")
    seen: dict[tuple, str] = {}
    for document in documents:
        if document.key in seen:
            raise InputError(f"{document.file}: {document.kind} {document.name!r} is also defined in {seen[document.key]}")
        seen[document.key] = document.file
    return documents


def read_folder_at(root: Path, commit: str, folder: str) -> dict[str, bytes]:
    """Every regular file below folder (relative to root) at commit: path inside folder -> bytes.

    A folder missing at that commit gives an empty dict: everything is new.
    """
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()
    full = f"{prefix}{folder.strip('/')}"
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", full).stdout
    entries = []  # (path inside folder, blob id)
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.decode("utf-8", "surrogateescape").partition("\t")
        mode, kind, oid = meta.split()
        if kind != "blob" or mode == _SYMLINK_MODE or not path.startswith(full + "/"):
            continue
        entries.append((path[len(full) + 1 :], oid))
    if not entries:
        return {}
    # One `cat-file --batch` for every blob: one process, not one per file.
    batch = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for _, oid in entries).encode()).stdout
    files = {}
    offset = 0
    for path, oid in entries:
        header_end = batch.index(b"\n", offset)
        header = batch[offset:header_end].decode().split()
        if len(header) != 3 or header[0] != oid:
            raise ToolError(f"git cat-file gave an unexpected answer for {path}: {' '.join(header)}")
        size = int(header[2])
        start = header_end + 1
        files[path] = batch[start : start + size]
        offset = start + size + 1  # the content is followed by one newline
    return dict(sorted(files.items()))
