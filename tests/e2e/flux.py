"""Flux on the rollout cluster: source-controller and kustomize-controller, reading the project over git.

`start_flux(cluster)` installs Flux's CRDs (from the same module versions as
the binaries: `make e2e` copies them into .tools/e2e/crds), makes the
`flux-system` namespace and starts both controllers as processes of the
cluster, with the admin's kubeconfig, no leader election, and every port on
127.0.0.1: source-controller serves the artifacts it builds from git at
`--storage-adv-addr`, where kustomize-controller downloads them.

`FluxSync` is `DirectSync` with Flux doing the apply: a step commits the
change, the scratch project's repository is served by tests/e2e/gitserver.py,
and the rendered `_gitops/ENV` objects (the GitRepository with only its URL
pointed at that server, the Kustomization as rendered) make Flux fetch,
build `rendered/ENV` with its own kustomize, apply it server-side and prune.
A step asks for a reconcile the way `flux reconcile` does (the
`reconcile.fluxcd.io/requestedAt` annotation) instead of waiting out the
rendered intervals, then waits until the Kustomization has applied the new
commit and is Ready (the tree's `wait: true`: every object healthy).
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdgen.objects.record import Document
from tests.conftest import REPO
from tests.e2e.cluster import Cluster, binary_dir, free_port, wait_until
from tests.e2e.kube import condition, eventually
from tests.e2e.objects import Key, install_crds, read_tree
from tests.e2e.scenario import DirectSync

NAMESPACE = "flux-system"
REQUESTED_AT = "reconcile.fluxcd.io/requestedAt"
CONTROLLERS = ("source-controller", "kustomize-controller")
RECONCILE_LIMIT_SECONDS = 300.0  # a bound so a broken sync fails instead of hanging; not an assertion


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


@dataclass
class Flux:
    """Both controllers running on a cluster, and the git server Flux reads from."""

    cluster: Cluster
    git: GitServer


def start_flux(cluster: Cluster) -> Flux:
    client = cluster.client()
    crds = read_tree(binary_dir() / "crds")
    install_crds(client, crds)
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
    assert client.apply(namespace, dry_run=False).ok
    env = {"KUBECONFIG": str(cluster.admin_kubeconfig), "RUNTIME_NAMESPACE": NAMESPACE}
    storage = free_port()
    for name in CONTROLLERS:
        health = free_port()
        argv = [
            str(binary_dir() / name),
            "--enable-leader-election=false",
            f"--health-addr=127.0.0.1:{health}",
            f"--metrics-addr=127.0.0.1:{free_port()}",
            "--log-encoding=console",
            "--watch-all-namespaces=true",
        ]
        if name == "source-controller":
            data = cluster.folder / name / "data"
            data.mkdir(parents=True)  # it must exist: the controller refuses to start otherwise
            argv += [
                f"--storage-path={data}",
                f"--storage-addr=127.0.0.1:{storage}",
                f"--storage-adv-addr=127.0.0.1:{storage}",
            ]
        process = cluster.start_process(name, argv, env=env)
        wait_until(process, lambda: http_ok(f"http://127.0.0.1:{health}/readyz"))
    return Flux(cluster, GitServer(cluster))


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status == 200
    except OSError:
        return False


@dataclass
class FluxSync(DirectSync):
    """DirectSync whose apply is Flux's: see the module docstring."""

    flux: Flux | None = None
    gitops: list[Document] = field(default_factory=list)

    def deliver(self, tree: list[Document]) -> dict[Key, str]:
        """Point Flux at the new commit and wait until it has applied it; Flux refuses nothing silently."""
        client = self.cluster.client()
        self.flux.git.publish(self.project.root)
        if not self.gitops:
            self.gitops = read_tree(self.project.root / "rendered" / "_gitops" / self.env)
            for document in self.gitops:
                body = document.body
                if body["kind"] == "GitRepository":
                    body = {**body, "spec": {**body["spec"], "url": self.flux.git.url(body["spec"]["url"])}}
                response = client.apply(body, dry_run=False)
                assert response.ok, f"{document.kind} {document.name}: {response.status} {response.message}"
        revision = f"main@sha1:{self.project.head()}"
        requested = str(time.time_ns())
        for document in self.gitops:
            metadata = {"name": document.name, "namespace": document.namespace, "annotations": {REQUESTED_AT: requested}}
            response = client.apply({"apiVersion": document.api_version, "kind": document.kind, "metadata": metadata},
                                    dry_run=False, field_manager="flux-reconcile")
            assert response.ok, f"reconcile request to {document.kind} {document.name}: {response.message}"
        kustomization = next(d for d in self.gitops if d.kind == "Kustomization")
        eventually(f"Flux applies {revision}", lambda: _applied(client.get(kustomization.body).body, revision),
                   self.cluster, RECONCILE_LIMIT_SECONDS)
        return {}


def _applied(kustomization: dict[str, Any], revision: str) -> str:
    """"" once the Kustomization has applied revision and every object is healthy; else what it says."""
    status = kustomization.get("status") or {}
    if status.get("lastAppliedRevision") == revision and condition(kustomization, "Ready") == "True":
        return ""
    ready = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), {})
    return (f"the Kustomization at {status.get('lastAppliedRevision')} (attempted {status.get('lastAttemptedRevision')}): "
            f"Ready {ready.get('status')} {ready.get('reason')}: {ready.get('message')}")
