"""Every pod template meets the restricted Pod Security Standard, each missing or wrong field named.

Checks the pod template of every workload kind (Deployment, StatefulSet,
DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, bare Pod) and its
init, regular and ephemeral containers as the API server's Pod Security
admission does at level `restricted` for the target Kubernetes version
(`validate.kubernetesVersion`), transcribed from k8s.io/pod-security-admission
(see rules/_shared/pod_security.py). Each field at fault is its own finding,
on its line, with its key path:

- runAsNonRoot: true on the pod's securityContext or on every container; false
  anywhere fails; runAsUser 0 fails on the pod or a container;
- seccompProfile.type RuntimeDefault or Localhost on the pod or every container;
- every container: allowPrivilegeEscalation: false, capabilities.drop with ALL,
  capabilities.add nothing but NET_BIND_SERVICE, no privileged: true, no
  hostPort, procMount Default or unset;
- the pod: no hostNetwork, hostPID or hostIPC; volumes only of the types
  configMap, csi, downwardAPI, emptyDir, ephemeral, image,
  persistentVolumeClaim, projected, secret (so no hostPath); sysctls only from
  the safe set; SELinux type container_t, container_init_t, container_kvm_t
  or container_engine_t, no SELinux user or role; AppArmor profile
  RuntimeDefault or Localhost (field or annotation); no Windows hostProcess;
  from 1.34, no `host` in probes and lifecycle handlers.

A pod with `spec.os.name: windows` passes the Linux-only fields
(allowPrivilegeEscalation, capabilities, seccomp), as upstream does. The rule
checks `restricted` whatever the namespace's `pod-security.kubernetes.io/*`
labels say: a project whose namespaces enforce `baseline` sets
`HD017: {level: warning}` in hdgen.yaml (or turns it off), and a workload that
needs more (a node agent) opts out with its reason.

Why: a namespace that enforces restricted refuses these pods (the ReplicaSet
never gets one; `kubectl get events` says "violates PodSecurity"), and one
that only warns prints the warning on every apply. Running as root, with
privilege escalation, the default capabilities and no seccomp filter is what
turns an exploited app into a node compromise.

Passes:

    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: api
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}

Fails (runs as root, no seccomp profile, default capabilities):

    spec:
      containers:
      - name: api
        securityContext: {runAsUser: 0}

Opt out: annotate the workload with `hdgen.io/ignore-HD017: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, finding, mapping, spell
from hdgen.rules._shared.pod_security import Pod, violations
from hdgen.rules._shared.workloads import containers, pod_spec_path

ID = "HD017"
NAME = "pod-security-restricted"
LEVEL = Level.ERROR


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    pod = pod_of(document, context)
    if pod is None:
        return
    for violation in violations(pod):
        yield finding(
            ID, LEVEL, document,
            f"{spell(violation.path)}: {violation.message} (Pod Security restricted: {violation.reason})",
            *violation.path,
        )


def pod_of(document: Document, context: RuleContext) -> Pod | None:
    """The pod template of a workload as Pod Security sees it, None for other kinds."""
    spec_path = pod_spec_path(document)
    if spec_path is None:
        return None
    metadata_path = (*spec_path[:-1], "metadata")
    return Pod(
        spec=mapping(document.body, *spec_path),
        spec_path=spec_path,
        annotations=mapping(document.body, *metadata_path, "annotations"),
        annotations_path=(*metadata_path, "annotations"),
        containers=tuple(containers(document, ephemeral=True)),
        minor=context.minor,
    )
