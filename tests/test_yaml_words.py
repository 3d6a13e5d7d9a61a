"""YAML syntax errors in words: each common mistake as a sentence on the line of the mistake, with a caret.

load_with_lines reads values files and hdgen.yaml; the same words reach manifest findings
(with "invalid YAML: " before them) through problem_of.
"""

from __future__ import annotations

import pytest

from hdgen.errors import InputError
from hdgen.yaml.read import load_with_lines

CASES = [
    ('indented more than the key above', 'apps:\n  api:\n    component: api\n      image: x\n',
     "v.yaml:4: this key is indented more than 'component' above it, and 'component' already has a value, so it cannot start a new key here: indent it as 'component' is"),
    ('indented between two levels', 'apps:\n  api:\n    component: api\n   image: x\n',
     'v.yaml:4: this key is indented 3 spaces, which lines up with no key above it (they are at 4, 2 or 0 spaces): indent it like the keys it belongs with'),
    ('indented under a plain list item', 'a:\n- b\n  c: d\n',
     "v.yaml:3: this key is indented under the list item 'b', a plain value, which cannot hold keys: indent the key as the list's own key is, or make the item a mapping"),
    ('key: value: x', 'registry: gitea: x\n',
     'v.yaml:1: a second \': \' on one line: the value of \'registry\' holds \': \', so quote it (registry: "gitea: x")'),
    ('no space after a colon', 'registry:gitea\nnamespace: x\n',
     "v.yaml:1: no space after the ':' of 'registry:gitea', so YAML reads it as one word, not a key and its value: write 'registry: gitea'"),
    ('no space after a colon, last key', 'a:\n  b: 1\n  revision:main\n',
     "v.yaml:3: no space after the ':' of 'revision:main', so YAML reads it as one word, not a key and its value: write 'revision: main'"),
    ('a line without a colon', 'a\nb: c\n',
     "v.yaml:1: 'a' is a line without ':', so the key below it cannot start here: write 'a: VALUE', or remove the line"),
    ('a tab in the indentation', 'apps:\n\tapi: {}\n',
     'v.yaml:2: a tab in the indentation: YAML indents and separates with spaces only'),
    ('a tab after the colon', 'apps:\n  api:\t{}\n',
     "v.yaml:2: a tab after the ':': YAML indents and separates with spaces only"),
    ('an unclosed double quote', 'registry: "gitea\nnamespace: x\n',
     'v.yaml:1: this double-quoted value is never closed: the file ends before its closing "'),
    ('an unclosed single quote', "registry: 'gitea\nnamespace: x\n",
     "v.yaml:1: this single-quoted value is never closed: the file ends before its closing '"),
    ('a quote left open above a later error', 'x: 1\nDB: "hunter2\nb: 2\nc: {t: "x"}\nd: 3\n',
     'v.yaml:2: this double-quoted value is not closed on its line, so YAML reads on into the lines below (the error it reports on line 4 comes from that): close it with "'),
    ('a multi-line quote is not blamed for a later error', 'a: "one\n  two"\nb: [x\n',
     "v.yaml:3: the list opened with '[' here is not closed before the end of the file: add ']' where it ends"),
    ('an unclosed list', 'registry: [a, b\nnamespace: x\n',
     "v.yaml:1: the list opened with '[' here is not closed before ':' on line 2: add ']' where it ends"),
    ('an unclosed mapping at the end', 'registry: {a: b\n',
     "v.yaml:1: the mapping opened with '{' here is not closed before the end of the file: add '}' where it ends"),
    ('a stray closing bracket', '[a, b]]\n',
     "v.yaml:1: a closing ']' that closes nothing: remove it, or add its '['"),
    ('a stray closing brace', 'a: {b: c}}\n',
     "v.yaml:1: a closing '}' that closes nothing: remove it, or add its '{'"),
    ('a list item among keys', 'apps:\n  api: x\n  - y\n',
     "v.yaml:3: a list item among the keys of a mapping: put the list under a key of its own (the key, then the '- ' items indented below it)"),
    ('a key among list items', 'a:\n  - x\n  b: y\n',
     "v.yaml:3: a key among the items of a list: start it with '- ' to make it an item, or indent it less to make it a key beside the list's own key"),
    ('text after a quoted value', "a: 'x' y\n",
     'v.yaml:1: more text after a complete value (a closing quote or bracket ends it): quote the whole value'),
    ('a value starting with %', 'a: %x\n',
     "v.yaml:1: a plain value cannot start with '%': quote the value"),
    ('a value starting with a backtick', 'a: `x\n',
     "v.yaml:1: a plain value cannot start with '`': quote the value"),
    ('an undefined alias', 'a: *x\n',
     "v.yaml:1: '*x' refers to an anchor '&x' that is not defined above it"),
    ('a second document', 'a: 1\n---\nb: 2\n',
     "v.yaml:2: a second YAML document starts here ('---'): this file holds one mapping"),
    ('a duplicate key', 'registry: a\nregistry: b\n',
     "v.yaml:2: duplicate key 'registry' (first set on line 1)"),
    ('a value its tag does not fit', 'a: !!bool maybe\n',
     "v.yaml:1: !!bool 'maybe': the value is not a bool; write one, or drop the tag"),
    ("the parser's words, without its token names", 'a: &x\n  *y\n',
     "v.yaml:2: expected the end of the block, but found 'an alias (*name)'"),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_in_words(name: str, text: str, expected: str) -> None:
    with pytest.raises(InputError) as error:
        load_with_lines(text, "v.yaml")
    assert error.value.message == expected
    assert "<" not in error.value.message  # none of the parser's <token> names


def test_the_line_and_a_caret_under_the_mistake() -> None:
    with pytest.raises(InputError) as error:
        load_with_lines("apps:\n  api:\n    component: api\n      image: x\n", "v.yaml")
    assert error.value.detail == "    4 |       image: x\n      |       ^"


def test_a_tab_shows_as_an_arrow_so_the_caret_lines_up() -> None:
    with pytest.raises(InputError) as error:
        load_with_lines("apps:\n  api:\t{}\n", "v.yaml")
    assert error.value.detail == "    2 |   api:\u2192{}\n      |       ^"


@pytest.mark.parametrize("line", ['  DB_PASSWORD: "hunter2', '  URL: "postgres://app:hunter2@db/app'])
def test_the_caret_line_hides_a_value_that_looks_secret(line: str) -> None:
    with pytest.raises(InputError) as error:
        load_with_lines(f"config:\n{line}\n", "v.yaml")
    assert "hunter2" not in error.value.message + error.value.detail
    assert error.value.detail.splitlines()[0].endswith(": \u2026")
