"""Flux on the rollout cluster: source-controller and kustomize-controller, reading the project over git.

`start_flux(cluster)` installs Flux's CRDs (from the same module versions as
the binaries: `make e2e` copies them into .tools/e2e/crds), makes the
`flux-system` namespace and starts both controllers as processes of the
cluster, with the admin's kubeconfig, no leader election, and every port on
127.0.0.1: source-controller serves the artifacts it builds from git at
`--storage-adv-addr`, where kustomize-controller downloads them.

`FluxSync` is tests/e2e/gitops.py's `AgentSync` with Flux doing the apply:
a step commits the change and pushes it to the forge (a bare repository on
loopback), and the rendered `_gitops/ENV` objects (the GitRepository with only its URL
pointed at that server, the Kustomization as rendered) make Flux fetch,
build `rendered/ENV` with its own kustomize, apply it server-side and prune.
A step asks for a reconcile the way `flux reconcile` does (the
`reconcile.fluxcd.io/requestedAt` annotation) instead of waiting out the
rendered intervals, then waits until the Kustomization has applied the new
commit and is Ready (the tree's `wait: true`: every object healthy).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from hdgen.validate.kubeapi import ApiClient
from tests.e2e.cluster import Cluster, binary_dir, free_port, wait_until
from tests.e2e.gitops import AgentSync, GitServer, annotate, http_ok
from tests.e2e.kube import condition, eventually
from tests.e2e.objects import install_crds, read_tree

NAMESPACE = "flux-system"
REQUESTED_AT = "reconcile.fluxcd.io/requestedAt"
CONTROLLERS = ("source-controller", "kustomize-controller")
RECONCILE_LIMIT_SECONDS = 300.0  # a bound so a broken sync fails instead of hanging; not an assertion


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


@dataclass
class FluxSync(AgentSync):
    """DirectSync whose apply is Flux's: see the module docstring."""

    def point(self, body: dict[str, Any], git: GitServer) -> dict[str, Any]:
        if body["kind"] != "GitRepository":
            return body
        return {**body, "spec": {**body["spec"], "url": git.url(body["spec"]["url"])}}

    def reconcile(self, client: ApiClient) -> None:
        """Ask as `flux reconcile` does, the GitRepository then the Kustomization; wait until the commit is applied."""
        revision = f"main@sha1:{self.project.head()}"
        requested = str(time.time_ns())
        for document in self.gitops:
            annotate(client, document, {REQUESTED_AT: requested}, "flux-reconcile")
        kustomization = next(d for d in self.gitops if d.kind == "Kustomization")
        eventually(f"Flux applies {revision}", lambda: _applied(client.get(kustomization.body).body, revision),
                   self.cluster, RECONCILE_LIMIT_SECONDS)


def _applied(kustomization: dict[str, Any], revision: str) -> str:
    """"" once the Kustomization has applied revision and every object is healthy; else what it says."""
    status = kustomization.get("status") or {}
    if status.get("lastAppliedRevision") == revision and condition(kustomization, "Ready") == "True":
        return ""
    ready = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), {})
    return (f"the Kustomization at {status.get('lastAppliedRevision')} (attempted {status.get('lastAttemptedRevision')}): "
            f"Ready {ready.get('status')} {ready.get('reason')}: {ready.get('message')}")
