"""Generate the offline schemas kubeconform reads, in kubeconform's own layout.

    schemas/v1.33.0-standalone-strict/deployment-apps-v1.json   built-in kinds, strict
    schemas/v1.33.0-standalone/deployment-apps-v1.json          the same, unknown fields allowed
    schemas/crds/argoproj.io/application_v1alpha1.json          custom resources (strict)
    schemas/crds/_sources/*.yaml                                the CRDs those come from

Built-in kinds, every one the Kubernetes version serves (hdgen.validate.served
says which and why), come from the pinned PyPI package kubernetes-validate. Its
`-local` schemas point into a shared `/api/_definitions.json`, which kubeconform
cannot resolve offline, so each kind's file gets the definitions it needs
inlined under `$defs` (only string `$ref` values are rewritten). Descriptions
are dropped: they are most of the bytes and validate nothing.

Output is compact, key-sorted JSON, so regenerating gives the same bytes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hdgen import kubeversions
from hdgen.errors import InputError, ToolError
from hdgen.validate.served import package_schemas, served_files

CRDS_FOLDER = "crds"
CRD_SOURCES_FOLDER = "_sources"

_DEFINITIONS_REF = "/api/_definitions.json#"


def check_version(version: str) -> str:
    if not kubeversions.is_version(version):
        raise InputError(f"--kubernetes-version {version!r}: use MAJOR.MINOR.PATCH, e.g. {kubeversions.DEFAULT}")
    return version


def schema_json(schema: Any) -> str:
    """The one formatting of every schema file hdgen writes."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


# --- built-in kinds -------------------------------------------------------------


def builtin_schemas(version: str, strict: bool) -> dict[str, str]:
    """File name -> text of the standalone schema of every kind one Kubernetes version serves
    (hdgen.validate.served decides which)."""
    source = package_schemas(version, strict)
    definitions = json.loads((source / "_definitions.json").read_text())["$defs"]
    files = {}
    for name in sorted(served_files(version).values()):
        schema = json.loads((source / name).read_text())
        files[name] = schema_json(standalone(schema, definitions))
    return files


def standalone(schema: dict, definitions: dict[str, Any]) -> dict:
    """schema with the definitions it references (transitively) inlined under $defs."""
    needed: set[str] = set()
    pending = list(_refs(schema))
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        if name not in definitions:
            raise ToolError(f"kubernetes-validate schema refers to a missing definition {name!r}")
        needed.add(name)
        pending.extend(_refs(definitions[name]))
    result = _rewrite(schema)
    result.pop("$id", None)  # its base URL would make "#/$defs/…" resolve against kubernetes.io
    result["$defs"] = {name: _rewrite(definitions[name]) for name in sorted(needed)}
    return result


