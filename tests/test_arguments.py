"""Every argument of every command refuses whitespace and control characters at parse time, naming it.

Walks the real parser, so an argument added later is covered without a new test.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from hdgen.cli import COMMANDS, build_parser, main
from hdgen.commands.argcheck import _PATH_METAVARS, text_problem


def _arguments(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[tuple]:
    """(command words, the positionals before it, the action) of every argument that takes a value."""
    positionals = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                yield from _arguments(command, (*words, name))
        elif action.nargs != 0 and "--help" not in action.option_strings:
            yield words, list(positionals), action
            if not action.option_strings:
                positionals.append(action)


ARGUMENTS = list(_arguments(build_parser()))


def _command_line(words: tuple[str, ...], before: list, action, value: str) -> list[str]:
    args = list(words) + ["prod"] * len(before)
    return args + ([action.option_strings[-1], value] if action.option_strings else [value])


def _name(action) -> str:
    return "/".join(action.option_strings) or action.metavar or action.dest


def _is_path(action) -> bool:
    return action.type is Path or getattr(action.type, "__name__", "") == "Path" or action.metavar in _PATH_METAVARS


BAD = ["abcdef1\n", "abc def", "abc\t", " abc", "a\x07b"]
# A space inside a path is fine (a folder named "My Project"); everything else is refused everywhere.
CASES = [(words, before, action, value) for words, before, action in ARGUMENTS for value in BAD
         if not (value == "abc def" and _is_path(action))]


@pytest.mark.parametrize("words,before,action,value", CASES,
                         ids=[f"{' '.join(c[0])} {_name(c[2])} {c[3]!r}" for c in CASES])
def test_every_argument_refuses_whitespace_naming_itself(capsys, words, before, action, value) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(_command_line(words, before, action, value))
    assert stopped.value.code == 2
    shown = "/".join(action.option_strings) or action.metavar or action.dest
    assert f"argument {shown}: {value!r} " in capsys.readouterr().err


def test_the_walk_sees_every_command() -> None:
    commands = {words[0] for words, _, _ in ARGUMENTS if words}
    assert commands == set(COMMANDS) - {"values-schema"}  # values-schema has flags only
    assert len(ARGUMENTS) > 40


def test_a_newline_after_the_sha_is_refused_before_anything_runs(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["bump", "prod", "--sha", "1a2b3c4d\n"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "hdgen bump: error: argument --sha: '1a2b3c4d\\n' ends with a newline: this argument takes no whitespace "
        "or control character"
    )


@pytest.mark.parametrize(
    "value,path,expected",
    [
        ("main ", False, "'main ' has a trailing space: this argument takes no whitespace or control character"),
        ("api\t", False, "'api\\t' has a trailing tab: this argument takes no whitespace or control character"),
        ("a\x07b", False, "'a\\x07b' has a control character (U+0007) at position 2: this argument takes no "
                          "whitespace or control character"),
        ("my dir/report.md", True, None),
        ("my dir/ ", True, "'my dir/ ' has a trailing space: a path may hold spaces, but not at either end, and no "
                           "tab, line break or control character"),
        ("a\nb", True, "'a\\nb' has a newline at position 2: a path may hold spaces, but not at either end, and no "
                       "tab, line break or control character"),
    ],
)
def test_the_words_for_each_kind_of_argument(value: str, path: bool, expected: str | None) -> None:
    assert text_problem(value, path) == expected
