"""The restricted Pod Security Standard, check by check, as the API server's admission plugin has it.

A transcription of k8s.io/pod-security-admission/policy (v0.33.0 and v0.34.0,
the modules of the pinned Kubernetes versions): the restricted level is every
baseline check that no restricted check overrides, plus the restricted checks.
Each check here names the upstream check ID (`runAsNonRoot`,
`capabilities_restricted`, …) and uses the upstream ForbiddenReason as the
reason of its violations, so a finding reads like the API server's warning
(`would violate PodSecurity "restricted:latest": runAsNonRoot != true …`).
Where upstream lists offending containers in one result, this yields one
violation per container and field, on the field's own key path.

Versions follow upstream: the checks that changed with a minor (safe sysctls
1.27, 1.29, 1.32; the SELinux type container_engine_t 1.31; host fields in
probes and lifecycle handlers 1.34) take the target version's set; a version
newer than the newest check is judged by the newest. Not transcribed: the
relaxation for user-namespace pods (`hostUsers: false`), which upstream applies
only behind the alpha feature gate UserNamespacesPodSecurityStandards.
Overridden at restricted, so absent here: capabilities_baseline,
seccompProfile_baseline (the seccomp annotations), hostPathVolumes (a hostPath
volume is a restricted volume type instead).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hdgen.rules._shared.base import get, is_int, items, mapping, spell
from hdgen.rules._shared.workloads import Container

Minor = tuple[int, int]
Path = tuple[str | int, ...]

# restrictedVolumes: the volume sources restricted allows (a volume with no source is defaulted to emptyDir).
ALLOWED_VOLUMES = frozenset(
    {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"}
)
# sysctls: the safe set by the minor that introduced each addition.
SAFE_SYSCTLS: tuple[tuple[Minor, frozenset[str]], ...] = (
    ((1, 0), frozenset({"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
                        "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"})),
    ((1, 27), frozenset({"net.ipv4.ip_local_reserved_ports"})),
    ((1, 29), frozenset({"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                         "net.ipv4.tcp_keepalive_probes"})),
    ((1, 32), frozenset({"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"})),
)
SELINUX_TYPES: tuple[tuple[Minor, frozenset[str]], ...] = (
    ((1, 0), frozenset({"", "container_t", "container_init_t", "container_kvm_t"})),
    ((1, 31), frozenset({"container_engine_t"})),
)
HOST_FIELDS_SINCE: Minor = (1, 34)  # hostProbesAndHostLifecycle
GOOD_PROFILES = ("RuntimeDefault", "Localhost")  # seccomp and AppArmor profile types
APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"
ADDABLE_CAPABILITY = "NET_BIND_SERVICE"


@dataclass(frozen=True)
class Pod:
    """One pod template: its spec and annotations with their key paths, and its containers."""

    spec: dict
    spec_path: Path
    annotations: dict
    annotations_path: Path
    containers: tuple[Container, ...]  # init, regular and ephemeral containers, in that order
    minor: Minor  # the target Kubernetes version

    @property
    def context_path(self) -> Path:
        return (*self.spec_path, "securityContext")

    @property
    def context(self) -> dict:
        return mapping(self.spec, "securityContext")

    @property
    def windows(self) -> bool:
        """spec.os.name windows: since 1.25 the checks of Linux-only fields let such pods pass."""
        return get(self.spec, "os", "name") == "windows"


@dataclass(frozen=True)
class Violation:
    path: Path  # the key at fault, or where it belongs when it is missing
    reason: str  # upstream's ForbiddenReason
    message: str


def violations(pod: Pod) -> list[Violation]:
    """Every way pod falls short of restricted, in check order, then container order."""
    return [violation for check in CHECKS for violation in check(pod)]


def _set_at(sets: tuple[tuple[Minor, frozenset[str]], ...], minor: Minor) -> frozenset[str]:
    return frozenset().union(*(names for since, names in sets if since <= minor))


def _spelled(value) -> str:
    """A value as YAML writes it: false, not Python's False."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _context(container: Container) -> tuple[dict, Path]:
    return mapping(container.body, "securityContext"), (*container.path, "securityContext")


def _setters(pod: Pod) -> list[tuple[str, dict, Path]]:
    """(who, securityContext, its path) of the pod, then of each container: the fields both may set."""
    return [("the pod", pod.context, pod.context_path)] + [(c.label, *_context(c)) for c in pod.containers]


# --- baseline checks that restricted keeps ---------------------------------------------------------


