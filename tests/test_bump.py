"""hdgen bump through the real CLI: byte-exact edits, errors that change nothing, real git."""

from __future__ import annotations

import difflib
import fcntl
import os
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hdgen.errors import InputError
from hdgen.project import Project
from hdgen.safewrite import digest, replace_if_unchanged
from hdgen.render.tree import read_tree
from hdgen.render.values import load_env
from tests.conftest import HDGEN, REPO, complete, run_hdgen
from tests.goldens import assert_golden

GOLDEN = Path(__file__).parent / "golden" / "bump"
DIGEST = "sha256:" + "0" * 64
SOURCE = "0123456789abcdef0123456789abcdef01234567"
APPS = ["api", "worker", "admin", "web"]
# Git that ignores the machine's own config and never finds a repository above the test's folder.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def bump(project: Path, *args: str, env: dict | None = None):
    return run_hdgen("-C", str(project), "bump", *args, env={"GIT_CEILING_DIRECTORIES": str(project.parent), **(env or {})})


def snapshot(project: Path) -> dict[str, bytes]:
    """Every byte of values/ and rendered/ (lock files aside), to prove nothing changed."""
    files = {f"values/{k}": v for k, v in read_tree(project / "values").items()}
    files |= {f"rendered/{k}": v for k, v in read_tree(project / "rendered").items() if not k.startswith(".")}
    return files


def git(project: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return proc.stdout


def make_repo(project: Path) -> None:
    """The scratch project as a git repository with the project's .gitignore, all committed."""
    (project / ".gitignore").write_bytes((REPO / ".gitignore").read_bytes())
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "initial")


# --- whole-file golden edits ---------------------------------------------------------------


def test_prod_bump_changes_only_the_four_tags(project: Path) -> None:
    result = bump(project, "prod", "--sha", "1234567")
    assert result.code == 0, result.err
    assert_golden("bump/prod.after.yaml", (project / "values/prod.yaml").read_bytes())
    assert result.out == "".join(f"{app}: d3708e6 -> 1234567\n" for app in APPS) + "values/prod.yaml: written\n"


@pytest.mark.parametrize("case", ["odd", "bare", "crlf"])
def test_hand_written_files_keep_every_other_byte(project: Path, case: str) -> None:
    """odd: comments, blank lines, 4-space indents, quoting styles, anchors; bare: flow
    mappings and no final newline; crlf: Windows line ends. Tag and digest set or inserted."""
    (project / "values" / f"{case}.yaml").write_bytes((GOLDEN / f"{case}.before.yaml").read_bytes())
    result = bump(project, case, "--sha", "1e12345", "--digest", f"api={DIGEST}")
    assert result.code == 0, result.err
    assert_golden(f"bump/{case}.after.yaml", (project / "values" / f"{case}.yaml").read_bytes())
    loaded = load_env(Project(project), case)
    assert {name: app.image.tag for name, app in loaded.model.apps.items()} == dict.fromkeys(APPS, "1e12345")
    assert loaded.model.apps["api"].image.digest == DIGEST


@pytest.mark.parametrize("sha", ["1234567", "0123456", "1e12345", "deadbee", "12345678901234567890"])
def test_shas_yaml_would_misread_stay_strings(project: Path, sha: str) -> None:
    result = bump(project, "prod", "--sha", sha)
    assert result.code == 0, result.err
    raw = YAML(typ="safe", pure=True).load((project / "values/prod.yaml").read_text())
    assert [raw["apps"][app]["image"]["tag"] for app in APPS] == [sha] * 4
    model = load_env(Project(project), "prod").model
    assert all(type(app.image.tag) is str and app.image.tag == sha for app in model.apps.values())


def test_service_limits_the_bump_and_digest_pins_the_rendered_image(project: Path) -> None:
    result = bump(project, "prod", "--sha", "abcdef1", "--service", "api", "--digest", f"api={DIGEST}", "--render")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == f"api: d3708e6 -> abcdef1@{DIGEST}"
    tags = {n: (a.image.tag, a.image.digest) for n, a in load_env(Project(project), "prod").model.apps.items()}
    assert tags == {"api": ("abcdef1", DIGEST), "worker": ("d3708e6", None), "admin": ("d3708e6", None), "web": ("d3708e6", None)}
    deployment = (project / "rendered/prod/api/deployment.yaml").read_text()
    assert f"image: gitea.treytartt.com/admin/honeydue-api:abcdef1@{DIGEST}\n" in deployment
    check = run_hdgen("-C", str(project), "render", "--check", "prod")
    assert check.code == 0, check.out + check.err


def test_render_leaves_render_check_clean(project: Path) -> None:
    assert run_hdgen("-C", str(project), "render", "--check", "prod").code == 0
    result = bump(project, "prod", "--sha", "1a2b3c4d", "--render")
    assert result.code == 0, result.err
    assert "prod: 4 changed (rendered/prod)" in result.out  # four deployments; PROVENANCE names no values digest
    check = run_hdgen("-C", str(project), "render", "--check", "prod")
    assert (check.code, check.out) == (0, "prod: fresh (rendered/prod)\nprod: fresh (rendered/_gitops/prod)\n")


