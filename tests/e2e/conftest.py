"""The end-to-end tier: a real kube-apiserver and etcd, and a cluster with controllers (built by `make e2e`).

These tests run only when HDGEN_E2E=1 (`make e2e` sets it): the plain
`make test` stays fast on a fresh machine and never builds Kubernetes. When
HDGEN_E2E=1 and the binaries are missing, the tier fails loudly instead of
skipping, so a green `make e2e` always means the server really ran.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.cluster import ApiServer, Cluster, Etcd, missing_binaries, start_apiserver, start_cluster, start_etcd

ENABLED = os.environ.get("HDGEN_E2E") == "1"
if not ENABLED:
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def etcd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Etcd]:
    """One etcd for the session; each test's API server stores under its own prefix."""
    missing = missing_binaries()
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make e2e` (it builds them), or set HDGEN_E2E_BIN")
    server = start_etcd(tmp_path_factory.mktemp("etcd"))
    try:
        yield server
    finally:
        server.process.stop()


@pytest.fixture
def apiserver(etcd: Etcd, tmp_path: Path) -> Iterator[ApiServer]:
    """A fresh, empty cluster for one test, stopped afterwards whatever the test did."""
    server = start_apiserver(tmp_path / "apiserver", etcd.url, f"/registry-{secrets.token_hex(6)}")
    try:
        yield server
    finally:
        server.process.stop()


@pytest.fixture
def cluster(etcd: Etcd, tmp_path: Path) -> Iterator[Cluster]:
    """A fresh cluster that runs rollouts (controllers, scheduler, KWOK's three fake nodes), stopped afterwards."""
    running = start_cluster(tmp_path / "cluster", etcd.url, f"/registry-{secrets.token_hex(6)}")
    try:
        yield running
    finally:
        running.stop()
