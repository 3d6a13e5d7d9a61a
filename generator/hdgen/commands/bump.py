"""hdgen bump: set app image tags (and digests) in values/ENV.yaml, changing nothing else.

The run, in order: plan from one snapshot of the values file (hdgen.ops.bump: the
edited values are checked before anything is written), then under the env's lock
check nobody changed the file meanwhile, replace it atomically, re-render
(--render) and commit (--commit) (hdgen.ops.apply). A failed commit puts every file back.
"""

from __future__ import annotations

import argparse

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


def show_plan(plan, summaries: list[str], dry_run: bool) -> bool:
    """Print what a planned values edit does (a line per app, then unchanged or, with dry_run, the
    diff); True when it is still to be written. Every values-editing command prints its plan so."""
    from hdgen.ops.bump import unified_diff

    for line in summaries:
        print(line)
    if not plan.changed:
        print(f"{plan.label}: unchanged")
        return False
    if dry_run:
        print(unified_diff(plan.original, plan.edited, plan.label), end="")
        return False
    return True


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
    from hdgen.ops.bump import apply_bump, check_sha, plan_bump, summary_line
    from hdgen.project import find_project

    project = find_project(args.project_dir)
    env = project.check_env(args.env)
    sha = check_sha(args.sha, "--sha")
    source_sha = check_sha(args.source_sha, "--source-sha") if args.source_sha is not None else None
    if args.dry_run and (args.render or args.commit):
        raise InputError("--dry-run writes nothing: drop --render and --commit, or drop --dry-run")
    if source_sha and not args.commit:
        raise InputError("--source-sha only goes into the commit message: add --commit")

    plan = plan_bump(project, env, sha, args.service, args.digest)
    if show_plan(plan, [summary_line(change) for change in plan.changes], args.dry_run):
        apply_bump(plan, render=args.render, commit=args.commit, source_sha=source_sha)
    return EXIT_OK