def test_bump_to_the_current_value_is_a_no_op(project: Path) -> None:
    before = snapshot(project)
    result = bump(project, "prod", "--sha", "d3708e6", "--render")
    assert (result.code, result.err) == (0, "")
    assert result.out == "".join(f"{app}: already at d3708e6\n" for app in APPS) + "values/prod.yaml: unchanged\n"
    assert snapshot(project) == before


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = bump(project, "prod", "--sha", "1234567", "--dry-run")
    assert result.code == 0, result.err
    diff = difflib.unified_diff(
        (REPO / "values/prod.yaml").read_text().splitlines(keepends=True),
        (GOLDEN / "prod.after.yaml").read_text().splitlines(keepends=True),
        "a/values/prod.yaml",
        "b/values/prod.yaml",
    )
    assert result.out == "".join(f"{app}: d3708e6 -> 1234567\n" for app in APPS) + "".join(diff)
    assert snapshot(project) == before


# --- errors: the documented exit code, one line, nothing changed ------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["prod", "--sha", "xyz1234"], 2, "--sha 'xyz1234': expected a commit SHA, 7 to 40 lowercase hex digits"),
        (["prod", "--sha", "abc12"], 2, "--sha 'abc12': expected a commit SHA"),
        (["prod", "--sha", "ABCDEF1"], 2, "--sha ABCDEF1: use lowercase hex"),
        (["nope", "--sha", "abcdef1"], 2, "unknown env 'nope': no values/nope.yaml (known envs: prod, staging)"),
        (["prod", "--sha", "abcdef1", "--service", "db"], 2, "unknown service 'db' in prod (known services: api, worker, admin, web)"),
        (["prod", "--sha", "abcdef1", "--digest", "api=sha256:abc"], 2, "--digest 'api=sha256:abc': the digest must be"),
        (["prod", "--sha", "abcdef1", "--digest", "api"], 2, "--digest 'api': expected SERVICE=sha256:<64 hex digits>"),
        (["prod", "--sha", "abcdef1", "--digest", f"api={DIGEST.upper()}"], 2, "(use lowercase hex)"),
        (["prod", "--sha", "abcdef1", "--service", "web", "--digest", f"api={DIGEST}"], 2, "--digest api: api is not among the services being bumped (web)"),
        (["prod", "--sha", "abcdef1", "--dry-run", "--commit"], 2, "--dry-run writes nothing"),
        (["prod", "--sha", "abcdef1", "--source-sha", SOURCE], 2, "--source-sha only goes into the commit message: add --commit"),
        (["prod", "--sha", "abcdef1", "--source-sha", "HEAD", "--commit"], 2, "--source-sha 'HEAD': expected a commit SHA"),
        (["prod", "--sha", "abcdef1", "--commit"], 3, "`git -C "),  # the scratch project is no git repository
    ],
)
def test_bad_arguments_change_nothing(project: Path, args: list[str], code: int, message: str) -> None:
    before = snapshot(project)
    result = bump(project, *args)
    assert result.code == code, result.err
    first = result.err.splitlines()[0]
    assert first.startswith("hdgen: error: ") and message in first, result.err
    assert "Traceback" not in result.err
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            "registry: r\nallowMutableTags: true\ningress: null\nobservability: null\n"
            "apps:\n  api: {image: &img {tag: abcdef0}, replicas: 1}\n  worker: {image: *img, replicas: 1}\n"
            "  admin: {replicas: 1}\n  web: {replicas: 1}\n",
            "values/custom.yaml:6: apps.api.image: carries the anchor &img that aliases refer to",
        ),
        (
            "registry: r\nallowMutableTags: true\ningress: null\nobservability: null\n"
            "base: 1\n"
            "apps:\n  api: {replicas: 1}\n  worker: {replicas: 1}\n  admin: {replicas: 1}\n  web: {replicas: 1}\n",
            "values/custom.yaml:5: base: unknown key",
        ),
        (
            "registry: r\nallowMutableTags: true\ningress: null\nobservability: null\n"
            "apps:\n  api: {image: {tag: abcdef0, digest: 'sha256:" + "1" * 64 + "'}, replicas: 1}\n"
            "  worker: {replicas: 1}\n  admin: {replicas: 1}\n  web: {replicas: 1}\n",
            "values/custom.yaml:6: apps.api.image.digest: pins the image of abcdef0; a new tag needs the new "
            "image's digest: pass --digest api=sha256:<64 hex>",
        ),
    ],
)
def test_values_bump_cannot_edit_safely_change_nothing(project: Path, values: str, message: str) -> None:
    (project / "values/custom.yaml").write_text(values)
    before = snapshot(project)
    result = bump(project, "custom", "--sha", "1234567")
    assert result.code == 2, result.err
    assert result.err.startswith(f"hdgen: error: {message}")
    assert len(result.err.splitlines()) == 1
    assert snapshot(project) == before


# --- concurrency ---------------------------------------------------------------------------


