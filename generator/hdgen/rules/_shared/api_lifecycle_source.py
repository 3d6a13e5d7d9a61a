"""Build api_lifecycle.py, HD015's table, from the API server's own lifecycle records.

Every type of a Kubernetes API package has a generated
`zz_generated.prerelease-lifecycle.go`: `APILifecycleIntroduced` on every type,
and on alpha and beta types also `APILifecycleDeprecated`,
`APILifecycleReplacement` and `APILifecycleRemoved`. The API server stops
serving a version at its Removed release from these very functions, so they are
the served ranges. They live in the Go modules k8s.io/api (built-in groups),
k8s.io/apiextensions-apiserver (CustomResourceDefinition) and
k8s.io/kube-aggregator (APIService), tagged v0.MINOR.PATCH for Kubernetes
1.MINOR.PATCH.

    make api-lifecycle    # go mod download, read, write api_lifecycle.py

For each version of kubeversions.PINNED the modules are downloaded into the Go
module cache (`go mod download -json`, which prints where), the packages read,
and the rows merged: a row carries the minors whose modules hold it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hdgen import kubeversions

# (module, folder of its API group packages: <folder>/<group dir>/<version>/)
MODULES = (
    ("k8s.io/api", ""),
    ("k8s.io/apiextensions-apiserver", "pkg/apis"),
    ("k8s.io/kube-aggregator", "pkg/apis"),
)
LIFECYCLE_FILE = "zz_generated.prerelease-lifecycle.go"
VERSION_DIR = re.compile(r"^v[0-9]+((alpha|beta)[0-9]+)?$")
GROUP_NAME = re.compile(r'^const GroupName\s*(?:string\s*)?=\s*"([^"]*)"', re.MULTILINE)
RELEASE = re.compile(
    r"func \(in \*(\w+)\) APILifecycle(Introduced|Deprecated|Removed)\(\) \(major, minor int\) \{\s*return (\d+), (\d+)"
)
REPLACEMENT = re.compile(
    r"func \(in \*(\w+)\) APILifecycleReplacement\(\) schema\.GroupVersionKind \{\s*"
    r'return schema\.GroupVersionKind\{Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"\}'
)
OUTPUT = Path(__file__).with_name("api_lifecycle.py")


@dataclass(frozen=True)
class TypeRecord:
    """One type of one API version, as its lifecycle functions describe it."""

    api_version: str
    kind: str
    introduced: tuple[int, int] | None
    deprecated: tuple[int, int] | None = None
    removed: tuple[int, int] | None = None
    replacement: tuple[str, str] | None = None  # (apiVersion, kind)


def module_version(kubernetes_version: str) -> str:
    """k8s.io/api and its siblings are tagged v0.MINOR.PATCH for Kubernetes 1.MINOR.PATCH."""
    major, minor, patch = kubernetes_version.split(".")
    return f"v0.{minor}.{patch}"


def download(module: str, version: str) -> Path:
    """The module's folder in the Go module cache, downloading it first if needed."""
    if shutil.which("go") is None:
        raise RuntimeError("go is not on PATH: the lifecycle table is read from Go modules (install Go, as `make tools` needs)")
    # Outside any Go module or workspace, so no go.mod or go.work around is read or changed.
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            ["go", "mod", "download", "-json", f"{module}@{version}"],
            capture_output=True, text=True, check=False, cwd=scratch, env={**os.environ, "GOWORK": "off"},
        )
    info = json.loads(done.stdout or "{}")
    if done.returncode != 0 or "Dir" not in info:
        raise RuntimeError(f"go mod download {module}@{version} failed: {info.get('Error') or done.stderr.strip()}")
    return Path(info["Dir"])


