"""A file's lines as hdgen names them, from the lines and positions the YAML parsers report.

A line in a finding or an error is counted by "\\n", as editors, grep and
kubectl's document splitter count (an editor shows a stray "\\r" as ^M). The
parsers count otherwise: ruamel's Python parser also breaks a line at a lone
"\\r", and the C parsers (libyaml) at NEL, LS and PS too (U+0085, U+2028,
U+2029, YAML 1.1's breaks). Their marks drifted by one line per such
character: in a file with doubled line ends ("\\r\\r\\n", a CRLF file
converted twice) every error and key line was twice the real one. A mark's
character index is exact in every parser: errors take their line from it
(line_at). The round-trip loader keeps only lines for keys: line_table maps
its lines, and those of ruamel's Python event parser, to the file's.
"""

from __future__ import annotations

import re

_LONE_CR = re.compile("\r(?!\n)")  # a break for ruamel's Python parser that "\n" does not count
_BREAK = re.compile("\r\n|\n|\r")  # its breaks


def line_at(text: str, index: int) -> int:
    """The 1-based line of text that the character at index is on."""
    return text.count("\n", 0, max(index, 0)) + 1


def line_table(text: str) -> list[int] | None:
    """The 1-based file line of each line of text as ruamel's Python parser counts them (0-based);
    None when the two counts agree, as in nearly every file (no lone "\\r" in it)."""
    if not _LONE_CR.search(text):
        return None
    table = [1]
    line = 1
    for found in _BREAK.finditer(text):
        if found.group().endswith("\n"):
            line += 1
        table.append(line)
    return table


def file_line(parser_line: int, table: list[int] | None) -> int:
    """The 1-based file line of a Python parser's 0-based line, with the table line_table gave for the text."""
    if table is None:
        return parser_line + 1
    return table[min(max(parser_line, 0), len(table) - 1)]
