"""The diff pipeline: base trees from git, fresh render, match, impact, redact; and the committed head.

Both folders an env owns are reviewed: rendered/ENV (what the agent applies) and
rendered/_gitops/ENV (the agent's own objects, which an operator applies). When the
committed files at HEAD are not what the values render, the review also holds what the
agent would apply: the committed files against the base (HeadDrift).

Order matters in one place: impact is judged on the real values (it needs
replicas and strategies), then every value is redacted before a writer sees
the result, so no writer can leak a secret by mistake.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hdgen.diff.base import BaseRef, read_objects_at, read_objects_from, resolve_base
from hdgen.diff.impact import IMPACTS, SecretRotation, assess, assess_agent, secret_rotations
from hdgen.errors import InputError
from hdgen.project import Project
from hdgen.diff.redact import redact_resource
from hdgen.diff.references import Edge, references
from hdgen.diff.rollout import RolloutEvent, rollout_events
from hdgen.diff.semantic import ResourceDiff, diff_manifests


@dataclass(frozen=True)
class ReviewedResource:
    diff: ResourceDiff  # already redacted
    impact: str  # one of impact.IMPACTS
    detail: str
    folder: str = ""  # where the object lives: rendered/ENV, or rendered/_gitops/ENV for the agent's own


@dataclass(frozen=True)
class HeadDrift:
    """rendered/ at HEAD is not what the values render (a committed hand edit): what the agent applies."""

    commit: str  # HEAD
    folders: list[str]  # the folders that differ: rendered/ENV and/or rendered/_gitops/ENV
    files: list[tuple[str, str]]  # (missing | different | extra, project-relative path)
    resources: list[ReviewedResource]  # the base against the committed files at HEAD
    unchanged: int
    error: str = ""  # the committed files could not be read as manifests: why

    def summary(self) -> dict:
        return _summary(self.resources, self.unchanged)


@dataclass(frozen=True)
class DiffReport:
    env: str
    base: BaseRef
    resources: list[ReviewedResource]  # the env folder's objects, then the agent's (rendered/_gitops/ENV)
    unchanged: int
    edges: list[Edge]  # references among the objects of both trees
    rotations: tuple[SecretRotation, ...] = ()  # Secrets whose revision changed, and what rolls
    drift: HeadDrift | None = None  # set when rendered/ at HEAD is not what the values render
    rollouts: tuple[RolloutEvent, ...] = ()  # migrations that run, canaries that start, move or end

    @property
    def changed(self) -> bool:
        """Differences in what values/ render, or in what the agent would apply (the committed files)."""
        return bool(self.resources) or bool(self.drift and (self.drift.resources or self.drift.error))

    def summary(self) -> dict:
        return _summary(self.resources, self.unchanged)


def _summary(resources: list[ReviewedResource], unchanged: int) -> dict:
    changes = Counter(r.diff.change for r in resources)
    impacts = Counter(r.impact for r in resources)
    return {
        "added": changes["added"],
        "removed": changes["removed"],
        "changed": changes["changed"],
        "unchanged": unchanged,
        "impacts": {name: impacts[name] for name in IMPACTS if impacts[name]},
    }


def build_review(project: Project, env: str, base_ref: str | None, rendered=None) -> DiffReport:
    """The review of env: its committed trees at base_ref against rendered (default: a fresh render).

    rendered: a render.cache.RenderedFiles with its manifests. Both the env folder and the
    agent's folder (rendered/_gitops/ENV) are compared: the agent applies the one, an operator
    the other. When rendered/ at HEAD is not what the values render, drift holds what the
    agent would apply instead (the committed files against the base).
    """
    project.check_env(env)
    if rendered is None:
        from hdgen.render import render_envs

        # Render first: bad values are the likelier mistake and need no git at all.
        ((rendered, _),) = render_envs(project, [env], manifests=True)
    base = resolve_base(project.root, base_ref)
    folder = f"{project.relative(project.rendered_dir)}/{env}"
    agent_folder = project.relative(project.agent_dir(env))
    old = read_objects_at(project.root, base.commit, folder)
    old_agent = read_objects_at(project.root, base.commit, agent_folder)
    head_agent = _documents(rendered.agent_files)
    resources, unchanged, edges, rotations = _reviewed(old, rendered.manifests, old_agent, head_agent, folder, agent_folder)
    drift = _drift(project, env, rendered, (old, old_agent), (folder, agent_folder))
    return DiffReport(env, base, resources, unchanged, edges, rotations, drift, rollout_events(old, rendered.manifests))


def _reviewed(old, head, old_agent, head_agent, folder: str, agent_folder: str):
    """(reviewed resources, unchanged count, edges, Secret rotations): the env folder's objects, then the agent's."""
    diffs, unchanged = diff_manifests(old, head)
    edges = references(_union(old, head))
    impacts = assess(diffs, head, edges)
    resources = [ReviewedResource(redact_resource(d), *impacts[d.key], folder) for d in diffs]
    agent_diffs, agent_unchanged = diff_manifests(old_agent, head_agent)
    agent_impacts = assess_agent(agent_diffs, agent_folder)
    resources += [ReviewedResource(redact_resource(d), *agent_impacts[d.key], agent_folder) for d in agent_diffs]
    return resources, unchanged + agent_unchanged, edges, tuple(secret_rotations(diffs))


def _drift(project: Project, env: str, rendered, old: tuple, folders: tuple) -> HeadDrift | None:
    """HeadDrift when the files at HEAD are not the render of HEAD's values; old: the base objects of folders."""
    from hdgen.diff.committed import committed_tree

    fresh = {folders[0]: rendered.files, folders[1]: rendered.agent_files}
    committed = committed_tree(project, env, fresh)
    if committed is None or not committed.differ:
        return None
    differing = [f for f in folders if any(path.startswith(f + "/") for _, path in committed.differ)]
    try:
        at_head = [read_objects_from(committed.files[f], f"{committed.commit[:12]}:{f}") for f in folders]
    except InputError as error:
        return HeadDrift(committed.commit, differing, committed.differ, [], 0, error.message)
    resources, unchanged, _, _ = _reviewed(old[0], at_head[0], old[1], at_head[1], *folders)
    return HeadDrift(committed.commit, differing, committed.differ, resources, unchanged)


def _documents(files: dict[str, str]) -> list:
    """The rendered agent objects as Documents (the render keeps only their text)."""
    from hdgen.objects.reader import load_contents

    documents, _ = load_contents(((path, text.encode()) for path, text in files.items()), None)
    return documents


def _union(old, head):
    """Head objects, plus base objects that no longer exist (so removed ones keep their edges)."""
    keys = {m.key for m in head}
    return [*head, *(m for m in old if m.key not in keys)]
