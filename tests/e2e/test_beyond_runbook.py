"""A migration, a canary through Traefik and hand-written objects, applied to a real API server (issue 17).

Traefik's CRDs (schemas/crds/_sources/traefik.io.yaml, the version k3s bundles) are installed
first, as k3s' traefik-crd chart installs them; then the rendered trees are applied with
server-side apply, as the GitOps agent applies them. There is no controller manager, so no Job
runs: what is proven is that the server accepts and stores every object as rendered, that the
Job's and the canary's pods pass Pod Security `restricted` as the app's do, and that a new image is
a new Job (accepted) where changing the Job in place is refused (immutable).
"""

from __future__ import annotations

import pytest

from hdgen.objects.reader import load_documents
from hdgen.render.tree import write_env
from tests.conftest import REPO
from tests.e2e.cluster import ApiServer
from tests.e2e.objects import apply_each, install_crds, key, missing_or_different, read_tree, refused, stored
from tests.e2e.test_pod_security import pod_from, prepare_namespace
from tests.rollout_values import MIDDLEWARE, render, replace, scratch, with_canary, with_extra, with_migration

TRAEFIK_CRDS = REPO / "schemas" / "crds" / "_sources" / "traefik.io.yaml"


def install_traefik_crds(server: ApiServer) -> None:
    """Apply Traefik's CRDs and wait until the server serves every one of them."""
    crds, findings = load_documents([TRAEFIK_CRDS], REPO)
    assert not findings and len(crds) == 10, findings
    install_crds(server.client(), crds)


@pytest.fixture
def tree(tmp_path):
    """prod (Argo CD) and staging (Flux) with a migration and a canary, prod with a Middleware; rendered."""
    root = scratch(tmp_path)
    for env in ("prod", "staging"):
        with_migration(root, env)
        with_canary(root, env)
    with_extra(root, "prod", "middleware.yaml", MIDDLEWARE)
    for env in ("prod", "staging"):
        write_env(root / "rendered", render(root, env))
    return root


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_the_migration_the_canary_and_the_extras_are_accepted_and_stored_as_rendered(
    apiserver: ApiServer, tree, env: str
) -> None:
    install_traefik_crds(apiserver)
    documents = read_tree(tree / "rendered" / env)  # every file, the migrations' folder and extra/ too
    kinds = {(d.kind, d.name) for d in documents}
    assert [d.kind for d in documents].count("Job") == 1
    assert {(kind, "api-canary") for kind in ("Deployment", "Service", "TraefikService", "IngressRoute")} <= kinds
    assert (("Middleware", "security-headers") in kinds) == (env == "prod")
    client = apiserver.client()  # a new client: discovery of traefik.io happens after the CRDs exist
    prepare_namespace(client, documents)  # enforce, warn and audit at restricted
    rest = [d for d in documents if d.kind != "Namespace"]
    assert refused(apply_each(client, rest, dry_run=True)) == {}
    applied = apply_each(client, rest, dry_run=False)
    assert refused(applied) == {}
    assert {k: r.warnings for k, r in applied.items() if r.warnings} == {}  # no pod template breaks restricted
    held = stored(client, documents)
    for document in documents:
        assert missing_or_different(document.body, held[key(document)]) == [], key(document)
    # The migration's and the canary's pods are admitted at enforce: restricted, as the app's are.
    pods = [d for d in documents if d.kind == "Job" or d.name == "api-canary" and d.kind == "Deployment"]
    admitted = {key(d): client.apply(pod_from(d.kind, d.body), dry_run=True) for d in pods}
    assert len(admitted) == 2
    assert {k: f"{r.status} {r.message} {r.warnings}" for k, r in admitted.items() if not r.ok or r.warnings} == {}


def test_a_new_image_is_a_new_job_the_server_accepts_where_changing_the_job_is_refused(apiserver: ApiServer, tree) -> None:
    install_traefik_crds(apiserver)
    client = apiserver.client()
    folder = tree / "rendered" / "prod"
    assert refused(apply_each(client, read_tree(folder), dry_run=False)) == {}
    (old_job,) = [d for d in read_tree(folder) if d.kind == "Job"]

    replace(tree, "prod", '  api:\n    image: {tag: "d3708e6"}', '  api:\n    image: {tag: "0badc0d"}')
    replace(tree, "prod", 'image: {tag: "a1b2c3d"}', 'image: {tag: "0badc0e"}')  # the canary's, which the Job runs
    write_env(tree / "rendered", render(tree, "prod"))
    after = read_tree(folder)
    (new_job,) = [d for d in after if d.kind == "Job"]
    assert new_job.name != old_job.name
    assert refused(apply_each(client, after, dry_run=False)) == {}

    changed = {**old_job.body, "spec": {**old_job.body["spec"], "template": new_job.body["spec"]["template"]}}
    response = client.apply(changed, dry_run=False)
    assert response.status == 422 and "immutable" in response.message, response.message
