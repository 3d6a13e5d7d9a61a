"""One wording for what is wrong with YAML text: `file:line: problem`, in words, with the line and a caret.

The parsers say "expected <block end>, but found '<block mapping start>'"; a person
needs "this key is indented 3 spaces, which lines up with no key above it". So
the common mistakes (bad indentation, a tab, an unclosed quote or bracket, a
duplicate key, `key: value: x`, no space after a colon) are recognised from the
parser's error and the text around it, and said in plain sentences, on the line
where the mistake is (an unclosed quote is where it opens, not where the file
ends). Anything else keeps the parser's own words, without its `<token>` names.

A duplicate key names only the key (the parser's message quotes both values, and
a value may be a secret); the caret line hides a value that looks secret. Readers
of a manifest stream say "invalid YAML: " before a syntax problem: a finding's
message stands alone in a report, where a values error follows its file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hdgen.errors import InputError
from hdgen.yaml.breaks import line_at

INVALID = "invalid YAML: "  # before a syntax problem in a manifest, see above
_TOKENS = {  # the parser's token names, in words, for the problems no sentence below covers
    "<block end>": "the end of the block", "<block mapping start>": "a new key", "<block sequence start>": "a list",
    "<scalar>": "a value", "<stream end>": "the end of the file", "<document start>": "a new document",
    "<flow mapping start>": "'{'", "<flow sequence start>": "'['", "'?'": "a key", "'-'": "a list item",
    "<alias>": "an alias (*name)",
}


class YamlProblem(InputError):
    """YAML text that cannot be read: where (label, 1-based line or None) and what, worded once."""

    def __init__(self, label: str, line: int | None, problem: str, detail: str | None = None) -> None:
        super().__init__(f"{label}:{line}: {problem}" if line is not None else f"{label}: {problem}", detail=detail)
        self.label = label
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class Explained:
    line: int | None  # 1-based, counted by "\n"
    column: int | None  # 0-based, in that line
    words: str


def problem_of(error: Exception, text: str, syntax_prefix: str = "") -> tuple[int | None, str]:
    """(1-based line in text or None, the problem in one line) of a ruamel error.

    syntax_prefix goes before problems that are not a duplicate key or a character.
    """
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.reader import ReaderError

    explained = explain(error, text)
    if isinstance(error, DuplicateKeyError):  # a finding names the key; its report has the object's lines
        return explained.line, explained.words.split(" (first set on line")[0]
    if isinstance(error, ReaderError):
        return explained.line, explained.words
    return explained.line, syntax_prefix + explained.words


def explain(error: Exception, text: str) -> Explained:
    """Where a ruamel error's mistake is, and what it is, in words."""
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.reader import ReaderError

    line = error_line(error, text)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    column = _column(text, mark.index) if mark is not None else None
    if isinstance(error, DuplicateKeyError):
        found = re.search(r'found duplicate key "([^"]*)"', str(error.problem))
        if not found:
            return Explained(line, column, "duplicate key")
        first = _first_setting(text, found.group(1), line, column)
        return Explained(line, column, f"duplicate key {found.group(1)!r}" + (f" (first set on line {first})" if first else ""))
    if isinstance(error, ReaderError) and isinstance(error.character, int):
        position = error.position if isinstance(error.position, int) else None
        return Explained(line, _column(text, position) if position is not None else None,
                         f"character U+{error.character:04X} is not allowed in YAML")
    problem = one_line(str(getattr(error, "problem", None) or ""))
    context = one_line(str(getattr(error, "context", None) or ""))
    left_open = _open_quote_above(text, line) if line is not None and "quoted scalar" not in context else None
    if left_open is not None:
        return left_open
    for pattern, say in _SENTENCES:
        found = re.fullmatch(pattern, problem)
        if found and line is not None and column is not None:
            said = say(_Site(text, line, column, error, found))
            if said is not None:
                return said
    return Explained(line, column, _fallback(problem, context, str(error)))


def _first_setting(text: str, key: str, line: int | None, column: int | None) -> int | None:
    """The line above line where key is set at the same indentation: the first of a duplicate's two."""
    if line is None or column is None:
        return None
    pattern = re.compile(" " * column + re.escape(key) + r"\s*:")
    lines = text.split("\n")[: line - 1]
    for number in range(len(lines), 0, -1):
        content = lines[number - 1]
        if pattern.match(content):
            return number
        if content.strip() and not content.startswith(" " * column):
            return None  # left the mapping
    return None


