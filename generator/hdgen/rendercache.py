"""A cache of whole renders: the same inputs give the same files, so keep them.

`hdgen render --check` in a pre-commit hook, or `hdgen render` after a
commit that did not touch values/, would otherwise import pydantic and Jinja2
and render everything again to find that nothing changed (~0.5 s). The key
is a digest of everything a render reads: the values files (bytes and the
names PROVENANCE shows), the env, hdgen's own code and templates, the
versions of the libraries that shape the output, and Python's. Any change to
any of them is a miss, and a miss renders as if there were no cache.

One entry per project and env (the newest), so the cache stays small. It
lives in cache_dir(), beside the compiled templates;
HDGEN_CACHE_DIR=off turns both off. Rendered files hold no secrets (hdgen
never renders one), so caching them is no leak.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hdgen.project import Project

# The libraries whose behaviour the rendered bytes depend on.
_LIBRARIES = ("jinja2", "markupsafe", "pydantic", "pydantic_core", "yaml", "ruamel.yaml", "_ruamel_yaml", "yaml_rs")
PACKAGE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class RenderedFiles:
    env: str
    files: dict[str, str]
    agent_files: dict[str, str]


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
        data = json.loads(entry.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return RenderedFiles(env=env, files=data["files"], agent_files=data["agentFiles"]), key
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
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
    data = {"key": key, "files": rendered.files, "agentFiles": rendered.agent_files}
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(scratch, entry)
    except OSError:
        pass


def input_key(project: Project, env: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{env}\0{code_digest(PACKAGE_DIR)}\0{_libraries()}\0{sys.version}\0".encode())
    for path in project.values_files(env):
        digest.update(project.relative(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=None)
def code_digest(package_dir: Path) -> str:
    """One digest over hdgen's Python code and templates."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.suffix in (".py", ".j2") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _libraries() -> str:
    """Where each library is installed, and when and how big its entry file is (no import needed)."""
    from importlib.util import find_spec

    parts = []
    for name in _LIBRARIES:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None and spec.origin else ""
        try:
            stat = os.stat(origin) if origin else None
        except OSError:
            stat = None
        parts.append(f"{name}={origin}:{stat.st_mtime_ns if stat else 0}:{stat.st_size if stat else 0}")
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
    return folder / "renders" / f"{name}.json"
