"""A change to the project, applied to a cluster, with hdgen diff's prediction and what the controllers did.

`GitProject` is the scratch copy of the project as a git repository: every
change is a commit, as in production, so `hdgen diff --base COMMIT` predicts
each change from the commit before it. `DirectSync` applies the project's
rendered tree to a cluster the way the GitOps agent does (server-side apply,
then prune what the last sync applied and the tree no longer has) and runs
one scenario step: predict with `hdgen diff`, render, commit, apply, wait
until the cluster has settled, and hand back both sides for
`actions.agreement`. A GitOps tier replaces the apply (`deliver`) with a
commit its agent picks up and keeps the rest (tests/e2e/gitops.py: AgentSync).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdgen.objects.record import Document
from tests.conftest import run_hdgen
from tests.e2e.actions import Action, Snapshot, expected_actions, observed_actions, snapshot
from tests.e2e.cluster import Cluster
from tests.e2e.kube import eventually, sync
from tests.e2e.objects import Key, key, read_tree
from tests.e2e.rollout import RolloutWatch, unsettled

NAMESPACE = "honeydue"


@dataclass
class GitProject:
    """The scratch project (tests.conftest's `project` fixture) as a git repository on branch main."""

    root: Path

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True)
        return done.stdout.strip()

    def init(self) -> str:
        """A first commit without rendered/ (so a diff against it shows every object added), then one with it."""
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "e2e")  # in the repository: hdgen's own --commit uses it too
        self.git("config", "user.email", "e2e@example.invalid")
        self.git("add", "--all", "--", ".", ":!rendered")
        self.git("commit", "-q", "-m", "values, no rendered tree yet")
        empty = self.head()
        self.commit("rendered tree")
        return empty

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def commit(self, message: str) -> None:
        self.git("add", "--all")
        if self.git("status", "--porcelain"):
            self.git("commit", "-q", "-m", message)

    def hdgen(self, *args: str) -> str:
        result = run_hdgen(*args, cwd=self.root)
        assert result.code == 0, f"hdgen {' '.join(args)} exited {result.code}: {result.err}"
        return result.out

    def edit(self, path: str, old: str, new: str) -> None:
        """Replace the one occurrence of old in a project file (a values edit as a person makes it)."""
        file = self.root / path
        text = file.read_text()
        assert text.count(old) == 1, f"{old!r} must occur once in {path}"
        file.write_text(text.replace(old, new))

    def review(self, env: str, base: str) -> dict[str, Any]:
        return json.loads(self.hdgen("diff", env, "--base", base, "--format", "json"))

    def tree(self, env: str) -> list[Document]:
        return read_tree(self.root / "rendered" / env)


@dataclass
class Step:
    """One change: the diff's review, both snapshots, both sides' actions, and the rollout's states."""

    review: dict[str, Any]
    before: Snapshot
    after: Snapshot
    expected: dict[Key, Action]
    observed: dict[Key, Action]
    watch: RolloutWatch | None
    refused: dict[Key, str]


@dataclass
class DirectSync:
    """The GitOps agent's apply, done by the test: see the module docstring."""

    cluster: Cluster
    project: GitProject
    env: str
    applied: list[Document] = field(default_factory=list)

    def deliver(self, tree: list[Document]) -> dict[Key, str]:
        """Apply the tree and prune what the last one had, as the agent does; the objects the server refused."""
        return sync(self.cluster.client(), tree, self.applied)

    def settle(self) -> None:
        client = self.cluster.client()
        eventually(f"namespace {NAMESPACE} settles", lambda: unsettled(client, NAMESPACE), self.cluster)

    def step(self, change: Callable[[], None], message: str, *, base: str | None = None) -> Step:
        """Make the change (edit values/, or run hdgen with --commit), predict, render, commit, apply, settle."""
        base = base or self.project.head()
        change()
        review = self.project.review(self.env, base)
        self.project.hdgen("render", self.env)
        self.project.commit(message)
        tree = self.project.tree(self.env)
        client = self.cluster.client()
        keys = {*map(key, self.applied), *map(key, tree)}
        before = snapshot(client, keys)
        watch = RolloutWatch(client, NAMESPACE).start() if self.applied else None
        try:
            refusals = self.deliver(tree)
            self.settle()
        finally:
            if watch is not None:
                watch.stop()
        after = snapshot(client, keys)
        expected = expected_actions(review, self.applied, tree)
        if not refusals:
            self.applied = tree
        return Step(review, before, after, expected, observed_actions(before, after, refusals), watch, refusals)
