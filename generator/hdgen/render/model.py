"""The values model: what an env's values may say (Pydantic v2).

Field names are snake_case here and camelCase in YAML, like Kubernetes.
Unknown keys and loosely typed values are errors (extra="forbid", strict).
Rules that span several fields live in `problems()`, which yields the key path
of each problem so the loader can name file:line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from hdgen.patterns import COMMIT_SHA, CREDENTIAL_SHAPES, URL_WITH_PASSWORD, key_looks_secret
from hdgen.render import podsecurity, quantities
from hdgen.render.constraints import (
    AbsolutePath, Capability, Digest, DnsLabel, Duration, Host, HttpUrl, ImageTag, Percent, Port, Quantity, UrlPath,
    WildcardHost,
)
from hdgen.render.images import DEFAULT_IMAGE_PREFIX, reference
from hdgen.words import did_you_mean

KeyPath = tuple[str | int, ...]
Problem = tuple[KeyPath, str]

# Constrained strings (DnsLabel, Quantity, …) are in constraints.py: each says in words what is wrong.
Seconds = Annotated[int, Field(ge=0)]
Revision = Annotated[int, Field(ge=1)]  # a counter, never a timestamp: the tree must not change by itself

# Command-line flags that take a secret: `--password=x`, or `--requirepass x` as two items.
_SECRET_FLAG = re.compile(r"^-{1,2}([A-Za-z0-9_.-]+)(=.*)?$", re.DOTALL)
_SECRET_FLAG_PARTS = ("PASS", "TOKEN", "SECRET")
# Words of a variable set only to restart pods after a Secret changed (SECRET_VERSION=3).
_ROLL_WORDS = frozenset({"VERSION", "REVISION", "ROTATION", "GENERATION"})


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, alias_generator=to_camel, populate_by_name=False
    )


class Image(Strict):
    """A container image: repository, tag and/or digest."""

    repository: str | None = Field(
        None, description="Defaults to <registry>/<imagePrefix><app> for apps."
    )
    tag: ImageTag | None = None
    digest: Digest | None = None
    allow_mutable_tag: bool = Field(
        False, description="Accept a tag that is not a commit SHA (third-party images)."
    )

    @property
    def is_mutable(self) -> bool:
        """True unless pinned by digest or by a commit SHA tag: the registry may move it."""
        return self.digest is None and (self.tag is None or not COMMIT_SHA.match(self.tag))

    def reference(self, default_repository: str | None = None) -> str:
        return reference(self.repository or default_repository, self.tag, self.digest)


class HttpGet(Strict):
    path: UrlPath
    port: Port | DnsLabel = "http"


class Probe(Strict):
    """One probe: exactly one of httpGet, exec, tcpSocket, plus timings."""

    http_get: HttpGet | None = None
    exec: list[str] | None = Field(None, min_length=1)
    tcp_socket: Port | DnsLabel | None = None
    initial_delay_seconds: Seconds = 0
    period_seconds: int = Field(10, ge=1)
    timeout_seconds: int = Field(1, ge=1)
    failure_threshold: int = Field(3, ge=1)

    @model_validator(mode="after")
    def _one_handler(self) -> Probe:
        handlers = [h for h in (self.http_get, self.exec, self.tcp_socket) if h is not None]
        if len(handlers) != 1:
            raise ValueError("a probe needs exactly one of httpGet, exec, tcpSocket")
        return self

    @property
    def budget_seconds(self) -> int:
        """How long the kubelet waits before giving up on this probe."""
        return self.initial_delay_seconds + self.failure_threshold * self.period_seconds


class Probes(Strict):
    readiness: Probe | None = None
    liveness: Probe | None = None
    startup: Probe | None = None


# -- Hardening: Pod Security, drain, spread (issue 16) -------------------------------------------

PodSecurityLevel = Literal["privileged", "baseline", "restricted"]
VMAGENT_PROGRESS_DEADLINE = 600  # vmagent's Deployment (its template writes it)


class PodSecurity(Strict):
    """The namespace's Pod Security admission labels; warn and audit are always `restricted`."""

    enforce: PodSecurityLevel = Field(
        "restricted",
        description=(
            "level the API server enforces: it refuses pods that break it, so the model refuses values "
            "that would (a root uid, privilege escalation, an added capability)"
        ),
    )
    version: str = Field(
        "v1.33",
        min_length=1,
        description=(
            "profile version pinned on the labels (`-version`), the cluster's minor version: with `latest` the "
            "checks would change under a cluster upgrade"
        ),
    )

    def problems(self) -> Iterator[Problem]:
        if not re.fullmatch(r"v1\.[0-9]+", self.version):
            yield ("version",), (
                f"{self.version!r} is not a Kubernetes minor version like v1.33: pin the cluster's, so that an "
                "upgrade does not change what the namespace refuses"
            )


