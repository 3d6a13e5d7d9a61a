"""What "an app's image" is, in one place: the repository it defaults to, the reference it makes.

The values model (model.Image, plan.py) and the history of the values (ops/history.py,
which reads raw merged data without the model, for speed) both use these, so a
rendered image and a history row can never disagree on what an app runs.
"""

from __future__ import annotations

from typing import Any, NamedTuple

DEFAULT_IMAGE_PREFIX = "honeydue-"  # values key imagePrefix


def app_repository(registry: str | None, image_prefix: str, app: str) -> str:
    """<registry>/<imagePrefix><app>: where an app's image lives unless image.repository says otherwise."""
    return f"{registry}/{image_prefix}{app}"


def reference(repository: str | None, tag: str | None, digest: str | None) -> str:
    """repository:tag@digest, each part only when set: what a container's image field says."""
    ref = repository or ""
    if tag:
        ref += f":{tag}"
    if digest:
        ref += f"@{digest}"
    return ref


class AppImage(NamedTuple):
    """One app's image as the merged values say it."""

    repository: str
    tag: str | None
    digest: str | None

    @property
    def reference(self) -> str:
        return reference(self.repository, self.tag, self.digest)


def app_images(data: Any) -> dict[str, AppImage]:
    """Each app's image in merged values data (camelCase keys, as in the files), without the model.

    Anything that is not the shape the model accepts is skipped: this reads history,
    where a commit may hold values that never validated.
    """
    if not isinstance(data, dict) or not isinstance(data.get("apps"), dict):
        return {}
    prefix = data.get("imagePrefix", DEFAULT_IMAGE_PREFIX)
    images = {}
    for name, app in data["apps"].items():
        image = app.get("image") if isinstance(app, dict) else None
        image = image if isinstance(image, dict) else {}
        repository = image.get("repository") or app_repository(data.get("registry"), prefix, name)
        images[name] = AppImage(repository, _text(image.get("tag")), _text(image.get("digest")))
    return images


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
