"""hdgen render: values/ENV.yaml -> rendered/ENV/, or --check that it is fresh."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from hdgen.commands.envargs import add_env_arguments, selected_envs
from hdgen.errors import EXIT_FINDINGS, EXIT_OK

HELP = "render values/ENV.yaml into rendered/ENV/ (atomically; stale files removed)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_env_arguments(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing every missing, extra or different file",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="write DIR/ENV instead of rendered/ENV")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="render up to N envs at once, in worker processes (default: the number of cores)",
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from hdgen.project import find_project
    from hdgen.render import render_envs

    project = find_project(args.project_dir)
    envs = selected_envs(args, project)
    output_dir = args.out if args.out is not None else project.rendered_dir
    stale = False
    print_warnings(project, envs)
    for done in render_envs(project, envs, out=output_dir, check=args.check, jobs=args.jobs):
        env = done.rendered.env
        for folder, changes in done.folders:
            if args.check:
                stale |= not _report_freshness(env, project.relative(folder), changes)
            else:
                print(f"{env}: {changes.summary()} ({project.relative(folder)})")
    return EXIT_FINDINGS if stale else EXIT_OK


def print_warnings(project, envs: list[str]) -> None:
    """Each env's warnings on stderr, `hdgen: warning: file:line: key: message`; they change no exit code.

    Before the render, whose errors (a bad values file) then come last, where a reader looks first.
    """
    import sys

    from hdgen.render.warnings import values_warnings

    for found in values_warnings(project, envs).values():
        for line in found:
            print(f"hdgen: warning: {line}", file=sys.stderr)


def _report_freshness(env: str, shown: str, changes) -> bool:
    """Print whether a folder is fresh, and every difference if not; True when fresh."""
    if changes.unchanged:
        print(f"{env}: fresh ({shown})")
        return True
    print(f"{env}: stale ({shown}): run `hdgen render {env}` and commit the result")
    for word, path in changes.differences():
        print(f"  {word}: {shown}/{path}")
    return False