def host_namespaces(pod: Pod) -> Iterator[Violation]:
    for key, what in (("hostNetwork", "network"), ("hostPID", "process IDs"), ("hostIPC", "IPC")):
        if pod.spec.get(key) is True:
            yield Violation((*pod.spec_path, key), "host namespaces",
                            f"the pod shares the host's {what} ({key}: true): remove it")


def privileged(pod: Pod) -> Iterator[Violation]:
    for container in pod.containers:
        context, path = _context(container)
        if context.get("privileged") is True:
            yield Violation((*path, "privileged"), "privileged",
                            f"{container.label} is privileged: remove privileged: true")


def host_ports(pod: Pod) -> Iterator[Violation]:
    for container in pod.containers:
        for index, port in items(container.body, "ports"):
            if port.get("hostPort") not in (None, 0):
                yield Violation((*container.path, "ports", index, "hostPort"), "hostPort",
                                f"{container.label} binds host port {port['hostPort']}: remove hostPort")


def proc_mount(pod: Pod) -> Iterator[Violation]:
    for container in pod.containers:
        context, path = _context(container)
        value = context.get("procMount")
        if value is not None and value != "Default":
            yield Violation((*path, "procMount"), "procMount",
                            f"{container.label} sets procMount {value}: use Default (or leave it unset)")


def se_linux(pod: Pod) -> Iterator[Violation]:
    allowed = _set_at(SELINUX_TYPES, pod.minor)
    spelled = ", ".join(sorted(t for t in allowed if t))
    for who, context, path in _setters(pod):
        options = context.get("seLinuxOptions")
        if not isinstance(options, dict):
            continue
        where = (*path, "seLinuxOptions")
        kind = options.get("type", "")
        if kind not in allowed:
            yield Violation((*where, "type"), "seLinuxOptions",
                            f"{who} sets SELinux type {kind!r}: leave it unset or use one of {spelled}")
        for key in ("user", "role"):
            if options.get(key):
                yield Violation((*where, key), "seLinuxOptions", f"{who} sets seLinuxOptions.{key}: remove it")


def sysctls(pod: Pod) -> Iterator[Violation]:
    safe = _set_at(SAFE_SYSCTLS, pod.minor)
    for index, sysctl in items(pod.context, "sysctls"):
        name = sysctl.get("name")
        if name not in safe:
            yield Violation((*pod.context_path, "sysctls", index, "name"), "forbidden sysctls",
                            f"sysctl {name!r} is outside the safe set: remove it (safe: {', '.join(sorted(safe))})")


def app_armor(pod: Pod) -> Iterator[Violation]:
    for who, context, path in _setters(pod):
        profile = context.get("appArmorProfile")
        if isinstance(profile, dict) and profile.get("type") not in GOOD_PROFILES:
            yield Violation((*path, "appArmorProfile", "type"), "forbidden AppArmor profile",
                            f"{who} sets AppArmor profile type {profile.get('type')!r}: use RuntimeDefault or Localhost")
    for key, value in sorted(pod.annotations.items(), key=lambda item: str(item[0])):
        if isinstance(key, str) and key.startswith(APPARMOR_ANNOTATION):
            if not (value in ("", "runtime/default") or (isinstance(value, str) and value.startswith("localhost/"))):
                yield Violation((*pod.annotations_path, key), "forbidden AppArmor profile",
                                f"annotation {key}={value!r}: use runtime/default or localhost/<profile>")


def windows_host_process(pod: Pod) -> Iterator[Violation]:
    for who, context, path in _setters(pod):
        if get(context, "windowsOptions", "hostProcess") is True:
            yield Violation((*path, "windowsOptions", "hostProcess"), "hostProcess",
                            f"{who} runs as a Windows host process: remove hostProcess: true")


def host_fields(pod: Pod) -> Iterator[Violation]:
    """hostProbesAndHostLifecycle (1.34+): probes and lifecycle handlers may not name a host."""
    if pod.minor < HOST_FIELDS_SINCE:
        return
    handlers = [("livenessProbe",), ("readinessProbe",), ("startupProbe",),
                ("lifecycle", "postStart"), ("lifecycle", "preStop")]
    for container in pod.containers:
        for handler in handlers:
            for action in ("httpGet", "tcpSocket"):
                host = get(container.body, *handler, action, "host")
                if host:
                    yield Violation((*container.path, *handler, action, "host"), "probe or lifecycle host",
                                    f"{container.label} {'.'.join(handler)} names host {host!r}: remove host")


# --- restricted checks ------------------------------------------------------------------------------


