"""One wording for what is wrong with YAML text: `file:line: problem`.

The problem is ruamel's own words in one line, with three exceptions: a
duplicate key names only the key (the parser's message quotes both values, and
a value may be a secret), a character YAML does not allow is named by its code
point, and a "but found …" problem gets the context it needs to read. Readers
of a manifest stream say "invalid YAML: " before a syntax problem: a finding's
message stands alone in a report, where a values error follows its file.
"""

from __future__ import annotations

import re

from hdgen.errors import InputError
from hdgen.yaml.breaks import line_at

INVALID = "invalid YAML: "  # before a syntax problem in a manifest, see above


class YamlProblem(InputError):
    """YAML text that cannot be read: where (label, 1-based line or None) and what, worded once."""

    def __init__(self, label: str, line: int | None, problem: str) -> None:
        super().__init__(f"{label}:{line}: {problem}" if line is not None else f"{label}: {problem}")
        self.label = label
        self.line = line
        self.problem = problem


def problem_of(error: Exception, text: str, syntax_prefix: str = "") -> tuple[int | None, str]:
    """(1-based line in text or None, the problem in one line) of a ruamel error.

    syntax_prefix goes before problems that are not a duplicate key or a character.
    """
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.reader import ReaderError

    line = error_line(error, text)
    if isinstance(error, DuplicateKeyError):
        found = re.search(r'found duplicate key "([^"]*)"', str(error.problem))
        return line, f"duplicate key {found.group(1)!r}" if found else "duplicate key"
    if isinstance(error, ReaderError) and isinstance(error.character, int):
        return line, f"character U+{error.character:04X} is not allowed in YAML"
    problem = (getattr(error, "problem", None) or getattr(error, "context", None) or str(error) or "invalid YAML").strip()
    context = getattr(error, "context", None)
    if context and problem.startswith("but "):  # "but found another document" needs its context to read
        problem = f"{context.strip()}, {problem}"
    return line, syntax_prefix + one_line(problem)


def error_line(error: Exception, text: str) -> int | None:
    """The 1-based line of text (counted by "\n", breaks.py) a ruamel error points at, if it says."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:  # its index, not its line: the parsers count line breaks that files do not (breaks.py)
        return line_at(text, mark.index)
    position = getattr(error, "position", None)  # ReaderError: a character YAML does not allow
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return None


def one_line(text: str) -> str:
    return " ".join(text.split())
