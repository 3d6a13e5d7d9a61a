"""The loader on its own: document splitting, lines, and lazily read key lines."""

from __future__ import annotations

from pathlib import Path

from hdgen.objects.record import Document
from hdgen.validate.kubeconform import _key_path, _redact
from hdgen.objects.reader import load_documents
from hdgen.yaml.stream import split_documents


def test_split_keeps_each_documents_first_line():
    text = "---\na: 1\n--- # second\nb: 2\n---\n"
    assert split_documents(text) == [(1, "a: 1\n"), (3, "b: 2\n")]


def test_key_lines_are_read_on_first_use_and_point_into_the_file(tmp_path: Path):
    path = tmp_path / "two.yaml"
    path.write_text("# head\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n")
    documents, findings = load_documents([path], tmp_path)
    assert findings == []
    first, second = documents
    assert (first.file, first.line, second.line) == ("two.yaml", 2, 7)
    assert second.key_lines == {}  # nothing read until a finding asks
    assert second.line_of("spec", "containers", 0, "image") == 14
    assert second.line_of("spec", "nothing", "here") == 11  # deepest known key
    assert first.line_of("metadata", "name") == 5


def test_hidden_folders_and_kustomization_are_skipped(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("kind: Nope\n")
    (tmp_path / "kustomization.yaml").write_text("resources: []\n")
    (tmp_path / "PROVENANCE").write_text("command: x\n")
    assert load_documents([tmp_path], tmp_path) == ([], [])


def test_not_utf8_is_a_parse_finding_with_line(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"apiVersion: v1\nkind: \xff\n")
    documents, findings = load_documents([path], tmp_path)
    assert documents == [] and [(f.line, f.rule, f.message) for f in findings] == [(2, "parse", "not UTF-8 text (byte 0xff)")]


def test_schema_messages_about_secrets_hide_quoted_values():
    secret = Document(file="s.yaml", line=1, body={"kind": "Secret", "apiVersion": "v1"})
    config = Document(file="c.yaml", line=1, body={"kind": "ConfigMap", "apiVersion": "v1"})
    message = "'hunter2' does not match pattern '^x$'"
    assert _redact(secret, message) == "'***' does not match pattern '***'"
    assert _redact(config, message) == message


def test_pointer_becomes_key_path_with_list_indexes():
    body = {"spec": {"containers": [{"name": "a"}], "labels": {"0": "x"}}}
    assert _key_path(body, "/spec/containers/0/name") == ("spec", "containers", 0, "name")
    assert _key_path(body, "/spec/labels/0") == ("spec", "labels", "0")


def test_a_yaml_directive_is_a_clear_parse_finding_and_the_document_is_still_read(tmp_path: Path):
    manifest = tmp_path / "directive.yaml"
    manifest.write_text("%YAML 1.1\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    documents, findings = load_documents([manifest], tmp_path)
    assert [d.kind for d in documents] == ["Namespace"]
    assert [(f.line, f.rule) for f in findings] == [(1, "parse")]
    assert "YAML directive '%YAML 1.1'" in findings[0].message and "remove the line" in findings[0].message


def test_a_byte_order_mark_is_not_an_error(tmp_path: Path):
    manifest = tmp_path / "bom.yaml"
    manifest.write_bytes(b"\xef\xbb\xbfapiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    documents, findings = load_documents([manifest], tmp_path)
    assert [d.name for d in documents] == ["x"] and findings == []


def _config_maps(count: int, line_end: str = "\n", value: str = "v") -> str:
    one = line_end.join(["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: c{}", "data:", f'  k: "{value}"', ""])
    return f"---{line_end}".join(one.format(number) for number in range(count))


def _parse_findings(path: Path, text: str) -> list[tuple]:
    path.write_bytes(text.encode())
    _, findings = load_documents([path], path.parent)
    return [(f.line, f.message, f.api_version, f.kind, f.namespace, f.name) for f in findings]


def test_a_malformed_document_deep_in_a_stream_reports_its_own_line(tmp_path: Path):
    head = _config_maps(500)  # 3,500 lines
    bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: [1, 2\n  b: c\n"
    text = head + "---\n" + bad + "---\n" + _config_maps(3)
    line = head.count("\n") + 1 + 6  # the separator, then the sixth line of the bad document
    assert text.split("\n")[line - 1] == "  a: [1, 2"
    assert _parse_findings(tmp_path / "stream.yaml", text) == [
        (line + 1, "invalid YAML: did not find expected ',' or ']'", "v1", "ConfigMap", "", "bad"),
    ]


def test_lines_count_newlines_whatever_else_the_parsers_count_as_a_break(tmp_path: Path):
    """A doubled line end ("\\r\\r\\n") or NEL, LS, PS in a string are breaks for a YAML parser and not
    for an editor or kubectl: the reported line is the file's, not the parser's (which was far off)."""
    for line_end, value in (("\r\r\n", "v"), ("\n", "a\u2028b"), ("\n", "a\x85b"), ("\n", "a\u2029b"), ("\r\n", "a\rb")):
        text = _config_maps(300, line_end, value) + f"---{line_end}apiVersion: v1{line_end}kind: ConfigMap{line_end}metadata:{line_end}  name: dup{line_end}data:{line_end}  k: 1{line_end}  k: 2{line_end}"
        line = text.count("\n")  # the last line: the duplicate
        assert _parse_findings(tmp_path / "breaks.yaml", text) == [(line, "duplicate key 'k'", "v1", "ConfigMap", "", "dup")], repr(line_end + value)
        documents, _ = load_documents([tmp_path / "breaks.yaml"], tmp_path)
        last = documents[-1]
        assert (last.name, last.line, last.line_of("data", "k")) == ("c299", line - 13, line - 8), repr(line_end + value)


def test_a_separator_is_a_line_that_ends_at_a_newline():
    """As kubectl splits: a form feed or a lone "\\r" before `---` does not start a new document."""
    assert split_documents("a: 1\x0c---\nb: 2\n---\r\nc: 3\n") == [(0, "a: 1\x0c---\nb: 2\n"), (3, "c: 3\n")]
    assert split_documents("a: 1\r---\rb: 2\n") == [(0, "a: 1\r---\rb: 2\n")]


def test_parse_findings_name_the_object_when_it_can_be_read(tmp_path: Path):
    cases = {
        # duplicate keys: the rest reads, with the careful loader (flow metadata too)
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: a\n  mode: b\n":
            (8, "duplicate key 'mode'", "v1", "ConfigMap", "shop", "settings"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  replicas: 1\n  replicas: 2\n":
            (6, "duplicate key 'replicas'", "apps/v1", "Deployment", "shop", "api"),
        # syntax errors: the top-level lines and the keys right under metadata (not a label called name)
        "kind: Secret\napiVersion: v1\nmetadata:\n  labels:\n    name: not-this\n  name: 'db' # the one\ndata:\n  x: [\n":
            (8, "invalid YAML: did not find expected node content", "v1", "Secret", "", "db"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tabbed\n\tx: 1\n":
            (5, "invalid YAML: found a tab character that violates indentation", "v1", "ConfigMap", "", "tabbed"),
        # nothing to name
        "- a\n- b: [\n": (2, "invalid YAML: did not find expected node content", "", "", "", ""),
        "kind: {{ .Values.kind }}\nmetadata:\n  name: x: y\n":  # a template's text, a value that is not a name
            (3, "invalid YAML: a second ': ' on one line: the value of 'name' holds ': ', so quote it (name: \"x: y\")",
             "", "", "", ""),
    }
    for text, expected in cases.items():
        assert _parse_findings(tmp_path / "one.yaml", text) == [expected], text


def test_a_document_nested_too_deep_is_named_from_its_lines(tmp_path: Path):
    from hdgen.yaml.limits import MAX_DEPTH, TOO_DEEP

    deep = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x: 1\n"
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n" + "".join("  " + line for line in deep.splitlines(True))
    (line, message, *identity), = _parse_findings(tmp_path / "deep.yaml", text)
    assert (message, identity) == (TOO_DEEP, ["v1", "ConfigMap", "", "deep"])


def test_json_parse_findings_name_the_object(tmp_path: Path):
    duplicate = '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "j"}, "data": {"a": "1",\n "a": "2"}}\n'
    assert _parse_findings(tmp_path / "dup.json", duplicate) == [(3, "duplicate key 'a'", "v1", "ConfigMap", "", "j")]
    assert _parse_findings(tmp_path / "bad.json", '{"kind": "ConfigMap",\n') == [
        (2, "invalid JSON: Expecting property name enclosed in double quotes", "", "", "", "")]
