"""hdgen history: what an env ran when, from git alone (hdgen.ops.history), newest first."""

from __future__ import annotations

import argparse

from hdgen.commands.envargs import add_service_argument, complete_envs
from hdgen.errors import EXIT_OK, InputError

HELP = "list the commits that changed what ENV runs, newest first, with each app's image after each"
SHORT_SHA = 12


def count_of(text: str, flag: str, meaning: str) -> int:
    """A whole number of 1 or more, checked here rather than by argparse: the error is one line."""
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"{flag} {text!r}: expected a whole number") from None
    if value < 1:
        raise InputError(f"{flag} {value}: expected 1 or more ({meaning})")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = parser.add_argument("env", metavar="ENV", help="the env whose values history to read")
    env.completer = complete_envs  # argcomplete reads this attribute
    add_service_argument(parser, "only commits that changed this app's image, and only its image (repeatable)")
    parser.add_argument("--limit", metavar="N", help="at most N rows, the newest (default: all)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def short_ref(image) -> str:
    """tag@sha256:<12 hex>: enough to tell images apart in a row."""
    from hdgen.ops.bump import image_text

    return image_text(image.tag, image.digest, short=True)


def text_rows(env: str, rows: list) -> str:
    if not rows:
        return f"{env}: no commit on this branch changed what it runs\n"
    lines = []
    for row in rows:
        lines.append(f"{row.commit[:SHORT_SHA]}  {row.date}  {row.author}  {row.subject}")
        if row.error:
            lines.append(f"    ({row.error})")
        names = list(row.images)
        width = max((len(n) for n in names), default=0)
        for name in names:
            mark = "*" if name in row.changed else " "
            lines.append(f"  {mark} {name.ljust(width)}  {short_ref(row.images[name])}")
    lines.append("(* the image that commit changed)")
    return "\n".join(lines) + "\n"


def json_rows(env: str, rows: list) -> str:
    import json

    return json.dumps({"env": env, "history": [row.as_json() for row in rows]}, indent=2) + "\n"


def run(args: argparse.Namespace) -> int:
    from hdgen.ops.history import for_services, known_apps, read_history
    from hdgen.project import find_project

    project = find_project(args.project_dir)
    env = project.check_env(args.env)
    services = list(dict.fromkeys(args.service)) if args.service else None
    limit = count_of(args.limit, "--limit", "the number of rows to show") if args.limit is not None else None
    rows = read_history(project, env)
    if services:
        known = known_apps(rows)
        unknown = [name for name in services if name not in known]
        if unknown:
            raise InputError(
                f"unknown service {unknown[0]!r} in {env}'s history (known services: {', '.join(known) or 'none'})"
            )
        rows = for_services(rows, services)
    rows = rows[:limit] if limit else rows
    print((json_rows if args.format == "json" else text_rows)(env, rows), end="")
    return EXIT_OK
