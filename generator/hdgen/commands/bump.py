"""hdgen bump: set app image tags (and digests) in values/ENV.yaml, changing nothing else.

The run, in order: plan from one snapshot of the values file (hdgen.ops.bump: the
edited values are checked before anything is written), then under the env's lock
check nobody changed the file meanwhile, replace it atomically, re-render
(--render) and commit (--commit) (hdgen.ops.apply). A failed commit puts every file back.
"""

from __future__ import annotations

import argparse

from hdgen.commands.edits import add_write_arguments, check_write_flags, print_plan, refuse_early
from hdgen.commands.envargs import add_service_argument, complete_envs, complete_image_shas, complete_services
from hdgen.errors import EXIT_OK, InputError

HELP = "set app image tags (and digests) in values/ENV.yaml; every other byte stays as it was"


def complete_digests(prefix: str, parsed_args, **kwargs) -> list[str]:
    return [f"{name}=sha256:" for name in complete_services(prefix.partition("=")[0], parsed_args, **kwargs)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = parser.add_argument("env", metavar="ENV", help="the env whose values/ENV.yaml to edit")
    env.completer = complete_envs  # argcomplete reads this attribute
    sha = parser.add_argument("--sha", required=True, help="the new image tag: a commit SHA, 7-40 lowercase hex")
    sha.completer = complete_image_shas  # the SHAs the envs run; this repository's commits are not image SHAs
    add_service_argument(parser, "bump only this app (repeatable; default: every app of the env)")
    digest = parser.add_argument(
        "--digest",
        action="append",
        default=[],
        metavar="S=sha256:HEX",
        help="also pin app S to this image digest (the tag stays, the image becomes tag@digest; repeatable)",
    )
    digest.completer = complete_digests
    add_write_arguments(parser, "ENV")
    source = parser.add_argument(
        "--source-sha",
        metavar="SHA",
        help="the commit the images were built from: a Source-Commit trailer of the --commit message",
    )
    source.completer = complete_image_shas


def run(args: argparse.Namespace) -> int:
    from hdgen.ops.bump import apply_bump, check_sha, plan_bump
    from hdgen.project import find_project

    project = find_project(args.project_dir)
    env = project.check_env(args.env)
    sha = check_sha(args.sha, "--sha")
    source_sha = check_sha(args.source_sha, "--source-sha") if args.source_sha is not None else None
    check_write_flags(args)
    if source_sha and not args.commit:
        raise InputError("--source-sha only goes into the commit message: add --commit")

    plan = plan_bump(project, env, sha, args.service, args.digest)
    refuse_early(plan, args, "bump")
    if not print_plan(plan, dry_run=args.dry_run, unchanged=""):
        return EXIT_OK
    apply_bump(plan, render=args.render, commit=args.commit, source_sha=source_sha)
    return EXIT_OK
