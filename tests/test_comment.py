"""hdgen comment against a real HTTP server on loopback that speaks the forges' comment API."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_hdgen

TOKEN = "tok-3f9a-do-not-print"


class FakeForge:
    """Just enough of GitHub's / Gitea's issue-comment API, recording every request."""

    def __init__(self) -> None:
        self.comments: dict[int, str] = {41: "someone else's comment"}
        self.requests: list[tuple[str, str, str]] = []
        self.fail_with: int | None = None
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _answer(self, code: int, payload) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> dict:
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def do_GET(self):
                forge.requests.append(("GET", self.path, self.headers["Authorization"]))
                if forge.fail_with:
                    return self._answer(forge.fail_with, {"message": "nope"})
                self._answer(200, [{"id": i, "body": b} for i, b in forge.comments.items()])

            def do_POST(self):
                forge.requests.append(("POST", self.path, self.headers["Authorization"]))
                new_id = max(forge.comments) + 1
                forge.comments[new_id] = self._body()["body"]
                self._answer(201, {"id": new_id})

            def do_PATCH(self):
                forge.requests.append(("PATCH", self.path, self.headers["Authorization"]))
                comment_id = int(self.path.rsplit("/", 1)[1])
                forge.comments[comment_id] = self._body()["body"]
                self._answer(200, {"id": comment_id})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def forge():
    fake = FakeForge()
    yield fake
    fake.server.shutdown()


def comment(forge: FakeForge, report: Path, kind: str = "gitea", token: str | None = TOKEN):
    env = {"HDGEN_FORGE_TOKEN": token} if token is not None else {"HDGEN_FORGE_TOKEN": ""}
    return run_hdgen(
        "comment", "--forge", kind, "--api", forge.url, "--repo", "admin/honeydue-deploy",
        "--pr", "7", "--file", str(report), env=env,
    )


def test_creates_one_comment_then_updates_it(forge: FakeForge, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text("## first\n")
    first = comment(forge, report)
    assert first.code == 0, first.err
    assert first.out.strip() == "created comment 42 on admin/honeydue-deploy#7"
    report.write_text("## second\n")
    second = comment(forge, report)
    assert second.out.strip() == "updated comment 42 on admin/honeydue-deploy#7"
    assert forge.comments[41] == "someone else's comment"
    assert forge.comments[42].endswith("## second\n") and "hdgen:diff-report" in forge.comments[42]
    assert len(forge.comments) == 2
    methods = [(m, p.split("?")[0]) for m, p, _ in forge.requests]
    assert methods == [
        ("GET", "/api/v1/repos/admin/honeydue-deploy/issues/7/comments"),
        ("POST", "/api/v1/repos/admin/honeydue-deploy/issues/7/comments"),
        ("GET", "/api/v1/repos/admin/honeydue-deploy/issues/7/comments"),
        ("PATCH", "/api/v1/repos/admin/honeydue-deploy/issues/comments/42"),
    ]
    assert {auth for _, _, auth in forge.requests} == {f"token {TOKEN}"}
    assert TOKEN not in first.out + first.err + second.out + second.err


def test_github_uses_a_bearer_token(forge: FakeForge, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text("x\n")
    assert comment(forge, report, kind="github").code == 0
    assert {auth for _, _, auth in forge.requests} == {f"Bearer {TOKEN}"}


def test_a_refusing_forge_is_a_tool_failure(forge: FakeForge, tmp_path: Path) -> None:
    forge.fail_with = 403
    report = tmp_path / "report.md"
    report.write_text("x\n")
    result = comment(forge, report)
    assert result.code == 3
    assert "answered 403" in result.err and TOKEN not in result.err


def test_no_token_is_an_input_error(forge: FakeForge, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text("x\n")
    result = comment(forge, report, token=None)
    assert result.code == 2
    assert "HDGEN_FORGE_TOKEN" in result.err
    assert forge.requests == []
