"""Post or update ONE pull-request comment through a forge's API (GitHub or Gitea).

Both forges expose the same issue-comment endpoints, so one client serves both:
  GET   {api}/repos/{repo}/issues/{pr}/comments     find ours by its marker
  POST  {api}/repos/{repo}/issues/{pr}/comments     create it
  PATCH {api}/repos/{repo}/issues/comments/{id}     update it
Only the auth header differs. The token comes from the environment, never argv,
so it does not show in process lists or CI logs.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from hdgen.errors import InputError, ToolError

MARKER = "<!-- hdgen:diff-report -->"
AUTH_SCHEMES = {"github": "Bearer", "gitea": "token"}
PAGE_SIZE = 50


@dataclass(frozen=True)
class Forge:
    kind: str  # github | gitea
    api: str  # e.g. https://api.github.com or https://gitea.example.com/api/v1
    repo: str  # owner/name
    token: str

    def _request(self, method: str, path: str, body: dict | None = None):
        url = f"{self.api.rstrip('/')}/{path}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"{AUTH_SCHEMES[self.kind]} {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:500]
            raise ToolError(f"{method} {url} answered {error.code} {error.reason}", detail=detail) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ToolError(f"{method} {url} failed: {getattr(error, 'reason', error)}") from None

    def find_comment(self, pr: int) -> int | None:
        page = 1
        while True:
            comments = self._request("GET", f"repos/{self.repo}/issues/{pr}/comments?per_page={PAGE_SIZE}&limit={PAGE_SIZE}&page={page}")
            if not isinstance(comments, list):
                raise ToolError(f"unexpected answer listing comments of {self.repo}#{pr}")
            for comment in comments:
                if MARKER in (comment.get("body") or ""):
                    return int(comment["id"])
            if len(comments) < PAGE_SIZE:
                return None
            page += 1

    def upsert_comment(self, pr: int, body: str) -> tuple[str, int]:
        """Create the comment, or update the one a previous run made; returns (action, id)."""
        text = f"{MARKER}\n{body}"
        existing = self.find_comment(pr)
        if existing is None:
            created = self._request("POST", f"repos/{self.repo}/issues/{pr}/comments", {"body": text})
            return "created", int(created["id"])
        self._request("PATCH", f"repos/{self.repo}/issues/comments/{existing}", {"body": text})
        return "updated", existing


def forge_from(kind: str, api: str, repo: str, token: str | None) -> Forge:
    if kind not in AUTH_SCHEMES:
        raise InputError(f"unknown forge {kind!r} (known: {', '.join(AUTH_SCHEMES)})")
    if "/" not in repo:
        raise InputError(f"--repo must be OWNER/NAME, not {repo!r}")
    if not token:
        raise InputError("no token: set HDGEN_FORGE_TOKEN (from the runner's secrets)")
    return Forge(kind, api, repo, token)
