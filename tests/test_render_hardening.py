"""The hardening keys of the values (issue 16) reach the objects, in-process.

Each test edits the shipped prod values in memory (load_env's `texts`), renders,
and reads the object the key is about. What the values refuse is in
tests/bad_inputs.py (through the real CLI, with file:line and exit 2).
"""

from __future__ import annotations

from hdgen.project import Project
from hdgen.render.pipeline import render_env
from hdgen.render.values import load_env
from tests.conftest import REPO

API = '  api:\n    image: {tag: "d3708e6"}\n'
WORKER = '  worker:\n    image: {tag: "d3708e6"}\n    replicas: 2\n'


def render_prod(old: str = "", new: str = "", defaults: tuple[str, str] | None = None) -> dict[tuple[str, str], dict]:
    """(kind, name) -> body of prod rendered with `old` replaced by `new` in values/prod.yaml."""
    project = Project(REPO)
    prod, base = REPO / "values" / "prod.yaml", REPO / "values" / "defaults.yaml"
    texts = {prod: prod.read_text(), base: base.read_text()}
    for path, (a, b) in ((prod, (old, new)), (base, defaults or ("", ""))):
        if a:
            assert texts[path].count(a) == 1, a
            texts[path] = texts[path].replace(a, b)
    tree = render_env(load_env(project, "prod", texts))
    return {(m.kind, m.body["metadata"]["name"]): m.body for m in tree.manifests}


def pod(objects: dict, name: str, kind: str = "Deployment") -> dict:
    return objects[(kind, name)]["spec"]["template"]["spec"]


def test_a_relaxation_with_a_reason_renders_as_asked() -> None:
    objects = render_prod(API, API + "    securityContext: {readOnlyRootFilesystem: false, reason: writes its cache}\n")
    assert pod(objects, "api")["containers"][0]["securityContext"]["readOnlyRootFilesystem"] is False
    assert pod(objects, "worker")["containers"][0]["securityContext"]["readOnlyRootFilesystem"] is True


def test_a_root_uid_renders_only_where_the_namespace_allows_it_and_then_without_run_as_non_root() -> None:
    baseline = ("  enforce: restricted ", "  enforce: baseline ")
    objects = render_prod(API, API + "    securityContext: {runAsUser: 0, reason: the image needs root}\n", baseline)
    security = pod(objects, "api")["securityContext"]
    assert security["runAsUser"] == 0 and "runAsNonRoot" not in security
    assert pod(objects, "web")["securityContext"]["runAsNonRoot"] is True
    labels = objects[("Namespace", "honeydue")]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "baseline"
    assert labels["pod-security.kubernetes.io/warn"] == "restricted"


def test_an_added_capability_is_kept_after_dropping_all() -> None:
    objects = render_prod(API, API + "    securityContext: {addCapabilities: [NET_BIND_SERVICE], reason: port 80}\n")
    assert pod(objects, "api")["containers"][0]["securityContext"]["capabilities"] == {
        "drop": ["ALL"], "add": ["NET_BIND_SERVICE"]
    }


def test_writable_paths_are_empty_dirs_with_their_size_limit() -> None:
    spec = pod(render_prod(), "admin")
    mounts = {m["mountPath"]: m["name"] for m in spec["containers"][0]["volumeMounts"]}
    volumes = {v["name"]: v["emptyDir"]["sizeLimit"] for v in spec["volumes"]}
    assert mounts == {"/app/.next/cache": "writable-app-next-cache", "/tmp": "writable-tmp"}
    assert volumes == {"writable-app-next-cache": "256Mi", "writable-tmp": "256Mi"}


def test_drain_and_shutdown_reach_the_pod() -> None:
    drain = "    drainSeconds: 15\n    shutdownSeconds: 40\n    terminationGracePeriodSeconds: 60\n"
    objects = render_prod(API, API + drain)
    spec = pod(objects, "api")
    assert spec["containers"][0]["lifecycle"] == {"preStop": {"sleep": {"seconds": 15}}}
    assert spec["terminationGracePeriodSeconds"] == 60
    assert "lifecycle" not in pod(objects, "worker")["containers"][0]