def read_module(root: Path) -> tuple[list[TypeRecord], set[str]]:
    """Every type with lifecycle functions, and every apiVersion with a package, under root."""
    records: list[TypeRecord] = []
    api_versions: set[str] = set()
    for register in sorted(root.glob("*/*/register.go")):
        package = register.parent
        found = GROUP_NAME.search(register.read_text())
        if not VERSION_DIR.match(package.name) or found is None:
            continue
        group = found.group(1)
        api_version = f"{group}/{package.name}" if group else package.name
        api_versions.add(api_version)
        lifecycle = package / LIFECYCLE_FILE
        if lifecycle.is_file():
            records += read_lifecycle(api_version, lifecycle.read_text())
    return records, api_versions


def read_lifecycle(api_version: str, text: str) -> list[TypeRecord]:
    """The types of one zz_generated.prerelease-lifecycle.go; a FooList is left out when Foo is there."""
    releases: dict[str, dict[str, tuple[int, int]]] = {}
    for kind, what, major, minor in RELEASE.findall(text):
        releases.setdefault(kind, {})[what] = (int(major), int(minor))
    replacements = {
        # networking.k8s.io/v1beta1 IngressClass names IngressClassList as its replacement: a slip
        # in the upstream tags; a type is always replaced by the same kind.
        kind: (f"{group}/{version}" if group else version, kind if new_kind == kind + "List" else new_kind)
        for kind, group, version, new_kind in REPLACEMENT.findall(text)
    }
    return [
        TypeRecord(
            api_version, kind, found.get("Introduced"), found.get("Deprecated"), found.get("Removed"),
            replacements.get(kind),
        )
        for kind, found in sorted(releases.items())
        if not (kind.endswith("List") and kind[: -len("List")] in releases)
    ]


def read_pinned(kubernetes_version: str) -> tuple[list[TypeRecord], set[str], list[str]]:
    """The records and apiVersions of every module of one Kubernetes version, and the module@versions read."""
    version = module_version(kubernetes_version)
    records: list[TypeRecord] = []
    api_versions: set[str] = set()
    sources = []
    for module, folder in MODULES:
        found, versions = read_module(download(module, version) / folder if folder else download(module, version))
        records += found
        api_versions |= versions
        sources.append(f"{module}@{version}")
    return sorted(records, key=lambda r: (r.api_version, r.kind)), api_versions, sources


def render(pinned: tuple[str, ...] = kubeversions.PINNED) -> str:
    """The text of api_lifecycle.py for the pinned Kubernetes versions."""
    rows: dict[TypeRecord, list[str]] = {}
    served: dict[str, list[str]] = {}
    headers = []
    for kubernetes_version in pinned:
        minor = ".".join(kubernetes_version.split(".")[:2])
        records, api_versions, sources = read_pinned(kubernetes_version)
        for record in records:
            rows.setdefault(record, []).append(minor)
        served[minor] = sorted(api_versions)
        headers.append(f"Kubernetes {minor}: {', '.join(sources)}")
    lines = [
        '"""GENERATED by `make api-lifecycle` (hdgen.rules._shared.api_lifecycle_source): do not edit.',
        "",
        "The prerelease-lifecycle records of every API type, read from the",
        f"{LIFECYCLE_FILE} files of:",
        "",
        *(f"- {header}" for header in headers),
        '"""',
        "",
        "# The Kubernetes minors read, and every apiVersion their modules have a package for, with those minors.",
        f"MINORS = {tuple(served)!r}",
        "API_VERSIONS = (",
        *(
            f"    ({version!r}, {' '.join(m for m in served if version in served[m])!r}),"
            for version in sorted({v for versions in served.values() for v in versions})
        ),
        ")",
        "# (apiVersion, kind, introduced, deprecated, removed, replacement (apiVersion, kind) or None,",
        "#  the minors whose modules hold this record). GA types have only `introduced`.",
        "TYPES = (",
        *(
            f"    ({r.api_version!r}, {r.kind!r}, {r.introduced!r}, {r.deprecated!r}, {r.removed!r}, "
            f"{r.replacement!r}, {' '.join(minors)!r}),"
            for r, minors in sorted(rows.items(), key=lambda row: (row[0].api_version, row[0].kind, row[1]))
        ),
        ")",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    OUTPUT.write_text(render())
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
