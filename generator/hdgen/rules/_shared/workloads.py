"""Where the pods and containers of a workload live, with the key path of each.

Workload rules look only at the kinds of hdgen.objects.kinds (the one table of
workload kinds and their pod template paths); every other kind has no pod
template and is simply not checked by them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hdgen.objects import kinds
from hdgen.objects.record import Document
from hdgen.rules._shared.base import get, items

CONTAINER_LISTS = ("initContainers", "containers")


@dataclass(frozen=True)
class Container:
    body: dict
    path: tuple[str | int, ...]  # key path of the container in the document
    init: bool  # an init container (also a restartable "sidecar" init container)

    @property
    def name(self) -> str:
        return str(self.body.get("name") or "?")

    @property
    def label(self) -> str:
        return f"{'init container' if self.init else 'container'} {self.name!r}"


def pod_spec_path(document: Document) -> tuple[str, ...] | None:
    path = kinds.pod_spec_path(document.kind)
    if path is None or not isinstance(get(document.body, *path), dict):
        return None
    return path


def containers(document: Document, *, init: bool = True) -> Iterator[Container]:
    """Every container of the workload's pod template; init containers first when init."""
    path = pod_spec_path(document)
    if path is None:
        return
    for list_name in CONTAINER_LISTS:
        is_init = list_name == "initContainers"
        if is_init and not init:
            continue
        for index, body in items(document.body, *path, list_name):
            yield Container(body=body, path=(*path, list_name, index), init=is_init)


def pod_labels(document: Document) -> dict:
    """The labels of the pods a workload creates ({} for other kinds)."""
    path = kinds.pod_spec_path(document.kind)
    if path is None:
        return {}
    labels = get(document.body, *path[:-1], "metadata", "labels")
    return labels if isinstance(labels, dict) else {}
