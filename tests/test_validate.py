"""hdgen validate through the real CLI and the real kubeconform binary."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from xml.etree import ElementTree

import pytest

from hdgen.report.writers import FORMATS
from tests.conftest import REPO, run_hdgen
from tests.goldens import assert_golden

FIXTURES = REPO / "tests" / "fixtures" / "validate"
BROKEN = "tests/fixtures/validate/broken"
VALID = "tests/fixtures/validate/valid"


def kubeconform_binary() -> str:
    found = os.environ.get("HDGEN_KUBECONFORM") or str(REPO / ".tools" / "bin" / "kubeconform")
    assert Path(found).is_file(), f"kubeconform missing at {found}: run `make bootstrap`"
    return found


def validate(*args: str, cwd: Path = REPO, env: dict | None = None, rules: str = "none"):
    """The real CLI; schema tests run without policy rules unless they ask (`rules="all"`)."""
    return run_hdgen(
        "validate", *args, "--rules", rules, cwd=cwd, env={"HDGEN_KUBECONFORM": kubeconform_binary(), **(env or {})}
    )


def findings(*args: str) -> list[dict]:
    result = validate(*args, "--format", "json")
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["findings"]


def test_committed_tree_is_valid():
    result = validate("--all")
    assert result.code == 0, result.out + result.err
    assert "no findings" in result.out


def test_valid_fixtures_pass_including_list_json_empty_comment_only_and_crd():
    result = validate(VALID, "--format", "json")
    assert result.code == 0, result.out + result.err
    report = json.loads(result.out)
    assert report["findings"] == []
    # app.yaml (2) + list.yaml (2 items) + namespace.json + application.yaml; empty,
    # comment-only and kustomization.yaml hold no objects.
    assert report["summary"]["resources"] == 6


def by_file(name: str) -> list[dict]:
    return [f for f in findings(BROKEN) if f["file"] == f"{BROKEN}/{name}"]


@pytest.fixture(scope="module")
def broken() -> list[dict]:
    return findings(BROKEN)


def only(broken: list[dict], name: str) -> dict:
    found = [f for f in broken if f["file"] == f"{BROKEN}/{name}"]
    assert len(found) == 1, found
    return found[0]


def test_wrong_type_names_key_and_line(broken):
    finding = only(broken, "wrong-type.yaml")
    assert (finding["rule"], finding["line"], finding["kind"], finding["name"]) == ("schema", 7, "Deployment", "api")
    assert finding["message"] == "spec.replicas: got string, want null or integer"


def test_missing_required_field(broken):
    finding = only(broken, "missing-required.yaml")
    assert finding["message"] == "spec: missing property 'selector'"
    assert finding["line"] == 6


def test_unknown_field_fails_in_strict_on_its_own_line(broken):
    finding = only(broken, "unknown-field.yaml")
    assert finding["message"] == "spec.containers[0]: additional properties 'imagePullPolicyy' not allowed"
    assert finding["line"] == 10


def test_unknown_field_passes_the_non_strict_schema(tmp_path):
    # The same file against the committed non-strict twin: only strict mode refuses it.
    shutil.copy(FIXTURES / "broken" / "unknown-field.yaml", tmp_path)
    import subprocess

    location = str(REPO / "schemas") + "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
    common = [kubeconform_binary(), "-output", "json", "-kubernetes-version", "1.33.0", "-schema-location", location]
    loose = subprocess.run([*common, str(tmp_path)], capture_output=True, text=True)
    strict = subprocess.run([*common, "-strict", str(tmp_path)], capture_output=True, text=True)
    assert (loose.returncode, strict.returncode) == (0, 1), loose.stdout + strict.stdout


def test_duplicate_key_is_a_parse_error_with_key_and_line(broken):
    finding = only(broken, "duplicate-key.yaml")
    assert (finding["rule"], finding["level"], finding["line"]) == ("parse", "error", 8)
    assert finding["message"] == "duplicate key 'mode'"


def test_multi_document_reports_only_the_bad_document(broken):
    finding = only(broken, "multi-document.yaml")
    assert (finding["kind"], finding["name"], finding["line"]) == ("Service", "two", 14)
    assert finding["message"] == "spec.ports[0].port: got string, want integer"


def test_list_item_is_validated_and_named(broken):
    finding = only(broken, "list.yaml")
    assert (finding["kind"], finding["name"], finding["namespace"], finding["line"]) == ("ConfigMap", "bad", "shop", 15)


def test_json_manifest_is_validated_with_key_line(broken):
    finding = only(broken, "service.json")
    assert (finding["name"], finding["line"]) == ("json", 6)


def test_missing_kind_and_malformed_yaml(broken):
    assert only(broken, "missing-kind.yaml")["message"] == "document has no kind"
    malformed = only(broken, "malformed.yaml")
    assert (malformed["rule"], malformed["line"]) == ("parse", 4)
    assert malformed["message"].startswith("invalid YAML: ")


def test_crd_instance_is_checked_against_the_crd_schema(broken):
    found = [f for f in broken if f["file"].endswith("application.yaml")]
    assert [(f["line"], f["message"]) for f in found] == [
        (6, "spec: missing property 'project'"),
        (13, "spec.syncPolicy: additional properties 'automatic' not allowed"),
    ]


def test_removed_api_version_is_a_schema_error(broken):
    finding = only(broken, "pdb-v1beta1.yaml")
    assert finding["rule"] == "schema" and finding["level"] == "error"
    assert finding["message"].startswith("no schema for policy/v1beta1 PodDisruptionBudget in Kubernetes 1.33.0")


def test_next_minor_version_is_available():
    result = validate(VALID, "--kubernetes-version", "1.34.0")
    assert result.code == 0, result.out + result.err


def test_skip_kind_leaves_that_kind_unchecked():
    result = validate(f"{BROKEN}/pdb-v1beta1.yaml", "--skip-kind", "PodDisruptionBudget")
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_pinned_and_exits_1(fmt):
    result = validate(BROKEN, "--format", fmt, rules="all")
    assert result.code == 1, result.err
    assert_golden(f"validate/broken.{fmt}", result.out)


def error_count_with_rules(target: str) -> int:
    result = validate(target, "--format", "json", rules="all")
    return json.loads(result.out)["summary"]["errors"]


def test_junit_structure():
    root = ElementTree.fromstring(validate(BROKEN, "--format", "junit", rules="all").out)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    errors = error_count_with_rules(BROKEN)
    assert errors > 12  # the 12 schema/parse errors plus policy rule errors
    assert int(suite.get("tests")) == len(cases) and int(suite.get("failures")) == len(failures) == errors
    clean = ElementTree.fromstring(validate(VALID, "--format", "junit").out)
    assert clean.find("testsuite").get("failures") == "0"
    assert [c.get("name") for c in clean.iter("testcase")] == ["all resources valid"]


def test_sarif_structure():
    sarif = json.loads(validate(BROKEN, "--format", "sarif", rules="all").out)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "hdgen"
    ids = [r["id"] for r in rules]
    assert {"parse", "schema"} <= set(ids) and any(i.startswith("HD") for i in ids)
    assert all(r["shortDescription"]["text"] for r in rules)
    all_findings = json.loads(validate(BROKEN, "--format", "json", rules="all").out)["findings"]
    assert len(run["results"]) == len(all_findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith(BROKEN)
        assert location["region"]["startLine"] >= 1


def test_output_file_is_written_and_summary_printed(tmp_path):
    target = tmp_path / "report.json"
    result = validate(BROKEN, "--format", "json", "--output", str(target))
    assert result.code == 1
    assert result.out.startswith("hdgen validate: 12 errors")
    assert json.loads(target.read_text())["summary"]["errors"] == 12
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no scratch file left


def test_unknown_target_is_exit_2_naming_it():
    result = validate("prdo")
    assert result.code == 2
    assert "prdo: not a known env" in result.err and "Traceback" not in result.err


def test_unknown_format_lists_the_valid_ones():
    result = validate(VALID, "--format", "yaml")
    assert result.code == 2 and "text" in result.err and "sarif" in result.err


def test_version_without_schemas_is_exit_2():
    result = validate(VALID, "--kubernetes-version", "1.20.0")
    assert result.code == 2
    assert "hdgen schemas update --kubernetes-version 1.20.0" in result.err


# --- kubeconform itself failing: exit 3 with the command, status, output and install hint ---


def script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "kubeconform"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_missing_binary_is_exit_3():
    result = run_hdgen("validate", VALID, env={"HDGEN_KUBECONFORM": "/nonexistent/kubeconform"})
    assert result.code == 3
    assert "kubeconform not found: /nonexistent/kubeconform" in result.err
    assert "make bootstrap" in result.err and "go install github.com/yannh/kubeconform" in result.err


def test_crashing_binary_is_exit_3_with_its_output(tmp_path):
    binary = script(tmp_path, "echo 'panic: garbage' >&2\necho '{{{not json'\nexit 2\n")
    result = run_hdgen("validate", VALID, env={"HDGEN_KUBECONFORM": binary})
    assert result.code == 3
    assert "kubeconform failed with exit status 2:" in result.err and binary in result.err
    assert "panic: garbage" in result.err and "make bootstrap" in result.err


def test_garbage_output_is_exit_3(tmp_path):
    binary = script(tmp_path, "echo 'not json at all'\nexit 0\n")
    result = run_hdgen("validate", VALID, env={"HDGEN_KUBECONFORM": binary})
    assert result.code == 3 and "output hdgen cannot read" in result.err


def test_hanging_binary_is_stopped_and_exit_3(tmp_path):
    binary = script(tmp_path, "sleep 300\n")
    result = run_hdgen(
        "validate", VALID, env={"HDGEN_KUBECONFORM": binary, "HDGEN_KUBECONFORM_TIMEOUT": "1"}, timeout=60
    )
    assert result.code == 3
    assert "did not finish within 1 s" in result.err


def test_schema_and_rule_findings_share_one_report_and_selection_works():
    every = findings_with(BROKEN, "all")
    assert {f["rule"] for f in every} >= {"schema", "parse", "HD006"}
    assert {f["rule"] for f in findings_with(BROKEN, "none")} == {"schema", "parse"}
    assert {f["rule"] for f in findings_with(BROKEN, "HD006")} == {"schema", "parse", "HD006"}
    for finding in every:
        assert set(finding) >= {"file", "line", "kind", "name", "namespace", "rule", "level", "message"}


def test_unknown_rule_is_exit_2_listing_the_known_ones():
    result = validate(VALID, rules="HD999")
    assert result.code == 2
    assert "unknown rule HD999" in result.err and "HD001" in result.err


def findings_with(target: str, rules: str) -> list[dict]:
    result = validate(target, "--format", "json", rules=rules)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["findings"]
