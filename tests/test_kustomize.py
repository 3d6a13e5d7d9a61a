"""The rendered env folders are consumable as is: real `kustomize build` yields exactly the rendered objects."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml  # a second, independent YAML reader (YAML 1.1, like Kubernetes)

from tests.conftest import REPO


def kustomize() -> str:
    path = os.environ.get("HDGEN_KUSTOMIZE") or str(REPO / ".tools" / "bin" / "kustomize")
    assert Path(path).is_file(), f"kustomize not found at {path}: run `make bootstrap`"
    return path


@pytest.mark.parametrize("env", ["prod", "staging"])
def test_kustomize_build_yields_exactly_the_rendered_objects(env: str) -> None:
    folder = REPO / "rendered" / env
    built = subprocess.run([kustomize(), "build", str(folder)], capture_output=True, text=True, check=True).stdout
    from_kustomize = {_identity(doc): doc for doc in yaml.safe_load_all(built) if doc}
    rendered = {}
    for path in sorted(folder.rglob("*.yaml")):
        if path.name != "kustomization.yaml":
            doc = yaml.safe_load(path.read_text())
            rendered[_identity(doc)] = doc
    assert sorted(from_kustomize) == sorted(rendered)
    for identity, doc in rendered.items():
        assert from_kustomize[identity] == doc, identity


def _identity(doc: dict) -> tuple[str, str, str, str]:
    metadata = doc["metadata"]
    return (doc["apiVersion"], doc["kind"], metadata.get("namespace", ""), metadata["name"])
