"""Plan a Secret rotation: raise one Secret's revision in values/ENV.yaml, and say what rolls.

The Secret itself changes out of band (kubectl, a sealed or external secret): hdgen
never holds its data. What goes into git is `secrets.revisions.<name>`, a counter the
pods that read the Secret carry as an annotation (render/plan.py), so the GitOps agent
rolls exactly them. plan_rotate plans from one snapshot of the values file and checks
the edited values before anything is written; apply_rotate hands the plan to
ops/apply.py, which writes, renders and commits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hdgen.errors import HdgenError, InputError
from hdgen.yaml.edit import set_integer

# Why a Secret with no reader in the tree rolls nothing, by the values key that names it.
_NO_ROLL = {
    "imagePullSecrets": (
        "the kubelet reads {name} only when it pulls an image: running pods hold no copy of it, "
        "and the next pull uses the new credential"
    ),
    "ingress.tlsSecret": (
        "the ingress controller watches {name} and serves the new certificate without a restart"
    ),
}


@dataclass(frozen=True)
class PlannedRotation:
    """A rotation ready to write: the values text before and after, and the workloads it rolls."""

    project: Any  # hdgen.project.Project
    env: str
    secret: str
    role: str  # the values key that names the Secret: secrets.app, imagePullSecrets, …
    old: int | None  # None: no revision yet (no annotation rendered)
    new: int
    values_path: Path
    label: str
    original: str
    edited: str
    loaded: Any  # hdgen.render.values.LoadedValues of the edited text
    rolls: list[tuple[str, str]]  # (kind, name) of every workload that reads the Secret

    @property
    def change(self) -> str:
        return f"{self.secret} {_shown(self.old)} -> {self.new}"


def _shown(revision: int | None) -> str:
    return "none" if revision is None else str(revision)


def plan_rotate(project, env: str, secret: str) -> PlannedRotation:
    """The next revision of secret in env, planned from one snapshot of values/ENV.yaml."""
    from hdgen.render.model import unknown_secret
    from hdgen.render.plan import pod_readers
    from hdgen.render.values import load_env
    from hdgen.yaml.read import read_text

    values_path = project.values_dir / f"{env}.yaml"
    label = project.relative(values_path)
    original = read_text(values_path, label)
    model = load_env(project, env, texts={values_path: original}).model
    known = model.referenced_secrets()
    if secret not in known:
        raise InputError(f"{env}: {unknown_secret(secret, known)}")
    old = model.secrets.revisions.get(secret)
    new = 1 if old is None else old + 1
    edited = set_integer(original, label, ("secrets", "revisions", secret), new)
    loaded = load_env(project, env, texts={values_path: edited})
    if loaded.model.secrets.revisions.get(secret) != new:  # a guard against an edit landing elsewhere
        raise HdgenError(
            f"internal error: after the edit secrets.revisions.{secret} is "
            f"{loaded.model.secrets.revisions.get(secret)}, expected {new}; nothing was written"
        )
    rolls = pod_readers(loaded.model).get(secret, [])
    return PlannedRotation(project, env, secret, known[secret], old, new, values_path, label, original, edited,
                           loaded, rolls)


def rolls_line(plan: PlannedRotation) -> str:
    """What the agent does once the rotation is merged, in one line."""
    if plan.rolls:
        names = ", ".join(f"{kind} {name}" for kind, name in plan.rolls)
        return f"rolls {names}: they read {plan.secret} and carry its revision"
    reason = _NO_ROLL.get(plan.role, "no workload of this env reads {name}")
    return "no pods roll: " + reason.format(name=plan.secret)


def commit_message(plan: PlannedRotation) -> str:
    """`rotate(prod): honeydue-secrets 2 -> 3`, then what rolls."""
    rolls = rolls_line(plan)
    return (
        f"rotate({plan.env}): {plan.change}\n\n"
        f"Secret {plan.secret} ({plan.role}) changed out of band; its revision in values rolls its readers.\n"
        f"{rolls[0].upper()}{rolls[1:]}.\n"
    )


def apply_rotate(plan: PlannedRotation, *, render: bool, commit: bool) -> None:
    """Write the plan under the env's lock, re-render (render) and commit (commit); undone if the commit fails."""
    from hdgen.ops.apply import apply_plan

    message = commit_message(plan) if commit else None
    apply_plan(plan, operation="rotate", render=render, commit_message=message)
