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
    from hdgen.project import find_project
    from hdgen.render import render_env
    from hdgen.tree import check_output_dir, compare, write_tree
    from hdgen.values import load_env

    project = find_project(args.project_dir)
    envs = selected_envs(args, project)
    output_dir = args.out if args.out is not None else project.rendered_dir
    check_output_dir(output_dir, project.root)
    # Load and render every env before writing any: a bad values file stops the run with nothing changed.
    trees = [render_env(load_env(project, env)) for env in envs]
    stale = False
    for tree in trees:
        folder = output_dir / tree.env
        shown = project.relative(folder)
        if args.check:
            changes = compare(folder, tree.files)
            if changes.unchanged:
                print(f"{tree.env}: fresh ({shown})")
                continue
            stale = True
            print(f"{tree.env}: stale ({shown}): run `hdgen render {tree.env}` and commit the result")
            for word, paths in (("missing", changes.added), ("different", changes.changed), ("extra", changes.removed)):
                for path in paths:
                    print(f"  {word}: {shown}/{path}")
        else:
            changes = write_tree(output_dir, tree.env, tree.files)
            print(f"{tree.env}: {changes.summary()} ({shown})")
    return EXIT_FINDINGS if stale else EXIT_OK
