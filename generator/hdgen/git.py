"""The few git operations hdgen needs, through the real git binary.

A failure is a ToolError (exit 3) that shows the command and git's stderr.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from hdgen.errors import ToolError

GIT_TIMEOUT_SECONDS = 120  # a hung hook or credential prompt must not hang hdgen forever


class Git:
    def __init__(self, folder: Path, *, missing_hint: str = "install git"):
        self.folder = folder
        self.missing_hint = missing_hint  # what to do without git, in the caller's terms

    def call(self, *args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
        """Run git in folder; bytes in and out. check=False leaves the exit status to the caller."""
        command = ["git", "-C", str(self.folder), *args]
        shown = shlex.join(command)
        try:
            proc = subprocess.run(command, input=stdin, capture_output=True, timeout=GIT_TIMEOUT_SECONDS)
        except FileNotFoundError:
            raise ToolError(f"git not found on PATH: {self.missing_hint}") from None
        except subprocess.TimeoutExpired:
            raise ToolError(f"`{shown}` did not finish within {GIT_TIMEOUT_SECONDS}s") from None
        except OSError as error:
            raise ToolError(f"cannot run git: {error.strerror or error}") from None
        if check and proc.returncode != 0:
            output = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
            raise ToolError(f"`{shown}` failed (exit {proc.returncode})", detail=output or None)
        return proc

    def run(self, *args: str, stdin: str | None = None) -> str:
        """Run git in folder; text in and out; a failure is a ToolError."""
        return self.call(*args, stdin=stdin.encode() if stdin is not None else None).stdout.decode()

    def toplevel(self) -> Path:
        return Path(self.run("rev-parse", "--show-toplevel").strip())

    def uncommitted(self, paths: list[Path]) -> list[str]:
        """Those of paths (files or folders) with staged, unstaged or untracked changes."""
        out = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *map(str, paths))
        entries = [e for e in out.split("\0") if e]
        return [e[3:] for e in entries if len(e) > 3 and e[2] == " "]

    def commit(self, paths: list[Path], message: str) -> str:
        """Commit exactly paths (other staged changes stay staged); return the new commit's SHA."""
        names = list(map(str, paths))
        self.run("add", "--all", "--", *names)
        self.run("commit", "--quiet", "--only", "--file=-", "--", *names, stdin=message)
        return self.run("rev-parse", "HEAD").strip()

    def unstage(self, paths: list[Path]) -> None:
        """Undo `add` of paths after a failed commit (best effort: the error that matters is the commit's)."""
        try:
            self.run("reset", "--quiet", "--", *map(str, paths))
        except ToolError:
            pass
