"""Reading and changing a running cluster in the rollout tests: sync a tree, list, delete, watch, wait.

All of it goes through hdgen's own ApiClient (its discovery, TLS and token),
so the tests need no client library. Watches are plain HTTP streams of JSON
lines (?watch=1), read on a thread.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hdgen.objects.record import Document
from hdgen.validate.kubeapi import ApiClient, ApiResponse
from tests.e2e.cluster import Cluster
from tests.e2e.objects import Key, apply_each, key, refused

SETTLE_LIMIT_SECONDS = 300.0  # a bound so a broken cluster fails instead of hanging; not an assertion


def collection(client: ApiClient, api_version: str, kind: str, namespace: str | None = None) -> str:
    """The URL path listing a kind (in one namespace, or in all of them when namespace is None)."""
    resource = client.resource(api_version, kind)
    if resource.namespaced and namespace is not None:
        return f"{resource.prefix}/namespaces/{urllib.parse.quote(namespace, safe='')}/{resource.plural}"
    return f"{resource.prefix}/{resource.plural}"


def list_items(
    client: ApiClient, api_version: str, kind: str, namespace: str | None = None, selector: str | None = None
) -> tuple[list[dict[str, Any]], str]:
    """The objects of a kind and the list's resourceVersion (where a watch goes on from)."""
    query = {"labelSelector": selector} if selector else None
    response = client.request("GET", collection(client, api_version, kind, namespace), query=query)
    assert response.ok, f"cannot list {kind} in {namespace}: {response.status} {response.message}"
    return response.body.get("items") or [], response.body["metadata"]["resourceVersion"]


def delete(client: ApiClient, body: dict[str, Any]) -> ApiResponse:
    """Delete as a GitOps agent prunes: the garbage collector removes the dependents in the background."""
    return client.request(
        "DELETE", client.object_path(body), {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"}
    )


def eventually(what: str, probe: Callable[[], str], cluster: Cluster, limit: float = SETTLE_LIMIT_SECONDS) -> None:
    """Poll probe() until it returns "" (done); otherwise it says what is still awaited.

    A component that died fails at once with its log; the limit only keeps a
    broken run from hanging, and its failure names what never happened.
    """
    deadline = time.monotonic() + limit
    while waiting := probe():
        cluster.check_running()
        assert time.monotonic() < deadline, f"{what}: still waiting after {limit:.0f}s for {waiting}"
        time.sleep(0.5)


def condition(body: dict[str, Any], kind: str) -> str | None:
    """The status ("True", "False", "Unknown") of one condition of an object, None when it has none."""
    for item in (body.get("status") or {}).get("conditions") or []:
        if item.get("type") == kind:
            return item.get("status")
    return None


def selected(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether labels match a workload's selector (matchLabels; the tree uses no matchExpressions)."""
    assert not selector.get("matchExpressions"), f"selector with matchExpressions: {selector}"
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


@dataclass
class Watch:
    """A watch of one collection from a resourceVersion: calls on_event(type, object) for each event, in order.

    The stream is resumed from the last seen resourceVersion when the server
    ends it, so no event between start() and stop() is missed.
    """

    client: ApiClient
    path: str
    resource_version: str
    on_event: Callable[[str, dict[str, Any]], None]
    error: BaseException | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Watch:
        self._thread = threading.Thread(target=self._run, name=f"watch {self.path}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop reading and re-raise whatever failed on the watch thread."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                self._stream()
        except BaseException as error:  # noqa: BLE001 (handed to the test thread by stop())
            self.error = error

    def _stream(self) -> None:
        query = urllib.parse.urlencode({"watch": "1", "resourceVersion": self.resource_version, "timeoutSeconds": "5"})
        request = urllib.request.Request(f"{self.client.url}{self.path}?{query}")
        request.add_header("Authorization", f"Bearer {self.client.token}")
        context = ssl.create_default_context(cafile=self.client.ca_file)
        with urllib.request.urlopen(request, timeout=30, context=context) as reply:
            for line in reply:
                event = json.loads(line)
                if event["type"] == "ERROR":
                    raise AssertionError(f"watch of {self.path} failed: {event['object'].get('message')}")
                self.resource_version = event["object"]["metadata"]["resourceVersion"]
                self.on_event(event["type"], event["object"])
                if self._stopping.is_set():
                    return


def sync(client: ApiClient, documents: list[Document], previous: list[Document] = ()) -> dict[Key, str]:
    """Apply a tree as a GitOps agent does: server-side apply of every object (Namespace first), then
    prune what the previous tree had and this one has not (the agent's inventory). Returns the refusals."""
    refusals = refused(apply_each(client, documents, dry_run=False))
    current = {key(d) for d in documents}
    for document in reversed(previous):  # the reverse of apply order: a Namespace goes last
        if key(document) not in current:
            response = delete(client, document.body)
            assert response.ok or response.status == 404, f"prune of {key(document)}: {response.status} {response.message}"
    return refusals
