"""hdgen promote: set DST's app images (tag and digest) to what SRC runs, changing nothing else.

Plan from one snapshot of values/DST.yaml and SRC's merged values (hdgen.ops.promote:
refusals come before any output that looks like progress), print each app's change,
then write, re-render (--render) and commit (--commit) as bump does (hdgen.ops.apply).
"""

from __future__ import annotations

import argparse

from hdgen.commands.edits import add_write_arguments, check_write_flags, print_plan, refuse_early
from hdgen.commands.envargs import add_service_argument, complete_envs
from hdgen.commands.envargs import complete_services as services_of_env  # of parsed_args.env
from hdgen.errors import EXIT_OK

HELP = "set DST's app images (tag and digest) to what SRC runs, in values/DST.yaml; every other byte stays"


def complete_services(prefix: str, parsed_args, **kwargs) -> list[str]:
    """App names of DST, the env being edited."""
    env_args = argparse.Namespace(env=parsed_args.dst, project_dir=getattr(parsed_args, "project_dir", None))
    return services_of_env(prefix, env_args, **kwargs)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_argument("src", metavar="SRC", help="the env whose images to copy (e.g. staging)")
    source.completer = complete_envs  # argcomplete reads this attribute
    target = parser.add_argument("dst", metavar="DST", help="the env whose values/DST.yaml to edit (e.g. prod)")
    target.completer = complete_envs
    add_service_argument(parser, "promote only this app (repeatable; default: every app of DST)", complete_services)
    add_write_arguments(parser, "DST")


def run(args: argparse.Namespace) -> int:
    from hdgen.ops.promote import apply_promote, plan_promote
    from hdgen.project import find_project

    project = find_project(args.project_dir)
    source = project.check_env(args.src)
    target = project.check_env(args.dst)
    check_write_flags(args)

    plan = plan_promote(project, source, target, args.service)
    refuse_early(plan, args, "promote")
    if not print_plan(plan, dry_run=args.dry_run, unchanged=f": {target} already runs {source}'s images, nothing to promote"):
        return EXIT_OK
    apply_promote(plan, source, render=args.render, commit=args.commit)
    return EXIT_OK
