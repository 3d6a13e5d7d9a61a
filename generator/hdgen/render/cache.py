"""A cache of whole renders: the same inputs give the same files, so keep them.

`hdgen render --check` in a pre-commit hook, or `hdgen render` after a
commit that did not touch values/, would otherwise import pydantic and Jinja2
and render everything again to find that nothing changed (~0.5 s). The key
is a digest of everything a render reads: the values files (bytes and the
names PROVENANCE shows), the env, hdgen's own code and templates, the
folders libraries are imported from, and Python's version. Any change to
any of them is a miss, and a miss renders as if there were no cache.

One entry per project and env (the newest), so the cache stays small, in
marshal's format (like .pyc files: Python's fastest to read, and json's import
alone cost a cached render 3 ms). It lives in cache_dir(), beside the compiled templates;
HDGEN_CACHE_DIR=off turns both off. Rendered files hold no secrets (hdgen
never renders one), so caching them is no leak.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections import namedtuple
from functools import lru_cache
from pathlib import Path

from hdgen.project import Project

PACKAGE_DIR = Path(__file__).parent.parent  # the whole hdgen package: any of its code can change a render


# env: str; files and agent_files: relative path -> text; manifests: the parsed objects when a
# caller asked for them (never stored). A named tuple: see hdgen.objects.record.
RenderedFiles = namedtuple("RenderedFiles", "env files agent_files manifests", defaults=(None,))


def lookup(project: Project, env: str) -> tuple[RenderedFiles | None, str | None]:
    """(the cached render of env or None, the key of its inputs now: pass it to store)."""
    entry = _entry_path(project, env)
    if entry is None:
        return None, None
    try:
        key = input_key(project, env)
    except OSError:
        return None, None  # an unreadable values file: the render says so
    try:
        data = marshal.loads(entry.read_bytes())
        if data.get("key") == key:
            return RenderedFiles(env=env, files=data["files"], agent_files=data["agentFiles"]), key
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no entry, or a damaged one: render
    return None, key


def store(project: Project, rendered: RenderedFiles, key: str | None) -> None:
    """Keep rendered under key, the inputs' key from before the render; if the inputs changed
    since (an editor saved mid-render), the render may mix old and new, so it is not kept.
    A cache that cannot be written is skipped silently."""
    entry = _entry_path(project, rendered.env)
    if entry is None or key is None:
        return
    try:
        if input_key(project, rendered.env) != key:
            return
    except OSError:
        return
    write_entry(entry, {"key": key, "files": rendered.files, "agentFiles": rendered.agent_files})


def write_entry(entry: Path, data: dict) -> None:
    """data in marshal's format at entry, replaced atomically; a cache that cannot be written is skipped."""
    import tempfile

    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            marshal.dump(data, out)
        os.replace(scratch, entry)
    except OSError:
        pass


def input_key(project: Project, env: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{env}\0{code_digest(PACKAGE_DIR)}\0{library_folders()}\0{sys.version}\0".encode())
    for path in project.values_files(env):
        digest.update(project.relative(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=None)
def code_digest(package_dir: Path) -> str:
    """One digest over the name, size and modification time of each of hdgen's Python files and templates.

    Stats, not contents, like make: reading all of them cost a cached render 4 ms of its 100.
    An edit, a checkout or an install changes a file's time or size.
    """
    found = []
    for root, dirs, names in os.walk(package_dir):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found += [os.path.join(root, n) for n in names if n.endswith((".py", ".j2"))]
    digest = hashlib.sha256()
    for path in sorted(found):
        info = os.stat(path)
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def library_folders() -> str:
    """The folders Python imports libraries from, with their modification times: installing,
    upgrading or removing a package adds or removes entries there, which changes the time."""
    parts = []
    for folder in sys.path:
        try:
            parts.append(f"{folder}:{os.stat(folder or '.').st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}:-")
    return ";".join(parts)


def cache_dir() -> Path | None:
    """$HDGEN_CACHE_DIR (None if "off"), else $XDG_CACHE_HOME/hdgen, else ~/.cache/hdgen."""
    configured = os.environ.get("HDGEN_CACHE_DIR")
    if configured:
        return None if configured == "off" else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hdgen"


def _entry_path(project: Project, env: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(f"{project.root.resolve()}\0{env}".encode()).hexdigest()[:32]
    return folder / "renders" / f"{name}.marshal"
