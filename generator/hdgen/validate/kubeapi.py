"""A small client for the Kubernetes API: discovery and server-side apply over plain HTTPS.

hdgen talks to a cluster only to ask it what it would do with the rendered
objects (`hdgen validate --server`), so it needs three calls: discovery (which
URL serves a kind, and whether it is namespaced), server-side apply (PATCH
with application/apply-patch+yaml, optionally ?dryRun=All) and GET. The
standard library's urllib does that without a client library.

The bearer token only ever goes into the Authorization header: it is never
part of a message, a URL or an exception.
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from hdgen.errors import InputError, ToolError

FIELD_MANAGER = "hdgen"
APPLY_PATCH = "application/apply-patch+yaml"
DEFAULT_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Resource:
    """Where the API serves one kind: /api/v1 or /apis/GROUP/VERSION, its plural, its scope."""

    prefix: str  # "/api/v1", "/apis/apps/v1"
    plural: str  # "deployments"
    namespaced: bool


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: dict[str, Any]
    # The server's `Warning` headers (RFC 7234 299 warnings), text only: what `kubectl apply` prints
    # as "Warning: …", e.g. a pod template that would violate the namespace's Pod Security level.
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        """The server's own one-line reason for a rejection (a metav1.Status message)."""
        text = self.body.get("message") if isinstance(self.body, dict) else None
        return " ".join(str(text).split()) if text else f"HTTP {self.status}"


class NotServed(Exception):
    """The server does not serve this apiVersion/kind."""


@dataclass
class ApiClient:
    url: str  # https://127.0.0.1:6443 (no trailing path)
    token: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    insecure: bool = False
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    _resources: dict[str, dict[str, Resource] | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        parsed = urllib.parse.urlsplit(self.url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(f"--server {self.url!r}: give the API server's URL, like https://127.0.0.1:6443")
        self.url = self.url.rstrip("/")
        self._context = self._tls_context() if parsed.scheme == "https" else None

    def _tls_context(self) -> ssl.SSLContext:
        if self.insecure:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        try:
            return ssl.create_default_context(cafile=self.ca_file)
        except (OSError, ssl.SSLError) as error:
            raise InputError(f"{self.ca_file}: cannot read the CA file: {getattr(error, 'strerror', None) or error}") from None

    # -- plain requests ------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        content_type: str = "application/json",
        query: dict[str, str] | None = None,
    ) -> ApiResponse:
        """One call; any HTTP status comes back as an ApiResponse, an unreachable server is a ToolError."""
        url = self.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self._context) as reply:
                return ApiResponse(reply.status, _json(reply.read()), _warnings(reply.headers))
        except urllib.error.HTTPError as error:
            response = ApiResponse(error.code, _json(error.read()), _warnings(error.headers))
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise ToolError(f"cannot reach the API server at {self.url}: {reason}") from None
        if response.status == 401:
            hint = "check HDGEN_SERVER_TOKEN" if self.token else "set HDGEN_SERVER_TOKEN to a bearer token"
            raise InputError(f"{self.url}: the API server refused the credentials (401 Unauthorized): {hint}")
        return response

    # -- discovery -----------------------------------------------------------

    def resource(self, api_version: str, kind: str) -> Resource:
        """Where apiVersion/kind is served, from the server's discovery (read once per apiVersion)."""
        if api_version not in self._resources:
            self._resources[api_version] = self._discover(api_version)
        served = self._resources[api_version]
        if served is None:
            raise NotServed(f"the server does not serve apiVersion {api_version}")
        if kind not in served:
            raise NotServed(f"the server does not serve kind {kind} in {api_version}")
        return served[kind]

    def _discover(self, api_version: str) -> dict[str, Resource] | None:
        if api_version != "v1" and api_version.count("/") != 1:
            return None  # not "v1" nor "group/version": nothing can serve it
        prefix = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        response = self.request("GET", prefix)
        if response.status == 404:
            return None
        if not response.ok:
            raise ToolError(f"{self.url}: discovery of {api_version} failed: {response.message}")
        resources = {}
        for item in response.body.get("resources") or []:
            if "/" in item.get("name", ""):  # subresources: deployments/status, pods/log
                continue
            resources[item["kind"]] = Resource(prefix, item["name"], bool(item.get("namespaced")))
        return resources

    # -- objects -------------------------------------------------------------

    def object_path(self, body: dict[str, Any]) -> str:
        """The URL path of the object body describes (namespace "default" when a namespaced one has none)."""
        resource = self.resource(str(body.get("apiVersion") or ""), str(body.get("kind") or ""))
        metadata = body.get("metadata") or {}
        name = urllib.parse.quote(str(metadata.get("name") or ""), safe="")
        if resource.namespaced:
            namespace = urllib.parse.quote(str(metadata.get("namespace") or "default"), safe="")
            return f"{resource.prefix}/namespaces/{namespace}/{resource.plural}/{name}"
        return f"{resource.prefix}/{resource.plural}/{name}"

    def apply(self, body: dict[str, Any], *, dry_run: bool, field_manager: str = FIELD_MANAGER) -> ApiResponse:
        """Server-side apply, as a GitOps agent does it: force, so hdgen owns every field it sets."""
        query = {"fieldManager": field_manager, "force": "true"}
        if dry_run:
            query["dryRun"] = "All"
        # JSON is YAML, so the object goes as JSON under the apply-patch+yaml type.
        return self.request("PATCH", self.object_path(body), body, APPLY_PATCH, query)

    def get(self, body: dict[str, Any]) -> ApiResponse:
        return self.request("GET", self.object_path(body))


def _warnings(headers) -> tuple[str, ...]:
    """The text of each `Warning: 299 - "text"` header, in order (the text is a Go-quoted string)."""
    found = []
    for header in (headers.get_all("Warning") if headers is not None else None) or []:
        match = _WARNING.match(header)
        found.append(_unquote(match.group(1)) if match else header)
    return tuple(found)


_WARNING = re.compile(r'^\s*\d{3}\s+\S+\s+("(?:[^"\\]|\\.)*")')


def _unquote(quoted: str) -> str:
    try:
        return str(json.loads(quoted))  # Go's strconv.Quote escapes as JSON does for what the server sends
    except ValueError:
        return quoted[1:-1]


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {"message": raw[:200].decode("utf-8", "replace")}
    return value if isinstance(value, dict) else {}
