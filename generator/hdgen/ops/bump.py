"""Plan an image bump: which apps change, from what to what, and the edited values text.

plan_bump reads one snapshot of the values file and plans everything from it (the
edited values are loaded and checked before anything is written); apply_bump hands
the plan to ops/apply.py, which writes, renders and commits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hdgen.errors import HdgenError, InputError
from hdgen.patterns import COMMIT_SHA, DIGEST
from hdgen.yaml.edit import line_of, set_string

SHORT_DIGEST = len("sha256:") + 12  # enough to tell digests apart in a one-line summary


@dataclass(frozen=True)
class ImageChange:
    """One app's image before and after the bump."""

    service: str
    old_tag: str | None
    new_tag: str
    old_digest: str | None
    new_digest: str | None  # None: the bump leaves the digest as it is

    @property
    def final_digest(self) -> str | None:
        return self.new_digest if self.new_digest is not None else self.old_digest

    @property
    def changed(self) -> bool:
        return self.new_tag != self.old_tag or self.final_digest != self.old_digest

    @property
    def old_ref(self) -> str:
        return image_text(self.old_tag, self.old_digest)

    @property
    def new_ref(self) -> str:
        return image_text(self.new_tag, self.final_digest)

    def short_refs(self) -> tuple[str, str]:
        """old_ref and new_ref with digests shortened, as commit subjects show them."""
        return image_text(self.old_tag, self.old_digest, short=True), image_text(self.new_tag, self.final_digest, short=True)


def image_text(tag: str | None, digest: str | None, short: bool = False) -> str:
    ref = tag or "(no tag)"
    if digest:
        ref += "@" + (digest[:SHORT_DIGEST] if short else digest)
    return ref


def check_sha(value: str, flag: str) -> str:
    """A commit SHA as image tags use it: 7-40 lowercase hex."""
    if COMMIT_SHA.match(value):
        return value
    if COMMIT_SHA.match(value.lower()):
        # Not lowered for the user: registry tags are case-sensitive, so ABC123F and abc123f are different images.
        raise InputError(
            f"{flag} {value}: use lowercase hex (image tags are case-sensitive; `git rev-parse HEAD` prints lowercase)"
        )
    raise InputError(f"{flag} {value!r}: expected a commit SHA, 7 to 40 lowercase hex digits")


def parse_digests(specs: list[str], services: list[str]) -> dict[str, str]:
    """--digest SERVICE=sha256:<64 hex> arguments, each for one of the services being bumped."""
    digests: dict[str, str] = {}
    for spec in specs:
        service, sep, digest = spec.partition("=")
        if not sep or not service:
            raise InputError(f"--digest {spec!r}: expected SERVICE=sha256:<64 hex digits>")
        if not DIGEST.match(digest):
            hint = " (use lowercase hex)" if DIGEST.match(digest.lower()) else ""
            raise InputError(f"--digest {spec!r}: the digest must be sha256: and 64 lowercase hex digits{hint}")
        if service not in services:
            raise InputError(
                f"--digest {service}: {service} is not among the services being bumped ({', '.join(services)})"
            )
        if service in digests and digests[service] != digest:
            raise InputError(f"--digest {service}: given twice with different digests")
        digests[service] = digest
    return digests


def select_services(apps: list[str], requested: list[str] | None, env: str) -> list[str]:
    """The services to bump: every app of the env, or the requested ones (checked, in the env's order)."""
    if not requested:
        return list(apps)
    unknown = [name for name in dict.fromkeys(requested) if name not in apps]
    if unknown:
        from hdgen.words import did_you_mean

        hint = did_you_mean(unknown[0], apps).strip(" ()")
        raise InputError(
            f"unknown service {unknown[0]!r} in {env} ({hint + ' ' if hint else ''}known services: {', '.join(apps)})"
        )
    return [name for name in apps if name in requested]


def plan_changes(model, services: list[str], sha: str, digests: dict[str, str]) -> list[ImageChange]:
    """What the bump does to each service's image (model: the env's current hdgen.model.Values)."""
    changes = []
    for service in services:
        image = model.apps[service].image
        changes.append(
            ImageChange(
                service=service,
                old_tag=image.tag,
                new_tag=sha,
                old_digest=image.digest,
                new_digest=digests.get(service),
            )
        )
    return changes


def refuse_stale_digests(changes: list[ImageChange], texts: list[tuple[str, str]]) -> None:
    """A pinned digest names the old image: moving the tag alone would still run the old one."""
    for change in changes:
        if change.old_digest and change.new_tag != change.old_tag and change.new_digest is None:
            path = ("apps", change.service, "image", "digest")
            raise InputError(
                f"{where(texts, path)}: {'.'.join(path)}: pins the image of {change.old_tag}; a new tag needs the new "
                f"image's digest: pass --digest {change.service}=sha256:<64 hex>"
            )


def where(texts: list[tuple[str, str]], path: tuple[str, ...], fallback: str = "values") -> str:
    """`file:line` of path in the last of the merged (label, text) files that sets it: the one that wins."""
    return next((f"{label}:{line}" for label, text in reversed(texts) if (line := line_of(text, label, path))), fallback)


