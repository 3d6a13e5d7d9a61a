"""hdgen rotate: raise a Secret's revision in values/ENV.yaml, so the pods that read it roll.

Run it after the Secret changed in the cluster (or its sealed or external secret did):
the revision goes into git, the readers' pod templates carry it (an annotation), and
the GitOps agent rolls exactly them. Planned and checked by hdgen.ops.rotate, written,
rendered (--render) and committed (--commit) by hdgen.ops.apply, like bump.
"""

from __future__ import annotations

import argparse

from hdgen.commands.edits import add_write_arguments, check_write_flags, refuse_early
from hdgen.commands.envargs import complete_envs
from hdgen.errors import EXIT_OK

HELP = "raise a Secret's revision in values/ENV.yaml, so the pods that read the Secret roll"


def complete_secrets(prefix: str, parsed_args, **_) -> list[str]:
    """The Secrets the env on the command line references."""
    from hdgen.project import find_project
    from hdgen.render.values import load_env

    try:
        project = find_project(getattr(parsed_args, "project_dir", None))
        names = load_env(project, parsed_args.env).model.referenced_secrets()
    except Exception:  # completion must never print an error into the user's shell
        return []
    return sorted(name for name in names if name.startswith(prefix))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = parser.add_argument("env", metavar="ENV", help="the env whose values/ENV.yaml to edit")
    env.completer = complete_envs  # argcomplete reads this attribute
    secret = parser.add_argument(
        "secret", metavar="SECRET", help="the Secret's name as the tree references it, e.g. honeydue-secrets"
    )
    secret.completer = complete_secrets
    add_write_arguments(parser, "ENV")


def run(args: argparse.Namespace) -> int:
    from hdgen.ops.bump import unified_diff
    from hdgen.ops.rotate import apply_rotate, plan_rotate, rolls_line
    from hdgen.project import find_project

    project = find_project(args.project_dir)
    env = project.check_env(args.env)
    check_write_flags(args)

    plan = plan_rotate(project, env, args.secret)
    refuse_early(plan, args, "rotate")
    print(f"{env}: Secret {plan.change} (secrets.revisions.{plan.secret})")
    print(rolls_line(plan))
    if args.dry_run:
        print(unified_diff(plan.original, plan.edited, plan.label), end="")
        return EXIT_OK
    apply_rotate(plan, render=args.render, commit=args.commit)
    return EXIT_OK
