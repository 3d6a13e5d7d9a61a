"""What the commands that edit values share (bump, promote, rollback, rotate): --dry-run, --render, --commit, and the plan's output.

The plan is printed, one line per app, before anything is written; a refusal
raised while planning therefore leaves no line that reads like progress.
"""

from __future__ import annotations

import argparse

from hdgen.errors import InputError


def add_write_arguments(parser: argparse.ArgumentParser, env: str) -> None:
    """env: how the help names the edited env (ENV, DST)."""
    parser.add_argument("--dry-run", action="store_true", help="print the change as a unified diff; write nothing")
    parser.add_argument("--render", action="store_true", help=f"re-render rendered/{env} afterwards")
    parser.add_argument(
        "--commit",
        action="store_true",
        help=f"commit values/{env}.yaml (and rendered/{env} with --render) in one git commit",
    )


def check_write_flags(args: argparse.Namespace) -> None:
    if args.dry_run and (args.render or args.commit):
        raise InputError("--dry-run writes nothing: drop --render and --commit, or drop --dry-run")


def refuse_early(plan, args: argparse.Namespace, operation: str) -> None:
    """Refuse what applying the plan would refuse, before anything is printed: a --commit whose
    files have uncommitted changes (bump used to print `api: a -> b` first, then refuse)."""
    if args.commit and not args.dry_run and getattr(plan, "changed", True):  # a plan that changes nothing commits nothing
        from hdgen.ops.apply import clean_git

        paths = [plan.values_path] + ([plan.project.rendered_dir / plan.env] if args.render else [])
        clean_git(plan.project, paths, operation)


def print_plan(plan, *, dry_run: bool, unchanged: str = "", summary=None) -> bool:
    """Print each app's change (and the diff with dry_run); True when the plan is still to be written.

    plan: hdgen.ops.bump.PlannedBump; unchanged: what to say after `values/ENV.yaml: unchanged`;
    summary: the line of one change (default: bump's summary_line).
    """
    from hdgen.ops.bump import summary_line, unified_diff

    for change in plan.changes:
        print((summary or summary_line)(change))
    if not plan.changed:
        print(f"{plan.label}: unchanged{unchanged}")
        return False
    if dry_run:
        print(unified_diff(plan.original, plan.edited, plan.label), end="")
        return False
    return True
