"""hdgen render: golden trees, freshness check, determinism, atomic replacement."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hdgen.render import tree
from hdgen.render.envs import _render as _REAL_RENDER  # the real one, before a test patches it
from hdgen.project import Project
from hdgen.render.pipeline import render_env
from hdgen.render.tree import read_tree
from hdgen.render.values import load_env
from tests.conftest import REPO, run_hdgen
from tests.goldens import assert_committed_tree, rendered_trees


@pytest.mark.parametrize("env", ["prod", "staging", "_gitops/prod", "_gitops/staging"])
def test_render_matches_the_committed_tree(env: str) -> None:
    """Whole-output pin, in-process (the fast tier's twin of `render --check`): rendered/ is the golden tree."""
    assert_committed_tree(env, rendered_trees()[env])


def test_committed_rendered_tree_is_fresh() -> None:
    result = run_hdgen("render", "--all", "--check")
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines() == [
        "prod: fresh (rendered/prod)",
        "prod: fresh (rendered/_gitops/prod)",
        "staging: fresh (rendered/staging)",
        "staging: fresh (rendered/_gitops/staging)",
    ]


def test_render_writes_tree_and_reports_changes(project: Path) -> None:
    shutil.rmtree(project / "rendered")
    first = run_hdgen("render", "prod", cwd=project)
    assert first.code == 0, first.err
    files = len(read_tree(REPO / "rendered" / "prod"))
    assert first.out.splitlines() == [f"prod: {files} added (rendered/prod)", "prod: 1 added (rendered/_gitops/prod)"]
    assert read_tree(project / "rendered" / "prod") == read_tree(REPO / "rendered" / "prod")
    again = run_hdgen("render", "prod", cwd=project)
    assert again.out.splitlines() == ["prod: unchanged (rendered/prod)", "prod: unchanged (rendered/_gitops/prod)"]


def test_render_removes_stale_files_and_reports_each_change(project: Path) -> None:
    env_dir = project / "rendered" / "prod"
    (env_dir / "old-thing.yaml").write_text("stale\n")
    (env_dir / "api" / "service.yaml").write_text("edited by hand\n")
    (env_dir / "api" / "hpa.yaml").unlink()
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "prod: 1 added, 1 changed, 1 removed (rendered/prod)"
    assert not (env_dir / "old-thing.yaml").exists()
    assert read_tree(env_dir) == read_tree(REPO / "rendered" / "prod")


def test_check_lists_every_missing_extra_and_different_file(project: Path) -> None:
    env_dir = project / "rendered" / "prod"
    (env_dir / "untracked.yaml").write_text("x: 1\n")
    (env_dir / "web" / "deployment.yaml").write_text("changed\n")
    (env_dir / "namespace.yaml").unlink()
    before = read_tree(env_dir)
    result = run_hdgen("render", "prod", "--check", cwd=project)
    assert result.code == 1
    assert "prod: stale (rendered/prod): run `hdgen render prod`" in result.out
    assert "  missing: rendered/prod/namespace.yaml" in result.out
    assert "  different: rendered/prod/web/deployment.yaml" in result.out
    assert "  extra: rendered/prod/untracked.yaml" in result.out
    assert read_tree(env_dir) == before, "--check must write nothing"


def test_check_on_a_missing_env_folder(project: Path) -> None:
    shutil.rmtree(project / "rendered" / "staging")
    result = run_hdgen("render", "staging", "--check", cwd=project)
    assert result.code == 1
    assert result.out.count("  missing: ") == len(read_tree(REPO / "rendered" / "staging"))
    assert not (project / "rendered" / "staging").exists()


def test_render_out_dir(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = run_hdgen("render", "staging", "--out", str(out), cwd=project)
    assert result.code == 0, result.err
    assert read_tree(out / "staging") == read_tree(REPO / "rendered" / "staging")


def test_render_is_byte_for_byte_deterministic(project: Path, tmp_path: Path) -> None:
    """Same values, other working folder, time zone, locale and hash seed: same bytes."""
    shutil.rmtree(project / "rendered")
    first = run_hdgen("render", "--all", cwd=project, env={"TZ": "UTC", "LC_ALL": "C", "PYTHONHASHSEED": "1"})
    assert first.code == 0, first.err
    first_trees = {env: read_tree(project / "rendered" / env) for env in ("prod", "staging", "_gitops")}
    shutil.rmtree(project / "rendered")
    subdir = project / "values"
    second = run_hdgen(
        "render",
        "staging",
        "prod",
        cwd=subdir,
        env={"TZ": "Asia/Kathmandu", "LC_ALL": "C.UTF-8", "LANG": "tr_TR.UTF-8", "PYTHONHASHSEED": "977"},
    )
    assert second.code == 0, second.err
    for env, files in first_trees.items():
        assert read_tree(project / "rendered" / env) == files


def test_a_failed_write_leaves_the_old_tree_byte_identical(project: Path, monkeypatch) -> None:
    """Failure injected after some files of the new tree are written."""
    env_dir = project / "rendered" / "prod"
    (env_dir / "api" / "deployment.yaml").write_text("the old tree\n")
    before = read_tree(env_dir)
    real_write = Path.write_bytes
    written = []

    def failing_write(self: Path, data: bytes) -> int:
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    loaded = load_env(Project(project), "prod")
    with pytest.raises(tree.HdgenError, match="No space left on device; the previous tree is untouched"):
        tree.write_tree(project / "rendered", "prod", render_env(loaded).files)
    monkeypatch.undo()
    assert read_tree(env_dir) == before
    assert [p.name for p in (project / "rendered").iterdir() if p.name.startswith(".prod.tmp")] == []


def test_leftover_scratch_of_a_killed_render_is_removed(project: Path) -> None:
    leftover = project / "rendered" / ".prod.tmp-deadbeef0000"
    (leftover / "api").mkdir(parents=True)
    (leftover / "api" / "deployment.yaml").write_text("half")
    (project / "rendered" / "prod" / "namespace.yaml").write_text("changed\n")
    assert run_hdgen("render", "prod", cwd=project).code == 0
    assert not leftover.exists()


def test_unwritable_rendered_folder_fails_cleanly(project: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits, so make rendered/ unwritable another way: a file where the folder goes
        shutil.rmtree(project / "rendered")
        (project / "rendered").write_text("not a folder")
    else:
        os.chmod(project / "rendered", 0o555)
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code in (2, 3)
    assert result.err.startswith("hdgen: error: ") and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_fifth_service_is_a_values_change(project: Path) -> None:
    text = (project / "values" / "prod.yaml").read_text()
    text = text.replace(
        "apps:\n",
        "apps:\n"
        "  notifier:\n"
        "    component: worker\n"
        "    image: {tag: \"0a1b2c3\"}\n"
        "    replicas: 1\n"
        "    probes:\n"
        "      liveness: {exec: [/app/notifier, ping]}\n"
        "    resources:\n"
        "      requests: {cpu: 10m, memory: 32Mi}\n"
        "      limits: {memory: 64Mi}\n",
        1,
    )
    (project / "values" / "prod.yaml").write_text(text)
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 0, result.err
    deployment = (project / "rendered" / "prod" / "notifier" / "deployment.yaml").read_text()
    assert "image: gitea.treytartt.com/admin/honeydue-notifier:0a1b2c3" in deployment
    kustomization = (project / "rendered" / "prod" / "kustomization.yaml").read_text()
    assert "- notifier/deployment.yaml" in kustomization


def test_a_config_change_rolls_exactly_the_pods_that_use_the_config(project: Path) -> None:
    before = {m.file: m.body for m in render_env(load_env(Project(project), "prod")).manifests}
    values = project / "values" / "prod.yaml"
    values.write_text(values.read_text().replace("LOG_LEVEL: info", "LOG_LEVEL: warn"))
    after = {m.file: m.body for m in render_env(load_env(Project(project), "prod")).manifests}

    def checksum(body: dict) -> str | None:
        # Per key: only the changed key's annotation changes (see plan.config_checksums).
        return body["spec"]["template"]["metadata"].get("annotations", {}).get("checksum/config.LOG_LEVEL")

    for app in ("api", "worker", "admin"):
        path = f"{app}/deployment.yaml"
        assert checksum(before[path]) and checksum(before[path]) != checksum(after[path]), app
    assert checksum(before["web/deployment.yaml"]) is None is checksum(after["web/deployment.yaml"])
    assert before["observability/vmagent-deployment.yaml"] == after["observability/vmagent-deployment.yaml"]


def test_agent_objects_follow_the_values_and_disappear_with_them(project: Path) -> None:
    values = project / "values" / "staging.yaml"
    values.write_text(values.read_text().replace("  agent: flux", "  agent: argocd"))
    result = run_hdgen("render", "staging", cwd=project)
    assert result.code == 0, result.err
    assert "staging: 1 added, 2 removed (rendered/_gitops/staging)" in result.out.splitlines()
    values.write_text(values.read_text().split("gitops:")[0])
    result = run_hdgen("render", "staging", cwd=project)
    assert "staging: 1 removed (rendered/_gitops/staging)" in result.out.splitlines()
    assert not (project / "rendered" / "_gitops" / "staging").exists()
    assert run_hdgen("render", "--all", "--check", cwd=project).code == 0


def test_every_rendered_document_reads_the_same_fast_and_careful_ways(tmp_path: Path) -> None:
    """The fast loader with json_flow (render's read-back) reads what the templates wrote exactly as the
    careful loader does: for every file of the shipped envs and of a synthetic project with every app shape."""
    from ruamel.yaml import YAML

    from bench.synth import SCALES, make_project
    from hdgen.yaml.construct import load
    from hdgen.render.plan import plan_agent_files, plan_files
    from hdgen.render.pipeline import rendered_texts

    careful = YAML(typ="safe", pure=False)
    synthetic = tmp_path / "synthetic"
    projects = [(Project(REPO), ["prod", "staging"])]
    projects.append((Project(synthetic), make_project(next(s for s in SCALES if s.name == "s-40x2"), synthetic)))
    read_fast = 0
    for project, envs in projects:
        for env in envs:
            loaded = load_env(project, env)
            plan = [*plan_files(env, loaded.model), *plan_agent_files(env, loaded.model, f"rendered/{env}")]
            for path, _, text in rendered_texts(plan):
                try:
                    fast = load(text, json_flow=True)
                except Exception:
                    continue  # read the careful way, which is then the only way
                read_fast += 1
                assert repr(fast) == repr(careful.load(text)), f"{env}/{path}"
    assert read_fast > 200  # the fast way is the common one, not a corner


def test_render_all_in_worker_processes_matches_one_process_and_stops_on_any_bad_env(tmp_path: Path) -> None:
    """Envs with enough values render in worker processes: the same bytes as --jobs 1. A bad env
    stops them all, with its file:line and key, and nothing is written."""
    root, envs = _project_for_workers(tmp_path)
    off = {"HDGEN_CACHE_DIR": "off"}
    broken = root / "values" / f"{envs[1]}.yaml"
    good = broken.read_text()
    broken.write_text(good + "bogusKey: 1\n")
    bad = run_hdgen("render", "--all", "--jobs", "2", cwd=root, env=off)
    assert bad.code == 2, bad.err
    line = good.count("\n") + 1
    assert bad.err.startswith(f"hdgen: error: values/{envs[1]}.yaml:{line}: bogusKey: unknown key"), bad.err
    assert not (root / "rendered").exists()
    broken.write_text(good)
    trees = []
    for jobs in ("2", "1"):
        done = run_hdgen("render", "--all", "--jobs", jobs, cwd=root, env=off)
        assert done.code == 0, done.err
        trees.append(read_tree(root / "rendered"))
        shutil.rmtree(root / "rendered")
    assert trees[0] == trees[1] and len(trees[0]) > 500
    usage = run_hdgen("render", "--all", "--jobs", "0", cwd=root)
    assert usage.code == 2 and "--jobs: expected a whole number of at least 1, got '0'" in usage.err


def test_envs_render_in_worker_processes_from_the_threshold(tmp_path: Path, monkeypatch) -> None:
    """With --jobs 2 the envs of a big enough project render in other processes; with 1, in this one."""
    from hdgen.render import envs as command

    root, envs = _project_for_workers(tmp_path)
    monkeypatch.setenv("HDGEN_CACHE_DIR", "off")
    monkeypatch.setattr(command, "_render", _render_tagged_with_pid)
    in_workers = {tree.env.partition("@")[2] for tree in command.rendered_envs(Project(root), envs, jobs=2)}
    assert in_workers and str(os.getpid()) not in in_workers
    in_this = {tree.env.partition("@")[2] for tree in command.rendered_envs(Project(root), envs, jobs=1)}
    assert in_this == {str(os.getpid())}


def _render_tagged_with_pid(project, env: str, key):
    """hdgen's _render, with the id of the process that ran it in the env's name (module level: workers unpickle it)."""
    return _REAL_RENDER(project, env, key)._replace(env=f"{env}@{os.getpid()}")


def _project_for_workers(tmp_path: Path) -> tuple[Path, list[str]]:
    """A synthetic project with enough values that `render --all` uses worker processes."""
    from bench.synth import Scale, make_project
    from hdgen.render.envs import PARALLEL_FROM

    root = tmp_path / "big"
    envs = make_project(Scale("jobs", 130, 2), root)
    assert sum(f.stat().st_size for f in (root / "values").glob("*.yaml")) >= PARALLEL_FROM
    return root, envs