def apply_changes(text: str, label: str, changes: list[ImageChange]) -> str:
    """The values text with each change's tag and digest set (only those scalars change)."""
    for change in changes:
        path = ("apps", change.service, "image")
        if change.new_tag != change.old_tag:
            text = set_string(text, label, (*path, "tag"), change.new_tag)
        if change.new_digest is not None and change.new_digest != change.old_digest:
            text = set_string(text, label, (*path, "digest"), change.new_digest)
    return text


def verify(model, changes: list[ImageChange]) -> None:
    """The edited values say what the plan says (a guard against an edit landing elsewhere)."""
    for change in changes:
        image = model.apps[change.service].image
        if (image.tag, image.digest) != (change.new_tag, change.final_digest):
            raise HdgenError(
                f"internal error: after the edit apps.{change.service}.image is "
                f"{image_text(image.tag, image.digest)}, expected {change.new_ref}; nothing was written"
            )


def summary_line(change: ImageChange) -> str:
    if not change.changed:
        return f"{change.service}: already at {change.new_ref}"
    return f"{change.service}: {change.old_ref} -> {change.new_ref}"


def commit_message(env: str, changes: list[ImageChange], source_sha: str | None) -> str:
    """`bump(prod): api, worker d3708e6 -> 1a2b3c4`, a body line per service, then trailers."""
    changed = [c for c in changes if c.changed]
    names = ", ".join(c.service for c in changed)
    subject = f"bump({env}): {names}"
    if any(c.new_tag != c.old_tag for c in changed):
        olds = {c.old_tag or "(no tag)" for c in changed}
        subject += (f" {olds.pop()}" if len(olds) == 1 else "") + f" -> {changed[0].new_tag}"
    else:  # only digests move: name them, shortened
        news = {image_text(c.new_tag, c.final_digest, short=True) for c in changed}
        subject += f" -> {news.pop()}" if len(news) == 1 else " -> pinned digests"
    body = "\n".join(summary_line(c) for c in changed)
    message = f"{subject}\n\n{body}\n"
    if source_sha:
        message += f"\nSource-Commit: {source_sha}\n"
    return message


@dataclass(frozen=True)
class PlannedBump:
    """A bump ready to write: the values text before and after, and what it changes."""

    project: Any  # hdgen.project.Project
    env: str
    values_path: Path
    label: str
    original: str
    edited: str
    loaded: Any  # hdgen.values.LoadedValues of the edited text
    changes: list  # list[hdgen.bump.ImageChange]

    @property
    def changed(self) -> list:
        return [c for c in self.changes if c.changed]


def merged_texts(project, env: str, read: dict[Path, str]) -> list[tuple[str, str]]:
    """(label, text) of each file merged for env, lowest precedence first; read: texts already read."""
    from hdgen.yaml.read import read_text

    return [
        (project.relative(path), read[path] if path in read else read_text(path, project.relative(path)))
        for path in project.values_files(env)
    ]


def plan_bump(project, env: str, sha: str, requested: list[str] | None, digest_specs: list[str]) -> PlannedBump:
    """The bump of env's app images to sha, planned from one snapshot of values/ENV.yaml."""
    from hdgen.render.values import load_env
    from hdgen.yaml.read import read_text

    values_path = project.values_dir / f"{env}.yaml"
    label = project.relative(values_path)
    original = read_text(values_path, label)
    loaded = load_env(project, env, texts={values_path: original})
    services = select_services(list(loaded.model.apps), requested, env)
    changes = plan_changes(loaded.model, services, sha, parse_digests(digest_specs, services))
    # The digest may be pinned in defaults.yaml too: look for it in every merged file.
    refuse_stale_digests(changes, merged_texts(project, env, {values_path: original}))
    return edit_plan(project, env, values_path, original, changes)


def edit_plan(project, env: str, values_path: Path, original: str, changes: list[ImageChange]) -> PlannedBump:
    """The changes applied to original (the text of values_path as read), loaded and verified; nothing written."""
    from hdgen.render.values import load_env

    label = project.relative(values_path)
    edited = apply_changes(original, label, changes)
    new_loaded = None
    if any(c.changed for c in changes):
        new_loaded = load_env(project, env, texts={values_path: edited})
        verify(new_loaded.model, changes)
    return PlannedBump(project, env, values_path, label, original, edited, new_loaded, changes)


def apply_bump(plan: PlannedBump, *, render: bool, commit: bool, source_sha: str | None) -> None:
    """Write the plan under the env's lock, re-render (render) and commit (commit); undone if the commit fails."""
    from hdgen.ops.apply import apply_plan

    message = commit_message(plan.env, plan.changes, source_sha) if commit else None
    apply_plan(plan, operation="bump", render=render, commit_message=message)


def unified_diff(before: str, after: str, label: str) -> str:
    """What --dry-run prints: the change to label as git would show it."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{label}", f"b/{label}"
    )
    # A last line without a newline would run into the next hunk line; say so like git does.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