# What a SecurityContext can relax (a root uid, a writable root, escalation, capabilities) needs a `reason`.
class SecurityContext(Strict):
    """A pod's user and what its container may do; runAsNonRoot, seccomp and drop ALL are always set."""

    run_as_user: int = Field(
        ge=0, description="numeric uid (the kubelet can then check runAsNonRoot without the image's USER)"
    )
    run_as_group: int = Field(ge=0, description="numeric primary gid")
    fs_group: int | None = Field(
        None, ge=0, description="gid that owns the pod's volumes, for storage that supports it"
    )
    read_only_root_filesystem: bool = Field(True, description="false needs a `reason`")
    allow_privilege_escalation: bool = Field(
        False, description="true breaks Pod Security `restricted`; needs a `reason`"
    )
    add_capabilities: list[Capability] = Field(
        default_factory=list,
        description="added back after dropping ALL (restricted allows NET_BIND_SERVICE only); needs a `reason`",
    )
    writable_paths: dict[AbsolutePath, Quantity] = Field(
        default_factory=dict,
        description=(
            "path -> sizeLimit: an emptyDir mounted there, for what the app writes while its root filesystem is "
            "read-only (it hides what the image has at that path)"
        ),
    )
    reason: str | None = Field(
        None, min_length=1, description="why this container relaxes the defaults (required when it does)"
    )

    def relaxed(self) -> list[str]:
        """The keys that relax the defaults, by name."""
        return [
            key
            for key, relaxes in (
                ("runAsUser", self.run_as_user == 0),
                ("readOnlyRootFilesystem", not self.read_only_root_filesystem),
                ("allowPrivilegeEscalation", self.allow_privilege_escalation),
                ("addCapabilities", bool(self.add_capabilities)),
            )
            if relaxes
        ]

    def problems(self, level: str) -> Iterator[Problem]:
        yield from podsecurity.breaks(
            level,
            run_as_user=self.run_as_user,
            allow_privilege_escalation=self.allow_privilege_escalation,
            add_capabilities=self.add_capabilities,
        )
        relaxed = self.relaxed()
        if relaxed and self.reason is None:
            yield (relaxed[0],), "relaxes the hardened default: say why in securityContext.reason"
        elif self.reason is not None and not relaxed:
            yield ("reason",), (
                "nothing is relaxed (root uid, writable root, privilege escalation, capabilities): remove it"
            )
        names = [volume_name(path) for path in self.writable_paths]
        for path, name in zip(self.writable_paths, names):
            if names.count(name) > 1:
                yield ("writablePaths", path), f"gives the same volume name {name!r} as another path: rename one"

    def scratch_bytes(self) -> int:
        return sum(int(quantities.value(size)) for size in self.writable_paths.values())


def volume_name(path: str) -> str:
    """The emptyDir of a writable path: `/tmp` -> `writable-tmp`, `/app/.next/cache` -> `writable-app-next-cache`."""
    return ("writable-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-"))[:63].rstrip("-")


def security(
    user: int, group: int, fs_group: int | None = None, writable: dict[str, str] | None = None
) -> SecurityContext:
    """A default SecurityContext (the model reads only the camelCase keys values spell)."""
    return SecurityContext.model_validate(
        {"runAsUser": user, "runAsGroup": group, "fsGroup": fs_group, "writablePaths": writable or {}}
    )


class ScalingRules(Strict):
    """One direction of an HPA's `behavior`: a stabilisation window and at most N pods per period."""

    stabilization_window_seconds: int = Field(
        ge=0,
        le=3600,
        description="the HPA acts on the highest (scale down) or lowest (scale up) recommendation of this window",
    )
    max_pods: int = Field(ge=1, description="at most this many pods added or removed per period")
    period_seconds: int = Field(60, ge=1, le=1800)


def scaling(window: int, pods: int) -> ScalingRules:
    return ScalingRules.model_validate({"stabilizationWindowSeconds": window, "maxPods": pods})


