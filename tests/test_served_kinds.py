"""Every kind a committed Kubernetes version serves has a schema, and `hdgen validate` uses it:
a minimal object of each (built from its schema's required fields) passes, the same object with
an unknown field fails, and a kind the version does not serve stays an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hdgen import kubeversions
from hdgen.validate.served import SUBRESOURCE_KINDS, schema_file_name, served_files, served_kinds
from tests.conftest import REPO, run_hdgen

SCHEMAS = REPO / "schemas"


def minimal(schema: dict, defs: dict, depth: int = 0):
    """The smallest value schema accepts: required fields only, the first enum value or alternative."""
    if "$ref" in schema:
        return minimal(defs[schema["$ref"].rsplit("/", 1)[1]], defs, depth + 1)
    for key in ("oneOf", "anyOf", "allOf"):
        if schema.get(key):
            return minimal(schema[key][0], defs, depth + 1)
    if "enum" in schema:
        return next(value for value in schema["enum"] if value is not None)
    kind = schema.get("type")
    kind = next(t for t in kind if t != "null") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {name: minimal(properties[name], defs, depth + 1) for name in schema.get("required") or []}
    if kind == "array":
        return [minimal(schema.get("items") or {}, defs, depth + 1) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    return "x" * max(1, schema.get("minLength", 1))


def minimal_object(version: str, gvk: tuple[str, str, str]) -> dict:
    group, api_version, kind = gvk
    schema = json.loads((SCHEMAS / f"v{version}-standalone-strict" / schema_file_name(*gvk)).read_text())
    body = minimal(schema, schema.get("$defs") or {})
    body.update(apiVersion=f"{group}/{api_version}" if group else api_version, kind=kind)
    body["metadata"] = {"name": f"{kind.lower()}-{api_version}-{group.split('.')[0] or 'core'}"}
    return body


def verdicts(project: Path, folder: Path, version: str) -> dict[str, list[str]]:
    """File name -> the schema findings' messages, from one `hdgen validate --rules none` run."""
    result = run_hdgen("validate", "--rules", "none", "--format", "json", "--kubernetes-version", version,
                       str(folder), cwd=project, timeout=300)
    assert result.code in (0, 1), result.err
    found: dict[str, list[str]] = {path.name: [] for path in folder.iterdir()}
    for finding in json.loads(result.out)["findings"]:
        found[Path(finding["file"]).name].append(f"{finding['rule']}: {finding['message']}")
    return found


@pytest.mark.parametrize("version", kubeversions.PINNED)
def test_schema_folders_hold_exactly_the_served_kinds(version: str):
    expected = sorted(served_files(version).values())
    for suffix in ("-standalone-strict", "-standalone"):
        assert sorted(p.name for p in (SCHEMAS / f"v{version}{suffix}").glob("*.json")) == expected


def test_served_set_follows_the_rule():
    for version in kubeversions.PINNED:
        kinds = served_kinds(version)
        assert all(v.rstrip("0123456789") == "v" for _, v, _ in kinds), "only GA versions are on by default"
        assert not {k for _, _, k in kinds if k.endswith("List")}
        assert not {(g, k) for g, _, k in kinds} & SUBRESOURCE_KINDS
        assert not {k for _, _, k in kinds} & {"DeleteOptions", "WatchEvent", "Status", "APIGroup", "APIVersions"}
        # The examples: served GA kinds hdgen refused before.
        assert {("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"), ("node.k8s.io", "v1", "RuntimeClass"),
                ("events.k8s.io", "v1", "Event"), ("apiregistration.k8s.io", "v1", "APIService"),
                ("coordination.k8s.io", "v1", "Lease"), ("networking.k8s.io", "v1", "ServiceCIDR"),
                ("", "v1", "Binding"), ("authentication.k8s.io", "v1", "TokenReview")} <= kinds
    # Each subresource kind is one the package knows, so the hand-kept list does not go stale unseen.
    every_kind = {(g, k) for g, _, k in _package_kinds(kubeversions.PINNED[-1])}
    assert SUBRESOURCE_KINDS <= every_kind
    assert ("resource.k8s.io", "v1", "ResourceClaim") in served_kinds("1.34.0")
    assert ("storage.k8s.io", "v1", "VolumeAttributesClass") in served_kinds("1.34.0")
    assert ("storage.k8s.io", "v1", "VolumeAttributesClass") not in served_kinds("1.33.0")


def _package_kinds(version: str) -> set[tuple[str, str, str]]:
    from hdgen.validate.served import package_schemas

    kinds = set()
    for path in package_schemas(version, strict=True).glob("*-v*.json"):
        for gvk in json.loads(path.read_text()).get("x-kubernetes-group-version-kind") or []:
            kinds.add((gvk["group"], gvk["version"], gvk["kind"]))
    return kinds


@pytest.mark.parametrize("version", kubeversions.PINNED)
def test_every_served_kind_accepts_a_minimal_object_and_refuses_an_unknown_field(
    project: Path, tmp_path: Path, version: str
):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    for gvk in sorted(served_kinds(version)):
        body = minimal_object(version, gvk)
        name = schema_file_name(*gvk).replace(".json", ".yaml")
        (good / name).write_text(json.dumps(body, indent=1))
        (bad / name).write_text(json.dumps({**body, "unknownField": 1}, indent=1))
    assert {name: messages for name, messages in verdicts(project, good, version).items() if messages} == {}
    refused = verdicts(project, bad, version)
    expected = "schema: additional properties 'unknownField' not allowed"
    secret = "schema: additional properties '***' not allowed"  # a Secret's messages quote nothing
    assert {name for name, messages in refused.items() if messages not in ([expected], [secret])} == set()


def test_an_api_version_the_kubernetes_version_does_not_serve_stays_an_error(project: Path, tmp_path: Path):
    folder = tmp_path / "m"
    folder.mkdir()
    # Beta (off by default), removed, and GA only from 1.34.
    (folder / "vap.yaml").write_text("apiVersion: admissionregistration.k8s.io/v1beta1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: a}\nspec: {}\n")
    (folder / "ing.yaml").write_text("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}\nspec: {}\n")
    (folder / "vac.yaml").write_text("apiVersion: storage.k8s.io/v1\nkind: VolumeAttributesClass\nmetadata: {name: a}\ndriverName: d\n")
    found = verdicts(project, folder, "1.33.0")
    assert all(len(messages) == 1 and "the API version is unknown or was removed" in messages[0] for messages in found.values()), found
    assert verdicts(project, folder, "1.34.0")["vac.yaml"] == []
