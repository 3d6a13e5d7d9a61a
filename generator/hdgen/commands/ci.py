"""hdgen ci: everything a pull request needs, in one command and one exit code."""

from __future__ import annotations

import argparse
from pathlib import Path

from hdgen.commands.envargs import add_base_argument
from hdgen.errors import EXIT_FINDINGS, EXIT_OK, EXIT_TOOL

HELP = "check a change like CI: values load, render is fresh and committed, validation passes, diff report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_base_argument(parser, "git ref to diff against (default: the merge base with main, else master, else HEAD)")
    parser.add_argument("--report", type=Path, metavar="FILE", help="write the markdown report (for a PR comment)")
    parser.add_argument("--sarif", type=Path, metavar="FILE", help="write the validation findings as SARIF 2.1.0")


def run(args: argparse.Namespace) -> int:
    from hdgen.ci import run_ci
    from hdgen.project import find_project
    from hdgen.safewrite import write_text_atomically

    project = find_project(args.project_dir)
    result = run_ci(project, args.base)
    for check in result.checks:
        print(f"{'ok  ' if check.passed else 'FAIL'} {check.name}")
        for line in check.lines:
            print(f"       {line}")
        for fix in check.fixes:
            print(f"       to fix: {fix}")
    if args.report is not None:
        write_text_atomically(args.report, result.report_markdown)
        print(f"report: {args.report}")
    if args.sarif is not None and result.validation is not None:
        from hdgen.report.writers import writer

        write_text_atomically(args.sarif, writer("sarif")(result.validation))
        print(f"sarif: {args.sarif}")
    failed = [check.name for check in result.checks if not check.passed]
    print(f"hdgen ci: {'passed' if not failed else f'{len(failed)} of {len(result.checks)} checks failed'}")
    if result.tool_failed:
        return EXIT_TOOL
    return EXIT_FINDINGS if failed else EXIT_OK