def _ephemeral_problems(path: KeyPath, resources: Resources, emptydir_bytes: int, what: str) -> Iterator[Problem]:
    """An ephemeral-storage limit must hold the pod's emptyDirs, and sit at or above its request."""
    limit, request = resources.limits.ephemeral_storage, resources.requests.ephemeral_storage
    if limit is not None and request is not None and quantities.value(request) > quantities.value(limit):
        yield (*path, "requests", "ephemeral-storage"), f"{request} is above the limit {limit}"
    if limit is not None and quantities.value(limit) <= emptydir_bytes:
        yield (*path, "limits", "ephemeral-storage"), (
            f"{limit} does not hold {what} ({emptydir_bytes // quantities.MIB}Mi): the kubelet would evict the pod "
            "before they fill"
        )


class ResourceList(Strict):
    cpu: Quantity | None = None
    memory: Quantity | None = None
    ephemeral_storage: Quantity | None = Field(
        None,
        alias="ephemeral-storage",
        description=(
            "Local disk: the container's logs and writable layer, and its pod's disk-backed emptyDirs "
            "(the kubelet evicts a pod over its limit, instead of letting it fill the node's disk)"
        ),
    )


class Resources(Strict):
    requests: ResourceList
    limits: ResourceList

    def problems(self) -> Iterator[Problem]:
        if self.requests.cpu is None:
            yield ("requests", "cpu"), "a cpu request is required (the scheduler and the HPA use it)"
        if self.requests.memory is None:
            yield ("requests", "memory"), "a memory request is required"
        if self.limits.memory is None:
            yield ("limits", "memory"), "a memory limit is required (a leak must not take the node)"


class Autoscaling(Strict):
    min_replicas: int = Field(ge=1)
    max_replicas: int = Field(ge=1)
    target_cpu_utilization: int = Field(70, ge=1, le=100)
    scale_down: ScalingRules = Field(
        default_factory=lambda: scaling(300, 1),
        description="HPA behavior.scaleDown: a load dip shorter than the window removes no pod, then one pod a minute",
    )
    scale_up: ScalingRules = Field(
        default_factory=lambda: scaling(0, 2), description="HPA behavior.scaleUp: at once, at most two pods a minute"
    )

    def problems(self) -> Iterator[Problem]:
        if self.max_replicas < self.min_replicas:
            yield ("maxReplicas",), f"is below minReplicas ({self.min_replicas})"


class DisruptionBudget(Strict):
    """A PodDisruptionBudget; apps with more than one replica or an HPA get `maxUnavailable: 1` without one."""

    min_available: Annotated[int, Field(ge=0)] | Percent | None = None
    max_unavailable: Annotated[int, Field(ge=0)] | Percent | None = None

    def problems(self) -> Iterator[Problem]:
        if (self.min_available is None) == (self.max_unavailable is None):
            yield (), "set exactly one of minAvailable, maxUnavailable"

    def evictable(self, pods: int) -> int:
        """How many of `pods` healthy pods the budget lets a drain evict (the API server rounds percentages up)."""
        if self.max_unavailable is not None:
            return min(pods, _scaled(self.max_unavailable, pods))
        return max(0, pods - _scaled(self.min_available, pods))


def _scaled(amount: int | str, pods: int) -> int:
    if isinstance(amount, int):
        return amount
    return math.ceil(int(amount.removesuffix("%")) * pods / 100)


class Metrics(Strict):
    """Where vmagent scrapes the app (pods get prometheus.io/* annotations)."""

    port: Port
    path: UrlPath = "/metrics"


