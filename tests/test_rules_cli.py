"""`hdgen rules` through the real CLI, and the docs/validation.md table generated from the docstrings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hdgen.finding import Level
from hdgen.rules import RULES
from hdgen.rules._shared.docs import TABLE_END, TABLE_FILE, TABLE_START, full_doc, table_block
from tests.conftest import REPO, run_hdgen


def test_rules_lists_every_rule_with_the_projects_levels():
    result = run_hdgen("rules")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    by_id = {line.split()[0]: line.split() for line in lines}
    assert by_id["HD001"][1:3] == ["error", "rolling-update"]
    assert by_id["HD012"][1] == "error"  # raised by this project's hdgen.yaml
    assert lines[0].endswith(RULES["HD001"].summary)


def test_rules_shows_disabled_rules_as_off(project: Path):
    assert (project / "hdgen.yaml").read_text() == (REPO / "hdgen.yaml").read_text()
    (project / "hdgen.yaml").write_text("rules:\n  HD013: {enabled: false}\n")
    result = run_hdgen("rules", cwd=project)
    assert result.code == 0, result.err
    [line] = [line for line in result.out.splitlines() if line.startswith("HD013")]
    assert line.split()[1] == "off"
    assert [line for line in result.out.splitlines() if line.startswith("HD012")][0].split()[1] == "warning"


def test_bad_settings_file_exits_2_naming_file_line_key(project: Path):
    (project / "hdgen.yaml").write_text("nodeArch: amd64\nrules:\n  HD404: {level: error}\n")
    result = run_hdgen("rules", cwd=project)
    assert result.code == 2
    assert result.err.startswith("hdgen: error: hdgen.yaml:3: rules.HD404: unknown rule (did you mean 'HD004'? known rules: HD001")
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err


def test_rule_documentation():
    result = run_hdgen("rules", "hd003")
    assert result.code == 0, result.err
    assert result.out.startswith("HD003 startup-budget (default level: error)\n\n")
    assert full_doc(RULES["HD003"]) in result.out


def test_unknown_rule_exits_2_listing_the_known_ones():
    result = run_hdgen("rules", "HD404")
    assert result.code == 2 and result.out == ""
    assert result.err == f"hdgen: error: unknown rule 'HD404' (did you mean 'HD004'? known rules: {', '.join(RULES)})\n"
    far = run_hdgen("rules", "XY123")  # nothing one edit away: no guess
    assert far.err == f"hdgen: error: unknown rule 'XY123' (known rules: {', '.join(RULES)})\n"


def test_markdown_is_the_docs_table():
    result = run_hdgen("rules", "--markdown")
    assert result.code == 0, result.err
    assert result.out == table_block(list(RULES.values()))


def test_docs_rules_table_matches_the_docstrings():
    page = (REPO / TABLE_FILE).read_text()
    fresh = table_block(list(RULES.values())) in page
    assert fresh, f"{TABLE_FILE} rules table is stale: run `make docs` (or paste `hdgen rules --markdown`)"
    assert page.count(TABLE_START) == 1 and page.count(TABLE_END) == 1


@pytest.mark.parametrize("rule_id", list(RULES))
def test_each_rule_module_is_documented(rule_id):
    rule = RULES[rule_id]
    assert re.fullmatch(r"HD\d{3}", rule.id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert isinstance(rule.level, Level)
    doc = full_doc(rule)
    assert rule.summary.endswith(".") and len(rule.summary) <= 100
    for section in ("Why:", "Passes", "Fails"):
        assert section in doc, f"{rule_id} doc lacks {section}"
    assert f"hdgen.io/ignore-{rule_id}" in doc or not rule.can_opt_out


def test_rules_outside_a_project_shows_default_levels(tmp_path: Path):
    result = run_hdgen("rules", cwd=tmp_path)
    assert result.code == 0, result.err
    [line] = [line for line in result.out.splitlines() if line.startswith("HD012")]
    assert line.split()[1] == "warning"
