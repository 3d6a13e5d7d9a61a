"""Manifests from the files of an env folder read out of git (the base of a diff)."""

from __future__ import annotations

from hdgen.errors import InputError
from hdgen.objects.manifest import Manifest

MANIFEST_SUFFIXES = (".yaml", ".yml")
# Not cluster objects: the folder's kustomization lists the files for the GitOps agent.
NOT_OBJECTS = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})


def parse_manifests(files: dict[str, bytes], label: str) -> list[Manifest]:
    """Every Kubernetes object in files (path -> bytes); label prefixes paths in errors."""
    from hdgen.yaml.stream import load_all

    manifests = []
    seen: dict[tuple, str] = {}
    for path, raw in files.items():
        if not path.endswith(MANIFEST_SUFFIXES) or path.rpartition("/")[2] in NOT_OBJECTS:
            continue
        where = f"{label}/{path}"
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{where}: not UTF-8 text") from None
        documents = load_all(text, where)
        for body in documents:
            if not isinstance(body, dict) or not body.get("kind") or not body.get("apiVersion"):
                continue  # empty documents and non-objects are not applied either
            manifest = Manifest(path=path, body=body, text="")
            if manifest.key in seen:
                raise InputError(
                    f"{where}: {manifest.kind} {manifest.name!r} is also defined in {label}/{seen[manifest.key]}"
                )
            seen[manifest.key] = path
            manifests.append(manifest)
    return manifests
