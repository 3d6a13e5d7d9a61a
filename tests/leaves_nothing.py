"""Check that the suite leaves nothing behind: `make test-hermetic` (python -m tests.leaves_nothing [pytest args]).

Runs pytest with HOME and XDG_CACHE_HOME set to an empty folder, then fails if
anything appeared in that folder, or if `git status` (ignored files included)
shows anything new apart from Python's bytecode caches and pytest's own cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ALLOWED = ("__pycache__/", ".pytest_cache/")  # gitignored, and remade by any Python run


def git_status() -> set[str]:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    return {line for line in out.splitlines() if not line[3:].startswith((".venv/", ".tools/"))}


def main(args: list[str]) -> int:
    before = git_status()
    with tempfile.TemporaryDirectory(prefix="hdgen-empty-home-") as home:
        env = {**os.environ, "HOME": home, "XDG_CACHE_HOME": home}
        code = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=REPO, env=env).returncode
        left_in_home = sorted(str(p.relative_to(home)) for p in Path(home).rglob("*"))
    new = sorted(line for line in git_status() - before if not any(part in line for part in ALLOWED))
    for path in left_in_home:
        print(f"left in the empty HOME: {path}")
    for line in new:
        print(f"left in the work tree: {line}")
    if code == 0 and not left_in_home and not new:
        print("nothing left behind: HOME untouched, git status unchanged")
    return code or int(bool(left_in_home or new))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
