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


def complete_services(prefix: str, parsed_args, **_) -> list[str]:
    """App names of the env on the command line (parsed_args.env), for --service and --digest."""
    from hdgen.project import find_project
    from hdgen.render.values import load_env

    try:
        project = find_project(getattr(parsed_args, "project_dir", None))
        apps = list(load_env(project, parsed_args.env).model.apps)
    except Exception:  # completion must never print an error into the user's shell
        return []
    return [name for name in apps if name.startswith(prefix)]


def add_service_argument(parser: argparse.ArgumentParser, help: str, completer=complete_services) -> None:
    """--service S, repeatable, completed from the env's apps: the commands that act on some apps."""
    service = parser.add_argument("--service", action="append", metavar="S", help=help)
    service.completer = completer  # argcomplete reads this attribute


def complete_git_refs(prefix: str, parsed_args, commits: bool = True, **_) -> list[str]:
    """Branches, tags and remote branches, then (commits) the last commits' short SHAs: for --base and --to."""
    from hdgen.git import Git
    from hdgen.project import find_project

    try:
        git = Git(find_project(getattr(parsed_args, "project_dir", None)).root)
        refs = git.run("for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes").split()
        recent = git.run("log", "-n20", "--format=%h").split() if commits else []
    except Exception:  # completion must never print an error into the user's shell
        return []
    return [name for name in dict.fromkeys(["HEAD", *refs, *recent]) if name.startswith(prefix)]


def add_base_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """--base REF, completed from the project's git refs and commits (diff, ci)."""
    base = parser.add_argument("--base", metavar="REF", help=help)
    base.completer = complete_git_refs  # argcomplete reads this attribute


def complete_image_shas(prefix: str, parsed_args, **_) -> list[str]:
    """The commit-SHA image tags the project's envs run: the SHAs of --sha and --source-sha are
    the app repository's commits, not this repository's, so its git log would mislead; what an
    env already runs is a real build (a hotfix back to it, or prod to staging's build)."""
    from hdgen.patterns import COMMIT_SHA
    from hdgen.project import find_project
    from hdgen.yaml.read import load_data, read_text

    found: list[str] = []
    try:
        project = find_project(getattr(parsed_args, "project_dir", None))
        for path in sorted(project.values_dir.glob("*.yaml")):
            data = load_data(read_text(path, path.name))
            apps = data.get("apps") if isinstance(data, dict) else None
            for app in (apps or {}).values() if isinstance(apps, dict) else ():
                image = app.get("image") if isinstance(app, dict) else None
                tag = image.get("tag") if isinstance(image, dict) else None
                if isinstance(tag, str) and COMMIT_SHA.match(tag):
                    found.append(tag)
    except Exception:  # completion must never print an error into the user's shell
        return []
    return [sha for sha in dict.fromkeys(found) if sha.startswith(prefix)]
