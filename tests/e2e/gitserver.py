"""A git server on loopback for the GitOps tier: git's own smart HTTP (`git http-backend`), one repository.

Flux's source-controller clones over HTTP(S) or SSH, not git://, and speaks
only the smart protocol, so this serves the scratch project's repository
through `git http-backend`, the CGI program git ships for exactly that: one
run per request, the request body on its stdin, its CGI reply (a header
block, then the body) passed back. It runs as a process of the cluster
(`python -m tests.e2e.gitserver REPOSITORY PORT`, started by
tests/e2e/gitops.py's GitServer), so it stops with the cluster and dies with
pytest like every other component.

The URL is `http://127.0.0.1:PORT/<any name>.git`: every path is served from
REPOSITORY (a bare repository the test pushes to), so the test can keep the
rendered URL's repository name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class GitHandler(BaseHTTPRequestHandler):
    repository: Path  # set on the subclass by serve()
    protocol_version = "HTTP/1.0"  # one request per connection: each reply's end is the socket's close

    def do_GET(self) -> None:  # noqa: N802 (http.server's names)
        self._backend()

    def do_POST(self) -> None:  # noqa: N802
        self._backend()

    def _backend(self) -> None:
        path, _, query = self.path.partition("?")
        name, _, rest = path.lstrip("/").partition("/")
        if not name.endswith(".git"):
            self.send_error(404, "not a repository path")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.repository),  # no ~/.gitconfig of the machine
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_PROJECT_ROOT": str(self.repository.parent),
            "GIT_HTTP_EXPORT_ALL": "1",  # serve without a git-daemon-export-ok file
            "PATH_INFO": f"/{self.repository.name}/{rest}",
            "QUERY_STRING": query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": self.client_address[0],
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        done = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=False)
        head, separator, payload = done.stdout.partition(b"\r\n\r\n")
        if not separator or done.returncode != 0:
            self.send_error(500, done.stderr.decode(errors="replace")[:200])
            return
        status = 200
        headers = []
        for line in head.decode("latin-1").split("\r\n"):
            field, _, value = line.partition(":")
            if field.lower() == "status":
                status = int(value.split()[0])
            elif field:
                headers.append((field, value.strip()))
        self.send_response(status)
        for field, value in headers:
            self.send_header(field, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        sys.stderr.write(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}\n")


def serve(repository: Path, port: int) -> None:
    handler = type("Handler", (GitHandler,), {"repository": repository.resolve()})
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
