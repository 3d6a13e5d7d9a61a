"""What the GitOps agents' tiers share: the forge they read from, and a step whose apply is the agent's.

`GitServer` is the forge: a bare repository the test pushes to, served over
loopback by tests/e2e/gitserver.py. `AgentSync` is `DirectSync` (one change:
predicted, committed, applied, settled, compared) with the apply left to an
agent: it pushes the commit, applies the rendered `_gitops/ENV` objects the
first time (each agent points only its repository URL at the forge), then
asks the agent to reconcile and waits (tests/e2e/flux.py, argocd.py).
"""

from __future__ import annotations

import subprocess
import sys
from abc import ABC, abstractmethod
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdgen.objects.record import Document
from hdgen.validate.kubeapi import ApiClient
from tests.conftest import REPO
from tests.e2e.cluster import Cluster, free_port, wait_until
from tests.e2e.objects import Key, read_tree
from tests.e2e.scenario import DirectSync


@dataclass
class GitServer:
    """The forge: a bare repository the test pushes to, served by tests/e2e/gitserver.py as a process of the cluster.

    The agent sees a commit only once `publish` pushes it, as with a real
    forge: a step's own commits (`hdgen bump --commit`) happen before its
    "before" snapshot, and no poll of the agent can pick them up early.
    """

    cluster: Cluster
    port: int = 0

    def publish(self, project: Path) -> None:
        """Push the project's HEAD to the served repository's main (starting the server the first time)."""
        bare = self.cluster.folder / "gitserver" / "honeydue-deploy.git"
        if not self.port:
            subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
            self.port = free_port()
            process = self.cluster.start_process("gitserver", [
                sys.executable, "-m", "tests.e2e.gitserver", str(bare), str(self.port),
            ], env={"PYTHONPATH": str(REPO)})
            wait_until(process, lambda: http_ok(f"http://127.0.0.1:{self.port}/x.git/info/refs?service=git-upload-pack"))
        subprocess.run(["git", "push", "-q", "--force", str(bare), "HEAD:main"], cwd=project, check=True, capture_output=True)

    def url(self, rendered_url: str) -> str:
        """The rendered URL with only its scheme and host changed: the repository's name stays."""
        return f"http://127.0.0.1:{self.port}/{rendered_url.rstrip('/').rsplit('/', 1)[-1]}"


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status == 200
    except OSError:
        return False


def annotate(client: ApiClient, document: Document, annotations: dict[str, str], manager: str) -> None:
    """Set annotations on a stored object with a server-side apply of just them, as manager (owning nothing else)."""
    metadata = {"name": document.name, "namespace": document.namespace, "annotations": annotations}
    response = client.apply({"apiVersion": document.api_version, "kind": document.kind, "metadata": metadata},
                            dry_run=False, field_manager=manager)
    assert response.ok, f"annotating {document.kind} {document.name}: {response.message}"


@dataclass
class AgentSync(DirectSync, ABC):
    """DirectSync whose apply is a GitOps agent's: see the module docstring. Subclasses say how to point and reconcile."""

    git: GitServer | None = None
    gitops: list[Document] = field(default_factory=list)

    def deliver(self, tree: list[Document]) -> dict[Key, str]:
        """Push the commit, and wait until the agent has applied it; an agent refuses nothing silently."""
        client = self.cluster.client()
        self.git.publish(self.project.root)
        if not self.gitops:
            self.gitops = read_tree(self.project.root / "rendered" / "_gitops" / self.env)
            for document in self.gitops:
                response = client.apply(self.point(document.body, self.git), dry_run=False)
                assert response.ok, f"{document.kind} {document.name}: {response.status} {response.message}"
        self.reconcile(client)
        return {}

    @abstractmethod
    def point(self, body: dict[str, Any], git: GitServer) -> dict[str, Any]:
        """The rendered object with its repository URL pointed at the forge (others as rendered)."""

    @abstractmethod
    def reconcile(self, client: ApiClient) -> None:
        """Ask the agent for a reconcile of HEAD and wait until it has applied it."""
