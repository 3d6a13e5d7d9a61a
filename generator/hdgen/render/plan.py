"""Plan the env folder: each file, the template that renders it, and its context.

Everything a template needs is computed here, in Python and sorted, so the
templates only lay values out. Templates interpolate with `|tojson`, which
quotes every scalar: no value from values/ can change the YAML structure.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from hdgen.patterns import SECRET_REVISION_ANNOTATION
from hdgen.render import quantities
from hdgen.render.images import app_repository
from hdgen.render.model import (
    VMAGENT_PROGRESS_DEADLINE, App, Image, Probe, Resources, SecurityContext, Values, volume_name,
)

MANAGED_BY = "hdgen"
CONFIG_MAP = "honeydue-config"
VMAGENT = "vmagent"
VMAGENT_PORT = 8429
TOKEN_DIR = "/etc/vmagent/token"
VMAGENT_BUFFER = "/tmp/vmagent"
REDIS_HEADLESS = "redis-headless"


@dataclass(frozen=True)
class PlannedFile:
    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def plan_files(env: str, values: Values) -> list[PlannedFile]:
    """Every file of the env folder, in the order of the stages below (the render sorts them by path)."""
    common = {
        "namespace": values.namespace,
        "env": env,
        "labels": lambda name, component: labels(values, env, name, component),
        "selector": lambda name: selector(values, env, name),
    }

    def planned(path: str, template: str, **context: Any) -> PlannedFile:
        return PlannedFile(path, template, {**common, **context})

    files, config_checksum = _namespace_and_config_files(values, planned)
    files += _app_files(values, env, planned, config_checksum)  # the checksum restarts pods when config changes
    files += _redis_files(values, planned)
    if values.ingress is not None:
        files.append(planned("ingress/ingress.yaml", "ingress/ingress.yaml.j2", **ingress_context(values)))
    files += _network_policy_files(values, planned)
    if values.observability is not None:
        files += observability_files(values, env, planned)
    return files


def _namespace_and_config_files(values: Values, planned) -> tuple[list[PlannedFile], dict[str, str]]:
    """The namespace and the shared ConfigMap, and the checksum annotations of the ConfigMap's data."""
    config_data = dict(sorted(values.config.items()))
    files = [
        planned("namespace.yaml", "namespace.yaml.j2", pod_security=pod_security_labels(values)),
        planned(f"config/{CONFIG_MAP}.yaml", "configmap.yaml.j2", name=CONFIG_MAP, data=config_data),
    ]
    return files, config_checksums(config_data)


def _app_files(values: Values, env: str, planned, config_checksum: dict[str, str]) -> list[PlannedFile]:
    """Each app's Deployment, and its Service, HPA and PDB when its values ask for them."""
    files = []
    for name, app in sorted(values.apps.items()):
        files.append(
            planned(
                f"{name}/deployment.yaml",
                "app/deployment.yaml.j2",
                **deployment_context(values, env, name, app, config_checksum),
            )
        )
        if app.service_port is not None:
            files.append(planned(f"{name}/service.yaml", "app/service.yaml.j2", name=name, app=app))
        if app.autoscaling is not None:
            files.append(planned(f"{name}/hpa.yaml", "app/hpa.yaml.j2", name=name, app=app, behavior=hpa_behavior(app)))
        if app.budget is not None:
            files.append(planned(f"{name}/pdb.yaml", "app/pdb.yaml.j2", name=name, app=app, budget=app.budget))
    return files


