"""What an env ran when, from git alone: one row per commit that changed its merged values.

Three git processes whatever the length of history: one `git log` walk over the
env's values files, one `git cat-file --batch-check` naming each commit's blobs,
one `git cat-file --batch` reading each distinct blob once. Each distinct pair of
(defaults, env) blobs is parsed and merged once, as hdgen merges them (defaults
under the env), and the images come from render/images.py, the same definition the
model renders. The model itself (pydantic) is not needed: history only reads images.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hdgen.errors import InputError
from hdgen.render.images import AppImage, app_images

FIELD = "\x1f"  # between a commit's fields in the log: no subject or name holds it
LOG_FORMAT = FIELD.join(["%H", "%aI", "%an", "%s"])


@dataclass(frozen=True)
class Deploy:
    """One commit that changed what the env runs, and each app's image after it."""

    commit: str
    date: str  # author date, ISO 8601
    author: str
    subject: str
    images: dict[str, AppImage]
    changed: list[str] = field(default_factory=list)  # apps whose image this commit changed
    error: str | None = None  # the values at this commit could not be read: no images

    def as_json(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "date": self.date,
            "author": self.author,
            "subject": self.subject,
            "images": {
                name: {**image._asdict(), "image": image.reference} for name, image in self.images.items()
            },
            "changed": self.changed,
            **({"error": self.error} if self.error else {}),
        }


def git_of(project):
    from hdgen.git import Git

    return Git(project.root, missing_hint="install git: history and rollback read the values' past from git")


def values_paths(project, env: str) -> list[str]:
    """The env's values files as git pathspecs from the project root, lowest precedence first."""
    from hdgen.project import DEFAULTS_NAME

    folder = project.relative(project.values_dir)
    return [f"{folder}/{DEFAULTS_NAME}.yaml", f"{folder}/{env}.yaml"]


def has_commits(git) -> bool:
    git.toplevel()  # not a repository: git's own error, exit 3
    return git.call("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0


def read_history(project, env: str) -> list[Deploy]:
    """Newest first: every commit on the current branch after which env's merged values differ
    from the commit before it (a comment-only edit is no row: nothing the env runs changed)."""
    git = git_of(project)
    if not has_commits(git):
        return []
    paths = values_paths(project, env)
    log = git.call("log", "-z", f"--format={LOG_FORMAT}", "--", *paths).stdout.decode("utf-8", "replace")
    commits = [entry.split(FIELD, 3) for entry in log.split("\0") if entry.strip("\n")]
    commits = [[part.strip("\n") for part in entry] for entry in commits]
    states = merged_states(git, [entry[0] for entry in commits], paths)
    rows: list[Deploy] = []
    previous: tuple[Any, dict[str, AppImage]] | None = None  # the data and images of the commit before
    for (sha, date, author, subject), (data, error) in reversed(list(zip(commits, states))):  # oldest first
        if data is None and error is None:
            previous = None
            continue
        images = app_images(data) if error is None else {}
        before = previous[1] if previous else {}
        if previous is None or error or previous[0] != data:
            changed = [name for name in images if before.get(name) != images[name]]
            rows.append(Deploy(sha, date, author, subject, images, changed, error))
        previous = (data, images)
    return rows[::-1]


def for_services(rows: list[Deploy], services: list[str]) -> list[Deploy]:
    """The rows that changed one of services' images (its first row too), each with only their images."""
    from dataclasses import replace

    kept = []
    for row in rows:
        changed = [name for name in row.changed if name in services]
        if changed or row.error:
            images = {name: image for name, image in row.images.items() if name in services}
            kept.append(replace(row, images=images, changed=changed))
    return kept


def merged_states(git, commits: list[str], paths: list[str]) -> list[tuple[Any, str | None]]:
    """For each commit, (the merged values data, None) or (None, why it could not be read);
    (None, None) where the env's values file does not exist."""
    names = [f"{commit}:./{path}" for commit in commits for path in paths]
    blob_ids = batch_check(git, names)
    contents = read_blobs(git, sorted({blob for blob in blob_ids if blob}))
    parsed: dict[str, tuple[Any, str | None]] = {}
    by_blobs: dict[tuple, tuple[Any, str | None]] = {}
    states = []
    for index in range(len(commits)):
        key = tuple(blob_ids[index * len(paths) : (index + 1) * len(paths)])
        if key not in by_blobs:
            by_blobs[key] = _merge_blobs(key, contents, parsed, paths)
        states.append(by_blobs[key])
    return states


def _merge_blobs(key: tuple, contents: dict[str, bytes], parsed: dict, paths: list[str]) -> tuple[Any, str | None]:
    from hdgen.render.values import merged

    if key[-1] is None:
        return None, None  # the env did not exist yet (or no longer): no row
    data: dict = {}
    for blob, path in zip(key, paths):
        if blob is None:
            continue  # no defaults.yaml at this commit: the env file alone
        if blob not in parsed:
            parsed[blob] = _parse(contents[blob], path)
        value, error = parsed[blob]
        if error:
            return None, error
        data = merged(data, value)  # shares the parsed data, never changes it
    return data, None


def _parse(raw: bytes, path: str) -> tuple[Any, str | None]:
    from hdgen.yaml.read import load_data

    try:
        data = load_data(raw.decode("utf-8"))
    except Exception:  # noqa: BLE001 - any YAML error: this commit's values did not parse
        return None, f"{path} does not parse at this commit"
    if not isinstance(data, dict):
        return None, f"{path} is not a mapping at this commit"
    return data, None


def batch_check(git, names: list[str]) -> list[str | None]:
    """The blob id each `commit:path` names, None where the path does not exist."""
    if not names:
        return []
    out = git.call("cat-file", "--batch-check=%(objectname) %(objecttype)", stdin="".join(n + "\n" for n in names).encode())
    ids: list[str | None] = []
    for line in out.stdout.decode().splitlines():
        parts = line.split()
        ids.append(parts[0] if len(parts) == 2 and parts[1] == "blob" else None)  # "<name> missing"
    return ids


def read_blobs(git, blobs: list[str]) -> dict[str, bytes]:
    """Each blob's bytes, all in one `git cat-file --batch`."""
    if not blobs:
        return {}
    out = git.call("cat-file", "--batch", stdin="".join(b + "\n" for b in blobs).encode()).stdout
    contents: dict[str, bytes] = {}
    at = 0
    for blob in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        contents[blob] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1  # the content, then a newline
    return contents


def resolve_commit(git, spec: str) -> str:
    """The full SHA of the commit spec names; an InputError when there is none."""
    proc = git.call("rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}", check=False)
    if proc.returncode != 0 or spec.startswith("-"):
        raise InputError(f"--to {spec}: no such commit in this repository")
    return proc.stdout.decode().strip()


def images_at(project, env: str, commit: str) -> dict[str, AppImage]:
    """Each app's image in env's merged values at commit; an InputError when they cannot be read."""
    git = git_of(project)
    paths = values_paths(project, env)
    ((data, error),) = merged_states(git, [commit], paths)
    if error or data is None:
        raise InputError(f"--to {commit[:12]}: {error or f'{paths[-1]} does not exist at this commit'}")
    return app_images(data)


def recent_commits(project, env: str, count: int = 30) -> list[str]:
    """Short SHAs of the latest commits that touched env's values (for --to completion)."""
    git = git_of(project)
    out = git.run("log", f"-n{count}", "--format=%h", "--", *values_paths(project, env))
    return out.split()


def known_apps(rows: list[Deploy]) -> list[str]:
    """Every app some row has an image for, newest rows' order first."""
    return list(dict.fromkeys(name for row in rows for name in row.images))