class App(Strict):
    """One honeyDue service: a Deployment and, when it serves, a Service."""

    component: DnsLabel = Field(description="app.kubernetes.io/component label, e.g. api, frontend, worker")
    image: Image = Image()
    container_port: Port | None = Field(None, description="Port named 'http'; apps without one serve nothing.")
    service_port: Port | None = Field(None, description="Port of the app's Service; none means no Service.")
    command: list[str] | None = None
    args: list[str] | None = None
    replicas: int | None = Field(None, ge=0)
    autoscaling: Autoscaling | None = None
    disruption_budget: DisruptionBudget | None = None
    cold_boot_seconds: Seconds | None = Field(
        None, description="Worst-case start time (e.g. migrations under a lock); the startup probe must cover it."
    )
    probes: Probes = Probes()
    resources: Resources
    env: dict[str, str] = Field(default_factory=dict, description="Plain, non-secret env vars of this app only.")
    use_config: bool = Field(True, description="envFrom the honeydue-config ConfigMap")
    use_secrets: bool = Field(True, description="envFrom the app Secret")
    metrics: Metrics | None = None
    termination_grace_period_seconds: Seconds = Field(
        30, description="at least drainSeconds + shutdownSeconds: the kubelet kills the container when it runs out"
    )
    security_context: SecurityContext = Field(
        default_factory=lambda: security(10001, 10001, writable={"/tmp": "256Mi"}),
        description="the uid, gid and writable paths of the app's pod (restricted Pod Security by default)",
    )
    drain_seconds: int | None = Field(
        None,
        ge=1,
        description=(
            "preStop sleep before the container gets SIGTERM, so the endpoints and Traefik stop sending it requests "
            "first; required for an app with a Service"
        ),
    )
    shutdown_seconds: Seconds | None = Field(
        None, description="how long the app takes to stop after SIGTERM (in-flight requests, the current job)"
    )

    @property
    def serves(self) -> bool:
        return self.container_port is not None

    @property
    def spreads(self) -> bool:
        """More than one pod at once: spread them over nodes, and keep a disruption budget."""
        return self.autoscaling is not None or (self.replicas or 0) > 1

    @property
    def budget(self) -> DisruptionBudget | None:
        """The app's PodDisruptionBudget: its own, else `maxUnavailable: 1` when it runs more than one pod."""
        if self.disruption_budget is not None or not self.spreads:
            return self.disruption_budget
        return DisruptionBudget.model_validate({"maxUnavailable": 1})

    def problems(self) -> Iterator[Problem]:
        if (self.replicas is None) == (self.autoscaling is None):
            yield (), "set exactly one of replicas, autoscaling (an HPA-scaled Deployment has no replicas)"
        if self.service_port is not None and self.container_port is None:
            yield ("servicePort",), "needs containerPort: the Service targets the container port 'http'"
        if self.probes.liveness is None:
            yield ("probes", "liveness"), "a liveness probe is required (a hung process must be restarted)"
        if self.serves and self.probes.readiness is None:
            yield ("probes", "readiness"), "a serving app needs a readiness probe (traffic only to ready pods)"
        if self.probes.readiness is not None and self.probes.readiness == self.probes.liveness:
            yield ("probes", "liveness"), (
                "is identical to readiness: a slow dependency would then restart pods instead of "
                "taking them out of rotation"
            )
        if self.cold_boot_seconds is not None:
            startup = self.probes.startup
            if startup is None:
                yield ("probes", "startup"), f"required to cover coldBootSeconds ({self.cold_boot_seconds}s)"
            elif startup.budget_seconds < self.cold_boot_seconds:
                yield ("probes", "startup"), (
                    f"budget {startup.budget_seconds}s (initialDelaySeconds + failureThreshold × periodSeconds) "
                    f"is below coldBootSeconds {self.cold_boot_seconds}s"
                )
        if self.resources is not None:
            for path, message in self.resources.problems():
                yield ("resources", *path), message
        if self.autoscaling is not None:
            for path, message in self.autoscaling.problems():
                yield ("autoscaling", *path), message
        yield from self._budget_problems()
        yield from self._drain_problems()
        scratch = self.security_context.scratch_bytes()
        yield from _ephemeral_problems(("resources",), self.resources, scratch, "its writablePaths")
        yield from _secret_like(("env",), self.env)

    def _budget_problems(self) -> Iterator[Problem]:
        if self.disruption_budget is None:
            return
        budget = self.disruption_budget
        problems = list(budget.problems())
        yield from ((("disruptionBudget", *p), m) for p, m in problems)
        floor = self.autoscaling.min_replicas if self.autoscaling else self.replicas
        if problems or not floor:
            return
        if budget.evictable(floor) == 0:
            key = "minAvailable" if budget.min_available is not None else "maxUnavailable"
            yield ("disruptionBudget", key), (
                f"{budget.min_available if key == 'minAvailable' else budget.max_unavailable} leaves no pod to evict "
                f"at {floor} replicas: node drains would hang"
            )

    def _drain_problems(self) -> Iterator[Problem]:
        if self.service_port is not None and self.drain_seconds is None:
            yield ("drainSeconds",), (
                "required for an app with a Service: without a preStop drain, a terminating pod still gets "
                "requests until the endpoints update (502s during every rollout)"
            )
        drain, shutdown = self.drain_seconds or 0, self.shutdown_seconds or 0
        if drain + shutdown > self.termination_grace_period_seconds:
            yield ("terminationGracePeriodSeconds",), (
                f"{self.termination_grace_period_seconds}s is below drainSeconds {drain} + shutdownSeconds {shutdown}: "
                "the kubelet would kill the app before it finishes shutting down"
            )


# The smallest complete app: what docs/values.md shows under "A complete app" (a test keeps the two
# equal), and what a new app's error fills its missing keys from, to name every key it still needs.
EXAMPLE_APP: dict = {
    "component": "worker",
    "image": {"tag": "d3708e6"},
    "replicas": 1,
    "probes": {"liveness": {"exec": ["/app/cron", "healthcheck"], "periodSeconds": 30}},
    "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
}


