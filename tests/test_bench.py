"""The benchmark harness keeps working: one run at the smallest scale (no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def test_bench_harness_runs_at_the_smallest_scale(tmp_path):
    env = {
        "HDGEN_KUBECONFORM": str(REPO / ".tools" / "bin" / "kubeconform"),
        "HDGEN_KUSTOMIZE": str(REPO / ".tools" / "bin" / "kustomize"),
        **os.environ,
        "HDGEN_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--scales", "honeydue", "--runs", "1", "--no-plot", "--out-dir", str(tmp_path)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    results = (tmp_path / "results.md").read_text()
    for command in ("hdgen render", "kustomize build", "hdgen validate", "kubeconform", "hdgen diff", "hdgen ci", "hdgen --help"):
        assert f"| honeydue (1 env) | {command} |" in results
    assert "| honeydue (1 env) | hdgen render (cache hit) |" in results
    assert "`hdgen render prod` ≤ 1.5× `kustomize build rendered/prod` (cold: no caches)" in results
    assert "| honeydue (1 env) | hdgen validate (cache hit) |" in results
    # The honeydue scale is the shipped prod values: its objects are the committed tree's.
    objects = sum(1 for f in ("prod", "_gitops/prod") for p in (REPO / "rendered" / f).rglob("*.yaml") if p.name != "kustomization.yaml")
    assert f"`hdgen validate` ≤ 1.15× bare kubeconform ({objects} resources, cold: no caches)" in results
    assert f"`hdgen validate` ≤ 1.15× bare kubeconform ({objects} resources, tree unchanged since the last validate)" in results
    assert not (tmp_path / "results.png").exists()  # --no-plot
