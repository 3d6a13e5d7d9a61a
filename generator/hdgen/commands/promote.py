"""hdgen promote: set DST's app images (tag and digest) to what SRC runs, changing nothing else.

Plan from one snapshot of values/DST.yaml and SRC's merged values (hdgen.ops.promote:
refusals come before any output that looks like progress), print each app's change,
then write, re-render (--render) and commit (--commit) as bump does (hdgen.ops.apply).
"""

from __future__ import annotations

import argparse

from hdgen.commands.envargs import complete_envs
from hdgen.errors import EXIT_OK, InputError

HELP = "set DST's app images (tag and digest) to what SRC runs, in values/DST.yaml; every other byte stays"


def complete_services(prefix: str, parsed_args, **kwargs) -> list[str]:
    """App names of DST, the env being edited."""
    from hdgen.commands.bump import complete_services as services_of_env

    env_args = argparse.Namespace(env=parsed_args.dst, project_dir=getattr(parsed_args, "project_dir", None))
    return services_of_env(prefix, env_args, **kwargs)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_argument("src", metavar="SRC", help="the env whose images to copy (e.g. staging)")
    source.completer = complete_envs  # argcomplete reads this attribute
    target = parser.add_argument("dst", metavar="DST", help="the env whose values/DST.yaml to edit (e.g. prod)")
    target.completer = complete_envs
    service = parser.add_argument(
        "--service",
        action="append",
        metavar="S",
        help="promote only this app (repeatable; default: every app of DST)",
    )
    service.completer = complete_services
    parser.add_argument("--dry-run", action="store_true", help="print the change as a unified diff; write nothing")
    parser.add_argument("--render", action="store_true", help="re-render rendered/DST afterwards")
    parser.add_argument(
        "--commit",
        action="store_true",
        help="commit values/DST.yaml (and rendered/DST with --render) in one git commit",
    )


def run(args: argparse.Namespace) -> int:
    from hdgen.ops.bump import summary_line, unified_diff
    from hdgen.ops.promote import apply_promote, plan_promote
    from hdgen.project import find_project

    project = find_project(args.project_dir)
    source = project.check_env(args.src)
    target = project.check_env(args.dst)
    if args.dry_run and (args.render or args.commit):
        raise InputError("--dry-run writes nothing: drop --render and --commit, or drop --dry-run")

    plan = plan_promote(project, source, target, args.service)
    for change in plan.changes:
        print(summary_line(change))
    if not plan.changed:
        print(f"{plan.label}: unchanged: {target} already runs {source}'s images, nothing to promote")
        return EXIT_OK
    if args.dry_run:
        print(unified_diff(plan.original, plan.edited, plan.label), end="")
        return EXIT_OK
    apply_promote(plan, source, render=args.render, commit=args.commit)
    return EXIT_OK
