"""A real cluster on loopback, in a scratch folder, for the end-to-end tests.

`make e2e` builds every binary from the pins in tools/e2e/ into .tools/e2e/
(BINARIES): etcd, kube-apiserver, kube-controller-manager and kube-scheduler
(tools/e2e/go.mod, one k8s.io/kubernetes pin), kwok (tools/e2e/kwok/go.mod),
keygen (tools/e2e/keygen), and the GitOps agents that tests/e2e/flux.py and
argocd.py start on a cluster: Flux's source-controller and
kustomize-controller (tools/e2e/flux/) and argocd (tools/e2e/argocd/pin).
Two sizes of cluster:

- `start_apiserver(...)`: etcd and kube-apiserver only. The server validates,
  admits and stores objects, which is all an apply needs; nothing acts on them.
- `start_cluster(...)`: the same API server plus kube-controller-manager (the
  controllers in CONTROLLERS), kube-scheduler and KWOK, which plays the kubelet
  of three fake nodes (FAKE_NODES: linux/amd64, distinct hostnames, each
  NODE_ALLOCATABLE). Pods are scheduled onto them, run at once and turn Ready
  2-3 s later (kwok-stages.yaml), so a rollout takes observable steps as on a
  real cluster; KWOK refreshes each node's status every 5-8 s, well inside the
  node lifecycle controller's 40 s grace. There are no containers: images are
  never pulled, probes never run, envFrom Secrets need not exist.

The fixture API (the conftest fixtures `apiserver` and `cluster`; other
tiers, e.g. a GitOps agent's, build on it and may rely on every name here):

    cluster.client()            an hdgen ApiClient as the admin (system:masters)
    cluster.env()               HDGEN_SERVER_TOKEN / HDGEN_SERVER_CA for `hdgen validate --server`
    cluster.url                 https://127.0.0.1:PORT
    cluster.ca_file             the CA file that verifies the API server
    cluster.admin_kubeconfig    a kubeconfig file for the admin (give it to any extra controller)
    cluster.folder              the scratch folder (logs: FOLDER/**/NAME.log)
    cluster.nodes               the fake nodes' names
    cluster.start_process(name, argv, env=None)
                                start another process in the cluster's folder; it is stopped
                                with the cluster (and dies with pytest, like every component)
    cluster.stop()              stop everything, newest first (the fixture does it)
    cluster.check_running()     raise, with its log, if any component has exited
    start_apiserver(folder, etcd_url, prefix, extra_args=(), users={name: groups})
                                more token users beside the admin; their tokens in .tokens[name]
    write_kubeconfig(path, apiserver, user)
                                a kubeconfig for one of those users

Built on it, for the rollout tests and any tier that adds a GitOps agent:
tests/e2e/kube.py (sync a tree with prune, list, delete, watch, eventually),
rollout.py (RolloutWatch: every state of a rollout; unsettled: is the
namespace done moving), actions.py (hdgen diff's predicted actions against
the observed ones, object by object) and scenario.py (GitProject: the scratch
project as a git repository; DirectSync: one change, predicted, applied and
observed).

Every process listens on 127.0.0.1 only. Auth is a static token file, one
token per user: the admin and KWOK are in system:masters (KWOK plays every
kubelet; kubelets are authorised by the Node authoriser, which this cluster
does not run), the controller manager and the scheduler are the users the
default RBAC roles are bound to (system:kube-controller-manager, with
--use-service-account-credentials so every controller runs as its own service
account, and system:kube-scheduler). Authorization is RBAC, as on a real
cluster. The API server signs its own serving certificate into --cert-dir; the
file it writes holds the certificate and the CA that signed it, so clients
verify TLS against it. The service-account signing key comes from `keygen`
(tools/e2e/keygen: Go's crypto/rsa), so the tier needs no openssl.

Storage: the tree's StatefulSet claims a `local-path` volume (k3s' provisioner).
There is no provisioner here, so the cluster has a `local-path` StorageClass
(WaitForFirstConsumer, as on k3s) and pre-created PersistentVolumes of that
class, which the scheduler and the PV controller bind as they would a
provisioned one.

The HPA: there is no metrics-server, so the HPA controller cannot compute CPU
use. It still keeps the replica count within minReplicas..maxReplicas (that
part needs no metrics), so "the HPA scales it" is the HPA controller raising a
Deployment whose spec omits replicas (1 by default) to minReplicas, or to a
raised minReplicas after a values change: a real scaling by the real
controller, through the scale subresource, which the next apply must not undo.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from hdgen.validate.kubeapi import ApiClient

REPO = Path(__file__).resolve().parents[2]
STARTUP_LIMIT_SECONDS = 180.0  # a generous bound for a loaded 2-core machine; not an assertion
_PR_SET_PDEATHSIG = 1


def binary_dir() -> Path:
    """HDGEN_E2E_BIN, else the project's .tools/e2e (where `make e2e` puts the binaries)."""
    return Path(os.environ.get("HDGEN_E2E_BIN") or REPO / ".tools" / "e2e")


