"""Arguments shared by commands that take env names: ENV… or --all, with completion."""

from __future__ import annotations

import argparse

from hdgen.errors import InputError


def complete_envs(prefix: str, parsed_args, **_) -> list[str]:
    from hdgen.project import find_project

    try:
        project = find_project(getattr(parsed_args, "project_dir", None))
    except Exception:
        return []
    return [env for env in project.envs() if env.startswith(prefix)]


def add_env_arguments(parser: argparse.ArgumentParser, *, allow_all: bool = True) -> None:
    envs = parser.add_argument("envs", nargs="*", metavar="ENV", help="env names (values/ENV.yaml)")
    envs.completer = complete_envs  # argcomplete reads this attribute
    if allow_all:
        parser.add_argument("--all", action="store_true", help="every env in values/")


def selected_envs(args, project) -> list[str]:
    """The envs the user asked for, each checked; --all means every env."""
    if getattr(args, "all", False):
        if args.envs:
            raise InputError("give env names or --all, not both")
        envs = project.envs()
        if not envs:
            raise InputError(f"no env values in {project.relative(project.values_dir)}/")
        return envs
    if not args.envs:
        raise InputError("name at least one env, or --all" + f" (known envs: {', '.join(project.envs())})")
    return [project.check_env(env) for env in dict.fromkeys(args.envs)]
