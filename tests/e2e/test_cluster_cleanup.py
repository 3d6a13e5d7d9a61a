"""No component of the rollout cluster outlives a killed pytest (as test_cleanup.py shows for the API server).

The controller manager, the scheduler and KWOK are started like the servers,
in their own process groups with the parent-death signal; this kills the inner
pytest with SIGKILL, so no fixture teardown runs, and every one must still go.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.e2e.test_cleanup import alive, wait_for

INNER_CONFTEST = "from tests.e2e.conftest import cluster, etcd  # noqa: F401  (the fixtures under test)\n"
INNER_TEST = """
import os, time
from pathlib import Path


def test_inner(cluster, etcd):
    processes = [cluster.apiserver.process, *cluster.processes, etcd.process]
    pids = " ".join(f"{p.name}={p.popen.pid}" for p in processes)
    Path(os.environ["PID_FILE"] + ".tmp").write_text(pids)
    os.replace(os.environ["PID_FILE"] + ".tmp", os.environ["PID_FILE"])
    time.sleep(3600)
"""


def test_killing_pytest_stops_every_component_of_the_cluster(tmp_path: Path) -> None:
    folder = tmp_path / "inner"
    folder.mkdir()
    (folder / "conftest.py").write_text(INNER_CONFTEST)
    (folder / "test_inner.py").write_text(INNER_TEST)
    pid_file = tmp_path / "pids"
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder), str(folder)],
        cwd=REPO,
        env={**os.environ, "PID_FILE": str(pid_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    pids: dict[str, int] = {}
    try:
        wait_for(lambda: pid_file.exists() or process.poll() is not None, "the inner test never started its cluster")
        assert process.poll() is None, process.communicate()[0]
        pids = {name: int(pid) for name, pid in (item.split("=") for item in pid_file.read_text().split())}
        assert sorted(pids) == ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"]
        assert all(alive(pid) for pid in pids.values())
        process.send_signal(signal.SIGKILL)
        process.wait()
        wait_for(lambda: not any(alive(pid) for pid in pids.values()), f"a component outlived the killed pytest: {pids}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in pids.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
