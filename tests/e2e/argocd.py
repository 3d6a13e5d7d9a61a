"""Argo CD on the rollout cluster: application-controller and repo-server, reading the project over git.

`start_argocd(cluster)` installs Argo CD's CRDs (from the same module as the
binary: `make e2e` copies them into .tools/e2e/crds/argocd), makes the
`argocd` namespace with the settings objects the controller reads and the
`default` AppProject the API server would otherwise create, and starts
Redis (its cache; Debian's redis-server) and the one `argocd` binary twice,
as `argocd-repo-server` and `argocd-application-controller`
(ARGOCD_BINARY_NAME picks the component). The Application's destination is
the rendered `https://kubernetes.default.svc`: `ARGOCD_FAKE_IN_CLUSTER`
makes the controller take that cluster from its kubeconfig, as Argo CD's own
local runs do. The repo-server generates the manifests with git and the
pinned kustomize on PATH.

`ArgoSync` is tests/e2e/gitops.py's `AgentSync` with Argo CD doing the
apply: the Application as rendered, with only `spec.source.repoURL` pointed
at the loopback git server; a step asks for a refresh
(`argocd.argoproj.io/refresh`) and waits until the Application is Synced at
the new commit and Healthy.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

from hdgen.validate.kubeapi import ApiClient
from tests.conftest import REPO
from tests.e2e.cluster import Cluster, binary_dir, free_port, wait_until
from tests.e2e.gitops import AgentSync, GitServer, annotate, http_ok
from tests.e2e.kube import eventually
from tests.e2e.objects import install_crds, read_tree

NAMESPACE = "argocd"
SYNC_LIMIT_SECONDS = 300.0  # a bound so a broken sync fails instead of hanging; not an assertion
SETTINGS = [
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": NAMESPACE,
                                                             "labels": {"app.kubernetes.io/part-of": "argocd"}}}
    for name in ("argocd-cm", "argocd-rbac-cm", "argocd-cmd-params-cm", "argocd-gpg-keys-cm", "argocd-ssh-known-hosts-cm",
                 "argocd-tls-certs-cm")
] + [
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "argocd-secret", "namespace": NAMESPACE,
                                                          "labels": {"app.kubernetes.io/part-of": "argocd"}}},
    {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject", "metadata": {"name": "default", "namespace": NAMESPACE},
     "spec": {"sourceRepos": ["*"], "destinations": [{"server": "*", "namespace": "*"}],
              "clusterResourceWhitelist": [{"group": "*", "kind": "*"}]}},
]


@dataclass
class ArgoCD:
    cluster: Cluster
    git: GitServer


def start_argocd(cluster: Cluster) -> ArgoCD:
    client = cluster.client()
    install_crds(client, read_tree(binary_dir() / "crds" / "argocd"))
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
    assert client.apply(namespace, dry_run=False).ok
    for body in SETTINGS:
        response = client.apply(body, dry_run=False)
        assert response.ok, f"{body['kind']} {body['metadata']['name']}: {response.message}"
    redis_port, repo_port = free_port(), free_port()
    redis = shutil.which("redis-server")
    assert redis, "redis-server is not installed: .ci/run installs it (Debian's redis-server), Argo CD's cache"
    cluster.start_process("redis", [redis, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no"])
    env = {
        "KUBECONFIG": str(cluster.admin_kubeconfig),
        "ARGOCD_FAKE_IN_CLUSTER": "true",
        "ARGOCD_GPG_ENABLED": "false",
        # The pinned kustomize, git, and the git-verify-wrapper.sh that Argo CD's image puts on PATH (the
        # repo-server runs it on every commit; make e2e copies it from the same module).
        "PATH": f"{binary_dir() / 'argocd-path'}:{REPO / '.tools' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(cluster.folder / "argocd-home"),
    }
    argocd = str(binary_dir() / "argocd")
    repo_metrics = free_port()
    repo = cluster.start_process("argocd-repo-server", [
        argocd, f"--redis=127.0.0.1:{redis_port}", "--disable-tls", "--client-ca-path=", "--address=127.0.0.1",
        f"--port={repo_port}",
        "--metrics-address=127.0.0.1", f"--metrics-port={repo_metrics}", "--loglevel=info",
    ], env={**env, "ARGOCD_BINARY_NAME": "argocd-repo-server"})
    wait_until(repo, lambda: http_ok(f"http://127.0.0.1:{repo_metrics}/healthz"))
    controller_metrics = free_port()
    controller = cluster.start_process("argocd-application-controller", [
        argocd, f"--redis=127.0.0.1:{redis_port}", f"--repo-server=127.0.0.1:{repo_port}", "--repo-server-plaintext",
        f"--metrics-port={controller_metrics}", f"--namespace={NAMESPACE}", "--loglevel=info",
        "--app-resync=3600", "--self-heal-timeout-seconds=1",
    ], env={**env, "ARGOCD_BINARY_NAME": "argocd-application-controller"})
    wait_until(controller, lambda: http_ok(f"http://127.0.0.1:{controller_metrics}/healthz"))
    return ArgoCD(cluster, GitServer(cluster))


@dataclass
class ArgoSync(AgentSync):
    """DirectSync whose apply is Argo CD's: see the module docstring."""

    def point(self, body: dict[str, Any], git: GitServer) -> dict[str, Any]:
        if body["kind"] != "Application":
            return body
        source = {**body["spec"]["source"], "repoURL": git.url(body["spec"]["source"]["repoURL"])}
        return {**body, "spec": {**body["spec"], "source": source}}

    def reconcile(self, client: ApiClient) -> None:
        """Ask for a refresh as Argo CD's UI does; wait until the Application is synced and healthy at HEAD."""
        (application,) = [d for d in self.gitops if d.kind == "Application"]
        annotate(client, application, {"argocd.argoproj.io/refresh": "normal"}, "argocd-refresh")
        head = self.project.head()
        eventually(f"Argo CD syncs {head}", lambda: _synced(client.get(application.body).body, head),
                   self.cluster, SYNC_LIMIT_SECONDS)


# The cluster has no metrics API, so the HPA controller reports ScalingActive False and Argo CD calls the
# HPA Degraded (on k3s, metrics-server serves it). Every other object must be Healthy.
UNHEALTHY_WITHOUT_METRICS = {"HorizontalPodAutoscaler"}


def _synced(application: dict[str, Any], head: str) -> str:
    """"" once the Application is Synced at head, its last sync operation at head succeeded and every object is Healthy."""
    status = application.get("status") or {}
    sync = status.get("sync") or {}
    operation = status.get("operationState") or {}
    done = operation.get("phase") == "Succeeded" and (operation.get("syncResult") or {}).get("revision") == head
    unhealthy = [f"{r.get('kind')} {r.get('name')}: {(r.get('health') or {}).get('status')}"
                 for r in status.get("resources") or []
                 if "health" in r and r["health"].get("status") != "Healthy" and r.get("kind") not in UNHEALTHY_WITHOUT_METRICS]
    if sync.get("status") == "Synced" and sync.get("revision") == head and done and not unhealthy:
        return ""
    conditions = "; ".join(f"{c.get('type')}: {c.get('message')}" for c in status.get("conditions") or [])
    return (f"the Application {sync.get('status')} at {sync.get('revision')}, not healthy: {unhealthy}, last operation "
            f"{operation.get('phase')} ({operation.get('message')}) {conditions}")
