"""A real etcd and kube-apiserver on loopback, in a scratch folder, for the end-to-end tests.

`make e2e` builds both from the pins in tools/e2e/go.mod into .tools/e2e/.
There is no scheduler, controller manager or kubelet: the API server only
validates, admits and stores objects, which is exactly what applying the
rendered tree needs.

Every process listens on 127.0.0.1 only. Auth is a static token file (the test
user is in system:masters) and authorization is RBAC, as on a real cluster.
The API server signs its own serving certificate into --cert-dir; the file it
writes holds the certificate and the CA that signed it, so clients verify TLS
against it. The service-account signing key comes from the openssl CLI.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
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


def missing_binaries() -> list[str]:
    folder = binary_dir()
    return [str(folder / name) for name in ("etcd", "kube-apiserver") if not os.access(folder / name, os.X_OK)]


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


def start(name: str, argv: list[str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    with open(log, "wb") as out:
        popen = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=folder, preexec_fn=_die_with_parent
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
    token: str = field(repr=False)
    ca_file: Path

    def client(self) -> ApiClient:
        return ApiClient(url=self.url, token=self.token, ca_file=str(self.ca_file))

    def env(self) -> dict[str, str]:
        """The environment `hdgen validate --server` reads."""
        return {"HDGEN_SERVER_TOKEN": self.token, "HDGEN_SERVER_CA": str(self.ca_file)}


def start_apiserver(folder: Path, etcd_url: str, etcd_prefix: str, extra_args: tuple[str, ...] = ()) -> ApiServer:
    """A kube-apiserver storing under etcd_prefix, so each one starts from an empty cluster;
    extra_args are added to its command line."""
    if shutil.which("openssl") is None:
        raise RuntimeError("the e2e tier needs the openssl command (for the service-account key)")
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / "service-account.key"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    token = secrets.token_hex(24)
    tokens = folder / "tokens.csv"
    tokens.write_text(f'{token},e2e-admin,e2e-admin,"system:masters"\n')
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
    return ApiServer(process, url, token, ca_file)
