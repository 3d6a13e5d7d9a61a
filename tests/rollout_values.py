"""Projects whose values declare a migration, a canary or hand-written objects (issue 17).

The shipped envs declare none (the runbook names no migrate command, and no canary runs),
so the tests add them to a scratch copy of values/: a fixture env, not a guess in prod.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hdgen.project import Project
from hdgen.render.pipeline import RenderedTree, render_env
from hdgen.render.values import load_env
from tests.conftest import REPO

CANARY_TAG = "a1b2c3d"
MIGRATION = "    migration:\n      command: [/app/api, migrate]\n"
# With the migration out of the boot, the api starts in about a minute: a startup budget of 90 s.
FAST_BOOT = (
    "    coldBootSeconds: 60   # migrations run in their own Job now\n"
    "    probes:\n"
    "      startup: {httpGet: {path: /api/health/, port: http}, periodSeconds: 10, failureThreshold: 9}\n"
)
MIDDLEWARE = """\
# Security headers for the routes that name this Middleware.
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: security-headers
  labels:
    app.kubernetes.io/name: security-headers
    app.kubernetes.io/instance: honeydue-prod
    app.kubernetes.io/component: ingress
    app.kubernetes.io/part-of: honeydue
    app.kubernetes.io/managed-by: hdgen
spec:
  headers:
    stsSeconds: 31536000
    contentTypeNosniff: true
"""


def scratch(tmp_path: Path) -> Path:
    """A copy of values/, schemas/ and hdgen.yaml (no rendered/: the tests render)."""
    root = tmp_path / "project"
    root.mkdir(parents=True)
    shutil.copytree(REPO / "values", root / "values")
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copy2(REPO / "hdgen.yaml", root / "hdgen.yaml")
    return root


def add_to_app(root: Path, env: str, app: str, block: str) -> None:
    """block (indented app keys) inserted right after the app's image line in values/ENV.yaml."""
    path = root / "values" / f"{env}.yaml"
    text = path.read_text()
    anchor = f"  {app}:\n    image: {{tag: \"d3708e6\"}}\n"
    assert text.count(anchor) == 1, f"values/{env}.yaml drifted: {anchor!r}"
    path.write_text(text.replace(anchor, anchor + block))


def replace(root: Path, env: str, old: str, new: str) -> None:
    path = root / "values" / f"{env}.yaml"
    text = path.read_text()
    assert text.count(old) == 1, f"values/{env}.yaml drifted: {old!r}"
    path.write_text(text.replace(old, new))


def with_migration(root: Path, env: str, app: str = "api", block: str = MIGRATION) -> None:
    add_to_app(root, env, app, block + (FAST_BOOT if app == "api" else ""))
    if env == "staging":  # staging sets the api's cold boot itself
        replace(root, env, "    replicas: 1\n    coldBootSeconds: 240\n", "    replicas: 1\n")


def canary_block(tag: str = CANARY_TAG, weight: int = 10, replicas: int | None = None) -> str:
    extra = f"\n      replicas: {replicas}" if replicas is not None else ""
    return f"    canary:\n      image: {{tag: \"{tag}\"}}\n      weight: {weight}{extra}\n"


def with_canary(root: Path, env: str, app: str = "api", **canary) -> None:
    add_to_app(root, env, app, canary_block(**canary))


def with_extra(root: Path, env: str, name: str, text: str) -> Path:
    folder = root / "values" / "extra" / env
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder / name


def render(root: Path, env: str) -> RenderedTree:
    return render_env(load_env(Project(root), env))


def objects(tree: RenderedTree, kind: str | None = None) -> list[dict]:
    return [m.body for m in tree.manifests if kind is None or m.kind == kind]


def one(tree: RenderedTree, kind: str, name: str) -> dict:
    found = [b for b in objects(tree, kind) if b["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def agent(tree: RenderedTree, kind: str, name: str) -> dict:
    found = [m.body for m in tree.agent_manifests if m.kind == kind and m.name == name]
    assert len(found) == 1, f"expected one agent {kind}/{name}, found {len(found)}"
    return found[0]


def matches(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def pod_labels(workload: dict) -> dict:
    return workload["spec"]["template"]["metadata"]["labels"]
