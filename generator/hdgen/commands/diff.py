"""hdgen diff: what a change does to the cluster, from the committed tree at a base ref to a fresh render."""

from __future__ import annotations

import argparse
import os
import sys

from hdgen.commands.envargs import add_base_argument, complete_envs
from hdgen.diff.formats import FORMATS
from hdgen.errors import EXIT_FINDINGS, EXIT_OK

HELP = "semantic diff of rendered/ENV at a git ref against a fresh render, with the rollout impact of each change"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = parser.add_argument("env", metavar="ENV", help="env name (values/ENV.yaml)")
    env.completer = complete_envs  # argcomplete reads this attribute
    add_base_argument(
        parser, "git ref of the base tree (default: the merge base with main, else master, else origin/HEAD, else HEAD)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when there are differences")


def run(args: argparse.Namespace) -> int:
    from hdgen.diff.formats import writer
    from hdgen.diff.review import build_review
    from hdgen.project import find_project

    project = find_project(args.project_dir)
    # Colour only for a person at a terminal; NO_COLOR (set, not empty) turns it off.
    write = writer(args.format, color=sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    report = build_review(project, args.env, args.base)
    text = write(report)
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_FINDINGS if args.exit_code and report.changed else EXIT_OK
