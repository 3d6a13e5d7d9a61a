"""hdgen render: values/ENV.yaml -> rendered/ENV/, or --check that it is fresh."""

from __future__ import annotations

import argparse
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


def run(args: argparse.Namespace) -> int:
    from hdgen.project import AGENT_DIR, find_project
    from hdgen.tree import check_output_dir, compare_env, write_env

    project = find_project(args.project_dir)
    envs = selected_envs(args, project)
    output_dir = args.out if args.out is not None else project.rendered_dir
    check_output_dir(output_dir, project.root)
    check_output_dir(output_dir / AGENT_DIR, project.root)
    # Load and render every env before writing any: a bad values file stops the run with nothing changed.
    trees = [_rendered(project, env) for env in envs]
    stale = False
    for tree in trees:
        if args.check:
            for folder, changes in compare_env(output_dir, tree):
                stale |= not _report_freshness(tree.env, project.relative(folder), changes)
        else:
            for folder, changes in write_env(output_dir, tree):
                print(f"{tree.env}: {changes.summary()} ({project.relative(folder)})")
    return EXIT_FINDINGS if stale else EXIT_OK


def _rendered(project, env: str):
    """env's rendered files: from the render cache when its inputs are unchanged, else rendered now."""
    from hdgen import rendercache

    cached, key = rendercache.lookup(project, env)
    if cached is not None:
        return cached
    from hdgen.render import render_env
    from hdgen.values import load_env

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
