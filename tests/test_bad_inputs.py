"""Every bad input of tests/bad_inputs.py, and hostile disk states, through the real CLI.

Each run must end in the documented exit code and ONE clear error line (or a
parse finding for validate), never a traceback, within bounded memory (the
child's own peak RSS, from wait4), and with nothing changed on disk.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from hdgen.render.tree import read_tree
from hdgen.cli import main
from tests.bad_inputs import MANIFEST_CASES, MISTAKES, VALUES_CASES, BadManifest, BadValues, Mistake, markdown_table
from tests.conftest import HDGEN, REPO, run_hdgen

MAX_RSS_MB = 300  # hdgen itself needs well under 100 MB; an expanded alias bomb would need gigabytes
from tests.bad_inputs import TABLE_END, TABLE_FILE, TABLE_START


@dataclass
class Measured:
    code: int
    out: str
    err: str
    max_rss_mb: float


def run_measured(*args: str, cwd: Path, preexec=None, timeout: float = 120) -> Measured:
    """The real CLI; max_rss_mb is the peak memory of exactly this child (os.wait4's rusage)."""
    env = {"HDGEN_KUBECONFORM": str(REPO / ".tools" / "bin" / "kubeconform"), **os.environ}
    out_path, err_path = cwd.parent / f".{cwd.name}.out", cwd.parent / f".{cwd.name}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen([*HDGEN, *args], cwd=cwd, env=env, stdout=out, stderr=err, preexec_fn=preexec)
    # A generous bound, not a timing assertion: a hang fails the test instead of blocking the suite.
    watchdog = threading.Timer(timeout, proc.kill)
    watchdog.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        watchdog.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    assert proc.returncode != -signal.SIGKILL, f"hdgen {' '.join(args)} did not finish within {timeout} s"
    result = Measured(proc.returncode, out_path.read_text(), err_path.read_text(), usage.ru_maxrss / 1024)
    out_path.unlink()
    err_path.unlink()
    return result


def manifests(tree: dict[str, bytes]) -> dict[str, bytes]:
    """A tree without the lock files hdgen creates beside the env folders (git-ignored, always empty)."""
    return {path: data for path, data in tree.items() if not path.split("/")[0].endswith(".lock")}


def assert_one_error_line(result: Measured, code: int, message: str | None = None, detail: str = "") -> None:
    """One error: its line, and only the detail lines given under it (a YAML error's line and caret)."""
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert result.code == code, result.err
    lines = result.err.splitlines()
    assert len(lines) == 1 + len(detail.splitlines()) and lines[0].startswith("hdgen: error: "), result.err
    if message is not None:
        assert lines[0] == f"hdgen: error: {message}"
    assert lines[1:] == detail.splitlines()


# --- the corpus -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", VALUES_CASES, ids=[c.name for c in VALUES_CASES])
def test_bad_values_file_is_one_clear_line_in_bounded_memory(project: Path, case: BadValues) -> None:
    (project / "values" / "broken.yaml").write_bytes(case.content())
    before = read_tree(project / "rendered")
    result = run_measured("render", "broken", cwd=project)
    assert_one_error_line(result, 2, case.message, case.detail)
    assert result.out == ""
    assert result.max_rss_mb < MAX_RSS_MB
    assert read_tree(project / "rendered") == before


@pytest.mark.parametrize("case", MISTAKES, ids=[c.name for c in MISTAKES])
def test_everyday_mistakes_are_said_in_words_all_at_once(case: Mistake) -> None:
    """The real CLI in this process (hdgen.cli.main, as tests/test_properties.py runs it): stderr is
    exactly every error, or the warning; an error leaves nothing written."""
    import contextlib
    import io
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        for name in ("values", "schemas"):
            shutil.copytree(REPO / name, root / name)
        (root / "values" / "broken.yaml").write_bytes(case.content())
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["-C", str(root), "render", "broken"])
        assert (code, err.getvalue()) == (case.code, case.stderr)
        assert (root / "rendered" / "broken").exists() == (code == 0)
        written = [f"broken: {len(read_tree(root / folder))} added ({folder})"
                   for folder in ("rendered/broken", "rendered/_gitops/broken")] if code == 0 else []
        assert out.getvalue().splitlines() == written


# Bump and CI read values through the same loader; the hostile ones must stop there too, before any edit.
HOSTILE = [c for c in VALUES_CASES if any(w in c.name for w in ("bomb", "nested", "10 MB", "UTF-8", "root"))]


@pytest.mark.parametrize("case", HOSTILE, ids=[c.name for c in HOSTILE])
def test_bump_refuses_hostile_values_before_editing(project: Path, case: BadValues) -> None:
    path = project / "values" / "broken.yaml"
    path.write_bytes(case.content())
    result = run_measured("bump", "broken", "--sha", "abcdef1", cwd=project)
    assert_one_error_line(result, 2, case.message, case.detail)
    assert result.max_rss_mb < MAX_RSS_MB
    assert path.read_bytes() == case.content()


