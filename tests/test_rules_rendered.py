"""Every policy rule on the real prod and staging trees: hdgen's own output passes them all."""

from __future__ import annotations

import pytest

from hdgen.finding import Level
from hdgen.project import Project
from hdgen.render.pipeline import render_env
from hdgen.rules import make_context, run_rules, select_rules
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


def _shown(findings) -> list[str]:
    return [f"{f.file}:{f.line}: {f.level.value} {f.rule} {f.message}" for f in findings]


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("source", [_fresh_render, _committed], ids=["rendered-from-values", "committed"])
def test_every_rule_passes_on_the_env_tree(env, source):
    documents = source(env)
    assert len(documents) > 10
    settings = load_settings(REPO)
    findings = run_rules(documents, select_rules("all", settings), make_context(documents, settings=settings, env=env))
    assert _shown(findings) == []
    assert {"HD017", "HD018", "HD019", "HD020", "HD021", "HD022"} <= {
        rule for rule, config in settings.rules.items() if config.level is Level.ERROR
    }, "honeyDue holds its tree to the hardening rules as errors (hdgen.yaml)"


def test_without_the_projects_settings_the_out_of_band_objects_are_unresolved():
    """The rules did look at the tree: the defaults know nothing of honeyDue's external Secrets."""
    documents = _fresh_render("prod")
    findings = run_rules(documents, select_rules("all"), make_context(documents, settings=Settings(), env="prod"))
    unresolved = {f.message.split("'")[1] for f in findings if f.rule == "HD010"}
    assert unresolved == {"gitea-registry", "honeydue-secrets", "honeydue-obs", "honeydue-tls"}
    # prod's third-party images on version tags need the project's allowMutableTags
    assert {f.name for f in findings if f.rule == "HD005"} == {"redis", "vmagent"}
    assert all(f.level is Level.ERROR for f in findings if f.rule in ("HD005", "HD010"))
