"""Apply edited values files: the one way hdgen's operations write, render and commit.

Under each edited env's values lock: check nobody changed a file since it was read,
replace each atomically, re-render the envs asked for, commit everything in one git
commit. A failed commit puts every file and rendered folder back as it was. bump uses
it today; rollback, promote and rotate are values edits too and reuse it as is.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hdgen.errors import InputError, ToolError


@dataclass(frozen=True)
class ValuesEdit:
    """One values file before and after an operation."""

    path: Path
    label: str  # the path as messages show it, relative to the project
    original: str  # the text the edit was planned from
    edited: str


def apply_values_edits(
    project: Any,  # hdgen.project.Project
    edits: list[ValuesEdit],
    *,
    envs: list[str],
    render: list[Any] = (),  # hdgen.render.values.LoadedValues of the edited values, one per env to re-render
    commit_message: str | None = None,
    operation: str = "edit",  # the command's name, for its messages: "bump"
    say: Callable[[str], None] = print,
) -> None:
    """Write edits (planned for envs) under their locks, render, commit; undo the writes if the commit fails."""
    from hdgen.render.pipeline import render_env
    from hdgen.render.tree import check_output_dir, env_lock

    # Render before writing anything: a template error must leave the values files as they were.
    trees = [render_env(loaded) for loaded in render]
    check_output_dir(project.rendered_dir, project.root)  # the locks live there: never outside the project
    project.rendered_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as locks:
        # The locks sit in rendered/ (git-ignored scratch); named apart from render's own lock,
        # which writing the tree takes below. Sorted, so two operations never wait on each other.
        for env in sorted(set(envs)):
            locks.enter_context(env_lock(project.rendered_dir, f"{env}.values"))
        _write_and_commit(project, edits, trees, commit_message, operation, say)


def apply_plan(plan: Any, *, operation: str, render: bool, commit_message: str | None) -> None:
    """apply_values_edits for an operation's plan of one values file: every plan (bump, promote,
    rollback, rotate) has project, env, values_path, label, original, edited and loaded."""
    apply_values_edits(
        plan.project,
        [ValuesEdit(plan.values_path, plan.label, plan.original, plan.edited)],
        envs=[plan.env],
        render=[plan.loaded] if render else [],
        commit_message=commit_message,
        operation=operation,
    )


def _write_and_commit(project, edits: list[ValuesEdit], trees: list, message: str | None,
                      operation: str, say: Callable[[str], None]) -> None:
    from hdgen.render.tree import read_tree, write_env
    from hdgen.safewrite import check_unchanged, digest, replace_if_unchanged

    for edit in edits:
        check_unchanged(edit.path, digest(edit.original.encode()), edit.label)
    folders = [project.rendered_dir / tree.env for tree in trees]
    paths = [edit.path for edit in edits] + folders
    git = clean_git(project, paths, operation) if message is not None else None
    previous = {folder: read_tree(folder) for folder in folders}
    for edit in edits:
        replace_if_unchanged(edit.path, edit.edited, digest(edit.original.encode()), edit.label)
        say(f"{edit.label}: written")
    for tree in trees:
        for folder, result in write_env(project.rendered_dir, tree):
            say(f"{tree.env}: {result.summary()} ({project.relative(folder)})")
    if git is None:
        return
    try:
        commit_sha = git.commit(paths, message)
    except ToolError as error:
        git.unstage(paths)
        _undo(project, edits, previous)
        raise ToolError(f"{error.message}; the {operation} was undone, nothing changed", detail=error.detail) from None
    say(f"committed {commit_sha[:12]}: {message.splitlines()[0]}")


def clean_git(project, paths: list[Path], operation: str):
    """The project's git, once sure the commit will hold only this operation's changes.

    The commands also call it before printing their plan (commands/edits.py): a refusal
    must not follow lines that read like progress."""
    from hdgen.git import Git

    git = Git(project.root, missing_hint=f"install git, or {operation} without --commit")
    git.toplevel()  # not a repository, or no git: stop before writing
    dirty = git.uncommitted(paths)
    if dirty:
        raise InputError(
            f"{dirty[0]}: has uncommitted changes; commit or stash them first, so the {operation} "
            f"commit holds only the {operation} (or {operation} without --commit)"
        )
    return git


def _undo(project, edits: list[ValuesEdit], previous: dict[Path, dict[str, bytes]]) -> None:
    """Every values file and rendered folder back as it was before the edits."""
    import shutil

    from hdgen.render.tree import write_tree
    from hdgen.safewrite import digest, replace_if_unchanged

    for edit in edits:
        replace_if_unchanged(edit.path, edit.original, digest(edit.edited.encode()), edit.label)
    for folder, files in previous.items():
        if files:
            write_tree(project.rendered_dir, folder.name, {p: data.decode() for p, data in files.items()})
        else:  # there was no rendered folder before the operation
            shutil.rmtree(folder, ignore_errors=True)