@pytest.mark.parametrize("case", MANIFEST_CASES, ids=[c.name for c in MANIFEST_CASES])
def test_bad_manifest_is_a_parse_finding_in_bounded_memory(project: Path, case: BadManifest) -> None:
    manifest = project / ("bad.json" if case.name.startswith("JSON") else "bad.yaml")
    manifest.write_bytes(case.content())
    result = run_measured("validate", manifest.name, "--format", "text", cwd=project)
    assert "Traceback" not in result.err and result.err == "", result.err
    assert result.code == 1
    assert any(case.finding in line and line.startswith(manifest.name + ":") for line in result.out.splitlines())
    assert result.max_rss_mb < MAX_RSS_MB


@pytest.mark.parametrize(
    "content,message",
    [
        (b"- rules\n", "hdgen.yaml:1: expected a mapping of settings"),
        (b"rules: " + b"[" * 3000 + b"]" * 3000 + b"\n", "hdgen.yaml:1: nested more than 100 levels deep"),
    ],
    ids=["list", "deep"],
)
def test_bad_settings_file_is_one_clear_line(project: Path, content: bytes, message: str) -> None:
    (project / "hdgen.yaml").write_bytes(content)
    result = run_measured("validate", "prod", cwd=project)
    assert_one_error_line(result, 2, message)


