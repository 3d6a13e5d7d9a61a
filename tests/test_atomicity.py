"""Renders killed with SIGKILL at random points, and renders and bumps racing each other.

Real `hdgen render` and `hdgen bump` processes on a scratch project. The env
folder must always hold the complete old tree or the complete new tree: after
every kill, and for a reader polling the folder while renders run. No time is
asserted; delays only spread the kill points over a render's run.
"""

from __future__ import annotations

import fcntl
import os
import random
import subprocess
import threading
import time
from pathlib import Path

from hdgen.project import Project
from hdgen.render.pipeline import render_env
from hdgen.render.tree import read_tree
from hdgen.render.values import load_env
from tests.conftest import HDGEN, run_hdgen

KILLED_RUNS = 20
OLD_TAG, NEW_TAG = 'image: {tag: "d3708e6"}', 'image: {tag: "0badc0de"}'


def variants(project: Path) -> tuple[str, str]:
    """Two prod values that differ in many files: the api image, and config (every pod's checksum)."""
    old = (project / "values" / "prod.yaml").read_text()
    new = old.replace(OLD_TAG, NEW_TAG, 1).replace("LOG_LEVEL: info", "LOG_LEVEL: debug")
    assert new != old
    return old, new


def expected_tree(project: Path, values_text: str) -> dict[str, bytes]:
    path = project / "values" / "prod.yaml"
    loaded = load_env(Project(project), "prod", texts={path: values_text})
    return {name: text.encode() for name, text in render_env(loaded).files.items()}


def write_values(project: Path, text: str) -> None:
    """Replace the values file in one rename, so a starting render never reads half of it."""
    scratch = project / "values" / ".prod.yaml.next"
    scratch.write_text(text)
    os.replace(scratch, project / "values" / "prod.yaml")


def start_render(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*HDGEN, "render", "prod", *args], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "rendered").iterdir() if ".tmp-" in p.name)


class Reader(threading.Thread):
    """Polls rendered/prod the way an agent would, recording any moment it is missing or mixed.

    Each snapshot is read through a descriptor of the folder, and kept only if
    the path still names that same folder afterwards: a folder that was swapped
    out mid-read is the old tree being deleted, not what the path shows.
    """

    def __init__(self, folder: Path, allowed: list[dict[str, bytes]]):
        super().__init__(daemon=True)
        self.folder, self.allowed = folder, allowed
        self.stop = threading.Event()
        self.problems: list[str] = []
        self.snapshots = 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                self.problems.append("rendered/prod was missing")
                continue
            try:
                snapshot = self._read(fd)
                still_live = os.stat(self.folder).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                snapshot, still_live = None, False
            finally:
                os.close(fd)
            if not still_live or snapshot is None:
                continue
            self.snapshots += 1
            time.sleep(0.001)  # poll like an agent would, without starving the renders of CPU
            if snapshot not in self.allowed:
                self.problems.append(f"a mixed tree: {sorted(snapshot)[:3]}…")

    @staticmethod
    def _read(fd: int) -> dict[str, bytes]:
        files = {}
        for root, dirs, names, root_fd in os.fwalk(".", dir_fd=fd):
            dirs.sort()
            for name in names:
                handle = os.open(name, os.O_RDONLY, dir_fd=root_fd)
                with os.fdopen(handle, "rb") as stream:
                    files[os.path.normpath(os.path.join(root, name))] = stream.read()
        return files


