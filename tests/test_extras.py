"""values/extra/ENV/*.yaml: hand-written objects rendered into rendered/ENV/extra/ (issue 17, item 3)."""

from __future__ import annotations

import json

import pytest
import yaml

from hdgen.errors import InputError
from tests.conftest import run_hdgen
from tests.rollout_values import MIDDLEWARE, render, scratch, with_extra

SEALED = """\
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: backup-credentials
  namespace: backups
spec:
  encryptedData:
    password: AgBy3i4OJSWK
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: backup-reader
rules: []
"""


def test_an_extra_is_rendered_normalised_listed_and_named_in_provenance(tmp_path) -> None:
    root = scratch(tmp_path)
    with_extra(root, "prod", "middleware.yaml", MIDDLEWARE)
    tree = render(root, "prod")
    text = tree.files["extra/middleware.yaml"]
    body = yaml.safe_load(text)
    assert body["metadata"]["namespace"] == "honeydue"  # the env's, as it named none
    assert body["spec"] == yaml.safe_load(MIDDLEWARE)["spec"]
    assert text.startswith("apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata:\n  name: security-headers\n")
    assert "#" not in text  # normalised like every rendered object: comments are not kept
    assert "extra/middleware.yaml" in yaml.safe_load(tree.files["kustomization.yaml"])["resources"]
    assert tree.files["PROVENANCE"].endswith("extra:  # hand-written objects, normalised into extra/\n"
                                             "  - values/extra/prod/middleware.yaml\n")
    assert render(root, "prod").files == tree.files  # deterministic
    assert "extra/middleware.yaml" not in render(root, "staging").files  # per env


def test_several_objects_in_one_file_keep_their_namespace_and_scope(tmp_path) -> None:
    root = scratch(tmp_path)
    with_extra(root, "prod", "backups.yaml", SEALED)
    tree = render(root, "prod")
    sealed, role = yaml.safe_load_all(tree.files["extra/backups.yaml"])
    assert sealed["metadata"]["namespace"] == "backups"  # said so: kept
    assert "namespace" not in role["metadata"]  # cluster-scoped
    documents = [m for m in tree.manifests if m.file == "extra/backups.yaml"]
    assert [(m.kind, m.line) for m in documents] == [("SealedSecret", 1), ("ClusterRole", 10)]
    assert tree.files["extra/backups.yaml"].splitlines()[9] == "apiVersion: rbac.authorization.k8s.io/v1"


def test_a_cluster_scoped_custom_kind_declared_by_an_extra_crd_gets_no_namespace(tmp_path) -> None:
    root = scratch(tmp_path)
    with_extra(root, "prod", "issuer.yaml", """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusterissuers.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: ClusterIssuer, plural: clusterissuers}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
---
apiVersion: example.com/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
""")
    crd, issuer = yaml.safe_load_all(render(root, "prod").files["extra/issuer.yaml"])
    assert "namespace" not in crd["metadata"] and "namespace" not in issuer["metadata"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: x}\n",
         "values/extra/prod/secret.yaml:1: Secret 'db' holds stringData: a Secret's values never go into git; "
         "commit a SealedSecret or an ExternalSecret instead, or create the Secret out of band"),
        ("service.yaml", "# mine\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: honeydue}\n",
         "values/extra/prod/service.yaml:2: Service 'api' is also rendered from values (rendered/prod/api/service.yaml): "
         "change it through values/, or give yours another name"),
        ("twice.yaml", MIDDLEWARE + "---\n" + MIDDLEWARE,
         "values/extra/prod/twice.yaml:18: Middleware 'security-headers' is also defined at "
         "values/extra/prod/twice.yaml:2: keep one"),
        ("nameless.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n",
         "values/extra/prod/nameless.yaml:1: ConfigMap has no metadata.name"),
        ("broken.yaml", "apiVersion: v1\nkind: [ConfigMap\n",
         "values/extra/prod/broken.yaml:2: invalid YAML: did not find expected ',' or ']'"),
    ],
)
def test_an_extra_the_render_refuses_with_one_line(tmp_path, name: str, text: str, message: str) -> None:
    root = scratch(tmp_path)
    with_extra(root, "prod", name, text)
    with pytest.raises(InputError) as raised:
        render(root, "prod")
    assert raised.value.message == message


def test_a_sealed_or_external_secret_or_an_empty_secret_is_fine(tmp_path) -> None:
    root = scratch(tmp_path)
    with_extra(root, "prod", "sealed.yaml", SEALED)
    with_extra(root, "prod", "external.yaml", """\
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: db}
spec: {secretStoreRef: {name: vault, kind: ClusterSecretStore}, target: {name: db}}
""")
    files = render(root, "prod").files
    assert {"extra/sealed.yaml", "extra/external.yaml"} <= set(files)


def test_render_check_validate_and_diff_see_the_extras(project) -> None:
    """The render cache is keyed by the extras too; validate checks them against the Traefik CRD
    schemas; diff shows them like any object."""
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                       cwd=project, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    extra = with_extra(project, "prod", "middleware.yaml", MIDDLEWARE)
    assert run_hdgen("render", "prod", cwd=project).code == 0
    assert run_hdgen("render", "prod", "--check", cwd=project).code == 0
    extra.write_text(MIDDLEWARE.replace("stsSeconds: 31536000", "stsSeconds: 600"))
    stale = run_hdgen("render", "prod", "--check", cwd=project)
    assert stale.code == 1 and "rendered/prod/extra/middleware.yaml" in stale.out + stale.err

    extra.write_text(MIDDLEWARE.replace("stsSeconds: 31536000", "stsSeconds: 600\n    bogusField: true"))
    assert run_hdgen("render", "prod", cwd=project).code == 0
    invalid = run_hdgen("validate", "prod", cwd=project)
    assert invalid.code == 1
    assert "rendered/prod/extra/middleware.yaml:" in invalid.out and "bogusField" in invalid.out

    extra.write_text(MIDDLEWARE)
    assert run_hdgen("render", "prod", cwd=project).code == 0
    valid = run_hdgen("validate", "prod", cwd=project)
    assert valid.code == 0, valid.out
    review = run_hdgen("diff", "prod", "--base", "main", "--format", "json", cwd=project)
    assert review.code == 0, review.err
    resources = {(r["kind"], r["name"]): r for r in json.loads(review.out)["resources"]}
    assert resources[("Middleware", "security-headers")]["impact"] == "added"
    assert json.loads(review.out)["headTree"] is None

    # Committed with its render, then edited and not rendered: HEAD's tree is still HEAD's render.
    git("add", "-A")
    git("commit", "-q", "-m", "middleware")
    extra.write_text(MIDDLEWARE.replace("stsSeconds: 31536000", "stsSeconds: 600"))
    review = json.loads(run_hdgen("diff", "prod", "--base", "HEAD", "--format", "json", cwd=project).out)
    assert review["headTree"] is None
    assert [(r["kind"], r["change"]) for r in review["resources"]] == [("Middleware", "changed")]


def test_a_list_is_unpacked_into_its_items(tmp_path) -> None:
    root = scratch(tmp_path)
    with_extra(root, "prod", "list.yml", """\
apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: v}}
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}, data: {k: v}}
""")
    tree = render(root, "prod")
    items = list(yaml.safe_load_all(tree.files["extra/list.yml"]))
    assert [(i["kind"], i["metadata"]["name"], i["metadata"]["namespace"]) for i in items] == [
        ("ConfigMap", "a", "honeydue"), ("ConfigMap", "b", "honeydue"),
    ]
    assert "extra/list.yml" in yaml.safe_load(tree.files["kustomization.yaml"])["resources"]