class SecretKeyRef(Strict):
    name: DnsLabel
    key: str = Field(min_length=1)


class SecretRefs(Strict):
    """Secrets the tree references by name; they are created out of band, never rendered."""

    app: DnsLabel = Field("honeydue-secrets", description="envFrom of every app with useSecrets")
    observability_token: SecretKeyRef | None = Field(None, description="bearer token for vmagent remote write")
    revisions: dict[DnsLabel, Revision] = Field(
        default_factory=dict,
        description=(
            "Secret name -> its revision, a positive integer `hdgen rotate ENV SECRET` raises after the Secret "
            "changed in the cluster; the pods that read the Secret carry it as the annotation "
            "secret-revision.hdgen.io/<name>, so a new revision rolls exactly them"
        ),
    )


class Storage(Strict):
    size: Quantity
    storage_class_name: str | None = None


class Redis(Strict):
    image: Image
    port: Port = 6379
    args: list[str] = Field(default_factory=list)
    resources: Resources
    storage: Storage | None = Field(None, description="A PersistentVolumeClaim; none means emptyDir (cache only).")
    security_context: SecurityContext = Field(
        default_factory=lambda: security(999, 1000, 1000),
        description="the official image's redis user (999:1000), which owns the data of an existing volume",
    )
    maxmemory: Quantity | None = Field(
        None,
        description=(
            "redis-server --maxmemory; default: 75% of the memory limit (the rest is fragmentation, client "
            "buffers and the copy-on-write pages of an AOF rewrite's fork)"
        ),
    )
    data_size_limit: Quantity = Field(
        "1Gi", description="sizeLimit of the emptyDir that holds /data when storage is none"
    )

    def maxmemory_bytes(self) -> int:
        if self.maxmemory is not None:
            return int(quantities.value(self.maxmemory))
        return int(quantities.value(self.resources.limits.memory or "0")) * 3 // 4

    def problems(self) -> Iterator[Problem]:
        for index, arg in enumerate(self.args):
            if arg.split("=")[0] == "--maxmemory":
                yield ("args", index), "set redis.maxmemory instead (hdgen derives it from the memory limit)"
        limit = self.resources.limits.memory
        if self.maxmemory is not None and limit is not None and self.maxmemory_bytes() >= quantities.value(limit):
            yield ("maxmemory",), (
                f"{self.maxmemory} is not below the memory limit {limit}: the kernel would OOM-kill Redis "
                "before it refuses writes"
            )
        scratch = 0 if self.storage is not None else int(quantities.value(self.data_size_limit))
        yield from _ephemeral_problems(("resources",), self.resources, scratch, "its /data emptyDir")


class Route(Strict):
    host: Host
    app: str
    path: UrlPath = "/"


class Ingress(Strict):
    class_name: str = "traefik"
    tls_secret: DnsLabel | None = Field(None, description="TLS certificate Secret, created out of band")
    annotations: dict[str, str] = Field(default_factory=dict)
    routes: list[Route] = Field(min_length=1)
    tls_hosts: list[WildcardHost] | None = Field(
        None, description="hosts of spec.tls (`*.example.com` covers one label); default: every route's host"
    )
    tls_default_store: bool = Field(
        False,
        description=(
            "spec.tls without a secretName: Traefik serves the certificate of its `default` TLSStore, set up in the "
            "cluster (a wildcard); instead of tlsSecret"
        ),
    )

    def asks_for_tls(self) -> bool:
        """Traefik terminates TLS for a router with router.tls "true", or on the websecure entrypoint."""
        tls = self.annotations.get("traefik.ingress.kubernetes.io/router.tls", "").lower() == "true"
        entrypoints = self.annotations.get("traefik.ingress.kubernetes.io/router.entrypoints", "")
        return tls or "websecure" in [e.strip() for e in entrypoints.split(",")]

    def tls_host_list(self) -> list[str]:
        return self.tls_hosts if self.tls_hosts is not None else sorted({route.host for route in self.routes})

    def problems(self) -> Iterator[Problem]:
        if self.tls_secret is not None and self.tls_default_store:
            yield ("tlsDefaultStore",), "set either tlsSecret or tlsDefaultStore, not both"
        elif self.asks_for_tls() and self.tls_secret is None and not self.tls_default_store:
            yield ("tlsSecret",), (
                "required: the annotations ask Traefik for TLS, and without spec.tls it serves its self-signed "
                "default certificate; name the certificate's Secret, or set tlsDefaultStore: true"
            )
        hosts = self.tls_host_list()
        for index, route in enumerate(self.routes):
            if (self.tls_secret or self.tls_default_store) and not any(_covers(h, route.host) for h in hosts):
                yield ("routes", index, "host"), f"{route.host} is not covered by tlsHosts ({', '.join(hosts)})"
        yield from self._duplicate_routes()

    def _duplicate_routes(self) -> Iterator[Problem]:
        # Prefix paths: /api and /api/ match the same requests, so they are the same route.
        first: dict[tuple[str, str], int] = {}
        for index, route in enumerate(self.routes):
            where = (route.host, route.path.rstrip("/") or "/")
            if where not in first:
                first[where] = index
                continue
            other = self.routes[first[where]]
            if other.app == route.app:
                yield ("routes", index), (
                    f"repeats the route at index {first[where]} (same host, path and app): remove one"
                )
            else:
                yield ("routes", index), (
                    f"sends {route.host}{route.path} to {route.app}, but the route at index {first[where]} already "
                    f"sends it to {other.app}: only one of them would get the requests; give each its own host or path"
                )


