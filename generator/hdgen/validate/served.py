"""Which built-in kinds a default kube-apiserver of a Kubernetes version serves: the one place
that decides it, for `hdgen schemas update` (which schemas exist) and for tests that compare
the set with a real API server's discovery.

The set is what `kubectl api-resources` lists for a kube-apiserver started without
--runtime-config, derived from the pinned PyPI package kubernetes-validate: its
`kubernetes-json-schema/v<version>-local-strict/` folder holds every type of that
version's OpenAPI document, and the types one can send have
`x-kubernetes-group-version-kind`. Of those, a kind is served when:

- its version is GA (v1, v2): since 1.24 a new beta or alpha API is off unless enabled
  (KEP-3136, "Beta APIs Are Off by Default"); the betas from before 1.24 that stayed on
  are all removed by 1.32 (flowcontrol v1beta3 last). In kube-apiserver v1.33.13,
  pkg/controlplane/instance.go's stableAPIGroupVersionsEnabledByDefault lists only GA
  versions and every beta and alpha is in a "DisabledByDefault" list; 1.34's
  beta and alpha types in the package are all APIs introduced after 1.24.
- it is not an API machinery type: the types of meta/v1 (DeleteOptions, WatchEvent,
  Status, APIGroup, APIGroupList, APIResourceList, APIVersions) appear under every group
  but are no resource (their schema files end in "-meta-v1.json");
- it is not a list: a kind ending in "List" whose schema has `items` is what a list call
  returns (`kubectl apply` unpacks one into its items; hdgen's reader does the same);
- it is not SUBRESOURCE_KINDS, the bodies of subresources, which the OpenAPI types do not
  tell apart from resources (only its paths would): listed by hand from discovery, where
  they appear only as "pods/eviction", "serviceaccounts/token", "*/scale".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hdgen.errors import InputError, ToolError

# Kinds sent only to a subresource (POST pods/NAME/eviction, serviceaccounts/NAME/token,
# GET/PUT deployments/NAME/scale): discovery lists them under the parent resource, so
# `kubectl api-resources` does not, and `kubectl apply` of one is refused.
SUBRESOURCE_KINDS = frozenset({("policy", "Eviction"), ("authentication.k8s.io", "TokenRequest"), ("autoscaling", "Scale")})

_GA_VERSION = re.compile(r"^v[0-9]+$")
_META_SUFFIX = "-meta-v1.json"


def package_schemas(version: str, strict: bool) -> Path:
    """The kubernetes-validate folder of one Kubernetes version's schemas."""
    try:
        import importlib.resources

        import kubernetes_validate
    except ImportError:
        raise ToolError(
            "the Python package kubernetes-validate is not installed: run `make bootstrap` "
            "(it is pinned in requirements.lock)"
        ) from None
    root = Path(str(importlib.resources.files(kubernetes_validate))) / "kubernetes-json-schema"
    folder = root / f"v{version}-local{'-strict' if strict else ''}"
    if not folder.is_dir():
        have = sorted(p.name[1:].split("-")[0] for p in root.glob("v*-local-strict"))
        raise InputError(
            f"kubernetes-validate has no schemas for Kubernetes {version} (it has: {', '.join(have)})"
        )
    return folder


def schema_file_name(group: str, version: str, kind: str) -> str:
    """kubeconform's name for a built-in kind's schema: {kind}{-first part of the group}-{version}.json."""
    suffix = f"-{group.split('.')[0]}" if group else ""
    return f"{kind.lower()}{suffix}-{version}.json"


def served_files(version: str) -> dict[tuple[str, str, str], str]:
    """(group, version, kind) -> schema file name, for every kind the version serves by default.

    The core group is "". The file names are the package's and kubeconform's alike.
    """
    source = package_schemas(version, strict=True)
    served = {}
    for path in sorted(source.glob("*.json")):
        if path.name.endswith(_META_SUFFIX) or path.name in ("_definitions.json", "all.json"):
            continue
        schema = json.loads(path.read_text())
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            key = (gvk["group"], gvk["version"], gvk["kind"])
            if _is_served(key, schema):
                if schema_file_name(*key) != path.name:
                    raise ToolError(f"kubernetes-validate names the schema of {key} {path.name}, kubeconform would look for {schema_file_name(*key)}")
                served[key] = path.name
    return served


def served_kinds(version: str) -> set[tuple[str, str, str]]:
    """Every (group, version, kind) a default kube-apiserver of version serves ("" is the core group)."""
    return set(served_files(version))


def _is_served(key: tuple[str, str, str], schema: dict) -> bool:
    group, api_version, kind = key
    if not _GA_VERSION.match(api_version) or (group, kind) in SUBRESOURCE_KINDS:
        return False
    return not (kind.endswith("List") and "items" in (schema.get("properties") or {}))
