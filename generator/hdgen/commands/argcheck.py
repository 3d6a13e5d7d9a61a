"""Every argument of every command refuses whitespace and control characters when it is parsed.

`hdgen bump prod --sha "$(cat sha.txt)"` with a newline at the end used to pass the
SHA check and fail later on a values line the user never touched. Now argparse
refuses it at once, naming the argument (`argument --sha: '1a2b3c4\\n' ends with a
newline`), exit 2. Names, SHAs, refs, URLs and formats take no whitespace at all;
a path may hold a space inside (a folder named "My Project"), but not at either
end, and no control character.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# Metavars of arguments that are paths, besides those typed Path.
_PATH_METAVARS = {"FILE", "DIR", "PATH", "ENV|PATH"}


def guard(parser: argparse.ArgumentParser) -> None:
    """Wrap the type of every argument of parser and its subcommands in the check."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):  # aliases share one parser
                guard(command)
        elif action.nargs != 0 and action.option_strings != ["-h", "--help"] and not _wrapped(action.type):
            action.type = _checked(action.type, path=action.type is Path or action.metavar in _PATH_METAVARS)


def _wrapped(kind) -> bool:
    return getattr(kind, "_hdgen_checked", False)


def _checked(kind, path: bool):
    convert = kind if kind is not None else str

    def check(text: str):
        problem = text_problem(text, path)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return convert(text)

    check._hdgen_checked = True
    check.__name__ = getattr(convert, "__name__", "value")  # argparse names the type in its own messages
    return check


def text_problem(text: str, path: bool = False) -> str | None:
    """What is wrong with an argument's text, in words; None when nothing is."""
    # The common case without importing the words (this runs on every argument of every command):
    # printable means no control character and no whitespace but the plain space.
    if text.isprintable() and (text == text.strip(" ") if path else " " not in text):
        return None
    from hdgen.words import whitespace_problem

    problem = whitespace_problem(text, spaces_inside=path)
    if problem is None:
        return None
    if path:
        return f"{text!r} {problem}: a path may hold spaces, but not at either end, and no tab, line break or control character"
    return f"{text!r} {problem}: this argument takes no whitespace or control character"