def test_a_multi_replica_app_gets_a_budget_and_spread_and_a_single_one_neither() -> None:
    objects = render_prod(WORKER, WORKER.replace("replicas: 2", "replicas: 1"))
    assert ("PodDisruptionBudget", "worker") not in objects
    assert "topologySpreadConstraints" not in pod(objects, "worker")
    objects = render_prod()
    assert objects[("PodDisruptionBudget", "worker")]["spec"]["maxUnavailable"] == 1
    assert pod(objects, "worker")["topologySpreadConstraints"][0]["whenUnsatisfiable"] == "ScheduleAnyway"


def test_a_percentage_budget_renders_as_a_string() -> None:
    objects = render_prod("      maxUnavailable: 1\n", "      maxUnavailable: 34%\n")
    assert objects[("PodDisruptionBudget", "api")]["spec"]["maxUnavailable"] == "34%"


def test_hpa_behavior_follows_the_values() -> None:
    objects = render_prod(
        "      targetCpuUtilization: 70\n",
        "      targetCpuUtilization: 70\n"
        "      scaleDown: {stabilizationWindowSeconds: 600, maxPods: 2, periodSeconds: 120}\n",
    )
    down = objects[("HorizontalPodAutoscaler", "api")]["spec"]["behavior"]["scaleDown"]
    assert down == {"stabilizationWindowSeconds": 600, "policies": [{"type": "Pods", "value": 2, "periodSeconds": 120}]}


def test_redis_maxmemory_is_derived_from_the_limit_unless_set() -> None:
    args = pod(render_prod(), "redis", "StatefulSet")["containers"][0]["args"]
    assert args[-2:] == ["--maxmemory", "192mb"]  # 75% of the 256Mi limit
    args = pod(render_prod("redis:\n  image:\n", "redis:\n  maxmemory: 200Mi\n  image:\n"), "redis", "StatefulSet")
    assert args["containers"][0]["args"][-2:] == ["--maxmemory", "200mb"]


def test_vmagent_buffer_keys_reach_the_flag_and_the_empty_dir() -> None:
    buffer = "observability:\n  buffer: {sizeLimit: 1536Mi, maxDiskUsage: 1Gi}\n  image:\n"
    spec = pod(render_prod("observability:\n  image:\n", buffer), "vmagent")
    assert "-remoteWrite.maxDiskUsagePerURL=1GiB" in spec["containers"][0]["args"]
    assert {"name": "buffer", "emptyDir": {"sizeLimit": "1536Mi"}} in spec["volumes"]


def test_tls_from_the_default_store_and_wildcard_hosts() -> None:
    objects = render_prod(
        "ingress:\n  tlsSecret: honeydue-tls\n",
        "ingress:\n  tlsDefaultStore: true\n  tlsHosts: [myhoneydue.com, \"*.myhoneydue.com\"]\n",
    )
    assert objects[("Ingress", "honeydue")]["spec"]["tls"] == [{"hosts": ["myhoneydue.com", "*.myhoneydue.com"]}]


def test_quantities_read_as_kubernetes_reads_them_and_print_as_each_program_does() -> None:
    from hdgen.render import quantities

    assert quantities.value("256Mi") == 256 * 1024**2 and quantities.value("500m") * 2 == 1
    assert quantities.value("1.5Gi") == 1536 * 1024**2 and quantities.value("2k") == 2000
    assert quantities.redis_bytes(192 * 1024**2) == "192mb" and quantities.redis_bytes(1024**3) == "1gb"
    assert quantities.vmagent_bytes(768 * 1024**2) == "768MiB" and quantities.vmagent_bytes(1000) == "1000"
