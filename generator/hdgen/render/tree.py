"""An env folder on disk: compare it with a render, replace it atomically.

Replacing: the new tree is built in a hidden folder beside the env folder and
swapped in with one renameat2(RENAME_EXCHANGE), so a reader (or an agent
syncing the repo) sees the complete old tree or the complete new tree, never a
mix and never a missing folder. A render killed half-way leaves only a hidden
scratch folder, which the next render removes. A per-env lock serialises
concurrent renders.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hdgen.errors import HdgenError, InputError


class TreeChanges:
    """What writing a tree changes (or would change) in a folder: relative paths, sorted."""

    def __init__(self) -> None:  # not a dataclass: see Project
        self.added: list[str] = []
        self.changed: list[str] = []
        self.removed: list[str] = []

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def differences(self) -> list[tuple[str, str]]:
        """(word, path) of each difference, as `render --check` lists them: missing, different, extra."""
        return (
            [("missing", p) for p in self.added]
            + [("different", p) for p in self.changed]
            + [("extra", p) for p in self.removed]
        )

    def summary(self) -> str:
        if self.unchanged:
            return "unchanged"
        parts = [(len(self.added), "added"), (len(self.changed), "changed"), (len(self.removed), "removed")]
        return ", ".join(f"{count} {word}" for count, word in parts if count)


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file below folder (posix relative path -> bytes); empty if there is no folder."""
    if not folder.is_dir():
        return {}
    found = {}
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in names:
            path = Path(root, name)
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def compare(folder: Path, files: dict[str, str]) -> TreeChanges:
    """What writing files into folder would change."""
    current = read_tree(folder)
    changes = TreeChanges()
    for path, text in files.items():
        if path not in current:
            changes.added.append(path)
        elif current[path] != text.encode():
            changes.changed.append(path)
    changes.removed = sorted(set(current) - set(files))
    return changes


def env_folders(output_dir: Path, tree) -> list[tuple[Path, dict[str, str]]]:
    """(parent folder, files) of each folder a rendered env owns: rendered/ENV and rendered/_gitops/ENV.

    A folder with no files is listed only while it still exists, so it gets removed.
    """
    from hdgen.project import AGENT_DIR

    pairs = [(output_dir, tree.files), (output_dir / AGENT_DIR, tree.agent_files)]
    return [(parent, files) for parent, files in pairs if files or (parent / tree.env).exists()]


def write_env(output_dir: Path, tree) -> list[tuple[Path, TreeChanges]]:
    """Write every folder of a rendered env under one lock (rendered/.ENV.lock); (folder, what changed) for each."""
    folders = env_folders(output_dir, tree)
    for parent, _ in folders:
        _prepare(parent, tree.env)
    with env_lock(output_dir, tree.env):
        return [(parent / tree.env, _replace(parent, tree.env, files)) for parent, files in folders]


def compare_env(output_dir: Path, tree) -> list[tuple[Path, TreeChanges]]:
    """What writing a rendered env would change, folder by folder; writes nothing."""
    return [(parent / tree.env, compare(parent / tree.env, files)) for parent, files in env_folders(output_dir, tree)]


def check_output_dir(output_dir: Path, root: Path) -> None:
    """Refuse an output folder that is a symlink leading out of the project."""
    if output_dir.is_symlink():
        target = output_dir.resolve()
        if not target.is_relative_to(root.resolve()):
            raise InputError(f"{output_dir} is a symlink to {target}, outside the project: refusing to write there")


def write_tree(output_dir: Path, env: str, files: dict[str, str]) -> TreeChanges:
    """Make output_dir/env hold exactly files; atomic, locked, and a no-op when nothing changed."""
    _prepare(output_dir, env)
    with env_lock(output_dir, env):
        return _replace(output_dir, env, files)


def _prepare(output_dir: Path, env: str) -> None:
    target = output_dir / env
    if target.is_symlink():
        raise InputError(f"{target} is a symlink: refusing to replace it (make it a plain folder)")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create {output_dir}: {error.strerror}") from None


def _replace(output_dir: Path, env: str, files: dict[str, str]) -> TreeChanges:
    """The atomic swap of output_dir/env; the caller holds the env's lock."""
    target = output_dir / env
    _remove_leftovers(output_dir, env)
    changes = compare(target, files)
    if changes.unchanged:
        return changes
    if not files:  # nothing to render here any more (e.g. gitops removed from values)
        # Renamed away first, so readers see the whole folder or none of it, never half deleted.
        doomed = output_dir / f".{env}.tmp-{os.urandom(6).hex()}"
        os.rename(target, doomed)
        _rmtree(doomed, ignore_errors=True)
        return changes
    scratch = output_dir / f".{env}.tmp-{os.urandom(6).hex()}"
    try:
        _write_files(scratch, files)
        _swap_in(scratch, target)
    except OSError as error:
        raise HdgenError(
            f"cannot write {target}: {error.strerror or error}; the previous tree is untouched"
        ) from None
    finally:
        # After the swap the scratch name holds the old tree; before it, a partial new one.
        _rmtree(scratch, ignore_errors=True)
    return changes


@contextmanager
def env_lock(output_dir: Path, env: str) -> Iterator[None]:
    """Serialise writers of one env folder; the second waits and says so."""
    lock_path = output_dir / f".{env}.lock"
    try:
        # O_NOFOLLOW: a lock path planted as a symlink must not create or touch a file elsewhere.
        handle = os.fdopen(os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644), "r+")
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError(f"{lock_path} is a symlink: refusing to follow it (remove it)") from None
        raise HdgenError(f"cannot write {output_dir}: {error.strerror}; the previous tree is untouched") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"hdgen: waiting for another hdgen writing {env} to finish", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(output_dir: Path, env: str) -> None:
    """Scratch folders of renders that were killed; safe to remove while we hold the lock."""
    for leftover in output_dir.glob(f".{env}.tmp-*"):
        _rmtree(leftover, ignore_errors=True)


def _write_files(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir()
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_in(new: Path, target: Path) -> None:
    """Put new at target; afterwards new holds the old tree (if there was one)."""
    if not target.exists():
        os.rename(new, target)
        os.mkdir(new)  # so the caller's cleanup finds the same shape either way
        return
    import ctypes  # only when a folder is swapped: the import costs ~5 ms

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(target))
    # No atomic exchange on this system or filesystem: two renames, a moment without target.
    old = new.with_name(new.name + ".old")  # hidden, and cleaned up as a leftover
    os.rename(target, old)
    os.rename(new, target)
    os.rename(old, new)


def _rmtree(path: Path, ignore_errors: bool = False) -> None:
    import shutil  # only when there is something to remove

    shutil.rmtree(path, ignore_errors=ignore_errors)
