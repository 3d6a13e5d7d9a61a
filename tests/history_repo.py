"""A generated git repository with a long history, to measure `hdgen history` and `rollback` on.

`python -m tests.history_repo DIR [COMMITS]` writes DIR as a project (the repository's
values/, hdgen.yaml) whose git history has COMMITS commits (default 3,000) after the
first: most bump one app's tag in values/prod.yaml, every 10th changes an unrelated
file (outside values/: not in the history), every 50th edits a comment of
values/defaults.yaml (in the walk, but no row: nothing the env runs changed), every
100th changes values/defaults.yaml's imagePrefix and back (rows for every app).
Written in one `git fast-import`, so a 3,000-commit repository takes about a second.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APPS = ("api", "worker", "admin", "web")
EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z: fixed dates, so the same script makes the same SHAs
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def tag_of(n: int) -> str:
    return f"{n:07x}"


def stream(commits: int) -> bytes:
    """The fast-import input: the first commit with the project, then the generated commits."""
    defaults = (REPO / "values" / "defaults.yaml").read_text()
    prod = (REPO / "values" / "prod.yaml").read_text()
    out = []
    tags = dict.fromkeys(APPS, "d3708e6")

    def commit(n: int, subject: str, files: dict[str, str]) -> None:
        out.append(f"commit refs/heads/main\ncommitter Gen <gen@example.invalid> {EPOCH + n * 60} +0000\n")
        data = subject.encode()
        out.append(f"data {len(data)}\n{subject}\n")
        for path, text in files.items():
            body = text.encode()
            out.append(f"M 100644 inline {path}\ndata {len(body)}\n{text}\n")

    commit(0, "initial", {
        "values/defaults.yaml": defaults,
        "values/prod.yaml": prod,
        "hdgen.yaml": (REPO / "hdgen.yaml").read_text(),
        "NOTES": "0\n",
    })
    for n in range(1, commits + 1):
        if n % 100 == 0:
            prefix = "hd-" if n % 200 == 0 else "honeydue-"
            text = defaults.replace("imagePrefix: honeydue-", f"imagePrefix: {prefix}")
            commit(n, f"defaults: imagePrefix {prefix}", {"values/defaults.yaml": text})
        elif n % 50 == 0:
            commit(n, "defaults: reword a comment", {"values/defaults.yaml": defaults.replace("# Shared", f"# ({n}) Shared")})
        elif n % 10 == 0:
            commit(n, "notes", {"NOTES": f"{n}\n"})
        else:
            app = APPS[n % len(APPS)]
            old, tags[app] = tags[app], tag_of(n)
            prod = re.sub(rf"(\n  {app}:\n    image: {{tag: \")[0-9a-f]+", rf"\g<1>{tags[app]}", prod)
            commit(n, f"bump(prod): {app} {old} -> {tags[app]}", {"values/prod.yaml": prod})
    return "".join(out).encode()


def make(folder: Path, commits: int = 3000) -> Path:
    """folder as a project with a generated history of commits commits; its work tree checked out."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **GIT_ENV}
    git = ["git", "-C", str(folder)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True, env=env)
    subprocess.run([*git, "fast-import", "--quiet"], input=stream(commits), check=True, env=env)
    subprocess.run([*git, "checkout", "-q", "-f", "main"], check=True, env=env)
    return folder


if __name__ == "__main__":
    target = Path(sys.argv[1])
    make(target, int(sys.argv[2]) if len(sys.argv) > 2 else 3000)
    print(f"{target}: {int(sys.argv[2]) if len(sys.argv) > 2 else 3000} commits after the first")
