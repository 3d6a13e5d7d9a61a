"""The committed head tree: is rendered/ENV at HEAD what the values at HEAD render?

The GitOps agent applies the committed files, not a render of values/. A hand edit of
rendered/ENV that was committed makes the two differ; the review then has to show
what the agent will apply as well as what the values render.

The fresh render the review already holds is of the working tree's values. When those
equal the values committed at HEAD it is the render of HEAD's values; otherwise HEAD's
values are rendered here (from git, nothing written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hdgen.diff.base import commit_of, read_folder_at
from hdgen.errors import HdgenError


@dataclass(frozen=True)
class CommittedTree:
    commit: str  # HEAD
    files: dict[str, dict[str, bytes]]  # folder (project-relative) -> its files at HEAD
    differ: list[tuple[str, str]]  # (word, project-relative path): missing, different, extra at HEAD


def committed_tree(project, env: str, folders: dict[str, dict[str, str]]) -> CommittedTree | None:
    """What HEAD commits for env's folders, and where it differs from the render of HEAD's values.

    folders: project-relative folder -> the fresh render's files (the env folder, then the agent's). None when there is no HEAD
    commit, or HEAD's values cannot be read or rendered (the freshness check of `hdgen ci` says so).
    """
    head = commit_of(project.root, "HEAD")
    if head is None:
        return None
    try:
        expected = _render_at_head(project, env, head, folders)
    except (HdgenError, OSError, UnicodeDecodeError):
        return None
    committed = {folder: read_folder_at(project.root, head, folder) for folder in expected}
    differ = []
    for folder, files in expected.items():
        at_head = committed[folder]
        for path in sorted(set(files) | set(at_head)):
            if path not in at_head:
                differ.append(("missing", f"{folder}/{path}"))
            elif path not in files:
                differ.append(("extra", f"{folder}/{path}"))
            elif at_head[path] != files[path].encode():
                differ.append(("different", f"{folder}/{path}"))
    return CommittedTree(head, committed, differ)


def _render_at_head(project, env: str, head: str, folders: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """folders as the values committed at HEAD render them (folders itself when those are the working tree's)."""
    values_folder = project.relative(project.values_dir)
    at_head = read_folder_at(project.root, head, values_folder)
    texts: dict[Path, str] = {}
    for path in project.values_files(env):
        name = path.relative_to(project.values_dir).as_posix()
        if name not in at_head:
            raise HdgenError(f"{values_folder}/{name} is not committed")
        committed = at_head[name]
        if committed != path.read_bytes():
            texts[path] = committed.decode("utf-8")
    extras = _extras_at_head(project, env, at_head)
    if not texts and extras is None:
        return folders
    from hdgen.render.pipeline import render_env
    from hdgen.render.values import load_env

    tree = render_env(load_env(project, env, texts=texts, extras=extras))
    main, agent = list(folders)  # the env folder, then its agent folder
    return {main: tree.files, agent: tree.agent_files}


def _extras_at_head(project, env: str, at_head: dict[str, bytes]) -> tuple[tuple[str, str], ...] | None:
    """The env's hand-written manifests (values/extra/ENV) at HEAD, as load_env takes them; None when
    they are the working tree's."""
    from hdgen.project import EXTRA_DIR

    prefix = f"{EXTRA_DIR}/{env}/"
    committed = {
        name: data
        for name, data in at_head.items()
        if name.startswith(prefix) and "/" not in name[len(prefix):] and not name[len(prefix):].startswith(".")
        and name.endswith((".yaml", ".yml"))
    }
    working = {path.relative_to(project.values_dir).as_posix(): path.read_bytes() for path in project.extra_files(env)}
    if committed == working:
        return None
    values_folder = project.relative(project.values_dir)
    return tuple((f"{values_folder}/{name}", data.decode("utf-8")) for name, data in sorted(committed.items()))