def _covers(pattern: str, host: str) -> bool:
    """A TLS host covers a route host: the same name, or `*.` and exactly one more label."""
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


class IngressController(Strict):
    namespace: DnsLabel = "kube-system"
    pod_labels: dict[str, str] = Field(default_factory=lambda: {"app.kubernetes.io/name": "traefik"})


class NetworkPolicies(Strict):
    enabled: bool = True
    ingress_controller: IngressController = IngressController()


class VmagentBuffer(Strict):
    """Where vmagent queues samples while the obs endpoint is unreachable (an emptyDir)."""

    size_limit: Quantity = Field("1Gi", description="the emptyDir's sizeLimit")
    max_disk_usage: Quantity = Field(
        "768Mi",
        description="-remoteWrite.maxDiskUsagePerURL: vmagent drops the oldest data beyond it; below sizeLimit",
    )


class Observability(Strict):
    """vmagent: scrapes the apps' metrics and remote-writes them to the obs endpoint."""

    image: Image
    remote_write_url: HttpUrl
    scrape_interval: Duration = "30s"
    resources: Resources
    external_labels: dict[str, str] = Field(default_factory=dict)
    security_context: SecurityContext = Field(
        default_factory=lambda: security(65534, 65534),
        description="vmagent's image runs as root: this runs it as nobody (65534)",
    )
    buffer: VmagentBuffer = Field(default_factory=lambda: VmagentBuffer(), description="the remote-write disk buffer")

    def problems(self) -> Iterator[Problem]:
        cap, size = quantities.value(self.buffer.max_disk_usage), quantities.value(self.buffer.size_limit)
        if cap >= size:
            yield ("buffer", "maxDiskUsage"), (
                f"{self.buffer.max_disk_usage} is not below buffer.sizeLimit {self.buffer.size_limit}: the kubelet "
                "would evict vmagent before it drops old data"
            )
        yield from _ephemeral_problems(("resources",), self.resources, int(size), "its buffer")


class GitOps(Strict):
    """The GitOps agent that applies rendered/<env>: its objects go to rendered/_gitops/<env>/."""

    agent: Literal["argocd", "flux"]
    repo_url: str = Field(min_length=1, description="the git repository holding rendered/")
    revision: str = Field("main", min_length=1, description="branch the agent follows")
    agent_namespace: DnsLabel | None = Field(None, description="default: argocd or flux-system")
    credentials_secret: DnsLabel | None = Field(
        None, description="Flux: Secret with the repository credentials (Argo CD matches its repo secrets by URL)"
    )
    sync_interval: Duration = Field("1m", description="how often the agent looks at the repository")
    argocd_project: DnsLabel = "default"


