"""The committed values schema is current, and every values file points editors at it."""

from __future__ import annotations

import json

from tests.conftest import REPO, run_hdgen


def test_committed_values_schema_is_current() -> None:
    result = run_hdgen("values-schema", "--check")
    assert result.code == 0, result.out


def test_values_schema_describes_the_model() -> None:
    result = run_hdgen("values-schema")
    schema = json.loads(result.out)
    assert schema["additionalProperties"] is False
    assert "registry" in schema["required"] and "apps" in schema["required"]
    app = schema["$defs"]["App"]["properties"]
    assert {"coldBootSeconds", "containerPort", "autoscaling", "probes"} <= set(app)


def test_every_values_file_carries_the_schema_modeline() -> None:
    for path in sorted((REPO / "values").glob("*.yaml")):
        assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=../schemas/values.schema.json", path


def test_check_reports_an_outdated_schema(project) -> None:
    (project / "schemas" / "values.schema.json").write_text("{}\n")
    result = run_hdgen("values-schema", "--check", cwd=project)
    assert result.code == 1
    assert "run `hdgen values-schema --write`" in result.out
