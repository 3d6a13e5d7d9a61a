"""hdgen history and hdgen rollback through the real CLI, on real git repositories."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pytest

from hdgen.project import Project
from hdgen.render.images import app_images
from hdgen.render.values import load_env, merged
from hdgen.yaml.read import load_data
from tests.conftest import REPO, run_hdgen
from tests.goldens import assert_golden
from tests.test_bump import GIT_ENV, git, make_repo, snapshot

DIGEST = "sha256:" + "ab" * 32
APPS = ["api", "worker", "admin", "web"]


def hdgen(project: Path, *args: str, when: int = 0):
    """The CLI in project, git's dates fixed (when: minutes after the first commit), so SHAs repeat."""
    date = f"2026-01-01T00:{when:02d}:00+00:00"
    env = {**GIT_ENV, "GIT_CEILING_DIRECTORIES": str(project.parent), "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return run_hdgen("-C", str(project), *args, env=env)


def ok(result) -> str:
    assert result.code == 0, result.err
    return result.out


def three_bumps(project: Path) -> list[str]:
    """The project committed, then three bumps of prod (api; every app; api and a digest): the commits, oldest first."""
    make_repo_dated(project)
    ok(hdgen(project, "bump", "prod", "--service", "api", "--sha", "1111111", "--render", "--commit", when=1))
    ok(hdgen(project, "bump", "prod", "--sha", "2222222", "--render", "--commit", when=2))
    ok(hdgen(project, "bump", "prod", "--service", "api", "--sha", "3333333", "--digest", f"api={DIGEST}",
             "--render", "--commit", when=3))
    return git(project, "log", "--reverse", "--format=%H").split()


def make_repo_dated(project: Path) -> None:
    """make_repo's first commit, at the first minute of 2026 (so its SHA repeats)."""
    import os
    import subprocess

    (project / ".gitignore").write_bytes((REPO / ".gitignore").read_bytes())
    date = "2026-01-01T00:00:00+00:00"
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "initial"]):
        subprocess.run(["git", "-C", str(project), *args], check=True, env=env, capture_output=True)


def named(text: str, commits: list[str]) -> str:
    """text with each commit's SHA (whole, or its first 12) as `commit-N`: goldens that outlive a template change."""
    for n, sha in enumerate(commits):
        text = text.replace(sha, f"commit-{n}").replace(sha[:12], f"commit-{n}")
    return text


def prod_image(project: Path, app: str):
    image = load_env(Project(project), "prod").model.apps[app].image
    return image.tag, image.digest


# --- history ---------------------------------------------------------------------------------


def test_history_lists_the_three_bumps(project: Path) -> None:
    commits = three_bumps(project)
    text = ok(hdgen(project, "history", "prod"))
    assert_golden("history/three-bumps.txt", named(text, commits))
    as_json = ok(hdgen(project, "history", "prod", "--format", "json"))
    assert_golden("history/three-bumps.json", named(as_json, commits))
    rows = json.loads(as_json)["history"]
    assert [row["commit"] for row in rows] == commits[::-1]
    assert rows[0]["images"]["api"] == {
        "repository": "gitea.treytartt.com/admin/honeydue-api", "tag": "3333333", "digest": DIGEST,
        "image": f"gitea.treytartt.com/admin/honeydue-api:3333333@{DIGEST}",
    }
    assert [row["changed"] for row in rows] == [["api"], APPS, ["api"], APPS]


def test_history_of_one_service_and_a_limit(project: Path) -> None:
    commits = three_bumps(project)
    rows = json.loads(ok(hdgen(project, "history", "prod", "--service", "worker", "--format", "json")))["history"]
    assert [row["commit"] for row in rows] == [commits[2], commits[0]]  # the commits that moved worker's image
    assert all(list(row["images"]) == ["worker"] for row in rows)
    limited = json.loads(ok(hdgen(project, "history", "prod", "--limit", "2", "--format", "json")))["history"]
    assert [row["commit"] for row in limited] == commits[:1:-1]


def test_defaults_count_and_comments_do_not(project: Path) -> None:
    """A defaults.yaml change that moves every image is a row; a comment-only change is not; an unrelated file is not."""
    commits = three_bumps(project)
    defaults = project / "values" / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("# Shared defaults", "# The shared defaults"))
    (project / "NOTES").write_text("x\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a comment, and notes")
    defaults.write_text(defaults.read_text().replace("imagePrefix: honeydue-", "imagePrefix: hd-"))
    git(project, "commit", "-q", "-am", "defaults: imagePrefix hd-")
    rows = json.loads(ok(hdgen(project, "history", "prod", "--format", "json")))["history"]
    assert [row["subject"] for row in rows[:2]] == ["defaults: imagePrefix hd-", rows[1]["subject"]]
    assert rows[1]["commit"] == commits[-1]
    assert rows[0]["changed"] == APPS
    assert rows[0]["images"]["web"]["repository"] == "gitea.treytartt.com/admin/hd-web"


