"""The render cache serves only what a render of the same inputs would write."""

from __future__ import annotations

import shutil
from pathlib import Path

from hdgen.render.cache import PACKAGE_DIR, code_digest
from tests.conftest import run_hdgen


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "renders").glob("*.marshal")) if (cache / "renders").is_dir() else []


def test_a_cached_render_is_the_render(project: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    on, off = {"HDGEN_CACHE_DIR": str(cache)}, {"HDGEN_CACHE_DIR": "off"}
    first = run_hdgen("render", "--all", "--check", cwd=project, env=on)
    assert first.code == 0, first.err
    assert len(_entries(cache)) == 2  # one per env
    again = run_hdgen("render", "--all", "--check", cwd=project, env=on)
    assert (again.code, again.out) == (first.code, first.out)

    # A values change is a miss: the check sees the stale tree, the render writes the new one.
    values = project / "values" / "prod.yaml"
    values.write_text(values.read_text().replace('"d3708e6"', '"0badc0de"', 1))
    stale = run_hdgen("render", "--check", "prod", cwd=project, env=on)
    assert stale.code == 1 and "different: rendered/prod/api/deployment.yaml" in stale.out
    assert run_hdgen("render", "prod", cwd=project, env=on).code == 0
    cached_tree = {p.relative_to(project): p.read_bytes() for p in (project / "rendered").rglob("*") if p.is_file()}
    assert run_hdgen("render", "--check", "prod", cwd=project, env=off).code == 0  # what no cache renders
    assert b"0badc0de" in cached_tree[Path("rendered/prod/api/deployment.yaml")]


def test_a_damaged_entry_is_a_miss(project: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    env = {"HDGEN_CACHE_DIR": str(cache)}
    assert run_hdgen("render", "--check", "prod", cwd=project, env=env).code == 0
    (entry,) = _entries(cache)
    import marshal

    whole = entry.read_bytes()
    for damage in (whole[: len(whole) // 2], b'{"key": "', b"", marshal.dumps([1, 2]), marshal.dumps({"key": 1})):
        entry.write_bytes(damage)
        result = run_hdgen("render", "--check", "prod", cwd=project, env=env)
        assert result.code == 0, result.err
        assert result.out.startswith("prod: fresh")


def test_bad_values_are_never_cached(project: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    values = project / "values" / "prod.yaml"
    values.write_text(values.read_text().replace("replicas: 2", 'replicas: "2"', 1))
    result = run_hdgen("render", "prod", cwd=project, env={"HDGEN_CACHE_DIR": str(cache)})
    assert result.code == 2 and "apps.worker.replicas" in result.err
    assert _entries(cache) == []


def test_off_writes_no_cache(project: Path, tmp_path: Path):
    home = tmp_path / "home"
    result = run_hdgen("render", "--check", "prod", cwd=project, env={"HDGEN_CACHE_DIR": "off", "XDG_CACHE_HOME": str(home)})
    assert result.code == 0
    assert not home.exists()


def test_the_key_covers_hdgen_code_and_templates(tmp_path: Path):
    digest = code_digest.__wrapped__  # the function without its per-process memo
    copy = tmp_path / "hdgen"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = digest(copy)
    template = next(copy.rglob("*.j2"))
    template.write_text(template.read_text() + "\n")
    after_template = digest(copy)
    module = copy / "yaml" / "block_dump.py"
    module.write_text(module.read_text() + "\n")
    assert len({before, after_template, digest(copy)}) == 3
