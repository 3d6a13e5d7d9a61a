"""Pod Security admission on the real server: the tree's namespace enforces `restricted`, and every
pod template of the tree is admitted as a Pod, with no warning (issue 16, item 7).

`enforce` applies to Pods only, and no controller runs here to make Pods from the workloads; so
each workload is applied for real (a workload breaking `warn: restricted` comes back with a
`Warning` header, which hdgen's client reads), then a Pod made from its template goes through a
server-side dry run: admission runs in full (PodSecurity, ServiceAccount) and nothing is stored.
The last tests prove both checks fail on a pod without a seccomp profile, and that
`hdgen validate --server` reports the server's warning.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from hdgen.objects.kinds import pod_template_path
from hdgen.objects.record import Document
from hdgen.validate.kubeapi import ApiClient
from tests.conftest import REPO
from tests.e2e.cluster import ApiServer
from tests.e2e.objects import key, read_tree
from tests.e2e.test_validate_server import server_findings, validate

ENVS = ("prod", "staging")
PSA = "pod-security.kubernetes.io/"


def prepare_namespace(client: ApiClient, documents: list[Document]) -> dict:
    """The tree's Namespace applied for real, and its `default` ServiceAccount (no controller-manager runs
    here to create it, and the ServiceAccount admission plugin refuses a Pod whose account is missing)."""
    (namespace,) = [d for d in documents if d.kind == "Namespace"]
    response = client.apply(namespace.body, dry_run=False)
    assert response.ok and response.warnings == (), (response.message, response.warnings)
    account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": namespace.name}}
    assert client.apply(account, dry_run=False).ok
    return namespace.body


def pod_from(kind: str, body: dict) -> dict:
    """A Pod like the one the workload's controller would create from its template."""
    template = copy.deepcopy(_at(body, pod_template_path(kind)))
    spec, name = template["spec"], body["metadata"]["name"]
    # A StatefulSet adds one volume per claim template to each pod; the claim need not exist to admit it.
    for claim in body.get("spec", {}).get("volumeClaimTemplates", []):
        claim_name = claim["metadata"]["name"]
        spec.setdefault("volumes", []).append(
            {"name": claim_name, "persistentVolumeClaim": {"claimName": f"{claim_name}-{name}-0"}}
        )
    metadata = {**template.get("metadata", {}), "name": f"{name}-admission", "namespace": body["metadata"]["namespace"]}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


@pytest.mark.parametrize("env", ENVS)
def test_every_pod_template_is_admitted_at_enforce_restricted_with_no_warning(apiserver: ApiServer, env: str) -> None:
    documents = read_tree(REPO / "rendered" / env)
    client = apiserver.client()
    labels = prepare_namespace(client, documents)["metadata"]["labels"]
    assert {labels[PSA + mode] for mode in ("enforce", "warn", "audit")} == {"restricted"}

    applied = {key(d): client.apply(d.body, dry_run=False) for d in documents if d.kind != "Namespace"}
    assert {k: r.message for k, r in applied.items() if not r.ok} == {}
    assert {k: r.warnings for k, r in applied.items() if r.warnings} == {}

    workloads = [d for d in documents if pod_template_path(d.kind) is not None]
    assert {d.kind for d in workloads} >= {"Deployment", "StatefulSet"}
    admitted = {key(d): client.apply(pod_from(d.kind, d.body), dry_run=True) for d in workloads}
    assert {k: f"{r.status} {r.message}" for k, r in admitted.items() if not r.ok} == {}
    assert {k: r.warnings for k, r in admitted.items() if r.warnings} == {}


def test_a_pod_without_seccomp_is_refused_and_its_deployment_warned(apiserver: ApiServer) -> None:
    documents = read_tree(REPO / "rendered" / "prod")
    client = apiserver.client()
    prepare_namespace(client, documents)
    (api,) = [d for d in documents if d.kind == "Deployment" and d.name == "api"]
    broken = copy.deepcopy(api.body)
    del broken["spec"]["template"]["spec"]["securityContext"]["seccompProfile"]

    deployment = client.apply(broken, dry_run=True)
    assert deployment.ok, deployment.message  # enforce refuses Pods, not the workloads that make them
    assert any('would violate PodSecurity "restricted:v1.33"' in w and "seccompProfile" in w for w in deployment.warnings), (
        deployment.warnings
    )
    pod = client.apply(pod_from("Deployment", broken), dry_run=True)
    assert pod.status == 403, (pod.status, pod.message)
    assert 'violates PodSecurity "restricted:v1.33"' in pod.message and "seccompProfile" in pod.message, pod.message


def test_hdgen_validate_server_reports_the_pod_security_warning(apiserver: ApiServer, project: Path) -> None:
    prepare_namespace(apiserver.client(), read_tree(project / "rendered" / "prod"))
    path = project / "rendered" / "prod" / "api" / "deployment.yaml"
    body = yaml.safe_load(path.read_text())
    del body["spec"]["template"]["spec"]["securityContext"]["seccompProfile"]
    path.write_text(yaml.safe_dump(body, sort_keys=False))
    result = validate(apiserver, project, "--rules", "none")
    assert result.code == 0, result.err  # a warning, not an error: the Deployment itself is admitted
    (finding,) = server_findings(result.out)
    assert (finding["level"], finding["kind"], finding["name"]) == ("warning", "Deployment", "api")
    assert finding["message"].startswith('the API server warns: would violate PodSecurity "restricted:v1.33"')
    assert "seccompProfile" in finding["message"]


def _at(body: dict, path: tuple[str, ...]) -> dict:
    for part in path:
        body = body[part]
    return body
