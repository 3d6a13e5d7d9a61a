"""YAML 1.2 plain scalars through the real CLI and kubeconform: a CRD enum of operators (`- =`, as
controller-gen writes it) validates, imports, and checks its custom resources; a parse finding in a
report names its object (the fields kubeconform's findings carry)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import REPO, run_hdgen

OPERATOR_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: filters.example.com
spec:
  group: example.com
  names:
    kind: Filter
    plural: filters
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            properties:
              operator:
                type: string
                enum:
                - =
                - '!='
                - <
                - '>'
              values:
                type: array
                items:
                  type: string
                default: [=, <=]
"""


def _validate(*args: str, cwd: Path = REPO):
    env = {"HDGEN_KUBECONFORM": os.environ.get("HDGEN_KUBECONFORM") or str(REPO / ".tools/bin/kubeconform")}
    return run_hdgen("validate", *args, "--rules", "none", cwd=cwd, env=env)


def test_a_crd_with_an_operator_enum_validates(tmp_path: Path):
    crd = tmp_path / "filters.yaml"
    crd.write_text(OPERATOR_CRD)
    result = _validate(str(crd), "--format", "json")
    assert result.code == 0, result.out + result.err
    assert json.loads(result.out)["findings"] == []


def test_an_imported_operator_enum_checks_custom_resources(project: Path, tmp_path: Path):
    crd = tmp_path / "filters.yaml"
    crd.write_text(OPERATOR_CRD)
    imported = run_hdgen("schemas", "import-crd", str(crd), cwd=project)
    assert imported.code == 0, imported.err
    schema = json.loads((project / "schemas/crds/example.com/filter_v1.json").read_text())
    assert schema["properties"]["spec"]["properties"]["operator"]["enum"] == ["=", "!=", "<", ">"]

    resources = tmp_path / "filters"
    resources.mkdir()
    (resources / "equal.yaml").write_text("apiVersion: example.com/v1\nkind: Filter\nmetadata:\n  name: eq\nspec:\n  operator: =\n  values: [=]\n")
    (resources / "tilde.yaml").write_text("apiVersion: example.com/v1\nkind: Filter\nmetadata:\n  name: tilde\nspec:\n  operator: ~=\n")
    result = _validate(str(resources), "--format", "json", cwd=project)
    assert result.code == 1, result.out + result.err
    assert [(f["file"].rsplit("/", 1)[-1], f["kind"], f["name"]) for f in json.loads(result.out)["findings"]] == [
        ("tilde.yaml", "Filter", "tilde"),
    ]


def test_a_duplicate_key_finding_names_its_object_in_json_and_sarif(tmp_path: Path):
    manifest = tmp_path / "dup.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: first\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: a\n  mode: b\n"
    )
    report = json.loads(_validate(str(manifest), "--format", "json").out)
    assert report["findings"] == [{
        "file": str(manifest), "line": 13, "kind": "ConfigMap", "name": "settings", "namespace": "shop",
        "apiVersion": "v1", "rule": "parse", "level": "error", "message": "duplicate key 'mode'",
    }]
    sarif = json.loads(_validate(str(manifest), "--format", "sarif").out)
    result, = sarif["runs"][0]["results"]
    assert result["message"]["text"] == "duplicate key 'mode' [ConfigMap shop/settings]", result