def _redis_files(values: Values, planned) -> list[PlannedFile]:
    redis = values.redis
    if redis is None:
        return []
    pod_security, container_security = security_contexts(redis.security_context)
    return [
        planned(
            "redis/statefulset.yaml",
            "redis/statefulset.yaml.j2",
            redis=redis,
            container=container_basics(redis.image, None),
            resources=resources(redis.resources),
            node_arch=values.node_arch,
            # --maxmemory below the memory limit: Redis refuses writes (noeviction) instead of being OOM-killed.
            args=[*redis.args, "--maxmemory", quantities.redis_bytes(redis.maxmemory_bytes())],
            service_name=REDIS_HEADLESS,
            pod_security=pod_security,
            container_security=container_security,
            scratch=scratch_volumes(redis.security_context),
        ),
        # The StatefulSet's governing Service gives the pod its DNS name; clients keep using `redis`.
        planned("redis/service.yaml", "redis/service.yaml.j2", name="redis", port=redis.port, headless=False),
        planned(
            "redis/service-headless.yaml", "redis/service.yaml.j2", name=REDIS_HEADLESS, port=redis.port, headless=True
        ),
    ]


def _network_policy_files(values: Values, planned) -> list[PlannedFile]:
    """Deny by default, allow within the namespace, and from the ingress controller to routed apps."""
    if not values.network_policies.enabled:
        return []
    files = [
        planned("network-policies/default-deny-ingress.yaml", "network/default-deny.yaml.j2"),
        planned("network-policies/allow-within-namespace.yaml", "network/allow-namespace.yaml.j2"),
    ]
    routed = sorted({route.app for route in values.ingress.routes}) if values.ingress else []
    if routed:
        files.append(
            planned(
                "network-policies/allow-ingress-controller.yaml",
                "network/allow-ingress-controller.yaml.j2",
                controller=values.network_policies.ingress_controller,
                ports=sorted({values.apps[a].container_port for a in routed}),
                apps=routed,
            )
        )
    return files


def labels(values: Values, env: str, name: str, component: str) -> dict[str, str]:
    """The recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels)."""
    return {
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/instance": f"{values.part_of}-{env}",
        "app.kubernetes.io/managed-by": MANAGED_BY,
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": values.part_of,
    }


def selector(values: Values, env: str, name: str) -> dict[str, str]:
    """Selector labels: a subset that never changes, since a Deployment's selector is immutable."""
    return {"app.kubernetes.io/instance": f"{values.part_of}-{env}", "app.kubernetes.io/name": name}


