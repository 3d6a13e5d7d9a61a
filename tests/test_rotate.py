"""hdgen rotate through the real CLI and real git, and the revision annotations it rolls pods with.

Which pods read which Secret is computed here from the rendered objects themselves
(envFrom, env secretKeyRef, volumes), not from hdgen's plan, so the tests check the
plan against the objects the cluster gets.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from hdgen.project import Project
from hdgen.render.pipeline import render_env
from hdgen.render.values import load_env
from hdgen.yaml.edit import set_integer
from tests.conftest import HDGEN, REPO, run_hdgen
from tests.test_bump import GIT_ENV, git, make_repo, snapshot

PREFIX = "secret-revision.hdgen.io/"
ENVS = ["prod", "staging"]


def rotate(project: Path, *args: str, env: dict | None = None):
    return run_hdgen(
        "-C", str(project), "rotate", *args, env={"GIT_CEILING_DIRECTORIES": str(project.parent), **GIT_ENV, **(env or {})}
    )


def pod_template(body: dict) -> dict | None:
    if body["kind"] in ("Deployment", "StatefulSet", "DaemonSet"):
        return body["spec"]["template"]
    return None


def secrets_read(template: dict) -> set[str]:
    """The Secrets a pod's containers read (what a restart picks up); imagePullSecrets are the kubelet's."""
    spec = template["spec"]
    names = set()
    for container in spec.get("initContainers", []) + spec["containers"]:
        names |= {s["secretRef"]["name"] for s in container.get("envFrom", []) if "secretRef" in s}
        names |= {
            v["valueFrom"]["secretKeyRef"]["name"] for v in container.get("env", []) if "secretKeyRef" in v.get("valueFrom", {})
        }
    for volume in spec.get("volumes", []):
        if "secret" in volume:
            names.add(volume["secret"]["secretName"])
        names |= {s["secret"]["name"] for s in volume.get("projected", {}).get("sources", []) if "secret" in s}
    return names


def readers(objects: list[dict], secret: str) -> set[str]:
    return {
        f"{b['kind']}/{b['metadata']['name']}" for b in objects if (t := pod_template(b)) and secret in secrets_read(t)
    }


def rendered_objects(project: Path, env: str) -> list[dict]:
    return [m.body for m in render_env(load_env(Project(project), env)).manifests]


def changed_workloads(project: Path, commit: str = "HEAD") -> set[str]:
    """The workloads whose rendered file the commit changed, as Kind/name."""
    files = git(project, "show", "--format=", "--name-only", commit).split()
    kinds = {"deployment.yaml": "Deployment", "statefulset.yaml": "StatefulSet", "vmagent-deployment.yaml": "Deployment"}
    found = set()
    for path in files:
        parts = path.split("/")
        if parts[0] == "rendered" and parts[-1] in kinds:
            name = "vmagent" if parts[-1] == "vmagent-deployment.yaml" else parts[-2]
            found.add(f"{kinds[parts[-1]]}/{name}")
    return found


# --- the whole flow: rotate, render, commit, diff -------------------------------------------


def test_rotate_commits_a_change_that_rolls_exactly_the_readers_and_diff_names_them(project: Path) -> None:
    make_repo(project)
    first = rotate(project, "prod", "honeydue-secrets", "--render", "--commit")
    assert first.code == 0, first.err
    second = rotate(project, "prod", "honeydue-secrets", "--render", "--commit")
    assert second.code == 0, second.err
    assert git(project, "log", "--format=%s").splitlines() == [
        "rotate(prod): honeydue-secrets 1 -> 2",
        "rotate(prod): honeydue-secrets none -> 1",
        "initial",
    ]
    objects = rendered_objects(project, "prod")
    expected = readers(objects, "honeydue-secrets")
    assert expected == {"Deployment/api", "Deployment/worker"}  # admin and web set useSecrets: false
    assert changed_workloads(project) == expected
    assert changed_workloads(project, "HEAD~1") == expected
    assert second.out.splitlines()[:2] == [
        "prod: Secret honeydue-secrets 1 -> 2 (secrets.revisions.honeydue-secrets)",
        "rolls Deployment api, Deployment worker: they read honeydue-secrets and carry its revision",
    ]
    assert git(project, "status", "--porcelain") == ""
    assert run_hdgen("-C", str(project), "render", "--all", "--check").code == 0

    report = json.loads(run_hdgen("-C", str(project), "diff", "prod", "--base", "HEAD~1", "--format", "json").out)
    assert report["secretRotations"] == [
        {
            "secret": "honeydue-secrets",
            "oldRevision": "1",
            "newRevision": "2",
            "rolls": [
                {"kind": "Deployment", "namespace": "honeydue", "name": "api"},
                {"kind": "Deployment", "namespace": "honeydue", "name": "worker"},
            ],
        }
    ]
    resources = {f"{r['kind']}/{r['name']}": r for r in report["resources"]}
    assert set(resources) == expected
    for resource in resources.values():
        assert resource["impact"] == "rolls-pods"
        assert resource["impactDetail"].endswith("(Secret honeydue-secrets rotated: revision 1 -> 2)")
        assert resource["fields"] == [
            {"path": f'spec.template.metadata.annotations["{PREFIX}honeydue-secrets"]', "old": "1", "new": "2",
             "redacted": False}
        ]
    line = "rolls Deployment api, Deployment worker: Secret honeydue-secrets rotated (revision 1 -> 2)"
    text = run_hdgen("-C", str(project), "diff", "prod", "--base", "HEAD~1").out
    assert text.splitlines()[2] == line
    markdown = run_hdgen("-C", str(project), "diff", "prod", "--base", "HEAD~1", "--format", "markdown").out
    assert f"- 🔑 {line}" in markdown.splitlines()


def test_the_observability_token_rolls_only_vmagent(project: Path) -> None:
    make_repo(project)
    result = rotate(project, "prod", "honeydue-obs", "--render", "--commit")
    assert result.code == 0, result.err
    assert changed_workloads(project) == readers(rendered_objects(project, "prod"), "honeydue-obs") == {"Deployment/vmagent"}
    assert git(project, "log", "-1", "--format=%s") == "rotate(prod): honeydue-obs none -> 1\n"


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("gitea-registry", "no pods roll: the kubelet reads gitea-registry only when it pulls an image"),
        ("honeydue-tls", "no pods roll: the ingress controller watches honeydue-tls"),
    ],
)
def test_pull_and_tls_secrets_are_recorded_but_roll_nothing(project: Path, secret: str, why: str) -> None:
    make_repo(project)
    result = rotate(project, "prod", secret, "--render", "--commit")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1].startswith(why)
    # The revision is in git; the rendered tree is untouched (PROVENANCE names no values digest).
    assert git(project, "show", "--format=", "--name-only", "HEAD").split() == ["values/prod.yaml"]
    assert load_env(Project(project), "prod").model.secrets.revisions == {secret: 1}


def test_the_insert_changes_one_line_and_a_second_secret_joins_it(project: Path) -> None:
    before = (project / "values/staging.yaml").read_text()
    assert rotate(project, "staging", "honeydue-secrets").code == 0
    assert rotate(project, "staging", "gitea-registry").code == 0
    after = (project / "values/staging.yaml").read_text()
    # staging had no secrets: mapping, so one is added at the end, in the file's own style.
    assert after == before + "secrets:\n  revisions: {honeydue-secrets: 1, gitea-registry: 1}\n"


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = rotate(project, "prod", "honeydue-secrets", "--dry-run")
    assert result.code == 0, result.err
    assert "+  revisions: {honeydue-secrets: 1}" in result.out.splitlines()
    assert snapshot(project) == before


# --- bad input: one line, nothing written -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nope", "honeydue-secrets"], 2, "unknown env 'nope': no values/nope.yaml (known envs: prod, staging)"),
        (
            ["prod", "honeydue-secret"],
            2,
            "prod: 'honeydue-secret' is not a Secret this env references (did you mean 'honeydue-secrets'? it "
            "references: gitea-registry, honeydue-obs, honeydue-secrets, honeydue-tls)",
        ),
        # staging sends no metrics, so its tree does not reference vmagent's token Secret.
        (["staging", "honeydue-obs"], 2, "staging: 'honeydue-obs' is not a Secret this env references"),
        (["prod", "honeydue-secrets", "--dry-run", "--commit"], 2, "--dry-run writes nothing"),
        (["prod", "honeydue-secrets", "--commit"], 3, "`git -C "),  # the scratch project is no git repository
    ],
)
def test_bad_arguments_change_nothing(project: Path, args: list[str], code: int, message: str) -> None:
    before = snapshot(project)
    result = rotate(project, *args)
    assert result.code == code, result.err
    assert result.err.startswith(f"hdgen: error: {message}"), result.err
    assert "Traceback" not in result.err
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ('"3"', "values/prod.yaml:13: secrets.revisions.honeydue-secrets: Input should be a valid integer"),
        ("2.5", "values/prod.yaml:13: secrets.revisions.honeydue-secrets: Input should be a valid integer"),
        ("0", "values/prod.yaml:13: secrets.revisions.honeydue-secrets: Input should be greater than or equal to 1"),
        ("2024-01-01T00:00:00Z", "values/prod.yaml:13: secrets.revisions.honeydue-secrets: Input should be a valid integer"),
    ],
)
def test_a_revision_that_is_not_a_positive_integer_is_refused(project: Path, revision: str, message: str) -> None:
    path = project / "values/prod.yaml"
    path.write_text(path.read_text().replace("    key: token\n", f"    key: token\n  revisions:\n    honeydue-secrets: {revision}\n"))
    before = snapshot(project)
    for command in (("rotate", "prod", "honeydue-secrets"), ("render", "prod")):
        result = run_hdgen("-C", str(project), *command)
        assert result.code == 2, result.err
        assert result.err == f"hdgen: error: {message}\n"
    assert snapshot(project) == before


def test_a_failed_commit_undoes_the_rotation(project: Path) -> None:
    make_repo(project)
    hook = project / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho hook says no >&2\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(project)
    result = rotate(project, "prod", "honeydue-secrets", "--render", "--commit")
    assert result.code == 3, result.err
    assert "the rotate was undone, nothing changed" in result.err.splitlines()[0]
    assert snapshot(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_secret_names_complete_from_the_envs_references(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "completions"
    line = f"hdgen -C {project} rotate prod honeydue-"
    proc = subprocess.run(
        HDGEN,
        env={**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_STDOUT_FILENAME": str(out), "COMP_LINE": line,
             "COMP_POINT": str(len(line))},
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(out.read_text().split("\x0b")) == ["honeydue-obs", "honeydue-secrets", "honeydue-tls"]


def test_help_names_the_arguments() -> None:
    result = run_hdgen("rotate", "--help")
    assert result.code == 0
    for word in ("ENV", "SECRET", "--dry-run", "--render", "--commit"):
        assert word in result.out


# --- invariants of the rendered tree ------------------------------------------------------


def _revision_annotations(template: dict) -> dict[str, str]:
    annotations = template["metadata"].get("annotations", {})
    return {k[len(PREFIX):]: v for k, v in annotations.items() if k.startswith(PREFIX)}


@pytest.mark.parametrize("env", ENVS)
def test_the_shipped_tree_carries_no_revision_annotation(env: str) -> None:
    for body in rendered_objects(REPO, env):
        if (template := pod_template(body)) is not None:
            assert _revision_annotations(template) == {}, body["metadata"]["name"]


@pytest.mark.parametrize("env", ENVS)
def test_every_reader_of_a_secret_with_a_revision_carries_it_and_no_other_pod_does(project: Path, env: str) -> None:
    model = load_env(Project(project), env).model
    revisions = {name: number for number, name in enumerate(sorted(model.referenced_secrets()), start=3)}
    path = project / "values" / f"{env}.yaml"
    text = path.read_text()
    for name, number in revisions.items():
        text = set_integer(text, f"values/{env}.yaml", ("secrets", "revisions", name), number)
    path.write_text(text)
    objects = rendered_objects(project, env)
    rolled = 0
    for body in objects:
        template = pod_template(body)
        if template is None:
            continue
        expected = {name: str(revisions[name]) for name in secrets_read(template) if name in revisions}
        assert _revision_annotations(template) == expected, body["metadata"]["name"]
        rolled += bool(expected)
    assert rolled >= 2  # api and worker at least: the check is not vacuous


def test_removing_a_revision_rolls_the_readers_and_diff_says_so(project: Path) -> None:
    make_repo(project)
    assert rotate(project, "prod", "honeydue-secrets", "--render", "--commit").code == 0
    path = project / "values/prod.yaml"
    path.write_text(path.read_text().replace("  revisions: {honeydue-secrets: 1}\n", ""))
    text = run_hdgen("-C", str(project), "diff", "prod", "--base", "HEAD").out
    assert "rolls Deployment api, Deployment worker: Secret honeydue-secrets rotated (revision 1 -> none)" in text
