"""Arguments shared by the commands that edit values (bump, rotate): --dry-run, --render, --commit."""

from __future__ import annotations

import argparse

from hdgen.errors import InputError


def add_edit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print the change as a unified diff; write nothing")
    parser.add_argument("--render", action="store_true", help="re-render rendered/ENV afterwards")
    parser.add_argument(
        "--commit",
        action="store_true",
        help="commit the values file (and rendered/ENV with --render) in one git commit",
    )


def check_edit_arguments(args: argparse.Namespace) -> None:
    """Refuse flag combinations that contradict each other, before anything is read."""
    if args.dry_run and (args.render or args.commit):
        raise InputError("--dry-run writes nothing: drop --render and --commit, or drop --dry-run")
