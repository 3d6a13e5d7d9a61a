"""Typed lists (ConfigMapList, RoleBindingList, …) are unpacked like `kind: List`, as `kubectl apply`
does: each item is validated and reported on its own line, and the rules see the items."""

from __future__ import annotations

import json
from pathlib import Path

from hdgen.objects.reader import load_file
from tests.conftest import run_hdgen

CONFIG_MAP_LIST = """\
apiVersion: v1
kind: ConfigMapList   # as `kubectl get configmaps -o yaml` prints some lists
metadata: {resourceVersion: "1"}
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: app-config
    namespace: shop
  data: {LOG_LEVEL: info}
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: broken
    namespace: shop
  datta: {LOG_LEVEL: info}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: registry.example/api:1.0.0
        envFrom: [{configMapRef: {name: app-config}}]
"""


def findings(folder: Path, *args: str) -> list[dict]:
    result = run_hdgen("validate", "--format", "json", *args, str(folder))
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["findings"]


def test_reader_unpacks_a_typed_list_into_its_items(tmp_path: Path):
    path = tmp_path / "cms.yaml"
    path.write_text(CONFIG_MAP_LIST + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleList\nitems: []\n")
    documents, problems = load_file(path, "cms.yaml")
    assert problems == []
    assert [(d.kind, d.name, d.line, d.list_index, d.list_kind) for d in documents] == [
        ("ConfigMap", "app-config", 5, 0, "ConfigMapList"),
        ("ConfigMap", "broken", 11, 1, "ConfigMapList"),
    ]


def test_a_bad_item_of_a_config_map_list_is_named_on_its_line(tmp_path: Path):
    (tmp_path / "cms.yaml").write_text(CONFIG_MAP_LIST)
    found = findings(tmp_path, "--rules", "none")
    assert [(f["line"], f["kind"], f["name"], f["message"]) for f in found] == [
        (16, "ConfigMap", "broken", "additional properties 'datta' not allowed"),
    ]


def test_json_typed_list_and_items_alike_in_kind_and_name_get_a_verdict_each(tmp_path: Path):
    item = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r"}, "rules": []}
    bad = {**item, "metadata": {"name": "r", "namespace": "b"}, "rulez": []}
    listed = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleList", "items": [item, bad]}
    (tmp_path / "roles.json").write_text(json.dumps(listed, indent=1) + "\n")
    found = findings(tmp_path, "--rules", "none")
    assert [(f["kind"], f["namespace"], f["message"]) for f in found] == [
        ("Role", "b", "additional properties 'rulez' not allowed"),
    ]


def test_typed_list_items_are_seen_by_the_rules(tmp_path: Path):
    (tmp_path / "deployment.yaml").write_text(DEPLOYMENT)
    missing = [f for f in findings(tmp_path, "--rules", "HD010") if f["rule"] == "HD010"]
    assert missing and "app-config" in missing[0]["message"]
    (tmp_path / "cms.yaml").write_text(CONFIG_MAP_LIST)
    assert [f for f in findings(tmp_path, "--rules", "HD010") if f["rule"] == "HD010"] == []


def test_a_typed_list_whose_items_is_not_a_list_is_a_parse_finding(tmp_path: Path):
    (tmp_path / "l.yaml").write_text("apiVersion: v1\nkind: SecretList\nitems: {a: b}\n")
    found = findings(tmp_path, "--rules", "none")
    assert [(f["rule"], f["line"], f["message"]) for f in found] == [("parse", 1, "SecretList: items is not a list")]
