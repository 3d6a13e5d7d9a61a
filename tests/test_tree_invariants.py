"""What the rendered tree must hold (DESIGN.md, issue 2 point 4), checked point by point.

These hold for every env whatever its values say; the golden trees pin the
exact bytes, these pin the rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from hdgen.project import Project
from hdgen.render.pipeline import RenderedTree, render_env
from hdgen.render.values import load_env
from tests.conftest import REPO

ENVS = ["prod", "staging"]
APPS = ["api", "worker", "admin", "web"]
SHA_OR_DIGEST = re.compile(r"(:[0-9a-f]{7,40}|@sha256:[0-9a-f]{64})$")
RECOMMENDED = {f"app.kubernetes.io/{k}" for k in ("name", "instance", "component", "part-of", "managed-by")}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding"}
WORKLOADS = {"Deployment", "StatefulSet"}


@lru_cache(maxsize=None)
def rendered(env: str) -> RenderedTree:
    return render_env(load_env(Project(REPO), env))


def objects(env: str, kind: str | None = None) -> list[dict]:
    return [m.body for m in rendered(env).manifests if kind is None or m.kind == kind]


def one(env: str, kind: str, name: str) -> dict:
    found = [b for b in objects(env, kind) if b["metadata"]["name"] == name]
    assert len(found) == 1, f"{env}: expected one {kind}/{name}, found {len(found)}"
    return found[0]


def pod_specs(env: str):
    for body in objects(env):
        if body["kind"] in WORKLOADS:
            yield body, body["spec"]["template"]["spec"]


def containers(env: str):
    for body, spec in pod_specs(env):
        for container in spec.get("initContainers", []) + spec["containers"]:
            yield body, container


@pytest.mark.parametrize("env", ENVS)
class TestTree:
    def test_namespace_and_everything_in_it(self, env):
        assert one(env, "Namespace", "honeydue")
        for body in objects(env):
            if body["kind"] not in CLUSTER_SCOPED:
                assert body["metadata"].get("namespace") == "honeydue", body["metadata"]["name"]

    def test_recommended_labels_on_every_object_and_pod(self, env):
        for body in objects(env):
            assert RECOMMENDED <= set(body["metadata"]["labels"]), f"{body['kind']}/{body['metadata']['name']}"
            assert body["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "hdgen"
            assert body["metadata"]["labels"]["app.kubernetes.io/part-of"] == "honeydue"
        for body, _ in pod_specs(env):
            assert RECOMMENDED <= set(body["spec"]["template"]["metadata"]["labels"])

    def test_app_deployments_images_and_rollout(self, env):
        values = load_env(Project(REPO), env).model
        for app in APPS:
            deployment = one(env, "Deployment", app)
            spec = deployment["spec"]
            container = spec["template"]["spec"]["containers"][0]
            assert container["image"].startswith(f"gitea.treytartt.com/admin/honeydue-{app}:")
            assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
            assert isinstance(spec["revisionHistoryLimit"], int)
            startup = container.get("startupProbe")
            budget = startup["failureThreshold"] * startup["periodSeconds"] + startup.get("initialDelaySeconds", 0) if startup else 0
            assert spec["progressDeadlineSeconds"] > max(budget, values.apps[app].cold_boot_seconds or 0, 240)
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]) and "memory" in resources["limits"]
            pod = spec["template"]["spec"]
            assert pod["imagePullSecrets"] == [{"name": "gitea-registry"}]
            assert pod["nodeSelector"] == {"kubernetes.io/arch": "amd64"}

    def test_every_pod_is_pinned_to_amd64(self, env):
        for body, spec in pod_specs(env):
            assert spec["nodeSelector"]["kubernetes.io/arch"] == "amd64", body["metadata"]["name"]

    def test_envfrom_config_and_secret(self, env):
        api = one(env, "Deployment", "api")["spec"]["template"]["spec"]["containers"][0]
        assert {"configMapRef": {"name": "honeydue-config"}} in api["envFrom"]
        assert {"secretRef": {"name": "honeydue-secrets"}} in api["envFrom"]

    def test_probes(self, env):
        for app in ("api", "admin", "web"):
            container = one(env, "Deployment", app)["spec"]["template"]["spec"]["containers"][0]
            assert container["readinessProbe"] and container["livenessProbe"]
            assert container["readinessProbe"] != container["livenessProbe"], app
        api = one(env, "Deployment", "api")["spec"]["template"]["spec"]["containers"][0]
        startup = api["startupProbe"]
        assert startup.get("initialDelaySeconds", 0) + startup["failureThreshold"] * startup["periodSeconds"] >= 240
        worker = one(env, "Deployment", "worker")["spec"]["template"]["spec"]["containers"][0]
        assert worker["livenessProbe"]
        for body, container in containers(env):
            assert "livenessProbe" in container, body["metadata"]["name"]

    def test_api_service_and_hpa_scaled_deployments_have_no_replicas(self, env):
        assert one(env, "Service", "api")["spec"]["ports"][0]["targetPort"] == "http"
        scaled = {h["spec"]["scaleTargetRef"]["name"] for h in objects(env, "HorizontalPodAutoscaler")}
        for deployment in objects(env, "Deployment"):
            name = deployment["metadata"]["name"]
            assert ("replicas" in deployment["spec"]) != (name in scaled), name
        for hpa in objects(env, "HorizontalPodAutoscaler"):
            assert hpa["apiVersion"] == "autoscaling/v2"

    def test_redis_ingress_network_policies(self, env):
        assert one(env, "StatefulSet", "redis") and one(env, "Service", "redis")
        ingress = one(env, "Ingress", "honeydue")
        assert ingress["spec"]["ingressClassName"] == "traefik"
        backends = {p["backend"]["service"]["name"] for r in ingress["spec"]["rules"] for p in r["http"]["paths"]}
        assert backends == {"api", "admin", "web"}
        policies = {p["metadata"]["name"]: p for p in objects(env, "NetworkPolicy")}
        assert policies["default-deny-ingress"]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
        assert "allow-ingress-controller" in policies

    def test_every_pod_using_a_config_map_rolls_when_it_changes(self, env):
        config = one(env, "ConfigMap", "honeydue-config")
        assert config["data"]["APP_ENV"] in ("production", "staging")
        for body, spec in pod_specs(env):
            uses_config = any(
                "configMapRef" in source for c in spec["containers"] for source in c.get("envFrom", [])
            ) or any("configMap" in volume for volume in spec.get("volumes", []))
            annotations = body["spec"]["template"]["metadata"].get("annotations", {})
            # checksum/config (vmagent's own config), or one checksum/config.KEY per key of honeydue-config
            checksummed = any(k == "checksum/config" or k.startswith("checksum/config.") for k in annotations)
            assert checksummed == uses_config, body["metadata"]["name"]

    def test_no_secret_objects_and_no_literal_secret_env(self, env):
        assert objects(env, "Secret") == []
        text = "".join(rendered(env).files.values())
        assert "TOKEN_PLACEHOLDER" not in text
        for _, container in containers(env):
            for variable in container.get("env", []):
                assert not re.search(r"TOKEN|SECRET|PASSWORD|KEY", variable["name"]), variable["name"]

    def test_pull_policy_follows_tag_mutability(self, env):
        for body, container in containers(env):
            mutable = not SHA_OR_DIGEST.search(container["image"])
            expected = "Always" if mutable else "IfNotPresent"
            assert container["imagePullPolicy"] == expected, container["image"]

    def test_kustomization_lists_every_manifest(self, env):
        tree = rendered(env)
        import yaml  # PyYAML reads like Kubernetes does (YAML 1.1): a second reader of our output

        kustomization = yaml.safe_load(tree.files["kustomization.yaml"])
        assert kustomization["resources"] == sorted(m.file for m in tree.manifests)
        assert set(tree.files) == {*kustomization["resources"], "kustomization.yaml", "PROVENANCE"}

    def test_output_reads_back_identically_in_yaml_1_1(self, env):
        import yaml

        for manifest in rendered(env).manifests:
            assert yaml.safe_load(manifest.text) == manifest.body, manifest.file

    def test_provenance_has_no_time_and_names_the_inputs(self, env):
        provenance = rendered(env).files["PROVENANCE"]
        assert f"command: hdgen render {env}" in provenance
        assert f"  - values/defaults.yaml\n  - values/{env}.yaml\n" in provenance
        # No digest of the values: that line would change with every values change (merge conflicts).
        assert provenance.count("sha256") == 1 and "templates-sha256: " in provenance
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}", provenance)


@pytest.mark.parametrize("env", ENVS)
def test_every_env_pins_every_app_image(env):
    """Staging too: CI bumps it by SHA, so what it runs is in git and `hdgen promote staging prod` can copy it."""
    for _, container in containers(env):
        if "honeydue-" in container["image"]:
            assert SHA_OR_DIGEST.search(container["image"]), container["image"]
            assert container["imagePullPolicy"] == "IfNotPresent"


def test_vmagent_reads_its_token_from_a_secret_reference():
    deployment = one("prod", "Deployment", "vmagent")
    pod = deployment["spec"]["template"]["spec"]
    args = pod["containers"][0]["args"]
    token_args = [a for a in args if a.startswith("-remoteWrite.bearerTokenFile=")]
    assert token_args == ["-remoteWrite.bearerTokenFile=/etc/vmagent/token/token"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["remote-write-token"]["secret"]["secretName"] == "honeydue-obs"
    assert pod["serviceAccountName"] == "vmagent"
    assert one("prod", "Role", "vmagent") and one("prod", "RoleBinding", "vmagent")
    assert one("prod", "ConfigMap", "vmagent-config")["data"]["scrape.yml"].startswith("global:")
    assert "checksum/config" in deployment["spec"]["template"]["metadata"]["annotations"]


def test_api_has_hpa_and_pdb_compatible_with_it():
    hpa = one("prod", "HorizontalPodAutoscaler", "api")
    pdb = one("prod", "PodDisruptionBudget", "api")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}
    assert pdb["apiVersion"] == "policy/v1"
    if "minAvailable" in pdb["spec"]:
        assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]
    else:
        assert pdb["spec"]["maxUnavailable"] >= 1


def test_argocd_application_syncs_the_env_folder_with_prune_and_self_heal():
    (application,) = rendered("prod").agent_manifests
    assert application.kind == "Application" and application.file == "argocd-application.yaml"
    spec = application.body["spec"]
    assert spec["source"]["path"] == "rendered/prod"
    assert spec["destination"]["namespace"] == "honeydue"
    assert spec["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}


def test_flux_objects_prune_wait_and_outlast_the_cold_boot():
    objects = {m.kind: m.body for m in rendered("staging").agent_manifests}
    assert set(objects) == {"GitRepository", "Kustomization"}
    kustomization = objects["Kustomization"]["spec"]
    assert kustomization["path"] == "./rendered/staging"
    assert kustomization["prune"] is True and kustomization["wait"] is True
    assert int(kustomization["timeout"].removesuffix("s")) > 240
    assert kustomization["sourceRef"]["name"] == objects["GitRepository"]["metadata"]["name"]


@pytest.mark.parametrize("env", ENVS)
def test_agent_objects_are_not_in_the_applied_folder(env):
    tree = rendered(env)
    assert tree.agent_manifests
    assert not {m.kind for m in tree.manifests} & {"Application", "GitRepository", "Kustomization"}
