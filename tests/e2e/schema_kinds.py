"""The built-in kinds hdgen has a strict schema for, read from the schema files themselves.

The agreement test (test_server_agreement.py) takes whatever schemas/ holds at
the default Kubernetes version, so a kind added to schemas/ is checked against
the real API server without anyone touching the test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hdgen import kubeversions
from tests.conftest import REPO


@dataclass(frozen=True, order=True)
class Gvk:
    group: str  # "" for the core group
    version: str
    kind: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def __str__(self) -> str:
        return f"{self.api_version} {self.kind}"


@dataclass(frozen=True)
class KindSchema:
    """One schema file: the kind it describes, its root and its definitions (for `$ref`s)."""

    gvk: Gvk
    path: Path
    root: dict[str, Any] = field(repr=False)

    @property
    def definitions(self) -> dict[str, Any]:
        return self.root.get("$defs") or {}


def strict_folder(version: str = kubeversions.DEFAULT, project: Path = REPO) -> Path:
    return project / "schemas" / f"v{version}-standalone-strict"


def kind_schemas(version: str = kubeversions.DEFAULT, project: Path = REPO) -> list[KindSchema]:
    """Every (group, version, kind) with a strict schema in project's schemas/, from `x-kubernetes-group-version-kind`."""
    folder = strict_folder(version, project)
    found: dict[Gvk, KindSchema] = {}
    for path in sorted(folder.glob("*.json")):
        root = json.loads(path.read_text(encoding="utf-8"))
        for entry in root.get("x-kubernetes-group-version-kind") or []:
            gvk = Gvk(entry.get("group", ""), entry["version"], entry["kind"])
            found.setdefault(gvk, KindSchema(gvk, path, root))
    assert found, f"no schemas with x-kubernetes-group-version-kind in {folder}"
    return [found[gvk] for gvk in sorted(found)]


def hdgen_served_kinds(version: str = kubeversions.DEFAULT) -> set[Gvk]:
    """The kinds hdgen treats as served by a default API server of `version` (hdgen.validate.served)."""
    from hdgen.validate.served import served_kinds

    return {Gvk(*k) for k in served_kinds(version)}