BINARIES = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "keygen",
            "source-controller", "kustomize-controller", "argocd")


def missing_binaries() -> list[str]:
    """Every binary of the tier that is not there: the tier fails on any of them, it never skips."""
    folder = binary_dir()
    return [str(folder / name) for name in BINARIES if not os.access(folder / name, os.X_OK)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """Runs in the child before exec: if pytest dies (even by SIGKILL), the kernel sends SIGTERM."""
    os.setsid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the fixtures' finalisers still stop the process


@dataclass
class Process:
    """A started server: its Popen, and its log for the error message when it fails to come up."""

    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL if it lingers; always reaps it."""
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()

    @property
    def running(self) -> bool:
        return self.popen.poll() is None


def start(name: str, argv: list[str], folder: Path, env: dict[str, str] | None = None) -> Process:
    """argv in folder, its output in folder/NAME.log; env (if given) is added to the inherited environment."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{name}.log"
    with open(log, "wb") as out:
        popen = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
            env={**os.environ, **env} if env else None,
            preexec_fn=_die_with_parent,
        )
    return Process(name, popen, log)


def wait_until(process: Process, ready) -> None:
    """Poll ready() until it is true; a process that exits or never gets ready fails with its log."""
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while True:
        if not process.running:
            raise RuntimeError(f"{process.name} exited with {process.popen.returncode}:\n{process.tail()}")
        if ready():
            return
        if time.monotonic() > deadline:
            process.stop()
            raise RuntimeError(f"{process.name} not ready after {STARTUP_LIMIT_SECONDS:.0f}s:\n{process.tail()}")
        time.sleep(0.3)


@dataclass
class Etcd:
    process: Process
    url: str  # the client URL


def start_etcd(folder: Path) -> Etcd:
    """etcd with a data dir in folder, listening on loopback only."""
    folder.mkdir(parents=True, exist_ok=True)
    client = f"http://127.0.0.1:{free_port()}"
    peer = f"http://127.0.0.1:{free_port()}"
    process = start(
        "etcd",
        [
            str(binary_dir() / "etcd"),
            "--name=e2e",
            f"--data-dir={folder / 'data'}",
            f"--listen-client-urls={client}",
            f"--advertise-client-urls={client}",
            f"--listen-peer-urls={peer}",
            f"--initial-advertise-peer-urls={peer}",
            f"--initial-cluster=e2e={peer}",
            "--unsafe-no-fsync",  # scratch data: durability only costs time
            "--log-level=warn",
        ],
        folder,
    )

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(client + "/health", timeout=2) as reply:
                return b'"true"' in reply.read()
        except OSError:
            return False

    wait_until(process, healthy)
    return Etcd(process, client)


@dataclass
class ApiServer:
    process: Process
    url: str
    token: str = field(repr=False)  # the admin's (system:masters)
    ca_file: Path
    folder: Path
    service_account_key: Path
    tokens: dict[str, str] = field(default_factory=dict, repr=False)  # user name -> token, the admin's included

    def client(self) -> ApiClient:
        return ApiClient(url=self.url, token=self.token, ca_file=str(self.ca_file))

    def env(self) -> dict[str, str]:
        """The environment `hdgen validate --server` reads."""
        return {"HDGEN_SERVER_TOKEN": self.token, "HDGEN_SERVER_CA": str(self.ca_file)}


