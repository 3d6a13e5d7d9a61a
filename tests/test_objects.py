"""The one object record, the one manifest reader and the one table of workload kinds."""

from __future__ import annotations

from pathlib import Path

from hdgen.diff.references import Edge, references
from hdgen.objects import kinds
from hdgen.objects.reader import load_contents, load_documents
from hdgen.objects.record import Document

CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "ns"}}


def test_identity_is_group_kind_namespace_name() -> None:
    deployment = Document("a.yaml", 1, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}})
    assert deployment.key == ("apps", "Deployment", "", "api")
    assert Document("b.yaml", 3, CONFIGMAP).key == ("", "ConfigMap", "ns", "cfg")


def test_git_contents_and_a_folder_on_disk_read_the_same_files(tmp_path: Path) -> None:
    files = {
        "api/deployment.yaml": b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n",
        "cfg.json": b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
        "list.yml": b"apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n",
        "kustomization.yaml": b"resources: []\n",
        ".hidden/x.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden}\n",
        "notes.txt": b"not a manifest\n",
        "broken.yaml": b"apiVersion: v1\nkind: [ConfigMap\n",
    }
    for path, raw in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(raw)
    on_disk = load_documents([tmp_path], tmp_path)
    from_git = load_contents(sorted(files.items()), "base")
    # The order may differ (a folder walk reads a folder's files before its sub-folders); the diff matches by key.
    assert sorted((d.file, d.line, d.key) for d in on_disk[0]) == sorted((d.file[len("base/"):], d.line, d.key) for d in from_git[0])
    assert [(f.file, f.line, f.message) for f in on_disk[1]] == [(f.file[len("base/"):], f.line, f.message) for f in from_git[1]]
    assert sorted(d.name for d in on_disk[0]) == ["api", "c", "s"]


def test_every_workload_kind_has_its_pod_spec_under_its_template() -> None:
    for kind, workload in kinds.WORKLOADS.items():
        assert kinds.pod_spec_path(kind) == (*workload.template, "spec")
    assert kinds.pod_spec_path("Service") is None and kinds.rolling_template_path("Service") == ()
    assert kinds.rolling_template_path("Job") == ()  # its template cannot change
    assert kinds.rolling_template_path("CronJob") == ("spec", "jobTemplate", "spec", "template")


def test_a_bare_pod_refers_to_the_config_it_reads() -> None:
    pod = {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns", "labels": {"app": "p"}},
        "spec": {"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "cfg"}}]}]},
    }
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc", "namespace": "ns"},
               "spec": {"selector": {"app": "p"}}}
    edges = references([Document("p.yaml", 1, pod), Document("c.yaml", 1, CONFIGMAP), Document("s.yaml", 1, service)])
    assert edges == [
        Edge(("", "Pod", "ns", "p"), ("", "ConfigMap", "ns", "cfg"), "envFrom"),
        Edge(("", "Service", "ns", "svc"), ("", "Pod", "ns", "p"), "selector"),
    ]
