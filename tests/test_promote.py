"""hdgen promote through the real CLI and real git: byte-exact edits, one commit, refusals that change nothing."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from hdgen.project import Project
from hdgen.render.values import load_env
from tests.conftest import REPO, complete, run_hdgen
from tests.goldens import assert_golden
from tests.test_bump import GIT_ENV, bump, git, make_repo, snapshot

DIGEST = "sha256:" + "0" * 64
OTHER_DIGEST = "sha256:" + "1" * 64
APPS = ["api", "worker", "admin", "web"]


def promote(project: Path, *args: str, env: dict | None = None):
    return run_hdgen("-C", str(project), "promote", *args, env={"GIT_CEILING_DIRECTORIES": str(project.parent), **(env or {})})


def images(project: Path, env: str) -> dict[str, tuple[str | None, str | None]]:
    return {n: (a.image.tag, a.image.digest) for n, a in load_env(Project(project), env).model.apps.items()}


@pytest.fixture
def staged(project: Path) -> Path:
    """The project as a git repository whose staging CI bumped to 1a2b3c4 (api pinned by digest), committed."""
    make_repo(project)
    result = bump(project, "staging", "--sha", "1a2b3c4", "--digest", f"api={DIGEST}", "--render", "--commit", env=GIT_ENV)
    assert result.code == 0, result.err
    return project


def test_promote_copies_stagings_pinned_images_into_prod_in_one_commit(staged: Path) -> None:
    result = promote(staged, "staging", "prod", "--render", "--commit", env=GIT_ENV)
    assert result.code == 0, result.err
    subject = "promote(staging -> prod): api d3708e6 -> 1a2b3c4@sha256:000000000000, worker, admin, web d3708e6 -> 1a2b3c4"
    assert result.out.splitlines()[:6] == [
        f"api: d3708e6 -> 1a2b3c4@{DIGEST}",
        "worker: d3708e6 -> 1a2b3c4",
        "admin: d3708e6 -> 1a2b3c4",
        "web: d3708e6 -> 1a2b3c4",
        "values/prod.yaml: written",
        "prod: 4 changed (rendered/prod)",  # PROVENANCE names no values digest: it does not change
    ]
    assert result.out.splitlines()[-1].endswith(f": {subject}")
    # Every other byte of values/prod.yaml stays; the digest line is inserted in the flow mapping.
    assert_golden("promote/prod.after.yaml", (staged / "values/prod.yaml").read_bytes())
    assert images(staged, "prod") == images(staged, "staging")
    body = f"api: d3708e6 -> 1a2b3c4@{DIGEST}\n" + "".join(f"{app}: d3708e6 -> 1a2b3c4\n" for app in APPS[1:])
    assert git(staged, "log", "-1", "--format=%B") == f"{subject}\n\n{body}\n"
    assert git(staged, "show", "--name-only", "--format=", "HEAD").split() == [
        "rendered/prod/admin/deployment.yaml",
        "rendered/prod/api/deployment.yaml",
        "rendered/prod/web/deployment.yaml",
        "rendered/prod/worker/deployment.yaml",
        "values/prod.yaml",
    ]
    assert git(staged, "status", "--porcelain") == ""
    check = run_hdgen("-C", str(staged), "render", "--check", "--all")
    assert check.code == 0, check.out + check.err


def test_service_limits_the_promote_and_apps_that_move_apart_are_listed_apart(staged: Path) -> None:
    result = bump(staged, "staging", "--sha", "5e6f7a8", "--service", "web", "--render", "--commit", env=GIT_ENV)
    assert result.code == 0, result.err
    result = promote(staged, "staging", "prod", "--service", "web", "--service", "worker", "--render", "--commit", env=GIT_ENV)
    assert result.code == 0, result.err
    assert result.out.splitlines()[:2] == ["worker: d3708e6 -> 1a2b3c4", "web: d3708e6 -> 5e6f7a8"]
    assert git(staged, "log", "-1", "--format=%s") == "promote(staging -> prod): worker d3708e6 -> 1a2b3c4, web d3708e6 -> 5e6f7a8\n"
    assert images(staged, "prod") == {
        "api": ("d3708e6", None), "worker": ("1a2b3c4", None), "admin": ("d3708e6", None), "web": ("5e6f7a8", None),
    }
    assert run_hdgen("-C", str(staged), "render", "--check", "prod").code == 0


def test_nothing_to_promote_is_not_an_error_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)  # the shipped staging runs what prod runs
    result = promote(project, "staging", "prod", "--render")
    assert (result.code, result.err) == (0, "")
    assert result.out == "".join(f"{app}: already at d3708e6\n" for app in APPS) + (
        "values/prod.yaml: unchanged: prod already runs staging's images, nothing to promote\n"
    )
    assert snapshot(project) == before


def test_dry_run_prints_the_diff_and_writes_nothing(staged: Path) -> None:
    before = snapshot(staged)
    result = promote(staged, "staging", "prod", "--dry-run")
    assert result.code == 0, result.err
    diff = difflib.unified_diff(
        (REPO / "values/prod.yaml").read_text().splitlines(keepends=True),
        (REPO / "tests/golden/promote/prod.after.yaml").read_text().splitlines(keepends=True),
        "a/values/prod.yaml",
        "b/values/prod.yaml",
    )
    summary = [f"api: d3708e6 -> 1a2b3c4@{DIGEST}"] + [f"{app}: d3708e6 -> 1a2b3c4" for app in APPS[1:]]
    assert result.out == "".join(f"{line}\n" for line in summary) + "".join(diff)
    assert snapshot(staged) == before
    assert git(staged, "status", "--porcelain") == ""


# --- refusals: exit 2, one line, nothing printed before it, nothing written -------------------

STAGING_LATEST = ("staging", 'image: {tag: "d3708e6"}\n    replicas: 1\n    coldBootSeconds', "image: {tag: latest}\n    replicas: 1\n    coldBootSeconds")
STAGING_NO_TAG = ("staging", 'image: {tag: "d3708e6"}\n    replicas: 1\n    coldBootSeconds', "replicas: 1\n    coldBootSeconds")
STAGING_DIGEST_ONLY = ("staging", 'image: {tag: "d3708e6"}\n    replicas: 1\n    coldBootSeconds', f"image: {{digest: '{DIGEST}'}}\n    replicas: 1\n    coldBootSeconds")
PROD_PINNED = ("prod", 'worker:\n    image: {tag: "d3708e6"}', f'worker:\n    image: {{tag: "d3708e6", digest: "{OTHER_DIGEST}"}}')
STAGING_WORKER_MOVED = ("staging", 'worker:\n    image: {tag: "d3708e6"}', 'worker:\n    image: {tag: "9abcdef"}')


@pytest.mark.parametrize(
    ("edits", "args", "message"),
    [
        ([], ["staging", "staging"], "promote staging -> staging: SRC and DST are the same env; name two different envs"),
        ([], ["qa", "prod"], "unknown env 'qa': no values/qa.yaml (known envs: prod, staging)"),
        ([], ["staging", "Prod"], "invalid env name 'Prod': use lowercase letters, digits and '-' (known envs: prod, staging)"),
        ([], ["staging", "prod", "--service", "db"], "unknown service 'db' in prod (known services: api, worker, admin, web)"),
        ([], ["staging", "prod", "--dry-run", "--render"], "--dry-run writes nothing: drop --render and --commit, or drop --dry-run"),
        (
            [STAGING_LATEST], ["staging", "prod"],
            "values/staging.yaml:17: apps.api.image.tag: staging runs api on the mutable tag latest, so what it runs "
            "cannot be known from git: pin it with `hdgen bump staging --sha SHA`, then promote",
        ),
        (
            [STAGING_NO_TAG], ["staging", "prod", "--service", "api"],
            "values/staging.yaml: apps.api.image.tag: staging runs api on no tag and no digest, so what it runs "
            "cannot be known from git: pin it with `hdgen bump staging --sha SHA`, then promote",
        ),
        (
            [STAGING_DIGEST_ONLY], ["staging", "prod"],
            "values/staging.yaml:17: apps.api.image.digest: staging runs api by digest with no tag; promote copies "
            "the tag too: give it one with `hdgen bump staging --sha SHA --digest …`",
        ),
        (
            [PROD_PINNED, STAGING_WORKER_MOVED], ["staging", "prod", "--service", "worker"],
            f"values/prod.yaml:29: apps.worker.image.digest: pins the image of d3708e6, and staging runs 9abcdef with "
            "no digest: pin staging's digest (`hdgen bump staging --sha 9abcdef --digest worker=sha256:…`) or delete this line",
        ),
    ],
)
def test_refusals_print_one_line_and_change_nothing(project: Path, edits: list, args: list[str], message: str) -> None:
    for env, old, new in edits:
        path = project / "values" / f"{env}.yaml"
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new, 1))
    before = snapshot(project)
    result = promote(project, *args)
    assert (result.code, result.out, result.err) == (2, "", f"hdgen: error: {message}\n")
    assert snapshot(project) == before


def test_a_mutable_source_is_refused_before_git_is_touched(staged: Path) -> None:
    """The first chosen app on latest stops the promote, even with --commit: no half-done commit."""
    values = staged / "values/staging.yaml"
    values.write_text(values.read_text().replace('web:\n    image: {tag: "1a2b3c4"}', "web:\n    image: {tag: latest}"))
    git(staged, "commit", "-qam", "staging web on latest")
    result = promote(staged, "staging", "prod", "--render", "--commit", env=GIT_ENV)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("hdgen: error: values/staging.yaml:") and "staging runs web on the mutable tag latest" in result.err
    assert git(staged, "log", "-1", "--format=%s") == "staging web on latest\n"
    assert git(staged, "status", "--porcelain") == ""


# --- --help and completion -----------------------------------------------------------------


def test_help_names_every_option() -> None:
    result = run_hdgen("promote", "--help")
    assert result.code == 0, result.err
    for option in ("SRC", "DST", "--service", "--dry-run", "--render", "--commit"):
        assert option in result.out


def test_envs_and_services_complete(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "completions"
    assert complete(f"hdgen -C {project} promote s", out) == ["staging"]
    assert complete(f"hdgen -C {project} promote staging p", out) == ["prod"]
    assert complete(f"hdgen -C {project} promote staging prod --service w", out) == ["web", "worker"]


CRON = (
    "  cron:\n    component: cron\n    command: [/app/cron]\n    probes: {liveness: {exec: [/app/cron, healthcheck]}}\n"
    '    resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 64Mi}}\n    image: {tag: "d3708e6"}\n'
    "    replicas: 1\n\nredis:"
)


def test_an_app_only_dst_runs_is_refused_until_service_leaves_it_out(project: Path) -> None:
    """values/qa.yaml: staging plus a cron app that staging does not run."""
    (project / "values/qa.yaml").write_text((project / "values/staging.yaml").read_text().replace("\nredis:", CRON, 1))
    before = snapshot(project)
    result = promote(project, "staging", "qa")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "hdgen: error: unknown service 'cron' in staging (known services: api, worker, admin, web); "
        "promote only the apps both envs run with --service\n"
    )
    assert snapshot(project) == before
    result = promote(project, "staging", "qa", "--service", "api")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith("api: already at d3708e6\n")