def checksum(data: Any) -> str:
    """A digest of data, put on pod templates so that a change to it rolls the pods."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


CONFIG_CHECKSUM_PREFIX = "checksum/config."
_ANNOTATION_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")


def config_checksums(data: dict[str, str]) -> dict[str, str]:
    """One pod-template annotation per ConfigMap key (checksum/config.KEY: a digest of its value).

    Not one digest of the whole ConfigMap: that line would change with every config change, so two
    pull requests changing different keys would always conflict in every Deployment. Per key, two
    changes conflict only where the ConfigMap's own lines do (the same key, or adjacent keys).
    A key that cannot be an annotation name (over 63 characters with the prefix, or not starting and
    ending with a letter or digit) is named by a digest of the key instead.
    """
    annotations = {}
    for key, value in data.items():
        name = f"config.{key}"
        if len(name) > 63 or not _ANNOTATION_NAME.fullmatch(name):
            name = f"config.key-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
        annotations[f"checksum/{name}"] = hashlib.sha256(value.encode()).hexdigest()[:16]
    return dict(sorted(annotations.items()))


def pull_policy(image: Image) -> str:
    """Always for a tag the registry may move (the runbook's IfNotPresent trap), else IfNotPresent."""
    return "Always" if image.is_mutable else "IfNotPresent"


def container_basics(image: Image, default_repository: str | None) -> dict[str, str]:
    return {"image": image.reference(default_repository), "imagePullPolicy": pull_policy(image)}


def probe(spec: Probe) -> dict[str, Any]:
    handler: dict[str, Any]
    if spec.http_get is not None:
        handler = {"httpGet": {"path": spec.http_get.path, "port": spec.http_get.port}}
    elif spec.exec is not None:
        handler = {"exec": {"command": list(spec.exec)}}
    else:
        handler = {"tcpSocket": {"port": spec.tcp_socket}}
    # A zero initialDelaySeconds is left out: the API server drops it (omitempty), and a
    # GitOps agent that compares client-side would otherwise see a permanent difference.
    delay = {"initialDelaySeconds": spec.initial_delay_seconds} if spec.initial_delay_seconds else {}
    return {
        **handler,
        **delay,
        "periodSeconds": spec.period_seconds,
        "timeoutSeconds": spec.timeout_seconds,
        "failureThreshold": spec.failure_threshold,
    }


def resources(spec: Resources) -> dict[str, dict[str, str]]:
    return {
        "requests": spec.requests.model_dump(exclude_none=True, by_alias=True),
        "limits": spec.limits.model_dump(exclude_none=True, by_alias=True),
    }


def pod_security_labels(values: Values) -> dict[str, str]:
    """Enforce the values' level; warn and audit always at restricted, every one pinned to one version."""
    levels = {"enforce": values.pod_security.enforce, "warn": "restricted", "audit": "restricted"}
    labels = {}
    for mode, level in levels.items():
        labels[f"pod-security.kubernetes.io/{mode}"] = level
        labels[f"pod-security.kubernetes.io/{mode}-version"] = values.pod_security.version
    return dict(sorted(labels.items()))


def security_contexts(spec: SecurityContext) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pod's and the container's securityContext: Pod Security `restricted` unless values relax it."""
    pod: dict[str, Any] = {"runAsNonRoot": True} if spec.run_as_user != 0 else {}
    pod.update({"runAsUser": spec.run_as_user, "runAsGroup": spec.run_as_group})
    if spec.fs_group is not None:
        # OnRootMismatch: the kubelet re-owns a volume only when its top folder is not the group's yet.
        pod.update({"fsGroup": spec.fs_group, "fsGroupChangePolicy": "OnRootMismatch"})
    pod["seccompProfile"] = {"type": "RuntimeDefault"}
    capabilities: dict[str, list[str]] = {"drop": ["ALL"]}
    if spec.add_capabilities:
        capabilities["add"] = list(spec.add_capabilities)
    container = {
        "allowPrivilegeEscalation": spec.allow_privilege_escalation,
        "capabilities": capabilities,
        "readOnlyRootFilesystem": spec.read_only_root_filesystem,
    }
    return pod, container


def scratch_volumes(spec: SecurityContext) -> list[dict[str, str]]:
    """One emptyDir per writable path, sorted by path: name, mountPath, sizeLimit."""
    return [
        {"name": volume_name(path), "mountPath": path, "sizeLimit": size}
        for path, size in sorted(spec.writable_paths.items())
    ]


def spread(values: Values, env: str, name: str) -> list[dict[str, Any]]:
    """Pods of one app over the nodes; ScheduleAnyway so a one-node k3s still runs them all.

    matchLabelKeys: [pod-template-hash] counts only the pods of the same ReplicaSet, so a
    rollout's new pods spread among themselves instead of around the old ones they replace.
    """
    return [
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": selector(values, env, name)},
            "matchLabelKeys": ["pod-template-hash"],
        }
    ]


def hpa_behavior(app: App) -> dict[str, Any]:
    def rules(spec) -> dict[str, Any]:
        policy = {"type": "Pods", "value": spec.max_pods, "periodSeconds": spec.period_seconds}
        return {"stabilizationWindowSeconds": spec.stabilization_window_seconds, "policies": [policy]}

    return {"scaleDown": rules(app.autoscaling.scale_down), "scaleUp": rules(app.autoscaling.scale_up)}


def pod_readers(values: Values) -> dict[str, list[tuple[str, str]]]:
    """Secret name -> (kind, name) of each workload whose containers read it (envFrom, volumes).

    A Secret's revision rolls exactly these. imagePullSecrets are left out: the kubelet reads
    them only when it pulls an image, so a running pod never holds the credential and a
    restart would only risk a failed pull. The TLS Secret has no reader here either:
    the ingress controller (Traefik, outside the namespace) watches it and reloads.
    """
    readers: dict[str, list[tuple[str, str]]] = {}
    for name, app in sorted(values.apps.items()):
        if app.use_secrets:
            readers.setdefault(values.secrets.app, []).append(("Deployment", name))
    token = values.secrets.observability_token
    if values.observability is not None and token is not None:
        readers.setdefault(token.name, []).append(("Deployment", VMAGENT))
    return readers


def secret_revisions(values: Values, *secrets: str) -> dict[str, str]:
    """The revision annotations of a pod template that reads secrets; none for a Secret without a revision."""
    revisions = values.secrets.revisions
    return {
        f"{SECRET_REVISION_ANNOTATION}{name}": str(revisions[name]) for name in sorted(set(secrets)) if name in revisions
    }


def deployment_context(
    values: Values, env: str, name: str, app: App, config_checksum: dict[str, str]
) -> dict[str, Any]:
    annotations = {}
    if app.use_config:
        annotations.update(config_checksum)
    if app.use_secrets:  # the revision rolls the pods when the Secret changed out of band
        annotations.update(secret_revisions(values, values.secrets.app))
    if app.metrics is not None:
        annotations.update(
            {
                "prometheus.io/path": app.metrics.path,
                "prometheus.io/port": str(app.metrics.port),
                "prometheus.io/scrape": "true",
            }
        )
    env_from = []
    if app.use_config:
        env_from.append({"configMapRef": {"name": CONFIG_MAP}})
    if app.use_secrets:
        env_from.append({"secretRef": {"name": values.secrets.app}})
    ports = []
    if app.container_port is not None:
        ports.append({"name": "http", "containerPort": app.container_port, "protocol": "TCP"})
    if app.metrics is not None and app.metrics.port != app.container_port:
        ports.append({"name": "metrics", "containerPort": app.metrics.port, "protocol": "TCP"})
    probes = {
        f"{kind}Probe": probe(spec)
        for kind, spec in (
            ("startup", app.probes.startup),
            ("readiness", app.probes.readiness),
            ("liveness", app.probes.liveness),
        )
        if spec is not None
    }
    return {
        "name": name,
        "app": app,
        "values": values,
        **app_hardening(values, env, name, app),
        "pod_annotations": dict(sorted(annotations.items())),
        "container": container_basics(app.image, app_repository(values.registry, values.image_prefix, name)),
        "env_from": env_from,
        "env_vars": [{"name": k, "value": v} for k, v in sorted(app.env.items())],
        "ports": ports,
        "probes": probes,
        "resources": resources(app.resources),
    }


def app_hardening(values: Values, env: str, name: str, app: App) -> dict[str, Any]:
    """What a Deployment's pods get from issue 16: security contexts, writable paths, drain, spread."""
    pod_security, container_security = security_contexts(app.security_context)
    lifecycle = {"preStop": {"sleep": {"seconds": app.drain_seconds}}} if app.drain_seconds else None
    return {
        "pod_security": pod_security,
        "container_security": container_security,
        "scratch": scratch_volumes(app.security_context),
        "lifecycle": lifecycle,
        "spread": spread(values, env, name) if app.spreads else None,
    }


def ingress_context(values: Values) -> dict[str, Any]:
    ingress = values.ingress
    hosts: dict[str, list[dict[str, Any]]] = {}
    for route in ingress.routes:
        hosts.setdefault(route.host, []).append(
            {"path": route.path, "service": route.app, "port": values.apps[route.app].service_port}
        )
    tls = []
    if ingress.tls_secret is not None or ingress.tls_default_store:
        # Without secretName (tlsDefaultStore), Traefik serves its default TLSStore's certificate.
        secret = {"secretName": ingress.tls_secret} if ingress.tls_secret is not None else {}
        tls.append({**secret, "hosts": ingress.tls_host_list()})
    return {
        "ingress": ingress,
        "annotations": dict(sorted(ingress.annotations.items())),
        "hosts": dict(sorted(hosts.items())),
        "tls": tls,
    }


def scrape_config(values: Values, env: str) -> str:
    """vmagent's Prometheus-style scrape config: pods in the namespace that opt in by annotation."""
    from hdgen.yaml.dump import dump

    observability = values.observability
    config: dict[str, Any] = {
        "global": {"scrape_interval": observability.scrape_interval},
        "scrape_configs": [
            {
                "job_name": "honeydue-pods",
                "kubernetes_sd_configs": [{"role": "pod", "namespaces": {"names": [values.namespace]}}],
                "relabel_configs": [
                    {"source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], "action": "keep", "regex": "true"},
                    {"source_labels": ["__meta_kubernetes_pod_annotation_prometheus_io_path"], "action": "replace", "target_label": "__metrics_path__", "regex": "(.+)"},
                    {
                        "source_labels": ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"],
                        "action": "replace",
                        "regex": "([^:]+)(?::\\d+)?;(\\d+)",
                        "replacement": "$1:$2",
                        "target_label": "__address__",
                    },
                    {"source_labels": ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], "target_label": "app"},
                    {"source_labels": ["__meta_kubernetes_pod_name"], "target_label": "pod"},
                ],
            }
        ],
    }
    if observability.external_labels:
        config["global"]["external_labels"] = dict(sorted(observability.external_labels.items()))
    return dump(config)


def vmagent_hardening(observability) -> dict[str, Any]:
    """vmagent's security contexts and its disk buffer, bounded twice: its own cap below the emptyDir's sizeLimit."""
    pod_security, container_security = security_contexts(observability.security_context)
    buffer = observability.buffer
    return {
        "pod_security": pod_security,
        "container_security": container_security,
        "scratch": scratch_volumes(observability.security_context),
        "buffer_dir": VMAGENT_BUFFER,
        "buffer_size_limit": buffer.size_limit,
        "max_disk_usage": quantities.vmagent_bytes(int(quantities.value(buffer.max_disk_usage))),
    }


def observability_files(values: Values, env: str, planned) -> list[PlannedFile]:
    observability = values.observability
    scrape = scrape_config(values, env)
    token = values.secrets.observability_token
    context = {
        "name": VMAGENT,
        "observability": observability,
        "scrape_config": scrape,
        "pod_annotations": {"checksum/config": checksum(scrape), **secret_revisions(values, token.name)},
        "container": container_basics(observability.image, None),
        "resources": resources(observability.resources),
        "node_arch": values.node_arch,
        "port": VMAGENT_PORT,
        "token": token,
        "token_dir": TOKEN_DIR,
        "min_ready_seconds": values.min_ready_seconds,
        "progress_deadline_seconds": VMAGENT_PROGRESS_DEADLINE,
        **vmagent_hardening(observability),
    }
    return [
        planned(f"observability/{VMAGENT}-{kind}.yaml", f"observability/{kind}.yaml.j2", **context)
        for kind in ("serviceaccount", "role", "rolebinding", "configmap", "deployment")
    ]


AGENT_NAMESPACES = {"argocd": "argocd", "flux": "flux-system"}


def plan_agent_files(env: str, values: Values, rendered_path: str) -> list[PlannedFile]:
    """The GitOps agent's own objects, kept out of the env folder so applying it never applies them."""
    gitops = values.gitops
    if gitops is None:
        return []
    context = {
        "env": env,
        "name": f"{values.part_of}-{env}",
        "labels": lambda name, component: labels(values, env, name, component),
        "gitops": gitops,
        "agent_namespace": gitops.agent_namespace or AGENT_NAMESPACES[gitops.agent],
        "path": rendered_path,
        "target_namespace": values.namespace,
        # The agent waits for rollouts; give up only after the slowest Deployment would.
        "timeout_seconds": values.progress_deadline_seconds + 60,
    }
    if gitops.agent == "argocd":
        return [PlannedFile("argocd-application.yaml", "gitops/argocd-application.yaml.j2", context)]
    return [
        PlannedFile("flux-gitrepository.yaml", "gitops/flux-gitrepository.yaml.j2", context),
        PlannedFile("flux-kustomization.yaml", "gitops/flux-kustomization.yaml.j2", context),
    ]