ADMIN = "e2e-admin"


def _token_line(token: str, user: str, groups: tuple[str, ...]) -> str:
    """A --token-auth-file line: token,user,uid[,"group1,group2"]."""
    return f'{token},{user},{user}' + (f',"{",".join(groups)}"' if groups else "") + "\n"


def start_apiserver(
    folder: Path,
    etcd_url: str,
    etcd_prefix: str,
    extra_args: tuple[str, ...] = (),
    users: dict[str, tuple[str, ...]] | None = None,
) -> ApiServer:
    """A kube-apiserver storing under etcd_prefix, so each one starts from an empty cluster; extra_args are
    added to its command line; users are token users (name -> groups) beside the admin (ApiServer.tokens)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "service-account.key"
    subprocess.run([str(binary_dir() / "keygen"), str(key)], check=True, capture_output=True)
    user_tokens = {name: secrets.token_hex(24) for name in (ADMIN, *(users or {}))}
    groups = {ADMIN: ("system:masters",), **(users or {})}
    token = user_tokens[ADMIN]
    tokens = folder / "tokens.csv"
    tokens.write_text("".join(_token_line(user_tokens[name], name, groups[name]) for name in user_tokens))
    tokens.chmod(0o600)
    port = free_port()
    certs = folder / "certs"
    process = start(
        "kube-apiserver",
        [
            str(binary_dir() / "kube-apiserver"),
            f"--etcd-servers={etcd_url}",
            f"--etcd-prefix={etcd_prefix}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            f"--secure-port={port}",
            f"--cert-dir={certs}",
            f"--token-auth-file={tokens}",
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={key}",
            f"--service-account-signing-key-file={key}",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--enable-priority-and-fairness=false",  # no flow control to set up: faster start
            "--profiling=false",
            *extra_args,
        ],
        folder,
    )
    url = f"https://127.0.0.1:{port}"
    ca_file = certs / "apiserver.crt"

    def ready() -> bool:
        if not ca_file.is_file():
            return False
        request = urllib.request.Request(url + "/readyz", headers={"Authorization": f"Bearer {token}"})
        try:
            context = ssl.create_default_context(cafile=str(ca_file))
            with urllib.request.urlopen(request, timeout=5, context=context) as reply:
                return reply.status == 200
        except (OSError, ssl.SSLError):
            return False

    wait_until(process, ready)
    return ApiServer(process, url, token, ca_file, folder, key, user_tokens)


# -- the cluster: controllers, scheduler, KWOK and its fake nodes ---------------------------

KCM_USER = "system:kube-controller-manager"  # the users the default RBAC bindings name
SCHEDULER_USER = "system:kube-scheduler"
KWOK_USER = "e2e-kwok"
COMPONENT_USERS: dict[str, tuple[str, ...]] = {KCM_USER: (), SCHEDULER_USER: (), KWOK_USER: ("system:masters",)}

# What the scenarios need: rollouts (deployment, replicaset, statefulset), the HPA, deletion
# and pruning (garbage collector, namespace), service accounts for pods, endpoint slices and
# PDB status, Jobs, volume binding for the StatefulSet's claim, and node lifecycle: a new Node
# carries the not-ready taint (admission adds it) until that controller sees it Ready.
CONTROLLERS = (
    "node-lifecycle-controller",
    "deployment-controller",
    "replicaset-controller",
    "statefulset-controller",
    "horizontal-pod-autoscaler-controller",
    "garbage-collector-controller",
    "namespace-controller",
    "serviceaccount-controller",
    "endpointslice-controller",
    "disruption-controller",
    "job-controller",
    "ttl-after-finished-controller",
    "persistentvolume-binder-controller",
    "persistentvolume-protection-controller",
    "persistentvolumeclaim-protection-controller",
)
HPA_SYNC_PERIOD = "2s"  # default 15 s: the HPA acts within seconds of a change, as it would within a sync

FAKE_NODE_ANNOTATION = ("kwok.x-k8s.io/node", "fake")  # the nodes KWOK manages (and only those)
FAKE_NODES = ("kwok-node-0", "kwok-node-1", "kwok-node-2")
NODE_ALLOCATABLE = {"cpu": "4", "memory": "8Gi", "ephemeral-storage": "40Gi", "pods": "110"}  # each; prod asks ~1.5 CPU in all
STORAGE_CLASS = "local-path"  # the class the tree's StatefulSet claims (k3s' provisioner)
VOLUMES = 4  # pre-created PersistentVolumes of STORAGE_CLASS
VOLUME_SIZE = "5Gi"
KWOK_STAGES = Path(__file__).with_name("kwok-stages.yaml")


def write_kubeconfig(path: Path, server: ApiServer, user: str) -> Path:
    """A kubeconfig for one token user (JSON, which every kubeconfig reader takes as YAML)."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "e2e", "cluster": {"server": server.url, "certificate-authority": str(server.ca_file)}}],
        "users": [{"name": user, "user": {"token": server.tokens[user]}}],
        "contexts": [{"name": "e2e", "context": {"cluster": "e2e", "user": user}}],
        "current-context": "e2e",
    }
    path.write_text(json.dumps(config, indent=2) + "\n")
    path.chmod(0o600)
    return path


