"""The rendered tree applied to a real kube-apiserver with server-side apply, as the GitOps agent does it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, run_hdgen
from tests.e2e.cluster import ApiServer
from tests.e2e.objects import (
    apply_each,
    differences,
    key,
    missing_or_different,
    read_tree,
    refused,
    stored,
)

ENVS = ("prod", "staging")


def apply_env(server: ApiServer, folder: Path) -> None:
    """The Namespace, then everything else, each for real; every object must be accepted."""
    documents = read_tree(folder)
    client = server.client()
    assert refused(apply_each(client, documents, dry_run=False)) == {}


@pytest.mark.parametrize("env", ENVS)
def test_every_object_is_accepted_by_dry_run_then_applied_and_reads_back(apiserver: ApiServer, env: str) -> None:
    documents = read_tree(REPO / "rendered" / env)
    client = apiserver.client()
    namespaces = [d for d in documents if d.kind == "Namespace"]
    rest = [d for d in documents if d.kind != "Namespace"]
    assert namespaces, "the tree brings its own Namespace"

    # A dry run cannot create the Namespace its objects live in, so it goes first: dry run, then for real.
    assert refused(apply_each(client, namespaces, dry_run=True)) == {}
    assert all(client.get(d.body).status == 404 for d in namespaces), "a dry run stored a Namespace"
    assert refused(apply_each(client, namespaces, dry_run=False)) == {}

    dry = apply_each(client, rest, dry_run=True)
    assert refused(dry) == {}
    assert [key(d) for d in rest if client.get(d.body).status != 404] == [], "a dry run stored an object"

    real = apply_each(client, rest, dry_run=False)
    assert refused(real) == {}

    held = stored(client, documents)
    for document in documents:
        body = held[key(document)]
        # Everything the tree sets is stored as set (the server only adds defaults).
        assert missing_or_different(document.body, body) == [], key(document)
        managers = {(m["manager"], m["operation"]) for m in body["metadata"]["managedFields"]}
        assert ("hdgen", "Apply") in managers, key(document)
    # The dry run answered with the object the real apply then stored, defaults included
    # (only what the server allocates afresh on each create differs: uid, timestamps, a Service's IP).
    for document in rest:
        assert differences(comparable(dry[key(document)].body), comparable(real[key(document)].body)) == [], key(
            document
        )


def comparable(body: dict) -> dict:
    """An object without what a create allocates afresh each time it runs."""
    spec = {k: v for k, v in (body.get("spec") or {}).items() if k not in ("clusterIP", "clusterIPs")}
    metadata = body["metadata"]
    return {
        **{k: v for k, v in body.items() if k not in ("metadata", "spec")},
        "spec": spec,
        "metadata": {k: metadata.get(k) for k in ("name", "namespace", "labels", "annotations", "generation")},
    }

def test_a_bump_changes_only_the_bumped_deployments_pod_templates(apiserver: ApiServer, project: Path) -> None:
    client = apiserver.client()
    apply_env(apiserver, project / "rendered" / "prod")
    before_documents = read_tree(project / "rendered" / "prod")
    before = stored(client, before_documents)

    sha = "0123456789abcdef0123456789abcdef01234567"
    result = run_hdgen("bump", "prod", "--sha", sha, "--service", "api", "--service", "worker", "--render", cwd=project)
    assert result.code == 0, result.err
    after_documents = read_tree(project / "rendered" / "prod")
    assert sorted(map(key, after_documents)) == sorted(before), "a bump adds or removes no object"
    assert refused(apply_each(client, after_documents, dry_run=False)) == {}
    after = stored(client, after_documents)

    bumped = {k for k in before if k[1] == "Deployment" and k[3] in ("api", "worker")}
    assert len(bumped) == 2
    for object_key, old in before.items():
        new = after[object_key]
        if object_key in bumped:
            assert new["metadata"]["generation"] == old["metadata"]["generation"] + 1, object_key
            changed = differences(old["spec"]["template"], new["spec"]["template"])
            assert changed and all(p.endswith(".image") for p in changed), (object_key, changed)
            images = [c["image"] for c in new["spec"]["template"]["spec"]["containers"]]
            assert any(image.endswith(":" + sha) for image in images), images
            # Nothing else in the Deployment's spec moved.
            assert differences(old["spec"], new["spec"]) == [".template" + p for p in changed], object_key
        else:
            # Untouched objects: the apply was a no-op, so not even resourceVersion moved.
            assert new["metadata"]["resourceVersion"] == old["metadata"]["resourceVersion"], object_key
            if object_key[1] == "Deployment":
                assert new["metadata"]["generation"] == old["metadata"]["generation"], object_key


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True,
    )


# (values file, text before, text after): each changes a field the API server refuses to change in place.
IMMUTABLE_EDITS = {
    "deployment-selectors": ("defaults.yaml", "partOf: honeydue\n", "partOf: honeydue-next\n"),
    "statefulset-volume-claims": ("defaults.yaml", "    size: 1Gi\n", "    size: 2Gi\n"),
}


@pytest.mark.parametrize("edit", sorted(IMMUTABLE_EDITS))
def test_hdgen_diff_predicts_exactly_the_objects_the_server_refuses(
    apiserver: ApiServer, project: Path, edit: str
) -> None:
    client = apiserver.client()
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    apply_env(apiserver, project / "rendered" / "prod")

    name, old, new = IMMUTABLE_EDITS[edit]
    values = project / "values" / name
    text = values.read_text()
    assert text.count(old) == 1, f"{old!r} must occur once in {values}"
    values.write_text(text.replace(old, new))

    result = run_hdgen("diff", "prod", "--base", "main", "--format", "json", cwd=project)
    assert result.code == 0, result.err
    predicted = {
        (r["apiVersion"], r["kind"], r["namespace"] or "", r["name"])
        for r in json.loads(result.out)["resources"]
        if r["impact"] == "immutable"
    }
    assert predicted, "the edit must be one hdgen diff calls immutable"

    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 0, result.err
    documents = read_tree(project / "rendered" / "prod")
    dry = refused(apply_each(client, documents, dry_run=True))
    real = refused(apply_each(client, documents, dry_run=False))
    assert set(dry) == predicted
    assert set(real) == predicted
    for message in real.values():
        assert message.startswith("422 ") and ("immutable" in message or "Forbidden" in message), message
