"""What the hardened tree guarantees (issue 16, docs/render.md "What the tree guarantees"), point by point.

Read from a fresh render of the shipped values of both envs, whatever they say:
the golden trees pin the bytes, these pin the rules.
"""

from __future__ import annotations

import pytest

from hdgen.project import Project
from hdgen.render import quantities
from hdgen.render.values import load_env
from tests.conftest import REPO
from tests.test_tree_invariants import containers, objects, one, pod_specs

ENVS = ["prod", "staging"]
ROUTED = ("api", "admin", "web")
PSA = "pod-security.kubernetes.io/"


def _bytes(quantity: str) -> int:
    return int(quantities.value(quantity))


def _hpa(env: str, name: str) -> dict | None:
    found = [h for h in objects(env, "HorizontalPodAutoscaler") if h["spec"]["scaleTargetRef"]["name"] == name]
    return found[0] if found else None


def _replicas(env: str, deployment: dict) -> int:
    hpa = _hpa(env, deployment["metadata"]["name"])
    return hpa["spec"]["minReplicas"] if hpa else deployment["spec"].get("replicas", 1)


def _matches(selector: dict, labels: dict) -> bool:
    return selector.items() <= labels.items()


@pytest.mark.parametrize("env", ENVS)
class TestRestricted:
    def test_namespace_enforces_restricted_with_a_pinned_version(self, env):
        labels = one(env, "Namespace", "honeydue")["metadata"]["labels"]
        for mode in ("enforce", "warn", "audit"):
            assert labels[PSA + mode] == "restricted", mode
            assert labels[PSA + mode + "-version"].startswith("v1."), mode

    def test_every_pod_runs_as_a_numeric_non_root_user_with_runtime_default_seccomp(self, env):
        for body, spec in pod_specs(env):
            security = spec["securityContext"]
            name = body["metadata"]["name"]
            assert security["runAsNonRoot"] is True, name
            assert isinstance(security["runAsUser"], int) and security["runAsUser"] > 0, name
            assert isinstance(security["runAsGroup"], int), name
            assert security["seccompProfile"] == {"type": "RuntimeDefault"}, name

    def test_every_container_drops_all_and_cannot_escalate(self, env):
        for body, container in containers(env):
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, body["metadata"]["name"]
            assert security["capabilities"] == {"drop": ["ALL"]}, body["metadata"]["name"]
            assert security.get("privileged", False) is False
            assert "seccompProfile" not in security or security["seccompProfile"]["type"] == "RuntimeDefault"

    def test_root_filesystems_are_read_only_and_writable_paths_are_bounded_empty_dirs(self, env):
        for body, spec in pod_specs(env):
            volumes = {v["name"]: v for v in spec.get("volumes", [])}
            for container in spec["containers"]:
                assert container["securityContext"]["readOnlyRootFilesystem"] is True, body["metadata"]["name"]
                for mount in container.get("volumeMounts", []):
                    volume = volumes.get(mount["name"])
                    if volume is not None and "emptyDir" in volume:
                        assert volume["emptyDir"].get("sizeLimit"), (body["metadata"]["name"], mount["name"])
            for app in ("api", "worker", "admin", "web"):
                if body["metadata"]["name"] == app:
                    mounts = {m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
                    assert "/tmp" in mounts, app

    def test_ephemeral_storage_limits_hold_the_pods_empty_dirs(self, env):
        for body, spec in pod_specs(env):
            held = sum(_bytes(v["emptyDir"]["sizeLimit"]) for v in spec.get("volumes", []) if "emptyDir" in v)
            limits = sum(_bytes(c["resources"]["limits"]["ephemeral-storage"]) for c in spec["containers"])
            requests = [c["resources"]["requests"]["ephemeral-storage"] for c in spec["containers"]]
            assert limits > held, body["metadata"]["name"]
            assert all(requests), body["metadata"]["name"]


@pytest.mark.parametrize("env", ENVS)
class TestDrainAndRollout:
    def test_routed_apps_sleep_before_sigterm_and_the_grace_period_covers_drain_and_shutdown(self, env):
        values = load_env(Project(REPO), env).model
        rules = one(env, "Ingress", "honeydue")["spec"]["rules"]
        routed = {p["backend"]["service"]["name"] for r in rules for p in r["http"]["paths"]}
        assert routed == set(ROUTED)
        for name, app in values.apps.items():
            pod = one(env, "Deployment", name)["spec"]["template"]["spec"]
            sleep = pod["containers"][0].get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
            if name in routed:
                assert sleep >= 5, name  # Traefik's endpoint update: the docs say why
            assert pod["terminationGracePeriodSeconds"] >= sleep + (app.shutdown_seconds or 0), name

    def test_api_probe_timeouts_are_above_one_second(self, env):
        container = one(env, "Deployment", "api")["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["timeoutSeconds"] > 1
        assert container["startupProbe"]["timeoutSeconds"] > 1

    def test_deployments_wait_before_counting_a_pod_available(self, env):
        for deployment in objects(env, "Deployment"):
            assert deployment["spec"]["minReadySeconds"] > 0, deployment["metadata"]["name"]

    def test_hpas_scale_down_slowly(self, env):
        for hpa in objects(env, "HorizontalPodAutoscaler"):
            down = hpa["spec"]["behavior"]["scaleDown"]
            assert down["stabilizationWindowSeconds"] >= 60
            assert all(p["value"] >= 1 and p["periodSeconds"] >= 15 for p in down["policies"])


@pytest.mark.parametrize("env", ENVS)
class TestSpreadAndBudgets:
    def test_every_multi_pod_app_spreads_over_hosts_and_has_a_budget_that_allows_a_drain(self, env):
        budgets = objects(env, "PodDisruptionBudget")
        for deployment in objects(env, "Deployment"):
            name = deployment["metadata"]["name"]
            pod = deployment["spec"]["template"]
            pods = _replicas(env, deployment)
            mine = [b for b in budgets if _matches(b["spec"]["selector"]["matchLabels"], pod["metadata"]["labels"])]
            if pods <= 1 and _hpa(env, name) is None:
                continue
            (constraint,) = pod["spec"]["topologySpreadConstraints"]
            assert constraint["topologyKey"] == "kubernetes.io/hostname", name
            assert constraint["whenUnsatisfiable"] == "ScheduleAnyway", name
            assert constraint["matchLabelKeys"] == ["pod-template-hash"], name
            assert _matches(constraint["labelSelector"]["matchLabels"], pod["metadata"]["labels"]), name
            assert len(mine) == 1, name
            spec = mine[0]["spec"]
            assert spec["unhealthyPodEvictionPolicy"] == "AlwaysAllow", name
            assert spec.get("maxUnavailable", 0) >= 1 or spec["minAvailable"] < pods, name

    def test_every_budget_lets_crash_looping_pods_go(self, env):
        for pdb in objects(env, "PodDisruptionBudget"):
            assert pdb["spec"]["unhealthyPodEvictionPolicy"] == "AlwaysAllow", pdb["metadata"]["name"]


@pytest.mark.parametrize("env", ENVS)
class TestRedisAndVmagent:
    def test_redis_has_a_headless_governing_service_and_the_client_service(self, env):
        statefulset = one(env, "StatefulSet", "redis")
        headless = one(env, "Service", statefulset["spec"]["serviceName"])
        assert headless["spec"]["clusterIP"] == "None"
        client = one(env, "Service", "redis")
        assert client["spec"].get("clusterIP") != "None"
        labels = statefulset["spec"]["template"]["metadata"]["labels"]
        assert _matches(headless["spec"]["selector"], labels) and _matches(client["spec"]["selector"], labels)
        assert one(env, "ConfigMap", "honeydue-config")["data"]["REDIS_URL"].startswith("redis://redis:")

    def test_redis_maxmemory_is_below_its_memory_limit(self, env):
        container = one(env, "StatefulSet", "redis")["spec"]["template"]["spec"]["containers"][0]
        args = container["args"]
        assert args.count("--maxmemory") == 1
        value = args[args.index("--maxmemory") + 1]
        assert value.endswith("mb")
        maxmemory = int(value.removesuffix("mb")) * quantities.MIB
        assert maxmemory < _bytes(container["resources"]["limits"]["memory"])
        assert args[args.index("--maxmemory-policy") + 1] == "noeviction"

    def test_redis_data_is_a_volume_claim_or_a_bounded_empty_dir(self, env):
        statefulset = one(env, "StatefulSet", "redis")["spec"]
        claims = [c["metadata"]["name"] for c in statefulset.get("volumeClaimTemplates", [])]
        volumes = {v["name"]: v for v in statefulset["template"]["spec"].get("volumes", [])}
        assert ("data" in claims) != ("data" in volumes)
        if "data" in volumes:
            assert volumes["data"]["emptyDir"]["sizeLimit"]


def test_vmagent_caps_its_buffer_below_the_empty_dirs_size_limit():
    pod = one("prod", "Deployment", "vmagent")["spec"]["template"]["spec"]
    args = pod["containers"][0]["args"]
    (cap,) = [a.split("=", 1)[1] for a in args if a.startswith("-remoteWrite.maxDiskUsagePerURL=")]
    (path,) = [a.split("=", 1)[1] for a in args if a.startswith("-remoteWrite.tmpDataPath=")]
    (mount,) = [m for m in pod["containers"][0]["volumeMounts"] if m["mountPath"] == path]
    (volume,) = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert cap.endswith("MiB")
    assert int(cap.removesuffix("MiB")) * quantities.MIB < _bytes(volume["emptyDir"]["sizeLimit"])


@pytest.mark.parametrize("env", ENVS)
def test_an_ingress_that_asks_traefik_for_tls_has_a_tls_section_covering_every_host(env):
    ingress = one(env, "Ingress", "honeydue")
    annotations = ingress["metadata"].get("annotations", {})
    asks = annotations.get("traefik.ingress.kubernetes.io/router.tls") == "true" or "websecure" in annotations.get(
        "traefik.ingress.kubernetes.io/router.entrypoints", ""
    )
    assert asks
    (tls,) = ingress["spec"]["tls"]
    assert tls["secretName"]
    for rule in ingress["spec"]["rules"]:
        host = rule["host"]
        assert any(h == host or (h.startswith("*.") and host.split(".", 1)[1] == h[2:]) for h in tls["hosts"]), host