_QUOTED_VALUE = re.compile(r"""^\s*(?:- )?(?:[^\s'"#][^:#]*:\s+|- )(["'])""")


def _open_quote_above(text: str, line: int) -> Explained | None:
    """A value whose quote opens and does not close on its line, above an error: YAML read on to the
    next quote mark, lines further, and the error the parser names there is only its echo."""
    lines = text.split("\n")
    for number, content in enumerate(lines[: line - 1], 1):
        found = _QUOTED_VALUE.match(content)
        if not found:
            continue
        quote, rest = found.group(1), content[found.end():]
        closed = re.search(r'(?<!\\)"' if quote == '"' else r"'(?!')", rest.replace("''", ""))
        # A quoted value may go on over lines on purpose: blame it only if closing it here mends the error.
        mended = _error_line("\n".join([*lines[: number - 1], content + quote, *lines[number:]])) if closed is None else 0
        if closed is None and (mended is None or mended > line):
            kind = "double-quoted" if quote == '"' else "single-quoted"
            return Explained(number, found.end() - 1, (
                f"this {kind} value is not closed on its line, so YAML reads on into the lines below "
                f"(the error it reports on line {line} comes from that): close it with {quote}"))
    return None


def _error_line(text: str) -> int | None:
    """The line the round-trip parser stops at in text, None when it reads it all."""
    from ruamel.yaml.error import YAMLError

    from hdgen.yaml.engines import roundtrip_loader

    try:
        roundtrip_loader().load(text)
    except YAMLError as error:
        return error_line(error, text)
    return None


def _simple_key(site: _Site) -> Explained | None:
    """"could not find expected ':'": a line that is not `key: value`, such as `key:value`."""
    place = site.context_place()
    if place is None:
        return None
    content = site.at(place[0]).split(" #")[0].rstrip()
    word = content.strip()
    squeezed = re.fullmatch(r"(- )?([^\s:'\"]+):([^\s].*)", word)
    if squeezed:
        key, value = squeezed.group(2), squeezed.group(3)
        return Explained(place[0], place[1] + len(key) + 1, (
            f"no space after the ':' of {word!r}, so YAML reads it as one word, not a key and its value: "
            f"write '{key}: {value}'"))
    return Explained(place[0], place[1], (
        f"{word!r} is a line without ': ', so it is neither a key with a value nor a list item: "
        f"write '{word}: VALUE', or remove the line"))


def _fallback(problem: str, context: str, whole: str) -> str:
    words = problem or context or one_line(whole) or "invalid YAML"
    if context and problem.startswith("but "):  # "but found another document" needs its context to read
        words = f"{context}, {problem}"
    for token, said in _TOKENS.items():
        words = words.replace(token, said)
    return words


