"""Manifests from the files of an env folder read out of git (the base of a diff)."""

from __future__ import annotations

from hdgen.errors import InputError
from hdgen.manifest import Manifest
from hdgen.yamlio import MAX_DEPTH, nesting_problem

MANIFEST_SUFFIXES = (".yaml", ".yml")
# Not cluster objects: the folder's kustomization lists the files for the GitOps agent.
NOT_OBJECTS = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})


def parse_manifests(files: dict[str, bytes], label: str) -> list[Manifest]:
    """Every Kubernetes object in files (path -> bytes); label prefixes paths in errors."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    loader = YAML(typ="safe", pure=False)
    manifests = []
    seen: dict[tuple, str] = {}
    for path, raw in files.items():
        if not path.endswith(MANIFEST_SUFFIXES) or path.rpartition("/")[2] in NOT_OBJECTS:
            continue
        where = f"{label}/{path}"
        try:
            text = raw.decode("utf-8")
            deep = nesting_problem(text)
            if deep is not None:  # the C loader would crash the process on it
                raise InputError(f"{where}:{deep[0]}: nested more than {MAX_DEPTH} levels deep")
            documents = list(loader.load_all(text))
        except UnicodeDecodeError:
            raise InputError(f"{where}: not UTF-8 text") from None
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = f":{mark.line + 1}" if mark is not None else ""
            raise InputError(f"{where}{line}: invalid YAML: {' '.join(str(error.problem).split())}") from None
        except YAMLError as error:
            raise InputError(f"{where}: invalid YAML: {' '.join(str(error).split())}") from None
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