@dataclass
class Cluster:
    """A running cluster (see the module docstring for what it runs and the API tests rely on)."""

    apiserver: ApiServer
    folder: Path
    admin_kubeconfig: Path
    nodes: tuple[str, ...] = FAKE_NODES
    processes: list[Process] = field(default_factory=list)
    kcm_port: int = 0  # the components' own HTTPS ports (/healthz), on 127.0.0.1
    scheduler_port: int = 0

    @property
    def url(self) -> str:
        return self.apiserver.url

    @property
    def ca_file(self) -> Path:
        return self.apiserver.ca_file

    def client(self) -> ApiClient:
        return self.apiserver.client()

    def env(self) -> dict[str, str]:
        return self.apiserver.env()

    def start_process(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Process:
        """Start argv in FOLDER/NAME/; it stops with the cluster."""
        process = start(name, argv, self.folder / name, env)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        """Every process, newest first, then the API server; each is reaped whatever the others do."""
        for process in [*reversed(self.processes), self.apiserver.process]:
            process.stop()

    def check_running(self) -> None:
        """A component that died is a failure with its log, not a cluster that silently stops acting."""
        for process in [self.apiserver.process, *self.processes]:
            if not process.running:
                raise RuntimeError(f"{process.name} exited with {process.popen.returncode}:\n{process.tail()}")


def start_cluster(folder: Path, etcd_url: str, etcd_prefix: str) -> Cluster:
    """An API server with its controllers, a scheduler and three fake nodes, ready for rollouts."""
    server = start_apiserver(folder / "apiserver", etcd_url, etcd_prefix, users=COMPONENT_USERS)
    cluster = Cluster(server, folder, write_kubeconfig(folder / "admin.kubeconfig", server, ADMIN))
    try:
        _start_components(cluster)
        _add_nodes_and_volumes(cluster.client())
        _wait_ready(cluster)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _start_components(cluster: Cluster) -> None:
    server, folder = cluster.apiserver, cluster.folder
    kcm = write_kubeconfig(folder / "kcm.kubeconfig", server, KCM_USER)
    scheduler = write_kubeconfig(folder / "scheduler.kubeconfig", server, SCHEDULER_USER)
    kwok = write_kubeconfig(folder / "kwok.kubeconfig", server, KWOK_USER)
    cluster.kcm_port, cluster.scheduler_port = free_port(), free_port()
    cluster.start_process("kube-controller-manager", [
        str(binary_dir() / "kube-controller-manager"),
        f"--kubeconfig={kcm}",  # no --authentication-kubeconfig: only /healthz is asked for, always open
        "--bind-address=127.0.0.1", f"--secure-port={cluster.kcm_port}", f"--cert-dir={folder / 'kcm-certs'}",
        "--leader-elect=false",
        "--use-service-account-credentials=true",  # each controller as its own service account, as kubeadm runs it
        f"--service-account-private-key-file={server.service_account_key}",
        f"--root-ca-file={server.ca_file}",
        f"--controllers={','.join(CONTROLLERS)}",
        f"--horizontal-pod-autoscaler-sync-period={HPA_SYNC_PERIOD}",
        "--profiling=false",
    ])
    cluster.start_process("kube-scheduler", [
        str(binary_dir() / "kube-scheduler"),
        f"--kubeconfig={scheduler}", f"--cert-dir={folder / 'scheduler-certs'}",
        "--bind-address=127.0.0.1", f"--secure-port={cluster.scheduler_port}",
        "--leader-elect=false",
        "--profiling=false",
    ])
    annotation = "=".join(FAKE_NODE_ANNOTATION)
    cluster.start_process("kwok", [
        str(binary_dir() / "kwok"),
        f"--kubeconfig={kwok}",
        f"--config={KWOK_STAGES}",
        "--manage-all-nodes=false",
        f"--manage-nodes-with-annotation-selector={annotation}",
        "--cidr=10.0.0.1/16",  # pod IPs, only ever written into pod status
    ], env={"HOME": str(folder / "kwok")})  # never read a ~/.kwok/kwok.yaml of the machine


def fake_node(name: str) -> dict:
    """A Node KWOK manages: linux/amd64 like the tree's nodeSelector wants, its own hostname."""
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {FAKE_NODE_ANNOTATION[0]: FAKE_NODE_ANNOTATION[1]},
            "labels": {
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/os": "linux",
                "kubernetes.io/hostname": name,
                "type": "kwok",
            },
        },
        # A Node is the one kind whose status may be set on create: KWOK's node-initialize keeps these.
        "status": {"allocatable": NODE_ALLOCATABLE, "capacity": NODE_ALLOCATABLE},
    }