@dataclass(frozen=True)
class _Site:
    """The text around a parser error: the line it names (1-based), the column (0-based)."""

    text: str
    line: int
    column: int
    error: Exception
    match: re.Match

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def at(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 1 <= line <= len(lines) else ""

    def above(self) -> tuple[int, str] | None:
        """The nearest line above with content (not blank, not only a comment)."""
        for number in range(self.line - 1, 0, -1):
            content = self.at(number).split(" #")[0].rstrip()
            if content.strip() and not content.lstrip().startswith("#"):
                return number, content
        return None

    def context_place(self) -> tuple[int, int] | None:
        mark = getattr(self.error, "context_mark", None)
        return (line_at(self.text, mark.index), _column(self.text, mark.index)) if mark is not None else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mapping_value_here(site: _Site) -> Explained | None:
    """"mapping values are not allowed here": a second ': ' on a line, or the line above is not a key."""
    here = site.at(site.line)
    before = here[: site.column]
    if re.search(r"\S: ", before) and not before.lstrip().startswith(("- ", "{", "[")):
        key = before.split(":")[0].strip()
        return Explained(site.line, site.column, (
            f"a second ': ' on one line: the value of {key!r} holds ': ', so quote it "
            f"({key}: \"{before.split(': ', 1)[1]}{here[site.column:].strip()}\")"))
    above = site.above()
    if above is None:
        return None
    number, content = above
    word = content.strip()
    squeezed = re.fullmatch(r"(- )?([^\s:'\"]+):([^\s].*)", word)
    if squeezed and ": " not in word:
        key, value = squeezed.group(2), squeezed.group(3)
        return Explained(number, _indent(content) + len(key) + 1 + len(squeezed.group(1) or ""), (
            f"no space after the ':' of {word!r}, so YAML reads it as one word, not a key and its value: "
            f"write '{key}: {value}'"))
    if ":" not in word and not word.startswith(("-", "[", "{")):
        return Explained(number, _indent(content), (
            f"{word!r} is a line without ':', so the key below it cannot start here: "
            f"write '{word}: VALUE', or remove the line"))
    if _indent(here) > _indent(content) and word.startswith("- ") and ":" not in word:
        return Explained(site.line, _indent(here), (
            f"this key is indented under the list item {word[2:]!r}, a plain value, which cannot hold keys: "
            f"indent the key as the list's own key is, or make the item a mapping"))
    if _indent(here) > _indent(content) and not content.rstrip().endswith(":"):
        key = word.lstrip("- ").split(":")[0]
        return Explained(site.line, _indent(here), (
            f"this key is indented more than {key!r} above it, and {key!r} already has a value, so it cannot "
            f"start a new key here: indent it as {key!r} is"))
    return None


def _expected_block_end(site: _Site) -> Explained | None:
    """"expected <block end>, but found X": a line that belongs to no block above it."""
    found = site.match.group(1)
    here = site.at(site.line)
    if found == "'-'":
        return Explained(site.line, site.column, (
            "a list item among the keys of a mapping: put the list under a key of its own "
            "(the key, then the '- ' items indented below it)"))
    if found == "'?'":
        return Explained(site.line, site.column, (
            "a key among the items of a list: start it with '- ' to make it an item, "
            "or indent it less to make it a key beside the list's own key"))
    if found in ("']'", "'}'"):
        return _stray_close(site, found.strip("'"))
    if found == "'<scalar>'":
        return Explained(site.line, site.column, (
            "more text after a complete value (a closing quote or bracket ends it): quote the whole value"))
    if found == "'<block mapping start>'":
        levels = _open_indents(site)
        spaces = _indent(here)
        return Explained(site.line, spaces, (
            f"this key is indented {spaces} space{'s' if spaces != 1 else ''}, which lines up with no key above it "
            f"(they are at {_or(levels)} spaces): indent it like the keys it belongs with"))
    return None


def _stray_close(site: _Site, char: str | None = None) -> Explained:
    char = char or site.match.group(1)
    opening = "[" if char == "]" else "{"
    return Explained(site.line, site.column, f"a closing {char!r} that closes nothing: remove it, or add its {opening!r}")


def _open_indents(site: _Site) -> list[int]:
    """The indentations of the keys a line could belong with: the nearest line above, then each less indented one."""
    levels: list[int] = []
    for number in range(site.line - 1, 0, -1):
        content = site.at(number)
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        level = _indent(content)
        if not levels or level < levels[-1]:
            levels.append(level)
        if level == 0:
            break
    return levels


def _or(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _tab(site: _Site) -> Explained:
    here = site.at(site.line)
    where = "in the indentation" if not here[: site.column].strip() else "after the ':'"
    return Explained(site.line, site.column, f"a tab {where}: YAML indents and separates with spaces only")


def _cannot_start(site: _Site) -> Explained:
    char = site.match.group(1)
    return Explained(site.line, site.column, f"a plain value cannot start with {char!r}: quote the value")


def _unclosed_quote(site: _Site) -> Explained | None:
    place = site.context_place()
    if place is None or "quoted scalar" not in str(getattr(site.error, "context", "")):
        return None
    line, column = place
    quote = site.at(line)[column: column + 1] or '"'
    kind = "double-quoted" if quote == '"' else "single-quoted"
    return Explained(line, column, f"this {kind} value is never closed: the file ends before its closing {quote}")


def _unclosed_flow(site: _Site) -> Explained | None:
    place = site.context_place()
    if place is None:
        return None
    close, got = site.match.group(1), site.match.group(2)
    opening, what = ("[", "list") if close == "]" else ("{", "mapping")
    met = "the end of the file" if got == "<stream end>" else f"{got!r} on line {site.line}"
    return Explained(place[0], place[1], f"the {what} opened with {opening!r} here is not closed before {met}: "
                                        f"add {close!r} where it ends")


_SENTENCES: list[tuple[str, Callable[[_Site], Explained | None]]] = [
    (r"mapping values are not allowed (?:here|in this context)", _mapping_value_here),
    (r"expected <block end>, but found ('[^']*'|<[^>]*>)", _expected_block_end),
    (r"found character '\\t' that cannot start any token", _tab),
    (r"found character '(.)' that cannot start any token", _cannot_start),
    (r"found unexpected end of stream", _unclosed_quote),
    (r"expected ',' or '([\]}])', but got '([^']*)'", _unclosed_flow),
    (r"could not find expected ':'", _simple_key),
    (r"expected '<document start>', but found \('([\]}])',\)", _stray_close),
    (r"found undefined alias '([^']*)'", lambda site: Explained(site.line, site.column, (
        f"'*{site.match.group(1)}' refers to an anchor '&{site.match.group(1)}' that is not defined above it"))),
    (r"but found another document", lambda site: Explained(site.line, site.column, (
        "a second YAML document starts here ('---'): this file holds one mapping"))),
]


# What ruamel's constructors raise, Python's own errors, for a value its explicit tag does not fit.
MISTAGGED = (ValueError, TypeError, OverflowError, KeyError)
_TAG_CHECKS = {  # a core tag, and whether a value fits it
    "tag:yaml.org,2002:int": lambda v: re.fullmatch(r"[-+]?(0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9_]+)", v) is not None,
    "tag:yaml.org,2002:float": lambda v: re.fullmatch(r"[-+]?(\.inf|\.nan|[0-9_]*\.?[0-9_]+([eE][-+]?[0-9]+)?)", v, re.I) is not None,
    "tag:yaml.org,2002:bool": lambda v: v.lower() in ("true", "false", "yes", "no", "on", "off"),
}


def mistagged(text: str) -> Explained:
    """The first value whose explicit tag it does not fit (`!!int x`): ruamel's constructor fails on it
    with Python's own error, which names no line."""
    from hdgen.yaml.engines import roundtrip_loader

    stack = list(roundtrip_loader().compose_all(text))
    while stack:
        node = stack.pop(0)
        if node is None:
            continue
        if isinstance(node.value, list):
            stack[:0] = [part for item in node.value for part in (item if isinstance(item, tuple) else (item,))]
            continue
        fits = _TAG_CHECKS.get(node.tag)
        if fits is not None and isinstance(node.value, str) and not fits(node.value):
            kind = node.tag.rsplit(":", 1)[1]
            return Explained(line_at(text, node.start_mark.index), _column(text, node.start_mark.index),
                             f"!!{kind} {node.value!r}: the value is not a{'n' if kind == 'int' else ''} {kind}; "
                             "write one, or drop the tag")
    return Explained(None, None, "a tagged value that YAML cannot read as its tag says")


def caret(text: str, line: int | None, column: int | None) -> str | None:
    """The line at fault and a caret under its column, as detail lines; a value that looks secret is hidden."""
    from hdgen.patterns import has_credential, key_looks_secret

    lines = text.split("\n")
    if line is None or not 1 <= line <= len(lines):
        return None
    shown = lines[line - 1].rstrip("\r")
    key = re.match(r"\s*(?:- )?([^:#]+):\s", shown)
    if has_credential(shown) or (key and key_looks_secret(key.group(1))):
        shown = (shown[: key.end()] if key else "") + "…"  # the user's own file, but stderr may land in a CI log
    shown = "".join("→" if c == "\t" else ("?" if ord(c) < 32 else c) for c in shown)[:160]
    gutter = f"{line:>5} | "
    under = " " * len(gutter[:-2]) + "| " + " " * min(column or 0, len(shown)) + "^"
    return f"{gutter}{shown}\n{under}"


def error_line(error: Exception, text: str) -> int | None:
    """The 1-based line of text (counted by "\n", breaks.py) a ruamel error points at, if it says."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:  # its index, not its line: the parsers count line breaks that files do not (breaks.py)
        return line_at(text, mark.index)
    position = getattr(error, "position", None)  # ReaderError: a character YAML does not allow
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return None


def _column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, max(index, 0)) + 1)


def one_line(text: str) -> str:
    return " ".join(text.split())
