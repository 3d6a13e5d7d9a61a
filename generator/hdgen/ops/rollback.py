"""Plan an image rollback: each chosen app's image (tag and digest) back to an earlier one.

The earlier image comes from git (ops/history.py): as it was at a commit (--to), or
N distinct images back in the app's history (--steps, default 1). Images only: every
other value stays as it is (a whole-env rollback is `git revert`). The edit is bump's:
surgical scalar edits of values/ENV.yaml (hdgen.yaml.edit), the edited values loaded
and checked before anything is written, then ops/apply.py writes, renders and commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hdgen.errors import HdgenError, InputError
from hdgen.render.images import AppImage
from hdgen.yaml.edit import set_null, set_string

IMAGES_ONLY = "images only: every other value stays as it is; a whole-env rollback is `git revert`"


@dataclass(frozen=True)
class ImageRollback:
    """One app's image now and after the rollback."""

    service: str
    old: AppImage
    new: AppImage

    @property
    def changed(self) -> bool:
        return (self.old.tag, self.old.digest) != (self.new.tag, self.new.digest)


def ref(image: AppImage, short: bool = False) -> str:
    from hdgen.ops.bump import image_text

    return image_text(image.tag, image.digest, short=short)


def current_images(model) -> dict[str, AppImage]:
    """Each app's image in the values as they are now (model: hdgen.render.model.Values)."""
    from hdgen.render.images import app_repository

    return {
        name: AppImage(
            app.image.repository or app_repository(model.registry, model.image_prefix, name),
            app.image.tag,
            app.image.digest,
        )
        for name, app in model.apps.items()
    }


def targets_at(project, env: str, spec: str, services: list[str]) -> tuple[str, dict[str, AppImage]]:
    """(the commit, each service's image there): --to COMMIT."""
    from hdgen.ops.history import git_of, has_commits, images_at, resolve_commit

    git = git_of(project)
    if not has_commits(git):
        raise InputError(f"--to {spec}: the repository has no commits")
    commit = resolve_commit(git, spec)
    images = images_at(project, env, commit)
    for service in services:
        if service not in images:
            raise InputError(f"--to {spec}: {service} did not exist in {env} at {commit[:12]}")
    return commit, {service: images[service] for service in services}


def targets_back(project, env: str, steps: int, current: dict[str, AppImage], services: list[str]) -> dict:
    """Each service's image `steps` distinct images before its current one, from history."""
    from hdgen.ops.history import read_history

    rows = [row for row in read_history(project, env) if row.error is None]
    targets = {}
    for service in services:
        seen = [current[service]]  # the distinct images, newest first, consecutive repeats collapsed
        for row in rows:
            image = row.images.get(service)
            if image is None:
                break  # before the app existed
            if (image.tag, image.digest) != (seen[-1].tag, seen[-1].digest):
                seen.append(image)
        if len(seen) <= steps:
            earlier = len(seen) - 1
            raise InputError(
                f"nothing to roll back: {service} in {env} has {earlier or 'no'} earlier "
                f"image{'' if earlier == 1 else 's'} in this branch's history"
                + (f", fewer than --steps {steps}" if earlier else f" (it has run {ref(seen[0])} since it appeared)")
            )
        targets[service] = seen[steps]
    return targets


def edit_images(text: str, label: str, changes: list[ImageRollback]) -> str:
    """The values text with each change's tag and digest set; null where the earlier image had none."""
    for change in changes:
        for key, old, new in (("tag", change.old.tag, change.new.tag), ("digest", change.old.digest, change.new.digest)):
            if new == old:
                continue
            path = ("apps", change.service, "image", key)
            text = set_null(text, label, path) if new is None else set_string(text, label, path, new)
    return text


def verify(model, changes: list[ImageRollback]) -> None:
    """The edited values say what the plan says (a guard against an edit landing elsewhere)."""
    for change in changes:
        image = model.apps[change.service].image
        if (image.tag, image.digest) != (change.new.tag, change.new.digest):
            raise HdgenError(
                f"internal error: after the edit apps.{change.service}.image is "
                f"{ref(image)}, expected {ref(change.new)}; nothing was written"
            )


def summary_line(change: ImageRollback) -> str:
    if not change.changed:
        return f"{change.service}: already at {ref(change.new)}"
    return f"{change.service}: {ref(change.old)} -> {ref(change.new)}"


def commit_message(env: str, changes: list[ImageRollback], source: str) -> str:
    """`rollback(prod): api, worker 1a2b3c4 -> d3708e6` (`; ` between different moves), a body line
    per service, then where the images came from."""
    changed = [c for c in changes if c.changed]
    tags_move = any(c.new.tag != c.old.tag for c in changed)
    groups: dict[tuple[str, str], list[str]] = {}  # (old, new) -> the services that move so
    for c in changed:
        move = (c.old.tag or "(no tag)", c.new.tag or "(no tag)") if tags_move else (ref(c.old, True), ref(c.new, True))
        groups.setdefault(move, []).append(c.service)
    subject = f"rollback({env}): " + "; ".join(f"{', '.join(names)} {old} -> {new}" for (old, new), names in groups.items())
    body = "\n".join(summary_line(c) for c in changed)
    return f"{subject}\n\n{body}\n\nThe images {source}; {IMAGES_ONLY}.\n"


@dataclass(frozen=True)
class PlannedRollback:
    """A rollback ready to write: the values text before and after, and what it changes."""

    project: Any  # hdgen.project.Project
    env: str
    values_path: Any  # Path of values/ENV.yaml
    label: str
    original: str
    edited: str
    loaded: Any  # hdgen.render.values.LoadedValues of the edited text, None when nothing changes
    changes: list  # list[ImageRollback]
    source: str  # which images, for messages: "as they were at 1a2b3c4d5e6f", "before the current ones"

    @property
    def changed(self) -> list:
        return [c for c in self.changes if c.changed]


def plan_rollback(project, env: str, requested: list[str] | None, to: str | None, steps: int) -> PlannedRollback:
    """The rollback of env's chosen app images, planned from one snapshot of values/ENV.yaml."""
    from hdgen.ops.bump import select_services
    from hdgen.render.values import load_env
    from hdgen.yaml.read import read_text

    values_path = project.values_dir / f"{env}.yaml"
    label = project.relative(values_path)
    original = read_text(values_path, label)
    current = current_images(load_env(project, env, texts={values_path: original}).model)
    services = select_services(list(current), requested, env)
    if to is not None:
        commit, targets = targets_at(project, env, to, services)
        source = f"as they were at {commit[:12]}"
    else:
        targets = targets_back(project, env, steps, current, services)
        source = "before the current ones" if steps == 1 else f"{steps} distinct images back"
    changes = [ImageRollback(s, current[s], targets[s]) for s in services]
    edited = edit_images(original, label, changes)
    new_loaded = None
    if any(c.changed for c in changes):
        new_loaded = load_env(project, env, texts={values_path: edited})  # refuses values that do not validate
        verify(new_loaded.model, changes)
    return PlannedRollback(project, env, values_path, label, original, edited, new_loaded, changes, source)


def apply_rollback(plan: PlannedRollback, *, render: bool, commit: bool) -> None:
    """Write the plan under the env's lock, re-render (render) and commit (commit); undone if the commit fails."""
    from hdgen.ops.apply import apply_plan

    message = commit_message(plan.env, plan.changes, plan.source) if commit else None
    apply_plan(plan, operation="rollback", render=render, commit_message=message)