def _refs(node: Any) -> Iterable[str]:
    """Names of the definitions node refers to."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                pointer = value.removeprefix(_DEFINITIONS_REF[:-1]).lstrip("#")
                if pointer.startswith("/$defs/"):
                    yield pointer[len("/$defs/"):]
            elif key != "description":
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _rewrite(node: Any) -> Any:
    """A copy of node whose `$ref`s point into the same file, without descriptions."""
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_DEFINITIONS_REF):
                result[key] = "#" + value[len(_DEFINITIONS_REF):]
            elif key == "description" and isinstance(value, str):
                continue
            else:
                result[key] = _rewrite(value)
        return result
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


# --- custom resources ----------------------------------------------------------


def crd_schemas(text: str, label: str) -> dict[str, str]:
    """"<group>/<kind>_<version>.json" -> schema text, for every CustomResourceDefinition in text."""
    from hdgen.objects.reader import is_list
    from hdgen.yaml.stream import load_all

    documents = [d for d in load_all(text, label) if d is not None]
    crds = []
    for document in documents:
        if isinstance(document, dict) and isinstance(document.get("kind"), str) and is_list(document):
            crds.extend(i for i in document.get("items") or [] if isinstance(i, dict))
        elif isinstance(document, dict):
            crds.append(document)
    files = {}
    for crd in crds:
        if crd.get("kind") != "CustomResourceDefinition":
            continue
        spec = crd.get("spec") or {}
        group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
        if not group or not kind:
            raise InputError(f"{label}: CustomResourceDefinition {crd.get('metadata', {}).get('name')!r} has no spec.group or spec.names.kind")
        for version in spec.get("versions") or []:
            schema = ((version.get("schema") or {}).get("openAPIV3Schema")) or spec.get("validation", {}).get("openAPIV3Schema")
            if not schema:
                continue
            files[f"{group}/{kind.lower()}_{version['name']}.json"] = schema_json(strict_crd_schema(schema))
    if not files:
        raise InputError(f"{label}: no CustomResourceDefinition with an openAPIV3Schema in it")
    return files


def strict_crd_schema(schema: dict) -> dict:
    """The CRD's schema as kubeconform wants it: unknown fields refused where the CRD lists
    properties (as the API server prunes them), int-or-string spelled out, no descriptions."""
    return _strict(copy.deepcopy(schema))


def _strict(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node.get("x-kubernetes-int-or-string"):
        return {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    node.pop("description", None)
    if "properties" in node and "additionalProperties" not in node and not node.get("x-kubernetes-preserve-unknown-fields"):
        node["additionalProperties"] = False
    for key in ("properties", "patternProperties", "definitions"):
        if isinstance(node.get(key), dict):
            node[key] = {name: _strict(sub) for name, sub in node[key].items()}
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            node[key] = _strict(node[key])
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            node[key] = [_strict(sub) for sub in node[key]]
    return node


# --- the schemas/ folder ----------------------------------------------------------


def project_versions(schemas_dir: Path) -> list[str]:
    """The Kubernetes versions schemas/ holds, plus the pinned ones."""
    found = {p.name[1:].split("-")[0] for p in schemas_dir.glob("v*-standalone-strict")}
    return sorted(found | set(kubeversions.PINNED), key=lambda v: tuple(int(x) for x in v.split(".")))


def generate(schemas_dir: Path, versions: Iterable[str]) -> dict[str, str]:
    """Every file `schemas update` writes for versions (path under schemas/ -> text)."""
    files: dict[str, str] = {}
    for version in versions:
        for strict, suffix in ((True, "-standalone-strict"), (False, "-standalone")):
            for name, text in builtin_schemas(version, strict).items():
                files[f"v{version}{suffix}/{name}"] = text
    files.update(generate_crds(schemas_dir))
    return files


def generate_crds(schemas_dir: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    sources = schemas_dir / CRDS_FOLDER / CRD_SOURCES_FOLDER
    for source in sorted(sources.glob("*.y*ml")):
        label = source.as_posix()
        for name, text in crd_schemas(source.read_text(encoding="utf-8"), label).items():
            files[f"{CRDS_FOLDER}/{name}"] = text
    return files


def write_generated(schemas_dir: Path, files: dict[str, str], owned_folders: Iterable[str]) -> list[str]:
    """Write files under schemas_dir; in each owned folder, remove the .json files not generated.

    Returns the paths written or removed. Each file is replaced atomically.
    """
    changed = []
    for relative, text in sorted(files.items()):
        path = schemas_dir / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.tmp")
        scratch.write_text(text, encoding="utf-8")
        scratch.replace(path)
        changed.append(relative)
    for folder in owned_folders:
        base = schemas_dir / folder
        for path in sorted(base.rglob("*.json")) if base.is_dir() else []:
            relative = path.relative_to(schemas_dir).as_posix()
            if relative not in files and CRD_SOURCES_FOLDER not in path.relative_to(base).parts:
                path.unlink()
                changed.append(relative)
    return changed


def import_crds(schemas_dir: Path, crd_files: list[Path]) -> list[str]:
    """Convert CRD files into schemas/crds/ and keep each source in crds/_sources/ for `schemas update`."""
    converted: dict[str, str] = {}
    texts: dict[str, bytes] = {}
    for crd_file in crd_files:
        try:
            raw = crd_file.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{crd_file}: cannot read: {getattr(error, 'strerror', None) or error}") from None
        converted.update({f"{CRDS_FOLDER}/{k}": v for k, v in crd_schemas(text, str(crd_file)).items()})
        texts[crd_file.name] = raw
    # Every file is checked before anything is written: a bad one changes nothing.
    sources = schemas_dir / CRDS_FOLDER / CRD_SOURCES_FOLDER
    sources.mkdir(parents=True, exist_ok=True)
    written = write_generated(schemas_dir, converted, owned_folders=())
    for name, raw in texts.items():
        target = sources / name
        if not target.is_file() or target.read_bytes() != raw:
            target.write_bytes(raw)  # the bytes exactly as given
            written.append(target.relative_to(schemas_dir).as_posix())
    return written
