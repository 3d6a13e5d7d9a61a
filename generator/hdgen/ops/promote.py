"""Plan a promote: DST's app images (tag and digest) set to what SRC runs, and nothing else.

It is a bump whose new images come from another env's merged values instead of
--sha, so it plans with bump's pieces (ImageChange, the surgical edit, the check
that the edited values say what the plan says) and writes through ops/apply.py.
What SRC runs must be knowable from git: an app on a mutable tag (`latest`, a
branch name, no tag) is refused, since the registry may have moved it since.
"""

from __future__ import annotations

from hdgen.errors import InputError
from hdgen.ops.bump import (
    ImageChange,
    PlannedBump,
    edit_plan,
    merged_texts,
    select_services,
    summary_line,
    where,
)


def plan_promote(project, source: str, target: str, requested: list[str] | None) -> PlannedBump:
    """target's values/ENV.yaml edited so each chosen app runs source's image; checked, not written."""
    from hdgen.render.values import load_env
    from hdgen.yaml.read import read_text

    if source == target:
        raise InputError(f"promote {source} -> {target}: SRC and DST are the same env; name two different envs")
    source_loaded = load_env(project, source)
    values_path = project.values_dir / f"{target}.yaml"
    label = project.relative(values_path)
    original = read_text(values_path, label)
    loaded = load_env(project, target, texts={values_path: original})
    services = select_services(list(loaded.model.apps), requested, target)
    source_apps = source_loaded.model.apps
    missing = [name for name in services if name not in source_apps]
    if missing:
        raise InputError(
            f"unknown service {missing[0]!r} in {source} (known services: {', '.join(source_apps)}); "
            f"promote only the apps both envs run with --service"
        )
    source_texts = merged_texts(project, source, {})
    target_texts = merged_texts(project, target, {values_path: original})
    changes = []
    for service in services:
        image = source_apps[service].image
        refuse_unknowable(source, service, image, source_texts)
        changes.append(_change(service, image, loaded.model.apps[service].image, source, target_texts))
    return edit_plan(project, target, values_path, original, changes)


def refuse_unknowable(source: str, service: str, image, texts: list[tuple[str, str]]) -> None:
    """An image that names no one build (the model's is_mutable): promoting it could ship anything."""
    if image.is_mutable:
        path = ("apps", service, "image", "tag")
        shown = f"the mutable tag {image.tag}" if image.tag else "no tag and no digest"
        raise InputError(
            f"{where(texts, path, f'values/{source}.yaml')}: {'.'.join(path)}: {source} runs {service} on {shown}, "
            f"so what it runs cannot be known from git: pin it with `hdgen bump {source} --sha SHA`, then promote"
        )
    if image.tag is None:
        path = ("apps", service, "image", "digest")
        raise InputError(
            f"{where(texts, path, f'values/{source}.yaml')}: {'.'.join(path)}: {source} runs {service} by digest "
            f"with no tag; promote copies the tag too: give it one with `hdgen bump {source} --sha SHA --digest …`"
        )


def _change(service: str, source_image, target_image, source: str, target_texts) -> ImageChange:
    change = ImageChange(
        service=service,
        old_tag=target_image.tag,
        new_tag=source_image.tag,
        old_digest=target_image.digest,
        new_digest=source_image.digest,  # None: source pins no digest, so the target's stays
    )
    if change.old_digest and change.new_digest is None and change.new_tag != change.old_tag:
        # A values edit only sets scalars: it cannot delete the pin, and the pin would keep the old image.
        path = ("apps", service, "image", "digest")
        raise InputError(
            f"{where(target_texts, path)}: {'.'.join(path)}: pins the image of {change.old_tag}, and {source} "
            f"runs {change.new_tag} with no digest: pin {source}'s digest "
            f"(`hdgen bump {source} --sha {change.new_tag} --digest {service}=sha256:…`) or delete this line"
        )
    return change


def commit_message(source: str, target: str, changes: list[ImageChange]) -> str:
    """`promote(staging -> prod): api, worker d3708e6 -> 1a2b3c4`; apps that move alike share a group."""
    groups: dict[tuple[str, str], list[str]] = {}
    for change in changes:
        if change.changed:
            groups.setdefault(change.short_refs(), []).append(change.service)
    moves = ", ".join(f"{', '.join(names)} {old} -> {new}" for (old, new), names in groups.items())
    body = "\n".join(summary_line(c) for c in changes if c.changed)
    return f"promote({source} -> {target}): {moves}\n\n{body}\n"


def apply_promote(plan: PlannedBump, source: str, *, render: bool, commit: bool) -> None:
    """Write the plan under the target env's lock, re-render (render) and commit (commit)."""
    from hdgen.ops.apply import apply_plan

    message = commit_message(source, plan.env, plan.changes) if commit else None
    apply_plan(plan, operation="promote", render=render, commit_message=message)
