"""No server outlives its tests: not after a failing test, not after pytest itself is killed.

Each case runs an inner pytest session (a real one, in a subprocess) over a
test that uses the e2e fixtures and writes down the servers' process ids.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

INNER_CONFTEST = "from tests.e2e.conftest import apiserver, etcd  # noqa: F401  (the fixtures under test)\n"
INNER_TEST = """
import os
from pathlib import Path


def test_inner(apiserver, etcd):
    Path(os.environ["PID_FILE"] + ".tmp").write_text(f"{apiserver.process.popen.pid} {etcd.process.popen.pid}")
    os.replace(os.environ["PID_FILE"] + ".tmp", os.environ["PID_FILE"])
    {ending}
"""


def alive(pid: int) -> bool:
    """True while pid exists and is not a zombie (a zombie is dead, waiting for its parent to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def inner_session(tmp_path: Path, ending: str) -> tuple[subprocess.Popen, Path]:
    folder = tmp_path / "inner"
    folder.mkdir()
    (folder / "conftest.py").write_text(INNER_CONFTEST)
    (folder / "test_inner.py").write_text(INNER_TEST.replace("{ending}", ending))
    pid_file = tmp_path / "pids"
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder), str(folder)],
        cwd=REPO,  # so `tests` imports
        env={**os.environ, "PID_FILE": str(pid_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, pid_file


def wait_for(condition, what: str) -> None:
    """Poll until condition() holds; the bound only keeps a broken run from hanging forever."""
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_failing_test_still_stops_its_servers(tmp_path: Path) -> None:
    process, pid_file = inner_session(tmp_path, "assert False, 'this inner test fails on purpose'")
    out, _ = process.communicate(timeout=600)
    assert process.returncode == 1 and "1 failed" in out, out
    pids = [int(p) for p in pid_file.read_text().split()]
    assert len(pids) == 2
    assert [pid for pid in pids if alive(pid)] == []


def test_killing_pytest_itself_stops_its_servers(tmp_path: Path) -> None:
    process, pid_file = inner_session(tmp_path, "import time; time.sleep(3600)")
    pids: list[int] = []
    try:
        wait_for(lambda: pid_file.exists() or process.poll() is not None, "the inner test never started its servers")
        assert process.poll() is None, process.communicate()[0]
        pids += [int(p) for p in pid_file.read_text().split()]
        assert all(alive(pid) for pid in pids)
        process.send_signal(signal.SIGKILL)  # no fixture teardown runs: the kernel's parent-death signal must do it
        process.wait()
        wait_for(lambda: not any(alive(pid) for pid in pids), "a server outlived the killed pytest")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in pids:  # when the test fails, it must not leave the orphans it found behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
