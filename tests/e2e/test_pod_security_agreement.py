"""HD017 agrees with the API server's Pod Security admission at `enforce: restricted`.

Every pod template of HD017's rule cases (tests/rules/HD017.yaml) and of the rendered trees
becomes a bare Pod, sent as a server-side dry-run apply into a namespace that enforces
restricted. The server admits the pods HD017 passes, and refuses the others naming exactly the
checks HD017 names (upstream's ForbiddenReason, the reason HD017 prints in parentheses).
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from ruamel.yaml import YAML

from hdgen.objects.kinds import pod_template_path
from hdgen.objects.record import Document
from hdgen.rules import make_context
from hdgen.rules._shared.pod_security import violations
from hdgen.rules.hd017_pod_security_restricted import pod_of
from hdgen.validate.kubeapi import ApiClient
from tests.conftest import REPO
from tests.e2e.cluster import Etcd, start_apiserver
from tests.e2e.objects import read_tree
from tests.rule_documents import documents_from_text

NAMESPACE = "psa-restricted"
IMAGE = "registry.example/app:1.0"  # never pulled: a dry run schedules nothing
# Every ForbiddenReason of the restricted level (k8s.io/pod-security-admission/policy), as the
# server words them in `violates PodSecurity "restricted:latest": REASON (DETAIL), …`.
REASONS = (
    "allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "runAsUser=0",
    "seccompProfile", "host namespaces", "privileged", "hostPort", "procMount", "seLinuxOptions",
    "forbidden sysctls", "forbidden AppArmor profiles", "forbidden AppArmor profile", "hostProcess",
    "restricted volume types", "probe or lifecycle host",
)
SERVER_REASONS = re.compile(r"(?:: |, )(" + "|".join(re.escape(r) for r in REASONS) + r") \(")


def _as_pod(document: Document, name: str) -> dict[str, Any]:
    """The workload's pod template as a bare Pod in the test namespace, each container given an image."""
    template: Any = document.body
    for key in pod_template_path(document.kind) or ():
        template = template[key]
    spec = copy.deepcopy(template.get("spec") or {})
    for list_name in ("initContainers", "containers"):
        for container in spec.get(list_name) or []:
            container.setdefault("image", IMAGE)
    # Not Pod Security's business, but the server wants them: a StatefulSet's pods mount their claims
    # (as its controller adds them), and a ServiceAccount other than default would have to exist.
    for claim in document.body.get("spec", {}).get("volumeClaimTemplates") or []:
        name = claim["metadata"]["name"]
        spec.setdefault("volumes", []).append({"name": name, "persistentVolumeClaim": {"claimName": f"{name}-0"}})
    spec.pop("serviceAccountName", None)
    metadata = {"name": name, "namespace": NAMESPACE}
    if (template.get("metadata") or {}).get("annotations"):
        metadata["annotations"] = template["metadata"]["annotations"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


def _corpus() -> list[tuple[str, Document]]:
    """(id, workload) for every pod template the server can be asked about at its version (1.33)."""
    found = []
    cases = YAML(typ="safe").load((REPO / "tests" / "rules" / "HD017.yaml").read_text())["cases"]
    for case_name, case in cases.items():
        if case.get("kubernetesVersion", "1.33.0").rpartition(".")[0] != "1.33":
            continue
        for index, document in enumerate(documents_from_text(case.get("pass") or case.get("fail"))):
            # Ephemeral containers cannot be set on create (they come through a subresource).
            if pod_template_path(document.kind) is not None and "ephemeralContainers" not in str(document.body):
                found.append((f"{case_name}-{index}", document))
    for env in ("prod", "staging"):
        for document in read_tree(REPO / "rendered" / env):
            if pod_template_path(document.kind) is not None:
                found.append((f"rendered-{env}-{document.name}", document))
    return found


CORPUS = _corpus()


def _hd017_reasons(document: Document) -> set[str]:
    pod = pod_of(document, make_context([document], kubernetes_version="1.33.0"))
    return {violation.reason for violation in violations(pod)}


def _server_reasons(message: str) -> set[str]:
    return {reason.removesuffix("s") if "AppArmor" in reason else reason for reason in SERVER_REASONS.findall(message)}


@pytest.fixture(scope="module")
def restricted(etcd: Etcd, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiClient]:
    """One API server for the corpus, with a namespace that enforces restricted (and its default
    ServiceAccount, which the ServiceAccount admission plugin wants before any pod)."""
    # --allow-privileged as k3s runs it: otherwise validation refuses privileged and hostProcess
    # containers before Pod Security sees them.
    folder = tmp_path_factory.mktemp("apiserver-psa")
    server = start_apiserver(folder, etcd.url, f"/registry-{secrets.token_hex(6)}", ("--allow-privileged=true",))
    try:
        client = server.client()
        labels = {f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "warn")}
        for body in (
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE, "labels": labels}},
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": NAMESPACE}},
        ):
            response = client.apply(body, dry_run=False)
            assert response.ok, response.message
        yield client
    finally:
        server.process.stop()


def test_the_corpus_has_both_verdicts():
    verdicts = {bool(_hd017_reasons(document)) for _, document in CORPUS}
    assert verdicts == {True, False} and len(CORPUS) > 25


@pytest.mark.parametrize("name, document", CORPUS, ids=[name for name, _ in CORPUS])
def test_hd017_gives_the_servers_verdict(restricted: ApiClient, name: str, document: Document):
    expected = _hd017_reasons(document)
    response = restricted.apply(_as_pod(document, re.sub(r"[^a-z0-9-]", "-", name.lower())[:60]), dry_run=True)
    if not expected:
        assert response.ok, f"HD017 passes it, the server refuses it: {response.message}"
        return
    assert response.status == 403 and "violates PodSecurity" in response.message, response.message
    assert _server_reasons(response.message) == expected, response.message
