"""What a change does to an app's rollout beyond its objects: migrations run, canaries start, move, end.

Read from the objects, base against head, as the agent will see them:

  migration        a migration Job (hdgen.io/migration-of) that is new: it runs, with its image
  canary-started   a canary Deployment (hdgen.io/canary-of) that is new: its weight and image
  canary-changed   the canary's weight or image changed
  canary-promoted  the canary is gone and the app now runs the canary's image
  canary-aborted   the canary is gone and the app still runs another image

The weight is the canary's share in its TraefikService (<app>-canary), in percent.
"""

from __future__ import annotations

from dataclasses import dataclass

from hdgen.diff.impact import container_images
from hdgen.objects.record import Document
from hdgen.patterns import CANARY_OF_ANNOTATION, MIGRATION_OF_ANNOTATION

EVENTS = ("migration", "canary-started", "canary-changed", "canary-promoted", "canary-aborted")


@dataclass(frozen=True)
class RolloutEvent:
    app: str
    event: str  # one of EVENTS
    image: str  # the migration's, or the canary's
    weight: int | None  # the canary's share in percent, when it runs
    line: str  # what the writers print

    def to_json(self) -> dict:
        return {"app": self.app, "event": self.event, "image": self.image, "weight": self.weight, "line": self.line}


@dataclass(frozen=True)
class _Canary:
    image: str
    weight: int | None


def rollout_events(base: list[Document], head: list[Document]) -> tuple[RolloutEvent, ...]:
    """Every migration that runs and every canary that starts, changes or ends, by app."""
    events = _migrations(base, head)
    old, new = _canaries(base), _canaries(head)
    for app in sorted({*old, *new}):
        event = _canary_event(app, old.get(app), new.get(app), _app_image(head, app))
        if event is not None:
            events.append(event)
    return tuple(sorted(events, key=lambda e: (e.app, EVENTS.index(e.event))))


def _migrations(base: list[Document], head: list[Document]) -> list[RolloutEvent]:
    before = {d.key for d in base}
    events = []
    for document in head:
        app = _annotation(document, MIGRATION_OF_ANNOTATION)
        if document.kind == "Job" and app and document.key not in before:
            image = ", ".join(container_images(document.body)) or "?"
            events.append(RolloutEvent(
                app, "migration", image, None,
                f"runs migration {document.name} with image {image} before {app}'s new pods start",
            ))
    return events


def _canary_event(app: str, old: _Canary | None, new: _Canary | None, app_image: str) -> RolloutEvent | None:
    if new is not None and new != old:
        share = f"{new.weight}%" if new.weight is not None else "an unknown share"
        was = ""
        if old is not None:
            was = f" (was {old.weight if old.weight is not None else '?'}% on image {old.image})"
        event = "canary-started" if old is None else "canary-changed"
        return RolloutEvent(app, event, new.image, new.weight, f"canary of {app} at {share} on image {new.image}{was}")
    if new is None and old is not None:
        if old.image == app_image:
            return RolloutEvent(app, "canary-promoted", old.image, None,
                                f"canary of {app} promoted: {app} now runs image {old.image}")
        return RolloutEvent(app, "canary-aborted", old.image, None,
                            f"canary of {app} aborted: image {old.image} stops, {app} stays on image {app_image or '?'}")
    return None


def _canaries(documents: list[Document]) -> dict[str, _Canary]:
    """app -> its canary, from the canary Deployments and their TraefikServices."""
    splits = {(d.namespace, d.name): d.body for d in documents if d.kind == "TraefikService"}
    found = {}
    for document in documents:
        app = _annotation(document, CANARY_OF_ANNOTATION)
        if document.kind != "Deployment" or not app:
            continue
        images = container_images(document.body)
        split = splits.get((document.namespace, document.name))
        found[app] = _Canary(images[0] if images else "?", _weight(split, document.name))
    return found


def _weight(split: dict | None, service: str) -> int | None:
    """service's share of a weighted TraefikService, in percent (None when it cannot be read)."""
    services = (((split or {}).get("spec") or {}).get("weighted") or {}).get("services") or []
    weights = {s.get("name"): s.get("weight", 1) for s in services if isinstance(s, dict)}
    if service not in weights or not all(isinstance(w, int) for w in weights.values()) or not sum(weights.values()):
        return None
    return round(100 * weights[service] / sum(weights.values()))


def _app_image(documents: list[Document], app: str) -> str:
    for document in documents:
        if document.kind == "Deployment" and document.name == app:
            images = container_images(document.body)
            return images[0] if images else ""
    return ""


def _annotation(document: Document, name: str) -> str:
    annotations = document.metadata.get("annotations")
    return str(annotations.get(name) or "") if isinstance(annotations, dict) else ""
