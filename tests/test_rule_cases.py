"""Every rule against its cases in tests/rules/<ID>.yaml (pass and fail documents, as data)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hdgen.finding import Level
from hdgen.rules import RULES, make_context, run_rules
from hdgen.settings import Settings
from tests.rule_documents import documents_from_text

CASES_DIR = Path(__file__).parent / "rules"
CASE_KEYS = {"pass", "fail", "lines", "messages", "levels", "hidden", "env", "settings", "kubernetesVersion"}


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text())
        for name, case in data["cases"].items():
            yield pytest.param(path.stem, case, id=f"{path.stem}-{name}")


def _run(rule_id: str, case: dict):
    assert set(case) <= CASE_KEYS, f"unknown case keys {set(case) - CASE_KEYS}"
    assert ("pass" in case) != ("fail" in case), "a case has exactly one of pass, fail"
    documents = documents_from_text(case.get("pass") or case.get("fail"))
    settings = Settings.from_data(case.get("settings") or {})
    context = make_context(
        documents, settings=settings, env=case.get("env"), kubernetes_version=case.get("kubernetesVersion")
    )
    return run_rules(documents, [RULES[rule_id]], context)


@pytest.mark.parametrize("rule_id, case", list(_cases()))
def test_rule_case(rule_id: str, case: dict):
    findings = _run(rule_id, case)
    assert all(f.rule == rule_id for f in findings)
    if "pass" in case:
        assert findings == [], "\n".join(f"{f.line}: {f.message}" for f in findings)
        return
    assert findings, "the fail case found nothing"
    if "lines" in case:
        assert [f.line for f in findings] == case["lines"], [f"{f.line}: {f.message}" for f in findings]
    for expected in case.get("messages", []):
        assert all(expected in f.message for f in findings), (expected, [f.message for f in findings])
    if "levels" in case:
        assert [f.level for f in findings] == [Level(level) for level in case["levels"]]
    for secret in case.get("hidden", []):
        assert not any(secret in f.message for f in findings), "a finding printed a secret value"


def test_every_rule_has_pass_and_fail_cases():
    for rule_id in RULES:
        path = CASES_DIR / f"{rule_id}.yaml"
        assert path.is_file(), f"no cases for {rule_id}"
        cases = YAML(typ="safe").load(path.read_text())["cases"].values()
        assert any("pass" in c for c in cases) and any("fail" in c for c in cases), rule_id
