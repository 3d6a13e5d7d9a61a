# PYTHON_ARGCOMPLETE_OK
"""The hdgen command line: parse, dispatch to commands/<name>.py, map errors to exit codes.

Command modules keep their heavy imports inside run(), so `hdgen --help` and
tab completion load only argparse and the command tables.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from hdgen import __version__
from hdgen.commands.argcheck import guard
from hdgen.errors import EXIT_INTERRUPTED, EXIT_TOOL, HdgenError

# Subcommand name -> module under hdgen.commands. Each module has HELP,
# add_arguments(parser) and run(args) -> exit code.
COMMANDS = {
    "render": "render",
    "validate": "validate",
    "bump": "bump",
    "promote": "promote",
    "history": "history",
    "rollback": "rollback",
    "diff": "diff",
    "ci": "ci",
    "rules": "rules",
    "schemas": "schemas",
    "values-schema": "values_schema",
    "comment": "comment",
    "rotate": "rotate",
}


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized as argparse does (COLUMNS, else the terminal, else 80, less 2)
    but without importing shutil for it: that import (zlib, bz2, lzma) was 4 ms of every run."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with only, just that command (a run needs no other command's options)."""
    parser = argparse.ArgumentParser(
        prog="hdgen",
        formatter_class=_HelpFormatter,
        description="Render, validate and review the honeyDue Kubernetes manifests from typed values.",
        epilog="Exit codes: 0 ok, 1 findings/differences, 2 usage or input error, "
        "3 a tool failed, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"hdgen {__version__}")
    parser.add_argument(
        "-C",
        dest="project_dir",
        metavar="DIR",
        type=Path,
        help="run as if started in DIR (default: the nearest folder with a values/ folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"hdgen.commands.{module_name}")
        command_parser = sub.add_parser(name, help=module.HELP, description=module.HELP, formatter_class=_HelpFormatter)
        module.add_arguments(command_parser)
        command_parser.set_defaults(run=module.run)
    guard(parser)  # every argument refuses whitespace and control characters (commands/argcheck.py)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command argv runs, if it names one: then only that command needs building
    (building all nine took a fifth of a cached `hdgen render`; `hdgen --help` still lists them all)."""
    skip_next = False
    for token in argv:
        if skip_next:
            skip_next = False
        elif token == "-C":
            skip_next = True
        elif not token.startswith("-"):
            return token if token in COMMANDS else None
    return None


def print_error(error: HdgenError) -> None:
    """Each error as `hdgen: error: …` with its detail lines under it; after several, their count."""
    errors = error.each()
    for one in errors:
        print(f"hdgen: error: {one.message}", file=sys.stderr)
        if one.detail:
            print(one.detail.rstrip(), file=sys.stderr)
    if len(errors) > 1:
        print(f"hdgen: {error.message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    completing = "_ARGCOMPLETE" in os.environ
    parser = build_parser(None if completing else _command_in(sys.argv[1:] if argv is None else argv))
    if completing:
        import argcomplete

        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except HdgenError as error:
        print_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        print("hdgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `hdgen … | head`: the reader left; not an error worth a message.
        sys.stderr.close()
        return 0
    except Exception as error:  # a bug in hdgen: say so in one line, traceback on request
        if os.environ.get("HDGEN_DEBUG"):
            raise
        print(
            f"hdgen: internal error: {type(error).__name__}: {error} "
            "(set HDGEN_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_TOOL


def entry() -> None:
    """The `hdgen` program: main(), then leave without tearing the interpreter down.

    Finalising every module and object (pydantic's model classes, Jinja2's) cost
    about 0.06 s of CPU at the end of every run, a tenth of a cold render. Every
    file hdgen writes is closed by then (each write is a `with` block, and so is
    every worker pool and scratch folder), so only the standard streams need a flush.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader left, or the stream was closed on purpose
        pass
    os._exit(code)