def storage_objects() -> list[dict]:
    """The local-path StorageClass and the volumes a provisioner would have made."""
    objects: list[dict] = [{
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": STORAGE_CLASS},
        "provisioner": "rancher.io/local-path",
        "volumeBindingMode": "WaitForFirstConsumer",
        "reclaimPolicy": "Delete",
    }]
    for number in range(VOLUMES):
        objects.append({
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": f"e2e-volume-{number}"},
            "spec": {
                "capacity": {"storage": VOLUME_SIZE},
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": STORAGE_CLASS,
                "persistentVolumeReclaimPolicy": "Retain",
                "hostPath": {"path": f"/e2e/volume-{number}"},  # never mounted: there is no kubelet
            },
        })
    return objects


def _add_nodes_and_volumes(client: ApiClient) -> None:
    for body in [fake_node(name) for name in FAKE_NODES] + storage_objects():
        # A create, not an apply: an apply drops a Node's status (a field only the kubelet owns).
        response = client.request("POST", client.object_path(body).rsplit("/", 1)[0], body)
        if not response.ok:
            raise RuntimeError(f"cannot create {body['kind']} {body['metadata']['name']}: {response.message}")


def _healthy(port: int) -> bool:
    """A component's /healthz (always open to anonymous callers); its certificate is self-signed."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", timeout=5, context=context) as reply:
            return reply.status == 200
    except (OSError, ssl.SSLError):
        return False


def _node_ready(node: dict) -> bool:
    conditions = (node.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _wait_ready(cluster: Cluster) -> None:
    """Each component doing its job: both healthy, KWOK's nodes Ready, a service account made."""
    client = cluster.client()

    def ready() -> str:
        if not _healthy(cluster.kcm_port):
            return "kube-controller-manager /healthz"
        if not _healthy(cluster.scheduler_port):
            return "kube-scheduler /healthz"
        nodes = client.request("GET", "/api/v1/nodes").body.get("items") or []
        if sorted(n["metadata"]["name"] for n in nodes if _node_ready(n)) != sorted(FAKE_NODES):
            return "KWOK marking the fake nodes Ready"
        if any((n.get("spec") or {}).get("taints") for n in nodes):
            return "the node lifecycle controller lifting the fake nodes' not-ready taint"
        if client.request("GET", "/api/v1/namespaces/default/serviceaccounts/default").status != 200:
            return "the service account controller making default/default"
        return ""

    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while waiting := ready():
        cluster.check_running()
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {p.name}\n{p.tail()}" for p in cluster.processes)
            raise RuntimeError(f"the cluster is not ready after {STARTUP_LIMIT_SECONDS:.0f}s: waiting for {waiting}\n{logs}")
        time.sleep(0.3)
