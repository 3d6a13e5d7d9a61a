"""hdgen ci on real git repositories: passes on main, fails clearly on a broken branch."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_from_repo, run_hdgen


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the project's values, rendered trees, schemas and settings, on main."""
    root = tmp_path / "deploy"
    root.mkdir()
    for name in ("values", "rendered", "schemas"):
        copy_from_repo(name, root)
    shutil.copy(REPO / "hdgen.yaml", root / "hdgen.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "main")
    git(root, "checkout", "-q", "-b", "change")
    return root


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message)


def ci(repo: Path, *args: str):
    return run_hdgen("ci", *args, cwd=repo)


def test_passes_on_main_and_writes_the_report(repo: Path) -> None:
    result = ci(repo, "--report", "report.md", "--sarif", "findings.sarif")
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines()[-1] == "hdgen ci: passed"
    report = (repo / "report.md").read_text()
    assert report.startswith("## hdgen ci\n")
    assert "### hdgen diff `prod`" in report and "### hdgen diff `staging`" in report
    assert '"version": "2.1.0"' in (repo / "findings.sarif").read_text()


def test_a_bump_passes_and_the_report_shows_the_rollout(repo: Path) -> None:
    assert run_hdgen("bump", "prod", "--sha", "1a2b3c4", "--service", "api", "--render", cwd=repo).code == 0
    commit(repo, "bump api")
    result = ci(repo, "--report", "report.md")
    assert result.code == 0, result.out
    report = (repo / "report.md").read_text()
    assert "honeydue-api:1a2b3c4" in report and "rolls-pods" in report


def test_a_stale_render_fails_and_says_how_to_fix_it(repo: Path) -> None:
    values = repo / "values" / "prod.yaml"
    values.write_text(values.read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: warn"))
    commit(repo, "forgot to render")
    result = ci(repo)
    assert result.code == 1
    assert "FAIL rendered/ is fresh" in result.out
    assert "different: rendered/prod/config/honeydue-config.yaml" in result.out
    assert "to fix: hdgen render prod  (then commit rendered/)" in result.out
    assert result.out.splitlines()[-1] == "hdgen ci: 1 of 5 checks failed"


def test_an_untracked_rendered_file_fails(repo: Path) -> None:
    (repo / "rendered" / "prod" / "api" / "extra.yaml").write_text("kind: ConfigMap\n")
    result = ci(repo)
    assert result.code == 1
    assert "untracked: rendered/prod/api/extra.yaml" in result.out
    assert "to fix: git add rendered" in result.out


def test_an_invalid_manifest_fails_validation(repo: Path) -> None:
    service = repo / "rendered" / "prod" / "api" / "service.yaml"
    service.write_text(service.read_text().replace("port: 80", "port: eighty"))
    commit(repo, "hand edit")
    result = ci(repo)
    assert result.code == 1
    assert "FAIL validation (kubeconform + policy rules)" in result.out
    assert "rendered/prod/api/service.yaml:" in result.out and "schema" in result.out
    assert "to fix: hdgen validate prod" in result.out


def test_a_broken_values_file_fails_with_file_and_line(repo: Path) -> None:
    values = repo / "values" / "staging.yaml"
    values.write_text(values.read_text().replace("allowMutableTags: true", "allowMutableTags: yes-please"))
    commit(repo, "typo")
    result = ci(repo, "--report", "report.md")
    assert result.code == 1
    assert "FAIL values load and render" in result.out
    assert "values/staging.yaml:7: allowMutableTags: Input should be a valid boolean" in result.out
    assert "to fix: fix values/staging.yaml, then `hdgen render staging`" in result.out
    assert "❌ values load and render" in (repo / "report.md").read_text()


def test_every_error_of_a_values_file_is_a_line_of_the_check(repo: Path) -> None:
    values = repo / "values" / "staging.yaml"
    text = values.read_text().replace("allowMutableTags: true", "allowMutableTags: yes-please")
    values.write_text(text.replace("    replicas: 1\n    coldBootSeconds", "    replicas: one\n    coldBootSeconds"))
    commit(repo, "two typos")
    result = ci(repo)
    assert result.code == 1
    assert "       values/staging.yaml:7: allowMutableTags: Input should be a valid boolean\n" \
           "       values/staging.yaml:18: apps.api.replicas: Input should be a valid integer\n" in result.out


@pytest.mark.parametrize("base,said", [("nope", "unknown git ref (no commit by that name in {repo})"),
                                       ("-x", "not a git ref")])
def test_a_bad_base_is_a_usage_error_before_any_check(repo: Path, base: str, said: str) -> None:
    """As `hdgen diff --base nope` does: exit 2 and one line, not a failed diff check (exit 1)."""
    result = ci(repo, f"--base={base}")
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"hdgen: error: --base {base!r}: {said.format(repo=repo)}\n"
    diff = run_hdgen("diff", "prod", f"--base={base}", cwd=repo)
    assert (diff.code, diff.err) == (2, result.err)


def test_outside_git_is_a_tool_failure(tmp_path: Path) -> None:
    for name in ("values", "rendered", "schemas"):
        copy_from_repo(name, tmp_path)
    result = run_hdgen("ci", cwd=tmp_path, env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert result.code == 3
    assert "FAIL rendered/ is committed" in result.out