def test_history_images_are_the_rendered_images() -> None:
    """One definition of an app's image: the raw merged values (history's way) give what the model renders."""
    project = Project(REPO)
    for env in project.envs():
        data: dict = {}
        for path in project.values_files(env):
            data = merged(data, load_data(path.read_text()))
        model = load_env(project, env).model
        for name, image in app_images(data).items():
            default = f"{model.registry}/{model.image_prefix}{name}"
            assert image.reference == model.apps[name].image.reference(default), (env, name)


def test_history_without_commits_says_so(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    assert ok(hdgen(project, "history", "prod")) == "prod: no commit on this branch changed what it runs\n"


# --- rollback --------------------------------------------------------------------------------


def test_rollback_to_the_previous_image_renders_and_commits(project: Path) -> None:
    commits = three_bumps(project)
    out = ok(hdgen(project, "rollback", "prod", "--service", "api", "--render", "--commit", when=4))
    assert "images only" in out.splitlines()[0]
    assert f"api: 3333333@{DIGEST} -> 2222222\n" in out
    assert prod_image(project, "api") == ("2222222", None)
    assert prod_image(project, "worker") == ("2222222", None)
    message = git(project, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "rollback(prod): api 3333333 -> 2222222"
    assert "images only" in message
    assert git(project, "status", "--porcelain") == ""
    assert ok(hdgen(project, "render", "--all", "--check"))
    # The rollback is a row of history like any other.
    row = json.loads(ok(hdgen(project, "history", "prod", "--limit", "1", "--format", "json")))["history"][0]
    assert row["images"]["api"]["tag"] == "2222222" and row["changed"] == ["api"]
    assert row["commit"] not in commits


@pytest.mark.parametrize("back", [1, 2, 3])
def test_rollback_to_any_earlier_commit(project: Path, back: int) -> None:
    commits = three_bumps(project)
    target = commits[-1 - back]
    ok(hdgen(project, "rollback", "prod", "--to", target[:9], "--render", "--commit", when=4))
    expected = {1: "2222222", 2: "1111111", 3: "d3708e6"}[back]
    assert prod_image(project, "api") == (expected, None)
    assert prod_image(project, "worker")[0] == ("d3708e6" if back >= 2 else "2222222")
    assert git(project, "status", "--porcelain") == ""
    assert ok(hdgen(project, "render", "--all", "--check"))


def test_rollback_steps_count_distinct_images(project: Path) -> None:
    three_bumps(project)
    out = ok(hdgen(project, "rollback", "prod", "--service", "api", "--steps", "3", "--render", "--commit", when=4))
    assert prod_image(project, "api") == ("d3708e6", None)
    assert git(project, "log", "-1", "--format=%s") == f"rollback(prod): api 3333333 -> d3708e6\n", out


def test_rollback_of_several_apps_groups_the_subject(project: Path) -> None:
    three_bumps(project)
    ok(hdgen(project, "rollback", "prod", "--render", "--commit", when=4))
    assert git(project, "log", "-1", "--format=%s") == (
        "rollback(prod): api 3333333 -> 2222222; worker, admin, web 2222222 -> d3708e6\n"
    )


def test_dry_run_writes_nothing_and_prints_the_plan(project: Path) -> None:
    three_bumps(project)
    before = snapshot(project)
    out = ok(hdgen(project, "rollback", "prod", "--service", "api", "--dry-run"))
    lines = out.splitlines()
    assert lines[1] == f"api: 3333333@{DIGEST} -> 2222222"
    assert "--- a/values/prod.yaml" in lines
    assert '-    image: {tag: "3333333", digest: "' + DIGEST + '"}' in lines
    assert '+    image: {tag: "2222222", digest: null}' in lines
    assert snapshot(project) == before


def test_bad_input_is_one_line_and_writes_nothing(project: Path) -> None:
    commits = three_bumps(project)
    prod = project / "values" / "prod.yaml"
    prod.write_text(prod.read_text().replace("\nredis:", '  late:\n    component: late\n    image: {tag: "5555555"}\n'
                                                     '    resources: {requests: {cpu: 10m, memory: 8Mi}, limits: {memory: 8Mi}}\n    replicas: 1\n'
                                                     '    probes: {liveness: {exec: [/app/late, healthcheck]}}\n\nredis:'))
    git(project, "commit", "-q", "-am", "a late app")
    ok(hdgen(project, "render", "prod"))
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "render")
    before = snapshot(project)
    cases = [
        (["rollback", "nope"], "unknown env 'nope': no values/nope.yaml (known envs: prod, staging)"),
        (["rollback", "prod", "--service", "nope"], "unknown service 'nope' in prod (known services: api, worker, admin, web, late)"),
        (["rollback", "prod", "--to", "nope"], "--to nope: no such commit in this repository"),
        (["rollback", "prod", "--service", "late", "--to", commits[0][:12]],
         f"--to {commits[0][:12]}: late did not exist in prod at {commits[0][:12]}"),
        (["rollback", "prod", "--service", "late"],
         "nothing to roll back: late in prod has no earlier images in this branch's history (it has run 5555555 since it appeared)"),
        (["rollback", "prod", "--service", "api", "--steps", "9"],
         "nothing to roll back: api in prod has 3 earlier images in this branch's history, fewer than --steps 9"),
        (["rollback", "prod", "--to", "HEAD~1", "--steps", "1"], "give --to COMMIT or --steps N, not both"),
        (["rollback", "prod", "--steps", "0"], "--steps 0: expected 1 or more (1 is the previous image)"),
        (["rollback", "prod", "--dry-run", "--commit"], "--dry-run writes nothing: drop --render and --commit, or drop --dry-run"),
        (["history", "nope"], "unknown env 'nope': no values/nope.yaml (known envs: prod, staging)"),
        (["history", "prod", "--service", "nope"],
         "unknown service 'nope' in prod's history (known services: api, worker, admin, web, late)"),
        (["history", "prod", "--limit", "0"], "--limit 0: expected 1 or more (the number of rows to show)"),
    ]
    for args, message in cases:
        result = hdgen(project, *args)
        assert (result.code, result.err) == (2, f"hdgen: error: {message}\n"), args
        assert snapshot(project) == before, args
    assert git(project, "status", "--porcelain") == ""


def test_rollback_refuses_an_image_the_env_does_not_accept(project: Path) -> None:
    """Validated before writing: an earlier commit's mutable tag is refused in prod, as bump refuses it."""
    make_repo(project)
    prod = project / "values" / "prod.yaml"
    prod.write_text(prod.read_text().replace('api:\n    image: {tag: "d3708e6"}', 'api:\n    image: {tag: "latest"}'))
    git(project, "commit", "-q", "-am", "a mutable tag, when nothing checked")
    prod.write_text(prod.read_text().replace('{tag: "latest"}', '{tag: "1234567"}'))
    git(project, "commit", "-q", "-am", "fixed")
    before = snapshot(project)
    result = hdgen(project, "rollback", "prod", "--service", "api")
    assert result.code == 2
    assert result.err.startswith("hdgen: error: values/prod.yaml:21: apps.api.image.tag: latest is mutable"), result.err
    assert snapshot(project) == before


# --- completion ------------------------------------------------------------------------------


def test_to_completes_recent_commits_as_short_shas(project: Path) -> None:
    from hdgen.commands.rollback import complete_commits

    commits = three_bumps(project)
    parsed = argparse.Namespace(project_dir=project, env="prod")
    shas = git(project, "log", "--format=%h").split()
    assert complete_commits("", parsed) == shas + ["HEAD", "main"]  # the env's commits, then the refs
    assert all(any(full.startswith(sha) for full in commits) for sha in shas)
    assert complete_commits(shas[1][:5], parsed) == [s for s in shas if s.startswith(shas[1][:5])]
    assert complete_commits("", argparse.Namespace(project_dir=project, env="nope")) == []


# --- speed -----------------------------------------------------------------------------------


def test_history_of_three_thousand_commits_is_fast(tmp_path: Path) -> None:
    """tests/history_repo.py: 3,000 generated commits, 2,730 of them rows; three git processes in all."""
    from tests.history_repo import make

    project = make(tmp_path / "long", 3000)
    started = time.monotonic()
    out = ok(run_hdgen("-C", str(project), "history", "prod", "--format", "json", env=GIT_ENV))
    seconds = time.monotonic() - started
    assert len(json.loads(out)["history"]) == 2730
    assert seconds < 20, f"{seconds:.1f}s"  # about 2 s on an idle machine; the bound is for a loaded one
