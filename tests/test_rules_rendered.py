"""Every policy rule on the real prod and staging trees: hdgen's own output passes them all."""

from __future__ import annotations

import pytest

from hdgen.finding import Level
from hdgen.project import Project
from hdgen.render.pipeline import render_env
from hdgen.rules import RULES, make_context, run_rules, select_rules
from hdgen.settings import Settings
from hdgen.settings_file import load_settings
from hdgen.render.values import load_env
from tests.conftest import REPO
from tests.rule_documents import documents_from_text

ENVS = ["prod", "staging"]


def _documents(env: str, files: dict[str, str]):
    documents = []
    for path, text in files.items():
        if path.endswith(".yaml"):
            documents += documents_from_text(text, f"rendered/{env}/{path}")
    return documents


def _fresh_render(env: str):
    return _documents(env, render_env(load_env(Project(REPO), env)).files)


def _committed(env: str):
    folder = REPO / "rendered" / env
    return _documents(env, {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*.yaml"))})


# The hardening rules of issue 16 (item 6), which hdgen's own tree does not meet until the
# hardened tree of items 1-5 lands. Their findings on it may be warnings (their default, or
# lowered in hdgen.yaml meanwhile), never errors; hdgen.yaml raises each to error once the tree
# meets it, and from then on the first assertion below holds the tree to it like any other rule.
NOT_MET_YET = frozenset({"HD017", "HD018", "HD019", "HD020", "HD021", "HD022"})


def _shown(findings) -> list[str]:
    return [f"{f.file}:{f.line}: {f.level.value} {f.rule} {f.message}" for f in findings]


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("source", [_fresh_render, _committed], ids=["rendered-from-values", "committed"])
def test_every_rule_passes_on_the_env_tree(env, source):
    documents = source(env)
    assert len(documents) > 10
    settings = load_settings(REPO)
    findings = run_rules(documents, select_rules("all", settings), make_context(documents, settings=settings, env=env))
    assert _shown(f for f in findings if f.level is Level.ERROR) == []
    assert _shown(f for f in findings if f.rule not in NOT_MET_YET) == []


def test_the_rules_not_met_yet_are_rules():
    assert NOT_MET_YET <= set(RULES)


def test_without_the_projects_settings_the_out_of_band_objects_are_unresolved():
    """The rules did look at the tree: the defaults know nothing of honeyDue's external Secrets."""
    documents = _fresh_render("prod")
    findings = run_rules(documents, select_rules("all"), make_context(documents, settings=Settings(), env="prod"))
    unresolved = {f.message.split("'")[1] for f in findings if f.rule == "HD010"}
    assert unresolved == {"gitea-registry", "honeydue-secrets", "honeydue-obs", "honeydue-tls"}
    # prod's third-party images on version tags need the project's allowMutableTags
    assert {f.name for f in findings if f.rule == "HD005"} == {"redis", "vmagent"}
    assert all(f.level is Level.ERROR for f in findings if f.rule in ("HD005", "HD010"))
