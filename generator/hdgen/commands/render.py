"""hdgen render: values/ENV.yaml -> rendered/ENV/, or --check that it is fresh."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from hdgen.commands.envargs import add_env_arguments, selected_envs
from hdgen.errors import EXIT_FINDINGS, EXIT_OK

HELP = "render values/ENV.yaml into rendered/ENV/ (atomically; stale files removed)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_env_arguments(parser)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing every missing, extra or different file",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="write DIR/ENV instead of rendered/ENV")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="render up to N envs at once, in worker processes (default: the number of cores)",
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from hdgen.project import AGENT_DIR, find_project
    from hdgen.render.tree import check_output_dir, compare_env, write_env

    project = find_project(args.project_dir)
    envs = selected_envs(args, project)
    output_dir = args.out if args.out is not None else project.rendered_dir
    check_output_dir(output_dir, project.root)
    check_output_dir(output_dir / AGENT_DIR, project.root)
    # Load and render every env before writing any: a bad values file stops the run with nothing changed.
    trees = rendered_envs(project, envs, jobs=args.jobs)
    stale = False
    for tree in trees:
        if args.check:
            for folder, changes in compare_env(output_dir, tree):
                stale |= not _report_freshness(tree.env, project.relative(folder), changes)
        else:
            for folder, changes in write_env(output_dir, tree):
                print(f"{tree.env}: {changes.summary()} ({project.relative(folder)})")
    return EXIT_FINDINGS if stale else EXIT_OK


def rendered_envs(project, envs: list[str], jobs: int = 1) -> list:
    """Each env's rendered files (rendercache.RenderedFiles), in envs' order.

    Envs whose inputs are unchanged come from the render cache. The others are
    independent of each other, so when there is enough of them (PARALLEL_FROM
    bytes of values) and jobs > 1 they render in forked worker processes.
    """
    from hdgen.render import cache as rendercache

    found = {env: rendercache.lookup(project, env) for env in envs}
    missing = [env for env, (cached, _) in found.items() if cached is None]
    workers = min(len(missing), jobs)
    if workers < 2 or _values_bytes(project, missing) < PARALLEL_FROM:
        fresh = [_render(project, env, found[env][1]) for env in missing]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Imported and compiled before the fork, so the workers share them instead of each doing it again.
        import hdgen.render.values  # noqa: F401
        from hdgen.render.pipeline import load_templates

        load_templates()

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            fresh = list(pool.map(_render, [project] * len(missing), missing, [found[env][1] for env in missing]))
    rendered = dict(zip(missing, fresh))
    return [rendered.get(env) or found[env][0] for env in envs]


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


def _render(project, env: str, key: str | None):
    """env rendered now, and kept in the render cache under key."""
    from hdgen.render import cache as rendercache
    from hdgen.render.pipeline import render_env
    from hdgen.render.values import load_env

    tree = render_env(load_env(project, env))
    rendered = rendercache.RenderedFiles(env=tree.env, files=tree.files, agent_files=tree.agent_files)
    rendercache.store(project, rendered, key)
    return rendered


def _report_freshness(env: str, shown: str, changes) -> bool:
    """Print whether a folder is fresh, and every difference if not; True when fresh."""
    if changes.unchanged:
        print(f"{env}: fresh ({shown})")
        return True
    print(f"{env}: stale ({shown}): run `hdgen render {env}` and commit the result")
    for word, path in changes.differences():
        print(f"  {word}: {shown}/{path}")
    return False