def test_diff_refuses_a_deeply_nested_base_file_without_crashing(project: Path) -> None:
    """The base tree comes out of git; the C loader used to kill the process (SIGSEGV) on such a file."""
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@t"]
    deep = project / "rendered" / "prod" / "deep.yaml"
    deep.write_bytes(b"apiVersion: v1\nkind: ConfigMap\ndata: " + b"[" * 50_000 + b"]" * 50_000 + b"\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    result = run_measured("diff", "prod", "--base", "main", cwd=project)
    assert_one_error_line(result, 2)
    assert result.err.strip().endswith(":rendered/prod/deep.yaml:3: nested more than 100 levels deep"), result.err


def test_docs_table_lists_every_case_the_tests_try() -> None:
    page = (REPO / TABLE_FILE).read_text()
    assert TABLE_START in page and TABLE_END in page
    table = page.split(TABLE_START)[1].split(TABLE_END)[0].strip() + "\n"
    assert table == markdown_table(), f"{TABLE_FILE} table is stale: run `make docs`"


# --- env names and symlinks: never write outside rendered/ ----------------------------------


# `hdgen render` with such names: tests/test_values_errors.py. Here the other commands that take an env.
@pytest.mark.parametrize(
    "args",
    [
        ["bump", "../outside", "--sha", "abcdef1"],
        ["bump", "/tmp/x", "--sha", "abcdef1"],
        ["bump", "prod;rm", "--sha", "abcdef1"],
        ["diff", "prod/../../outside"],
        ["render", "\u00e1pi"],
    ],
    ids=lambda args: f"{args[0]} {args[1]!r}",
)
def test_env_names_that_are_not_names_are_refused(project: Path, args: list[str]) -> None:
    before = read_tree(project)
    result = run_hdgen(*args, cwd=project)
    assert result.code == 2
    assert result.err.startswith(f"hdgen: error: invalid env name {args[1]!r}"), result.err
    assert len(result.err.strip().splitlines()) == 1
    assert read_tree(project) == before
    assert not (project.parent / "outside").exists()


def _change_prod(project: Path) -> None:
    """A values change, so that a render really has something to write."""
    path = project / "values" / "prod.yaml"
    path.write_text(path.read_text().replace('image: {tag: "d3708e6"}', 'image: {tag: "0badc0de"}', 1))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("not hdgen's\n")
    return folder


def test_rendered_folder_symlinked_outside_the_project_is_refused(project: Path, outside: Path) -> None:
    shutil.rmtree(project / "rendered")
    (project / "rendered").symlink_to(outside)
    _change_prod(project)
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 2
    assert "rendered is a symlink to" in result.err and "outside the project: refusing to write there" in result.err
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    bump = run_hdgen("bump", "prod", "--sha", "abcdef1", cwd=project)
    assert bump.code == 2 and "outside the project" in bump.err
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


def test_rendered_folder_symlinked_inside_the_project_is_followed(project: Path) -> None:
    (project / "rendered").rename(project / "manifests")
    (project / "rendered").symlink_to("manifests")
    _change_prod(project)
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 0, result.err
    assert "0badc0de" in (project / "manifests" / "prod" / "api" / "deployment.yaml").read_text()


@pytest.mark.parametrize("link", ["prod", "_gitops"])
def test_env_or_agent_folder_symlinked_outside_is_refused(project: Path, outside: Path, link: str) -> None:
    real = project / "rendered" / link
    shutil.copytree(real, outside / link)
    shutil.rmtree(real)
    real.symlink_to(outside / link)
    _change_prod(project)
    path = project / "values" / "prod.yaml"  # also change the agent's objects
    path.write_text(path.read_text().replace("revision: main", "revision: release"))
    before = read_tree(outside)
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 2
    assert "symlink" in result.err and len(result.err.strip().splitlines()) == 1
    assert read_tree(outside) == before


def test_lock_file_planted_as_a_symlink_is_not_followed(project: Path, outside: Path) -> None:
    (project / "rendered" / ".prod.lock").symlink_to(outside / "created-by-hdgen")
    _change_prod(project)
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 2
    assert result.err.strip().endswith(".prod.lock is a symlink: refusing to follow it (remove it)")
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


# --- read-only and full disks ----------------------------------------------------------------


def _can_mount() -> bool:
    """Root with CAP_SYS_ADMIN can mount in a private mount namespace (nothing leaks to the host)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    return probe.returncode == 0


def run_in_mount_namespace(project: Path, mount: str, *hdgen_args: str) -> tuple[Measured, dict[str, bytes]]:
    """hdgen with rendered/ remounted (read-only, or a tiny tmpfs) in a private namespace.

    The mounts vanish with the namespace, so the script copies the tree as it
    was after the run out to rendered.after/ for the test to compare.
    """
    script = f"""
set -e
cd "$PROJECT"
{mount}
set +e
{' '.join(HDGEN)} {' '.join(hdgen_args)} >"$PROJECT/../ns.out" 2>"$PROJECT/../ns.err"
echo $? >"$PROJECT/../ns.code"
cp -a rendered/. "$PROJECT/../rendered.after"
"""
    env = {**os.environ, "PROJECT": str(project), "HDGEN_KUBECONFORM": str(REPO / ".tools/bin/kubeconform")}
    (project.parent / "rendered.after").mkdir()
    subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], env=env, check=True, timeout=120)
    parent = project.parent
    result = Measured(int((parent / "ns.code").read_text()), (parent / "ns.out").read_text(), (parent / "ns.err").read_text(), 0)
    return result, read_tree(parent / "rendered.after")


def test_read_only_rendered_folder(project: Path) -> None:
    _change_prod(project)
    before = read_tree(project / "rendered")
    if _can_mount():  # root ignores permission bits: a read-only bind mount is real for root too
        result, after = run_in_mount_namespace(
            project, "mount --bind rendered rendered && mount -o remount,bind,ro rendered", "render", "prod"
        )
        reason = "Read-only file system"
    else:
        os.chmod(project / "rendered", 0o555)
        measured = run_measured("render", "prod", cwd=project)
        os.chmod(project / "rendered", 0o755)
        result, after, reason = measured, read_tree(project / "rendered"), "Permission denied"
    assert_one_error_line(result, 2, f"cannot write {project / 'rendered'}: {reason}; the previous tree is untouched")
    assert manifests(after) == manifests(before)


def _ignore_sigxfsz_and_cap_file_size() -> None:
    # Writes past RLIMIT_FSIZE fail with EFBIG once SIGXFSZ (which would kill the process) is ignored;
    # the ignored disposition survives exec. 1 KiB: the lock file fits, most manifests do not.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))


def test_file_size_limit_mid_write_leaves_the_old_tree(project: Path) -> None:
    _change_prod(project)
    before = read_tree(project / "rendered")
    result = run_measured("render", "prod", cwd=project, preexec=_ignore_sigxfsz_and_cap_file_size)
    message = f"cannot write {project / 'rendered' / 'prod'}: File too large; the previous tree is untouched"
    assert_one_error_line(result, 2, message)
    assert manifests(read_tree(project / "rendered")) == manifests(before)
    assert not list((project / "rendered").glob(".prod.tmp-*"))


def test_full_disk_mid_write_leaves_the_old_tree(project: Path) -> None:
    _change_prod(project)
    before = read_tree(project / "rendered")
    if _can_mount():  # a real ENOSPC: a tmpfs that holds the old tree and a few pages more
        # tmpfs gives each non-empty file a page of its own; folders and empty lock files take none.
        pages = sum(len(files) for _, _, files in os.walk(project / "rendered")) + 2
        mount = (
            'cp -a rendered "$PROJECT/../rendered.before" && '
            f"mount -t tmpfs -o size={pages * 4}k tmpfs rendered && "
            'cp -a "$PROJECT/../rendered.before/." rendered'
        )
        result, after = run_in_mount_namespace(project, mount, "render", "prod")
        reason = "No space left on device"
    else:
        result = run_measured("render", "prod", cwd=project, preexec=_ignore_sigxfsz_and_cap_file_size)
        after, reason = read_tree(project / "rendered"), "File too large"
    message = f"cannot write {project / 'rendered' / 'prod'}: {reason}; the previous tree is untouched"
    assert_one_error_line(result, 2, message)
    assert manifests(after) == manifests(before)
    assert not [name for name in after if name.startswith(".prod.tmp-")]