def allow_privilege_escalation(pod: Pod) -> Iterator[Violation]:
    if pod.windows:
        return
    for container in pod.containers:
        context, path = _context(container)
        value = context.get("allowPrivilegeEscalation")
        if value is not False:
            problem = "does not set" if value is None else f"sets allowPrivilegeEscalation: {_spelled(value)}, not"
            yield Violation((*path, "allowPrivilegeEscalation"), "allowPrivilegeEscalation != false",
                            f"{container.label} {problem} allowPrivilegeEscalation: false")


def capabilities(pod: Pod) -> Iterator[Violation]:
    if pod.windows:
        return
    for container in pod.containers:
        context, path = _context(container)
        where = (*path, "capabilities")
        dropped = get(context, "capabilities", "drop")
        if not (isinstance(dropped, list) and "ALL" in dropped):
            yield Violation((*where, "drop"), "unrestricted capabilities",
                            f"{container.label} keeps the default capabilities: set capabilities.drop: [ALL]")
        added = get(context, "capabilities", "add")
        for index, capability in enumerate(added if isinstance(added, list) else []):
            if capability != ADDABLE_CAPABILITY:
                yield Violation((*where, "add", index), "unrestricted capabilities",
                                f"{container.label} adds capability {capability}: only {ADDABLE_CAPABILITY} may be added")


def volumes(pod: Pod) -> Iterator[Violation]:
    allowed = ", ".join(sorted(ALLOWED_VOLUMES))
    for index, volume in items(pod.spec, "volumes"):
        sources = [key for key in volume if key != "name"]
        if not sources or any(key in ALLOWED_VOLUMES for key in sources):
            continue
        yield Violation((*pod.spec_path, "volumes", index, sources[0]), "restricted volume types",
                        f"volume {volume.get('name')!r} is of type {sources[0]}: restricted allows only {allowed}")


def run_as_non_root(pod: Pod) -> Iterator[Violation]:
    pod_value = pod.context.get("runAsNonRoot")
    pod_path = spell((*pod.context_path, "runAsNonRoot"))
    if pod_value is not None and pod_value is not True:
        yield Violation((*pod.context_path, "runAsNonRoot"), "runAsNonRoot != true",
                        f"the pod sets runAsNonRoot: {_spelled(pod_value)}: set it to true")
    for container in pod.containers:
        context, path = _context(container)
        value = context.get("runAsNonRoot")
        if value is None and pod_value is not True:
            yield Violation((*path, "runAsNonRoot"), "runAsNonRoot != true",
                            f"{container.label} may run as root: set runAsNonRoot: true here or in {pod_path}")
        elif value is not None and value is not True:
            yield Violation((*path, "runAsNonRoot"), "runAsNonRoot != true",
                            f"{container.label} sets runAsNonRoot: {_spelled(value)}: set it to true")


def run_as_user(pod: Pod) -> Iterator[Violation]:
    for who, context, path in _setters(pod):
        user = context.get("runAsUser")
        if is_int(user) and user == 0:
            yield Violation((*path, "runAsUser"), "runAsUser=0",
                            f"{who} runs as user 0 (root): set a non-zero runAsUser, or leave it to the image")


def seccomp(pod: Pod) -> Iterator[Violation]:
    if pod.windows:
        return
    pod_type = get(pod.context, "seccompProfile", "type")
    pod_set = isinstance(pod.context.get("seccompProfile"), dict)
    if pod_set and pod_type not in GOOD_PROFILES:
        yield Violation((*pod.context_path, "seccompProfile", "type"), "seccompProfile",
                        f"the pod sets seccompProfile.type {pod_type!r}: use RuntimeDefault or Localhost")
    pod_path = spell((*pod.context_path, "seccompProfile"))
    for container in pod.containers:
        context, path = _context(container)
        if isinstance(context.get("seccompProfile"), dict):
            kind = get(context, "seccompProfile", "type")
            if kind not in GOOD_PROFILES:
                yield Violation((*path, "seccompProfile", "type"), "seccompProfile",
                                f"{container.label} sets seccompProfile.type {kind!r}: use RuntimeDefault or Localhost")
        elif not (pod_set and pod_type in GOOD_PROFILES):
            yield Violation((*path, "seccompProfile"), "seccompProfile",
                            f"{container.label} has no seccomp profile: set seccompProfile.type: RuntimeDefault "
                            f"here or in {pod_path}")


CHECKS: tuple[Callable[[Pod], Iterator[Violation]], ...] = (
    app_armor, host_namespaces, host_ports, host_fields, privileged, proc_mount, se_linux, sysctls,
    windows_host_process, allow_privilege_escalation, capabilities, volumes, run_as_non_root, run_as_user, seccomp,
)
