"""Replace one file atomically, and only if nobody changed it since we read it."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from hdgen.errors import HdgenError, InputError


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_unchanged(path: Path, expected: str, label: str) -> None:
    """Raise if path no longer holds the bytes whose digest is expected."""
    try:
        current = digest(path.read_bytes())
    except OSError as error:
        raise InputError(f"{label}: cannot read: {error.strerror or error}") from None
    if current != expected:
        raise InputError(f"{label}: changed while bumping (someone else wrote it); nothing written: run again")


def replace_if_unchanged(
    path: Path,
    text: str,
    expected: str,
    label: str,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write text to path via a temp file and rename, keeping the file's mode.

    expected is the digest of the bytes the caller read: the file is checked
    again right before the rename, so a concurrent edit is reported, not lost.
    before_replace lets tests change the file in exactly that window.
    """
    folder = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise HdgenError(f"{label}: cannot write: {error.strerror or error}; the file is untouched") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode())
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        if before_replace is not None:
            before_replace()
        check_unchanged(path, expected, label)
        os.replace(temp, path)
    except OSError as error:
        raise HdgenError(f"{label}: cannot write: {error.strerror or error}; the file is untouched") from None
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    """Write a report file: readers see the old one or the new one, never half of it."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(scratch, path)
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from None
    finally:
        Path(scratch).unlink(missing_ok=True)
