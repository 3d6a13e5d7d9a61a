"""hdgen rollback: put app images (tag and digest) back to an earlier one from git, as a values edit.

The run, in order: find the earlier images in git (hdgen.ops.history), plan bump's
surgical edit of values/ENV.yaml and check the edited values before anything is
written (hdgen.ops.rollback), then write, re-render (--render) and commit (--commit)
under the env's lock (hdgen.ops.apply). Images only: a whole-env rollback is `git revert`.
"""

from __future__ import annotations

import argparse

from hdgen.commands.edits import check_write_flags, print_plan, refuse_early
from hdgen.commands.envargs import add_service_argument, complete_envs, complete_git_refs
from hdgen.errors import EXIT_OK, InputError

HELP = (
    "put app images (tag and digest) back to an earlier one from git; images only "
    "(a whole-env rollback is `git revert`)"
)


def complete_commits(prefix: str, parsed_args, **kwargs) -> list[str]:
    """Short SHAs of the recent commits that changed the env's values, then the git refs, for --to."""
    from hdgen.ops.history import recent_commits
    from hdgen.project import find_project

    try:
        project = find_project(getattr(parsed_args, "project_dir", None))
        commits = recent_commits(project, project.check_env(parsed_args.env))
    except Exception:  # completion must never print an error into the user's shell
        return []
    refs = complete_git_refs(prefix, parsed_args, commits=False, **kwargs)  # its own commits are the env's
    return list(dict.fromkeys([sha for sha in commits if sha.startswith(prefix)] + refs))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = parser.add_argument("env", metavar="ENV", help="the env whose values/ENV.yaml to edit")
    env.completer = complete_envs  # argcomplete reads this attribute
    add_service_argument(parser, "roll back only this app (repeatable; default: every app)")
    to = parser.add_argument("--to", metavar="COMMIT", help="the images as they were after this commit")
    to.completer = complete_commits
    parser.add_argument(
        "--steps",
        metavar="N",
        help="N distinct images back in each app's history (default 1: the previous image)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan and the diff; write nothing")
    parser.add_argument("--render", action="store_true", help="re-render rendered/ENV afterwards")
    parser.add_argument(
        "--commit", action="store_true", help="commit the values file (and rendered/ENV with --render) in one git commit"
    )


def run(args: argparse.Namespace) -> int:
    from hdgen.ops.rollback import IMAGES_ONLY, apply_rollback, plan_rollback, summary_line
    from hdgen.project import find_project

    from hdgen.commands.history import count_of

    if args.to is not None and args.steps is not None:
        raise InputError("give --to COMMIT or --steps N, not both")
    steps = count_of(args.steps, "--steps", "1 is the previous image") if args.steps is not None else 1
    check_write_flags(args)
    project = find_project(args.project_dir)
    env = project.check_env(args.env)
    plan = plan_rollback(project, env, args.service, args.to, steps)
    refuse_early(plan, args, "rollback")
    print(f"{env}: rolling back to the images {plan.source} ({IMAGES_ONLY})")
    if print_plan(plan, dry_run=args.dry_run, summary=summary_line):
        apply_rollback(plan, render=args.render, commit=args.commit)
    return EXIT_OK
