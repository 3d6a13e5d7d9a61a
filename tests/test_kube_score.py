"""The real kube-score (pinned in the Makefile) finds nothing CRITICAL in the rendered trees.

Set aside, in this one place, each with its reason (docs/render.md, "What the tree
guarantees", says the same to users):

- the CPU limit (kube-score's own `--ignore-container-cpu-limit`);
- the two checks in EXCEPTIONS, each only where its reason holds (a predicate on
  the object), and each must still be needed: an exception nothing hits fails.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

ENVS = ["prod", "staging"]
CRITICAL = 1  # kube-score's scorecard.GradeCritical
PINNED = re.compile(r"(:[0-9a-f]{7,40}|@sha256:[0-9a-f]{64})$")

# No CPU limits on purpose: the CFS quota throttles a container that bursts over it even on an idle
# node (a stalled request, a slow cold boot), while the CPU requests already share the node fairly.
FLAGS = ["--ignore-container-cpu-limit"]


def _pinned_images_only(obj: dict) -> bool:
    """Every container that kube-score flags pulls a commit-SHA tag or a digest: immutable references."""
    return all(PINNED.search(c["image"]) and c["imagePullPolicy"] == "IfNotPresent" for c in _containers(obj))


def _redis_as_its_image_user(obj: dict) -> bool:
    security = obj["spec"]["template"]["spec"]["securityContext"]
    return obj["kind"] == "StatefulSet" and obj["metadata"]["name"] == "redis" and (
        security["runAsUser"], security["runAsGroup"]) == (999, 1000)


# check id -> (where it is set aside, why)
EXCEPTIONS = {
    "container-image-pull-policy": (
        _pinned_images_only,
        "a commit SHA or a digest never moves, so IfNotPresent gets the image asked for (DESIGN.md, HD004); "
        "Always would make every pod start depend on the registry being up",
    ),
    "container-security-context-user-group-id": (
        _redis_as_its_image_user,
        "Redis runs as its image's redis user (999:1000), which owns the data already on the volume: "
        "local-path volumes ignore fsGroup, so another uid could not read its append-only file",
    ),
}


def kube_score() -> str:
    path = os.environ.get("HDGEN_KUBE_SCORE") or str(REPO / ".tools" / "bin" / "kube-score")
    assert Path(path).is_file(), f"kube-score not found at {path}: run `make test-tools`"
    return path


def manifests(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.name != "kustomization.yaml")


def criticals(files: list[Path]) -> list[tuple[dict, str, list[str]]]:
    """(object, check id, comments) of every CRITICAL kube-score reports for these files."""
    result = subprocess.run(
        [kube_score(), "score", "--kubernetes-version", "v1.33", "--output-format", "json", *FLAGS, *map(str, files)],
        capture_output=True, text=True,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: it found something
    bodies = {_key(doc): doc for path in files for doc in yaml.safe_load_all(path.read_text()) if doc}
    found = []
    for scored in json.loads(result.stdout):
        obj = bodies[(scored["type_meta"]["kind"], scored["object_meta"].get("name", ""))]
        for check in scored["checks"]:
            if check["grade"] == CRITICAL and not check["skipped"]:
                comments = [f"{c.get('path', '')}: {c['summary']}" for c in check["comments"] or []]
                found.append((obj, check["check"]["id"], comments))
    return found


def unexcused(found: list[tuple[dict, str, list[str]]]) -> list[str]:
    return [
        f"{obj['kind']}/{obj['metadata']['name']}: {check}: {'; '.join(comments)}"
        for obj, check, comments in found
        if check not in EXCEPTIONS or not EXCEPTIONS[check][0](obj)
    ]


@pytest.mark.parametrize("env", ENVS)
def test_kube_score_finds_nothing_critical_beyond_the_stated_exceptions(env: str) -> None:
    assert unexcused(criticals(manifests(REPO / "rendered" / env))) == []


def test_every_exception_is_still_needed() -> None:
    hit = {check for env in ENVS for _, check, _ in criticals(manifests(REPO / "rendered" / env))}
    assert set(EXCEPTIONS) <= hit, f"unused exceptions, remove them: {sorted(set(EXCEPTIONS) - hit)}"


def test_the_check_fails_a_pod_that_breaks_the_profile(tmp_path: Path) -> None:
    """The same check on a copy of the api Deployment with a writable root and no CPU request must fail."""
    body = yaml.safe_load((REPO / "rendered" / "prod" / "api" / "deployment.yaml").read_text())
    container = body["spec"]["template"]["spec"]["containers"][0]
    container["securityContext"]["readOnlyRootFilesystem"] = False
    del container["resources"]["limits"]["memory"]
    path = tmp_path / "deployment.yaml"
    path.write_text(yaml.safe_dump(body))
    problems = unexcused(criticals([path]))
    assert any("container-security-context-readonlyrootfilesystem" in p for p in problems), problems
    assert any("container-resources" in p and "Memory limit is not set" in p for p in problems), problems


def _containers(obj: dict) -> list[dict]:
    spec = obj["spec"]["template"]["spec"]
    return spec.get("initContainers", []) + spec["containers"]


def _key(doc: dict) -> tuple[str, str]:
    return doc["kind"], doc["metadata"]["name"]
