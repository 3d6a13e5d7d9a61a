"""The diff pipeline: base tree from git, fresh render, match, impact, redact.

Order matters in one place: impact is judged on the real values (it needs
replicas and strategies), then every value is redacted before a writer sees
the result, so no writer can leak a secret by mistake.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hdgen.diff.base import BaseRef, read_objects_at, resolve_base
from hdgen.diff.impact import IMPACTS, SecretRotation, assess, secret_rotations
from hdgen.project import Project
from hdgen.diff.redact import redact_resource
from hdgen.diff.references import Edge, references
from hdgen.diff.semantic import ResourceDiff, diff_manifests


@dataclass(frozen=True)
class ReviewedResource:
    diff: ResourceDiff  # already redacted
    impact: str  # one of impact.IMPACTS
    detail: str


@dataclass(frozen=True)
class DiffReport:
    env: str
    base: BaseRef
    resources: list[ReviewedResource]
    unchanged: int
    edges: list[Edge]  # references among the objects of both trees
    rotations: tuple[SecretRotation, ...] = ()  # Secrets whose revision changed, and what rolls

    @property
    def changed(self) -> bool:
        return bool(self.resources)

    def summary(self) -> dict:
        changes = Counter(r.diff.change for r in self.resources)
        impacts = Counter(r.impact for r in self.resources)
        return {
            "added": changes["added"],
            "removed": changes["removed"],
            "changed": changes["changed"],
            "unchanged": self.unchanged,
            "impacts": {name: impacts[name] for name in IMPACTS if impacts[name]},
        }


def build_review(project: Project, env: str, base_ref: str | None, head: list | None = None) -> DiffReport:
    """The review of env: its committed tree at base_ref against head (default: a fresh render)."""
    project.check_env(env)
    if head is None:
        from hdgen.render import render_envs

        # Render first: bad values are the likelier mistake and need no git at all.
        ((rendered, _),) = render_envs(project, [env], manifests=True)
        head = rendered.manifests
    base = resolve_base(project.root, base_ref)
    folder = f"{project.relative(project.rendered_dir)}/{env}"
    old = read_objects_at(project.root, base.commit, folder)
    diffs, unchanged = diff_manifests(old, head)
    edges = references(_union(old, head))
    impacts = assess(diffs, head, edges)
    resources = [ReviewedResource(redact_resource(d), *impacts[d.key]) for d in diffs]
    return DiffReport(env, base, resources, unchanged, edges, tuple(secret_rotations(diffs)))


def _union(old, head):
    """Head objects, plus base objects that no longer exist (so removed ones keep their edges)."""
    keys = {m.key for m in head}
    return [*head, *(m for m in old if m.key not in keys)]
