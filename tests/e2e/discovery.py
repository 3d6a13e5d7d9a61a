"""What a real API server serves, from its discovery: every group version, every resource, its verbs.

hdgen's ApiClient discovers one apiVersion at a time (what `validate --server`
needs); the agreement tests need the whole list, as `kubectl api-resources`
prints it: every version of every group (not only the preferred one),
without subresources (`deployments/status`, `pods/log`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hdgen.validate.kubeapi import ApiClient
from tests.e2e.schema_kinds import Gvk


@dataclass(frozen=True)
class Served:
    """One resource the server serves: where, its plural, its scope and what one may do with it."""

    prefix: str  # "/api/v1", "/apis/apps/v1"
    plural: str
    namespaced: bool
    verbs: frozenset[str]

    def collection(self, namespace: str) -> str:
        """The URL path one creates objects of this kind at."""
        return f"{self.prefix}/namespaces/{namespace}/{self.plural}" if self.namespaced else f"{self.prefix}/{self.plural}"


def _get(client: ApiClient, path: str) -> dict:
    response = client.request("GET", path)
    assert response.ok, f"discovery GET {path}: {response.status} {response.message}"
    return response.body


def group_versions(client: ApiClient) -> list[tuple[str, str]]:
    """(group, version) of everything served: the core group's versions, then every version of every group."""
    found = [("", version) for version in _get(client, "/api")["versions"]]
    for group in _get(client, "/apis")["groups"]:
        found.extend((group["name"], v["version"]) for v in group["versions"])
    return found


def served_resources(client: ApiClient) -> dict[Gvk, Served]:
    """Every kind the server serves, with where and how; subresources left out."""
    served: dict[Gvk, Served] = {}
    for group, version in group_versions(client):
        prefix = f"/apis/{group}/{version}" if group else f"/api/{version}"
        for item in _get(client, prefix)["resources"]:
            if "/" in item["name"]:
                continue
            served[Gvk(group, version, item["kind"])] = Served(
                prefix, item["name"], bool(item.get("namespaced")), frozenset(item.get("verbs") or ())
            )
    return served
