"""hdgen bump: set app image tags (and digests) in values/ENV.yaml, changing nothing else.

The run, in order: plan from one snapshot of the values file (validate the
edited values before anything is written), then under the env's bump lock
check nobody changed the file meanwhile, replace it atomically, re-render
(--render) and commit (--commit). A failed commit puts every file back.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hdgen.commands.envargs import complete_envs
from hdgen.errors import EXIT_OK, InputError

HELP = "set app image tags (and digests) in values/ENV.yaml; every other byte stays as it was"


def complete_services(prefix: str, parsed_args, **_) -> list[str]:
    """App names of the env on the command line, for --service and --digest."""
    from hdgen.project import find_project
    from hdgen.render.values import load_env

    try:
        project = find_project(getattr(parsed_args, "project_dir", None))
        apps = list(load_env(project, parsed_args.env).model.apps)
    except Exception:  # completion must never print an error into the user's shell
        return []
    return [name for name in apps if name.startswith(prefix)]


def complete_digests(prefix: str, parsed_args, **kwargs) -> list[str]:
    return [f"{name}=sha256:" for name in complete_services(prefix.partition("=")[0], parsed_args, **kwargs)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = parser.add_argument("env", metavar="ENV", help="the env whose values/ENV.yaml to edit")
    env.completer = complete_envs  # argcomplete reads this attribute
    parser.add_argument("--sha", required=True, help="the new image tag: a commit SHA, 7-40 lowercase hex")
    service = parser.add_argument(
        "--service",
        action="append",
        metavar="S",
        help="bump only this app (repeatable; default: every app of the env)",
    )
    service.completer = complete_services
    digest = parser.add_argument(
        "--digest",
        action="append",
        default=[],
        metavar="S=sha256:HEX",
        help="also pin app S to this image digest (the tag stays, the image becomes tag@digest; repeatable)",
    )
    digest.completer = complete_digests
    parser.add_argument("--dry-run", action="store_true", help="print the change as a unified diff; write nothing")
    parser.add_argument("--render", action="store_true", help="re-render rendered/ENV afterwards")
    parser.add_argument(
        "--commit",
        action="store_true",
        help="commit the values file (and rendered/ENV with --render) in one git commit",
    )
    parser.add_argument(
        "--source-sha",
        metavar="SHA",
        help="the commit the images were built from: a Source-Commit trailer of the --commit message",
    )


def run(args: argparse.Namespace) -> int:
    from hdgen.ops.bump import (
        PlannedBump,
        apply_changes,
        check_sha,
        parse_digests,
        plan_changes,
        refuse_stale_digests,
        select_services,
        summary_line,
        verify,
    )
    from hdgen.project import find_project
    from hdgen.render.values import load_env
    from hdgen.yaml.read import read_text

    project = find_project(args.project_dir)
    env = project.check_env(args.env)
    sha = check_sha(args.sha, "--sha")
    source_sha = check_sha(args.source_sha, "--source-sha") if args.source_sha is not None else None
    if args.dry_run and (args.render or args.commit):
        raise InputError("--dry-run writes nothing: drop --render and --commit, or drop --dry-run")
    if source_sha and not args.commit:
        raise InputError("--source-sha only goes into the commit message: add --commit")

    # One snapshot of the values file: everything below is planned from it.
    values_path = project.values_dir / f"{env}.yaml"
    label = project.relative(values_path)
    original = read_text(values_path, label)
    loaded = load_env(project, env, texts={values_path: original})
    services = select_services(list(loaded.model.apps), args.service, env)
    changes = plan_changes(loaded.model, services, sha, parse_digests(args.digest, services))
    # The digest may be pinned in defaults.yaml too: look for it in every merged file.
    texts = [
        (project.relative(path), original if path == values_path else read_text(path, project.relative(path)))
        for path in project.values_files(env)
    ]
    refuse_stale_digests(changes, texts)
    edited = apply_changes(original, label, changes)
    changed = [c for c in changes if c.changed]
    new_loaded = None
    if changed:
        new_loaded = load_env(project, env, texts={values_path: edited})
        verify(new_loaded.model, changes)

    for change in changes:
        print(summary_line(change))
    if not changed:
        print(f"{label}: unchanged")
        return EXIT_OK
    if args.dry_run:
        print(_unified_diff(original, edited, label), end="")
        return EXIT_OK
    plan = PlannedBump(project, env, values_path, label, original, edited, new_loaded, changes)
    _write(plan, render=args.render, commit=args.commit, source_sha=source_sha)
    return EXIT_OK


def _write(plan, *, render: bool, commit: bool, source_sha: str | None) -> None:
    """plan is a hdgen.bump.PlannedBump. Under the env's bump lock: check, replace, render, commit; undo the writes if the commit fails."""
    import shutil

    from hdgen.ops.bump import commit_message
    from hdgen.errors import ToolError
    from hdgen.git import Git
    from hdgen.render.pipeline import render_env
    from hdgen.safewrite import check_unchanged, digest, replace_if_unchanged
    from hdgen.render.tree import check_output_dir, env_lock, read_tree, write_env, write_tree

    project, env, values_path, label = plan.project, plan.env, plan.values_path, plan.label
    expected = digest(plan.original.encode())

    # Render before writing anything: a template error must leave the values file as it was.
    tree = render_env(plan.loaded) if render else None
    rendered_folder = project.rendered_dir / env
    paths = [values_path] + ([rendered_folder] if tree else [])
    check_output_dir(project.rendered_dir, project.root)  # the lock lives there: never outside the project
    project.rendered_dir.mkdir(parents=True, exist_ok=True)
    # The lock sits in rendered/ (git-ignored scratch); named apart from render's own lock,
    # which write_tree takes below.
    with env_lock(project.rendered_dir, f"{env}.values"):
        check_unchanged(values_path, expected, label)
        git = Git(project.root, missing_hint="install git, or bump without --commit") if commit else None
        if git is not None:
            git.toplevel()  # not a repository, or no git: stop before writing
            dirty = git.uncommitted(paths)
            if dirty:
                raise InputError(
                    f"{dirty[0]}: has uncommitted changes; commit or stash them first, so the bump "
                    "commit holds only the bump (or bump without --commit)"
                )
        previous_tree = read_tree(rendered_folder) if tree else {}
        replace_if_unchanged(values_path, plan.edited, expected, label)
        print(f"{label}: written")
        if tree is not None:
            for folder, result in write_env(project.rendered_dir, tree):
                print(f"{env}: {result.summary()} ({project.relative(folder)})")
        if git is None:
            return
        message = commit_message(env, plan.changes, source_sha)
        try:
            commit_sha = git.commit(paths, message)
        except ToolError as error:
            git.unstage(paths)
            replace_if_unchanged(values_path, plan.original, digest(plan.edited.encode()), label)
            if tree is not None and previous_tree:
                write_tree(project.rendered_dir, env, {p: data.decode() for p, data in previous_tree.items()})
            elif tree is not None:  # there was no rendered folder before the bump
                shutil.rmtree(rendered_folder, ignore_errors=True)
            raise ToolError(f"{error.message}; the bump was undone, nothing changed", detail=error.detail) from None
        print(f"committed {commit_sha[:12]}: {message.splitlines()[0]}")


def _unified_diff(before: str, after: str, label: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{label}", f"b/{label}"
    )
    # A last line without a newline would run into the next hunk line; say so like git does.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
