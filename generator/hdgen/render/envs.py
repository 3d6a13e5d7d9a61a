"""The render pipeline's entry point: envs from the cache or rendered now, then written or compared.

Shared by `hdgen render`, `hdgen diff` and `hdgen ci`, so all three take a
render from the same cache (render/cache.py) and keep theirs there.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

# rendered: a render.cache.RenderedFiles (with its manifests when asked for);
# folders: (folder, TreeChanges) of each folder written, or compared with --check.
EnvRender = namedtuple("EnvRender", "rendered folders")


def render_envs(project, envs: list[str], *, out: Path | None = None, check: bool = False,
                jobs: int = 1, manifests: bool = False) -> Iterator[EnvRender]:
    """Each env rendered (or from the render cache), in envs' order; then, when out is given,
    written into out/ENV, or with check compared with it (nothing written).

    Every env is loaded and rendered before this returns, and before any is written: a bad
    values file stops the run with nothing changed. Each env is written as the caller comes
    to it, so what the caller prints about one env shows before the next is written.
    manifests: also each env's parsed objects (RenderedFiles.manifests), for a diff.
    """
    if out is not None:
        from hdgen.project import AGENT_DIR
        from hdgen.render.tree import check_output_dir

        check_output_dir(out, project.root)
        check_output_dir(out / AGENT_DIR, project.root)
    return _written(rendered_envs(project, envs, jobs=jobs, manifests=manifests), out, check)


def _written(trees: list, out: Path | None, check: bool) -> Iterator[EnvRender]:
    from hdgen.render.tree import compare_env, write_env

    apply = compare_env if check else write_env
    for tree in trees:
        yield EnvRender(tree, apply(out, tree) if out is not None else [])


def rendered_envs(project, envs: list[str], jobs: int = 1, manifests: bool = False) -> list:
    """Each env's rendered files (rendercache.RenderedFiles), in envs' order.

    Envs whose inputs are unchanged come from the render cache. The others are
    independent of each other, so when there is enough of them (PARALLEL_FROM
    bytes of values) and jobs > 1 they render in forked worker processes.
    """
    from hdgen.render import cache as rendercache

    found = {env: rendercache.lookup(project, env) for env in envs}
    missing = [env for env, (cached, _) in found.items() if cached is None]
    keys = [found[env][1] for env in missing]
    render = _render_with_manifests if manifests else _render
    workers = min(len(missing), jobs)
    if workers < 2 or _values_bytes(project, missing) < PARALLEL_FROM:
        fresh = [render(project, env, key) for env, key in zip(missing, keys)]
    else:
        fresh = _render_in_workers(render, project, missing, keys, workers)
    rendered = dict(zip(missing, fresh))
    trees = [rendered.get(env) or found[env][0] for env in envs]
    return [_with_manifests(tree) if manifests and tree.manifests is None else tree for tree in trees]


# Measured with bench/synth projects on 2 cores, `render --all`, no caches: with two workers,
# prod + staging (6 KiB of values) took 0.77-0.83 s against 0.69-0.77 s in one process,
# s-40x2 (50 KiB) broke even at ~1.0 s, l-200x6 (670 KiB, 2,940 resources) took 2.3-3.6 s
# against 3.9-4.3 s. Below this much values text a pool costs more than it saves.
PARALLEL_FROM = 128 * 1024


def _values_bytes(project, envs: list[str]) -> int:
    total = 0
    for env in envs:
        for path in project.values_files(env):
            try:
                total += path.stat().st_size
            except OSError:
                pass  # the render says so
    return total


def _render_in_workers(render, project, envs: list[str], keys: list, workers: int) -> list:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Imported and compiled before the fork, so the workers share them instead of each doing it again.
    import hdgen.render.values  # noqa: F401
    from hdgen.render.pipeline import load_templates

    load_templates()

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(render, [project] * len(envs), envs, keys))


def _render(project, env: str, key: str | None):
    """env rendered now, and kept in the render cache under key."""
    return _render_with_manifests(project, env, key)._replace(manifests=None)


def _render_with_manifests(project, env: str, key: str | None):
    """_render, keeping the parsed objects in the result (the cache keeps only the files)."""
    from hdgen.render import cache as rendercache
    from hdgen.render.pipeline import render_env
    from hdgen.render.values import load_env

    tree = render_env(load_env(project, env))
    rendered = rendercache.RenderedFiles(env=tree.env, files=tree.files, agent_files=tree.agent_files)
    rendercache.store(project, rendered, key)
    return rendered._replace(manifests=tree.manifests)


def _with_manifests(rendered):
    """A cached render with its objects read back from its files: the cache keeps only text,
    and the text is the canonical dump of those objects, so reading it gives them back."""
    from hdgen.objects.reader import load_contents

    documents, _ = load_contents(((path, text.encode()) for path, text in rendered.files.items()), None)
    return rendered._replace(manifests=documents)
