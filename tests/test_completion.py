"""Tab completion: git refs and commits for --base and --to, image SHAs for --sha, services, Secrets, rule IDs.

The completers are called directly, on a real git repository; one run through
argcomplete checks they are wired to their arguments (and no file names come back).
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import pytest

from hdgen.commands.bump import complete_digests
from hdgen.commands.envargs import complete_git_refs, complete_image_shas, complete_services
from hdgen.commands.rollback import complete_commits
from hdgen.commands.rotate import complete_secrets
from hdgen.commands.rules import complete_rules
from hdgen.rules import RULES
from tests.conftest import complete

GIT = ["-c", "user.name=t", "-c", "user.email=t@t"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *GIT, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(project: Path) -> Path:
    """The project in git: main with two commits (the second edits prod's values), a branch and a tag."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "initial")
    values = project / "values" / "prod.yaml"
    values.write_text(values.read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: warning"))
    git(project, "commit", "-qam", "prod: quieter")
    git(project, "branch", "feature/x")
    git(project, "tag", "v1.0")
    return project


def args(repo: Path, **more) -> argparse.Namespace:
    return argparse.Namespace(project_dir=repo, **more)


def short(repo: Path, ref: str) -> str:
    return git(repo, "rev-parse", "--short", ref).strip()


def test_base_completes_refs_then_recent_commits(repo: Path) -> None:
    assert complete_git_refs("", args(repo)) == ["HEAD", "feature/x", "main", "v1.0", short(repo, "HEAD"),
                                                 short(repo, "HEAD~1")]
    assert complete_git_refs("fe", args(repo)) == ["feature/x"]
    assert complete_git_refs(short(repo, "HEAD~1")[:5], args(repo)) == [short(repo, "HEAD~1")]


def test_to_completes_the_commits_that_changed_the_env_first(repo: Path) -> None:
    values = repo / "values" / "staging.yaml"
    values.write_text(values.read_text().replace("LOG_LEVEL: debug", "LOG_LEVEL: info"))
    git(repo, "commit", "-qam", "staging only")
    prod_commits = [short(repo, "HEAD~1"), short(repo, "HEAD~2")]
    offered = complete_commits("", args(repo, env="prod"))
    assert offered[:2] == prod_commits
    assert short(repo, "HEAD") not in offered  # it changed staging, not prod
    assert offered[2:] == ["HEAD", "feature/x", "main", "v1.0"]


def test_sha_offers_the_image_shas_the_envs_run_not_this_repositorys_commits(repo: Path) -> None:
    assert complete_image_shas("", args(repo)) == ["d3708e6"]
    assert complete_image_shas("1", args(repo)) == []
    assert short(repo, "HEAD") not in complete_image_shas("", args(repo))


def test_services_secrets_and_digests_come_from_the_env(repo: Path) -> None:
    assert complete_services("w", args(repo, env="prod")) == ["worker", "web"]  # the env's order
    assert complete_secrets("honeydue-", args(repo, env="prod")) == ["honeydue-obs", "honeydue-secrets", "honeydue-tls"]
    assert complete_secrets("", args(repo, env="staging")) == ["gitea-registry", "honeydue-secrets"]
    assert complete_digests("a", args(repo, env="prod")) == ["api=sha256:", "admin=sha256:"]


def test_rule_ids_complete_in_either_case() -> None:
    assert complete_rules("HD0", argparse.Namespace()) == list(RULES)
    assert complete_rules("hd01", argparse.Namespace()) == [rule for rule in RULES if rule.startswith("HD01")]
    assert complete_rules("X", argparse.Namespace()) == []


def test_completers_outside_a_project_offer_nothing_and_say_nothing(tmp_path: Path, capsys) -> None:
    nowhere = args(tmp_path, env="prod")
    for completer in (complete_git_refs, complete_image_shas, complete_services, complete_secrets, complete_commits):
        assert completer("", nowhere) == []
    assert capsys.readouterr() == ("", "")


def test_argcomplete_offers_refs_for_base_and_rules_for_rules(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "completions"
    assert complete(f"hdgen -C {repo} diff prod --base fe", out) == ["feature/x"]
    assert complete(f"hdgen -C {repo} ci --base ma", out) == ["main"]
    assert complete(f"hdgen -C {repo} bump prod --sha d", out) == ["d3708e6"]
    assert complete(f"hdgen -C {repo} bump prod --sha v", out) == [""]  # nothing: no file names (values/) either
    assert complete("hdgen rules HD01", out) == [rule for rule in RULES if rule.startswith("HD01")]
