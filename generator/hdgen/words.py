"""How hdgen says what is wrong: "did you mean", edit distance, and words for odd characters.

Shared by the values model, the values loader, hdgen.yaml, the argument checks and
the commands that take names, so a misspelt app, key, Secret, rule or service gets
the same kind of hint everywhere. Imports nothing heavy: the argument checks run
on every command line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Names of characters that are easy to miss on a terminal.
_INVISIBLE = {" ": "a space", "\t": "a tab", "\n": "a newline", "\r": "a carriage return", "\u00a0": "a no-break space"}


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate word was most likely meant to be (difflib's closest, at ratio 0.6 and up), if any."""
    import difflib

    found = difflib.get_close_matches(word, sorted(set(candidates)), n=1)
    return found[0] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)`, or nothing when no candidate is close."""
    match = closest(word, candidates)
    return f" (did you mean {match!r}?)" if match else ""


def one_edit_from(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when exactly one candidate is one edit from word; for IDs such as HD009,
    where difflib finds every other ID close."""
    near = [c for c in sorted(set(candidates)) if edit_distance(word, c, 1) == 1]
    return f" (did you mean {near[0]!r}?)" if len(near) == 1 else ""


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance of a and b (insert, delete, replace one character), or limit + 1 when it is over limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def char_name(char: str) -> str:
    """A character as a message shows it: 'a', a space, U+0007 (a control character)."""
    if char in _INVISIBLE:
        return _INVISIBLE[char]
    if unicodedata.category(char).startswith(("C", "Z")):
        return f"a control character (U+{ord(char):04X})"
    return repr(char)


def whitespace_problem(value: str, spaces_inside: bool = False) -> str | None:
    """What is wrong with whitespace or control characters in value, in words; None when it has none.

    'has a trailing space', 'ends with a newline', 'has a tab at position 4'.
    spaces_inside: a plain space between other characters is fine (a path).
    """
    for index, char in enumerate(value):
        if not (char.isspace() or unicodedata.category(char).startswith(("C", "Z"))):
            continue
        if spaces_inside and char == " " and 0 < index < len(value) - 1:
            continue
        name = char_name(char)
        if index == len(value) - 1 and index > 0:
            return f"ends with {name}" if char in "\n\r" else f"has a trailing {name.removeprefix('a ')}"
        if index == 0 and len(value) > 1:
            return f"starts with {name}" if char in "\n\r" else f"has a leading {name.removeprefix('a ')}"
        return f"has {name} at position {index + 1}"
    return None


def listed(names: Iterable[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