def test_sigkill_at_any_point_leaves_the_whole_old_or_new_tree(project: Path) -> None:
    old_text, new_text = variants(project)
    trees = [expected_tree(project, old_text), expected_tree(project, new_text)]
    env_dir = project / "rendered" / "prod"
    assert read_tree(env_dir) == trees[0]

    # One undisturbed render, to know how long one takes: kill points are spread over that span.
    write_values(project, new_text)
    started = time.monotonic()
    assert run_hdgen("render", "prod", cwd=project).code == 0
    span = time.monotonic() - started
    assert read_tree(env_dir) == trees[1]

    reader = Reader(env_dir, trees)
    reader.start()
    rng = random.Random(20240607)  # the same kill points on every run of the suite
    try:
        for run in range(KILLED_RUNS):
            current = read_tree(env_dir)
            assert current in trees, "the env folder is a mix of two trees"
            target = 1 - trees.index(current)
            write_values(project, new_text if target else old_text)
            earlier = set(leftovers(project))  # a scratch folder the previous kill left
            proc = start_render(project)
            if run % 2:
                time.sleep(rng.uniform(0, span))  # anywhere: mostly while loading and rendering
            else:
                # Inside the short write window: wait for the scratch folder to appear, then a little more.
                while proc.poll() is None and not set(leftovers(project)) - earlier:
                    time.sleep(0.0005)  # poll, leaving the CPU to the render
                time.sleep(rng.uniform(0, 0.01))
            proc.kill()
            proc.communicate()
            after = read_tree(env_dir)
            assert after in trees, "after a kill the env folder is neither the old nor the new tree"
            # A killed render leaves at most its own scratch folder; the next run removes it first.
            assert len(leftovers(project)) <= 1, leftovers(project)
    finally:
        reader.stop.set()
        reader.join()
    assert reader.problems == [], reader.problems[:5]
    assert reader.snapshots > 0

    # The next run that finishes removes whatever a killed one left, and the tree matches the values.
    finished = run_hdgen("render", "prod", cwd=project)
    assert finished.code == 0, finished.err
    assert leftovers(project) == []
    assert read_tree(env_dir) in trees and run_hdgen("render", "prod", "--check", cwd=project).code == 0


def test_a_second_render_waits_for_the_lock_and_says_so(project: Path) -> None:
    old_text, new_text = variants(project)
    write_values(project, new_text)
    before = read_tree(project / "rendered" / "prod")
    with open(project / "rendered" / ".prod.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # stands in for another hdgen writing prod
        proc = start_render(project)
        # Blocks until the render reaches the lock and says it waits: no sleeping, no timing.
        assert proc.stderr.readline() == "hdgen: waiting for another hdgen writing prod to finish\n"
        assert proc.poll() is None
        assert read_tree(project / "rendered" / "prod") == before
        fcntl.flock(lock, fcntl.LOCK_UN)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.startswith("prod: ") and "changed" in out
    assert read_tree(project / "rendered" / "prod") == expected_tree(project, new_text)


def test_concurrent_renders_of_one_env_never_mix_trees(project: Path) -> None:
    old_text, new_text = variants(project)
    trees = [expected_tree(project, old_text), expected_tree(project, new_text)]
    procs = []
    for index in range(4):  # values flip between starts: the renders write different trees
        write_values(project, new_text if index % 2 == 0 else old_text)
        procs.append(start_render(project))
    results = [(proc.wait(timeout=120), proc.communicate()) for proc in procs]
    for code, (out, err) in results:
        assert code == 0, err
        assert "Traceback" not in err
    assert read_tree(project / "rendered" / "prod") in trees
    assert leftovers(project) == []


def test_a_second_bump_waits_for_the_lock_and_says_so(project: Path) -> None:
    values = project / "values" / "prod.yaml"
    with open(project / "rendered" / ".prod.values.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [*HDGEN, "bump", "prod", "--sha", "0badc0de", "--service", "api"],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert proc.stderr.readline() == "hdgen: waiting for another hdgen writing prod.values to finish\n"
        assert proc.poll() is None and "0badc0de" not in values.read_text()
        fcntl.flock(lock, fcntl.LOCK_UN)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "api: d3708e6 -> 0badc0de" in out
    assert 'api:\n    image: {tag: "0badc0de"}' in values.read_text()


def test_concurrent_bumps_serialise_or_stop_clearly(project: Path) -> None:
    values = project / "values" / "prod.yaml"
    bumps = {"api": "1111111", "worker": "2222222", "web": "3333333"}
    procs = {
        service: subprocess.Popen(
            [*HDGEN, "bump", "prod", "--sha", sha, "--service", service],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for service, sha in bumps.items()
    }
    results = {service: (proc.wait(timeout=120), *proc.communicate()) for service, proc in procs.items()}
    text = values.read_text()
    assert run_hdgen("render", "prod", "--check", cwd=project).code in (0, 1)  # the file still loads
    for service, (code, out, err) in results.items():
        assert "Traceback" not in err
        line = f'{service}:\n    image: {{tag: "{bumps[service]}"}}'
        if code == 0:
            assert line in text, f"{service} said it bumped but its change is lost"
        else:
            # Lost the race: the file changed between its read and its write. Nothing of it was written.
            assert code == 2 and "changed while bumping" in err and "run again" in err, err
            assert line not in text
    assert any(code == 0 for code, _, _ in results.values())
    assert not [p for p in (project / "values").iterdir() if p.name.startswith(".")]