class Values(Strict):
    """One environment of the honeyDue stack."""

    namespace: DnsLabel = "honeydue"
    part_of: DnsLabel = "honeydue"
    registry: str = Field(min_length=1, description="e.g. gitea.treytartt.com/admin")
    image_prefix: str = DEFAULT_IMAGE_PREFIX
    allow_mutable_tags: bool = Field(False, description="Accept app image tags that are not commit SHAs.")
    node_arch: Literal["amd64", "arm64"] = "amd64"
    image_pull_secrets: list[DnsLabel] = Field(default_factory=list)
    secrets: SecretRefs = SecretRefs()
    config: dict[str, str] = Field(default_factory=dict, description="The honeydue-config ConfigMap")
    config_public_keys: list[str] = Field(
        default_factory=list, description="Config keys that look secret by name but are not."
    )
    config_keys_only_here: list[str] = Field(
        default_factory=list,
        description=(
            "Config keys this env sets on purpose that no other env has: no warning that one is a typo of a key "
            "every other env sets (LOG_LEVL beside LOG_LEVEL)"
        ),
    )
    revision_history_limit: int = Field(10, ge=0)
    progress_deadline_seconds: int = Field(600, ge=1)
    min_ready_seconds: Seconds = Field(
        10, description="a new pod counts as available only after it stays ready this long (Deployments)"
    )
    pod_security: PodSecurity = Field(
        default_factory=lambda: PodSecurity(), description="the namespace's Pod Security labels"
    )
    apps: dict[DnsLabel, App] = Field(min_length=1)
    redis: Redis | None = None
    ingress: Ingress | None = None
    network_policies: NetworkPolicies = NetworkPolicies()
    observability: Observability | None = None
    gitops: GitOps | None = None

    def problems(self) -> Iterator[Problem]:
        """Rules that span fields; each with the key path it is about."""
        for name, app in self.apps.items():
            for path, message in app.problems():
                yield ("apps", name, *path), message
            if app.image.is_mutable and not (self.allow_mutable_tags or app.image.allow_mutable_tag):
                yield ("apps", name, "image", "tag"), (
                    f"{app.image.tag or '(no tag)'} is mutable (not a 7-40 hex commit SHA or a digest); "
                    "set a commit SHA with `hdgen bump`, or allowMutableTags: true in a non-prod env"
                )
            budget = app.probes.startup.budget_seconds if app.probes.startup else 0
            if max(budget, app.cold_boot_seconds or 0) >= self.progress_deadline_seconds:
                yield ("progressDeadlineSeconds",), (
                    f"{self.progress_deadline_seconds}s is not above the cold boot of {name} "
                    f"({max(budget, app.cold_boot_seconds or 0)}s): rollouts would be marked failed"
                )
        for label, image in self._third_party_images():
            if image.repository is None:
                yield (*label, "repository"), "third-party images need a repository"
            if image.is_mutable and not (image.allow_mutable_tag or self.allow_mutable_tags):
                yield (*label, "tag"), (
                    f"{image.tag or '(no tag)'} is mutable: pin a digest, or set allowMutableTag: true"
                )
        for section in ("redis", "observability"):
            part = getattr(self, section)
            if part is not None:
                yield from (((section, "resources", *p), m) for p, m in part.resources.problems())
        yield from self._hardening_problems()
        yield from _secret_like(("config",), self.config, set(self.config_public_keys))
        yield from (
            (("configKeysOnlyHere", i), f"lists {key!r}, which config does not set")
            for i, key in enumerate(self.config_keys_only_here) if key not in self.config
        )
        if self.ingress is not None:
            for index, route in enumerate(self.ingress.routes):
                app = self.apps.get(route.app)  # an unknown one: data_problems
                if app is not None and app.service_port is None:
                    yield ("ingress", "routes", index, "app"), f"app {route.app!r} has no servicePort"
        yield from self.data_problems(self.model_dump(by_alias=True))
        yield from self._unknown_revisions()
        if self.observability is not None and self.secrets.observability_token is None:
            yield ("secrets", "observabilityToken"), (
                "required with observability: vmagent reads its remote-write token from this Secret"
            )

    @staticmethod
    def data_problems(data: dict) -> Iterator[Problem]:
        """The rules that need only the plain data, not a valid model: the loader runs them on
        values that fail validation too (a credential is worth saying at once)."""
        yield from _credentials((), data)
        apps, ingress = data.get("apps"), data.get("ingress")
        routes = ingress.get("routes") if isinstance(ingress, dict) else None
        if isinstance(apps, dict) and isinstance(routes, list):
            for index, route in enumerate(routes):
                name = route.get("app") if isinstance(route, dict) else None
                if isinstance(name, str) and name not in apps:
                    hint = did_you_mean(name, apps).strip(" ()")
                    yield ("ingress", "routes", index, "app"), (
                        f"unknown app {name!r} ({hint + ' ' if hint else ''}apps: {', '.join(sorted(apps))})"
                    )

    def _hardening_problems(self) -> Iterator[Problem]:
        """Pod Security at the namespace's level, Redis' maxmemory, vmagent's buffer, the Ingress's TLS."""
        level = self.pod_security.enforce
        yield from ((("podSecurity", *p), m) for p, m in self.pod_security.problems())
        deadline = min(self.progress_deadline_seconds, VMAGENT_PROGRESS_DEADLINE)
        if self.min_ready_seconds >= deadline:
            yield ("minReadySeconds",), (
                f"{self.min_ready_seconds}s is not below the progress deadline ({deadline}s): "
                "the API server refuses such a Deployment"
            )
        for label, context in self.security_contexts():
            yield from (((*label, "securityContext", *p), m) for p, m in context.problems(level))
        for section in ("redis", "observability", "ingress"):
            part = getattr(self, section)
            if part is not None:
                yield from (((section, *p), m) for p, m in part.problems())

    def security_contexts(self) -> Iterator[tuple[KeyPath, SecurityContext]]:
        for name, app in sorted(self.apps.items()):
            yield ("apps", name), app.security_context
        for section in ("redis", "observability"):
            part = getattr(self, section)
            if part is not None:
                yield (section,), part.security_context

    def referenced_secrets(self) -> dict[str, str]:
        """Each Secret the tree references by name -> the values key that names it (first one wins)."""
        found: dict[str, str] = {}
        if any(app.use_secrets for app in self.apps.values()):
            found.setdefault(self.secrets.app, "secrets.app")
        token = self.secrets.observability_token
        if self.observability is not None and token is not None:
            found.setdefault(token.name, "secrets.observabilityToken")
        for name in self.image_pull_secrets:
            found.setdefault(name, "imagePullSecrets")
        if self.ingress is not None and self.ingress.tls_secret is not None:
            found.setdefault(self.ingress.tls_secret, "ingress.tlsSecret")
        return found

    def _unknown_revisions(self) -> Iterator[Problem]:
        known = self.referenced_secrets()
        for name in self.secrets.revisions:
            if name not in known:
                yield ("secrets", "revisions", name), unknown_secret(name, known)

    def _third_party_images(self) -> Iterator[tuple[KeyPath, Image]]:
        if self.redis is not None:
            yield ("redis", "image"), self.redis.image
        if self.observability is not None:
            yield ("observability", "image"), self.observability.image


