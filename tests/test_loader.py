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