def test_a_change_while_waiting_for_the_lock_is_detected_not_overwritten(project: Path) -> None:
    """Another writer holds the env's bump lock and changes the file: the bump must not overwrite it."""
    values = project / "values/prod.yaml"
    lock_path = project / "rendered/.prod.values.lock"
    with open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [*HDGEN, "-C", str(project), "bump", "prod", "--sha", "1234567"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # The bump has planned its edit and now waits for the lock; nothing on disk has changed yet.
        assert proc.stderr.readline() == "hdgen: waiting for another hdgen writing prod.values to finish\n"
        theirs = values.read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: debug")
        values.write_text(theirs)
        fcntl.flock(lock, fcntl.LOCK_UN)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, out + err
    assert err == "hdgen: error: values/prod.yaml: changed while bumping (someone else wrote it); nothing written: run again\n"
    assert values.read_text() == theirs


def test_a_change_right_before_the_replace_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "prod.yaml"
    path.write_text("tag: old\n")
    path.chmod(0o640)

    def someone_else_writes() -> None:
        path.write_text("tag: theirs\n")

    with pytest.raises(InputError, match="changed while bumping"):
        replace_if_unchanged(path, "tag: new\n", digest(b"tag: old\n"), "prod.yaml", before_replace=someone_else_writes)
    assert path.read_text() == "tag: theirs\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prod.yaml"]  # no temp file left behind

    replace_if_unchanged(path, "tag: new\n", digest(b"tag: theirs\n"), "prod.yaml")
    assert path.read_text() == "tag: new\n"
    assert path.stat().st_mode & 0o777 == 0o640  # the file's mode survives the rename


# --- --commit with real git -----------------------------------------------------------------


def test_commit_holds_the_values_and_rendered_tree_with_message_and_trailer(project: Path) -> None:
    make_repo(project)
    (project / "notes.txt").write_text("unrelated work in progress\n")
    git(project, "add", "notes.txt")
    result = bump(project, "prod", "--sha", "1a2b3c4", "--render", "--commit", "--source-sha", SOURCE, env=GIT_ENV)
    assert result.code == 0, result.err
    subject = "bump(prod): api, worker, admin, web d3708e6 -> 1a2b3c4"
    assert result.out.splitlines()[-1].endswith(f": {subject}")
    message = git(project, "log", "-1", "--format=%B")
    body = "".join(f"{app}: d3708e6 -> 1a2b3c4\n" for app in APPS)
    assert message == f"{subject}\n\n{body}\nSource-Commit: {SOURCE}\n\n"
    assert git(project, "log", "-1", "--format=%(trailers:key=Source-Commit,valueonly)").strip() == SOURCE
    files = git(project, "show", "--name-only", "--format=", "HEAD").split()
    assert files == [
        "rendered/prod/admin/deployment.yaml",
        "rendered/prod/api/deployment.yaml",
        "rendered/prod/web/deployment.yaml",
        "rendered/prod/worker/deployment.yaml",
        "values/prod.yaml",
    ]
    # The unrelated staged file is neither committed nor unstaged; nothing else is left over.
    assert git(project, "status", "--porcelain") == "A  notes.txt\n"
    assert run_hdgen("-C", str(project), "render", "--check", "prod").code == 0


def test_commit_refuses_a_values_file_with_uncommitted_changes(project: Path) -> None:
    make_repo(project)
    values = project / "values/prod.yaml"
    values.write_text(values.read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: debug"))
    before = snapshot(project)
    result = bump(project, "prod", "--sha", "1a2b3c4", "--commit", env=GIT_ENV)
    assert result.code == 2, result.err
    assert result.err.startswith("hdgen: error: values/prod.yaml: has uncommitted changes; commit or stash them first")
    assert result.out == ""  # refused before the plan is printed: no `api: d3708e6 -> 1a2b3c4` that reads as done
    assert snapshot(project) == before
    assert git(project, "log", "--format=%s") == "initial\n"


def test_failed_commit_undoes_the_bump(project: Path) -> None:
    make_repo(project)
    hook = project / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(project)
    result = bump(project, "prod", "--sha", "1a2b3c4", "--render", "--commit", env=GIT_ENV)
    assert result.code == 3, result.err
    lines = result.err.splitlines()
    assert lines[0].startswith("hdgen: error: `git -C ")
    assert lines[0].endswith("failed (exit 1); the bump was undone, nothing changed")
    assert lines[1:] == ["hook says no"]
    assert snapshot(project) == before
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "log", "--format=%s") == "initial\n"


def test_commit_without_git_on_path_is_a_tool_error(project: Path, tmp_path: Path) -> None:
    make_repo(project)
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    before = snapshot(project)
    result = bump(project, "prod", "--sha", "1a2b3c4", "--commit", env={**GIT_ENV, "PATH": str(empty_bin)})
    assert result.code == 3, result.err
    assert result.err == "hdgen: error: git not found on PATH: install git, or bump without --commit\n"
    assert snapshot(project) == before


# --- completion ----------------------------------------------------------------------------


def test_service_names_complete_from_the_envs_values(project: Path, tmp_path: Path) -> None:
    assert complete(f"hdgen -C {project} bump prod --service w", tmp_path / "completions") == ["web", "worker"]