def unknown_secret(name: str, known: dict[str, str]) -> str:
    """The message for a Secret name the tree does not reference, with the nearest one it does."""
    hint = did_you_mean(name, known).strip(" ()")
    listed = ", ".join(sorted(known)) or "none"
    return f"{name!r} is not a Secret this env references ({hint + ' ' if hint else ''}it references: {listed})"


def _secret_like(path: KeyPath, variables: dict[str, str], allowed: set[str] = frozenset()) -> Iterator[Problem]:
    """Plain variables whose name or value looks like a secret."""
    for key, value in variables.items():
        if key in allowed:
            continue
        if key_looks_secret(key) and _ROLL_WORDS & set(re.split(r"[^A-Z0-9]+", key.upper())):
            yield (*path, key), (
                "looks like a secret's version, set to roll pods: set the Secret's revision instead "
                "(`hdgen rotate ENV SECRET` raises secrets.revisions.<name>, which rolls exactly its readers)"
            )
        elif key_looks_secret(key):
            yield (*path, key), (
                "looks like a secret: keep it in the Secret the apps reference (secrets.app) "
                "instead of plain config, or list the key under configPublicKeys if it is not secret"
            )
        elif URL_WITH_PASSWORD.match(value):
            yield (*path, key), (
                "holds a URL with a password: move the password to the app Secret"
            )


def _credentials(path: KeyPath, node: object) -> Iterator[Problem]:
    """Strings anywhere in the values that carry a credential (args, URLs, annotations, labels…)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _credentials((*path, key), value)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _credentials((*path, index), item)
            flag = _SECRET_FLAG.match(item) if isinstance(item, str) else None
            if flag and _secret_flag(flag.group(1)):
                if flag.group(2) and len(flag.group(2)) > 1:
                    yield (*path, index), "passes a secret on the command line: read it from the app Secret instead"
                elif flag.group(2) is None and index + 1 < len(node):
                    yield (*path, index + 1), (
                        f"is the value of {flag.group(1)!r}, a secret on the command line: read it from the "
                        "app Secret instead"
                    )
    elif isinstance(node, str):
        # Refused in every string of the values, not only config.
        for pattern, what in CREDENTIAL_SHAPES:
            if pattern.search(node):
                yield path, f"holds {what}: keep it in a Secret the tree references, never in values"
                return


def _secret_flag(name: str) -> bool:
    upper = name.upper()
    return key_looks_secret(name) or any(p in upper for p in _SECRET_FLAG_PARTS)
