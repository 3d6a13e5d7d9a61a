"""yamledit.set_string: the target scalar changes, every other byte stays."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hdgen.errors import InputError
from hdgen.yaml.edit import set_string
from tests.conftest import REPO

TAG = ("apps", "api", "image", "tag")


def load(text: str):
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # block, each quoting style; trailing comments stay where they were
        ("apps:\n  api:\n    image:\n      tag: old  # c\n", 'apps:\n  api:\n    image:\n      tag: "new"  # c\n'),
        ("apps:\n  api:\n    image:\n      tag: 'old'\n", 'apps:\n  api:\n    image:\n      tag: "new"\n'),
        ('apps:\n  api:\n    image:\n      tag: "old"\n', 'apps:\n  api:\n    image:\n      tag: "new"\n'),
        # flow, with its odd spacing kept
        ("apps:\n  api:\n    image: { tag:  old ,x: 1}\n", 'apps:\n  api:\n    image: { tag:  "new" ,x: 1}\n'),
        # an empty value (null) gets the value after its colon, not at the next key
        ("apps:\n  api:\n    image:\n      tag:\n      x: 1\n", 'apps:\n  api:\n    image:\n      tag: "new"\n      x: 1\n'),
        ("apps:\n  api:\n    image: {tag: , x: 1}\n", 'apps:\n  api:\n    image: {tag: "new" , x: 1}\n'),
        ("apps:\n  api:\n    image:\n      tag: ~\n", 'apps:\n  api:\n    image:\n      tag: "new"\n'),
        # an anchor nobody aliases, and an explicit tag, stay in front of the new value
        ("apps:\n  api:\n    image:\n      tag: &t !!str old\n", 'apps:\n  api:\n    image:\n      tag: &t !!str "new"\n'),
    ],
)
def test_replaces_only_the_scalar(before: str, after: str) -> None:
    assert set_string(before, "v.yaml", TAG, "new") == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # block: a line at the mapping's indentation, after the last entry and its comment
        (
            "apps:\n    api:\n        image:\n            repository: r  # c\n        # next\n    web: {}\n",
            'apps:\n    api:\n        image:\n            repository: r  # c\n            tag: "new"\n        # next\n    web: {}\n',
        ),
        # the image mapping itself missing: inserted under the app, flow style
        ("apps:\n  api:\n    replicas: 1\n", 'apps:\n  api:\n    replicas: 1\n    image: {tag: "new"}\n'),
        # the app missing: block lines at the file's indent step (4 here)
        (
            "apps:\n    web:\n        replicas: 1\n",
            'apps:\n    web:\n        replicas: 1\n    api:\n        image: {tag: "new"}\n',
        ),
        # no apps at all, no newline at the end
        ("registry: r", 'registry: r\napps:\n  api:\n    image: {tag: "new"}'),
        # after a literal block scalar, which ends with its own newline
        (
            "apps:\n  api:\n    image:\n      note: |\n        text\n",
            'apps:\n  api:\n    image:\n      note: |\n        text\n      tag: "new"\n',
        ),
        # flow mappings: appended after the last entry; an empty one gets the first entry
        ("apps: {api: {image: {repository: r}}}\n", 'apps: {api: {image: {repository: r, tag: "new"}}}\n'),
        ("apps: {api: {image: {}}}\n", 'apps: {api: {image: {tag: "new"}}}\n'),
        ("apps: {api: {replicas: 1}}\n", 'apps: {api: {replicas: 1, image: {tag: "new"}}}\n'),
        # CRLF files get CRLF lines
        ("apps:\r\n  api:\r\n    replicas: 1\r\n", 'apps:\r\n  api:\r\n    replicas: 1\r\n    image: {tag: "new"}\r\n'),
    ],
)
def test_inserts_missing_keys_in_the_mappings_style(before: str, after: str) -> None:
    assert set_string(before, "v.yaml", TAG, "new") == after
    assert load(after)["apps"]["api"]["image"]["tag"] == "new"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("base: &img {tag: old}\napps:\n  api:\n    image: *img\n", "v.yaml:4: apps.api.image: is an alias of &img (line 1)"),
        ("apps:\n  api:\n    image: {tag: &t old}\n  web:\n    image: {tag: *t}\n", "v.yaml:3: apps.api.image.tag: carries the anchor &t"),
        ("apps:\n  api: &a\n    image: {tag: old}\n  web: *a\n", "v.yaml:2: apps.api: carries the anchor &a"),
        (
            "base: &b {image: {tag: old}}\napps:\n  api:\n    <<: *b\n    replicas: 1\n",
            "v.yaml:4: apps.api.image: comes from the merge key '<<'",
        ),
        ("apps:\n  api:\n    image: old\n", "v.yaml:3: apps.api.image: expected a mapping, found a scalar"),
        ("apps:\n  api:\n    image:\n      tag: [a]\n", "v.yaml:4: apps.api.image.tag: expected a string, found a list"),
        ("- a\n", "v.yaml:1: expected a mapping of values"),
    ],
)
def test_refuses_shared_or_misshapen_targets(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        set_string(text, "v.yaml", TAG, "new")
    assert caught.value.message.startswith(message)


def test_merge_key_that_does_not_provide_the_key_allows_the_insert() -> None:
    text = "base: &b {replicas: 1}\napps:\n  api:\n    <<: *b\n    cpu: 1\n"
    edited = set_string(text, "v.yaml", TAG, "new")
    assert edited == text + '    image: {tag: "new"}\n'


@settings(max_examples=60, deadline=None)
@given(sha=st.text(alphabet="0123456789abcdef", min_size=7, max_size=40), app=st.sampled_from(["api", "web"]))
def test_any_sha_reads_back_as_that_string_and_only_its_line_changes(sha: str, app: str) -> None:
    before = (REPO / "values" / "prod.yaml").read_text()
    after = set_string(before, "values/prod.yaml", ("apps", app, "image", "tag"), sha)
    assert load(after)["apps"][app]["image"]["tag"] == sha
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(old, new) for old, new in zip(old_lines, new_lines) if old != new]
    assert changed == [('    image: {tag: "d3708e6"}', f'    image: {{tag: "{sha}"}}')] or sha == "d3708e6"


@pytest.mark.parametrize(
    ("before", "path", "after"),
    [
        # an integer is written plain, so it reads back as an int
        ("secrets:\n  app: s\n", ("secrets", "revisions", "s"), "secrets:\n  app: s\n  revisions: {s: 3}\n"),
        ("secrets:\n  revisions: {s: 2}\n", ("secrets", "revisions", "s"), "secrets:\n  revisions: {s: 3}\n"),
        ("secrets:\n  revisions:\n    s: 2  # c\n", ("secrets", "revisions", "s"), "secrets:\n  revisions:\n    s: 3  # c\n"),
        # a new key that would read back as something else is quoted
        ("a: 1\n", ("revisions", "123"), 'a: 1\nrevisions: {"123": 3}\n'),
        ("a: 1\n", ("revisions", "null"), 'a: 1\nrevisions: {"null": 3}\n'),
    ],
)
def test_set_integer_writes_a_plain_integer(before: str, path: tuple[str, ...], after: str) -> None:
    from hdgen.yaml.edit import set_integer

    assert set_integer(before, "v.yaml", path, 3) == after
    node = load(after)
    for key in path:
        node = node[key]
    assert node == 3 and type(node) is int


@pytest.mark.parametrize(("before", "after"), [
    ('api:\n  image: {tag: "a", digest: "sha256:x"}\n', 'api:\n  image: {tag: "a", digest: null}\n'),
    ('api:\n  image: {tag: "a"}\n', 'api:\n  image: {tag: "a", digest: null}\n'),
    ("api:\n  image:\n    tag: a  # kept\n    digest: x  # kept\n", "api:\n  image:\n    tag: a  # kept\n    digest: null  # kept\n"),
    ("api:\n  image:\n    tag: a\n", "api:\n  image:\n    tag: a\n    digest: null\n"),
])
def test_set_null_replaces_or_inserts_a_null(before: str, after: str) -> None:
    """rollback's edit when the earlier image had no digest: null, which the values merge reads as no key."""
    from hdgen.yaml.edit import set_null

    assert set_null(before, "x.yaml", ("api", "image", "digest")) == after
