"""A cache of validation reports: the same inputs give the same findings, so keep them.

A pre-commit hook or a CI job re-validates trees that did not change since
the last run; reading, parsing and checking them again costs seconds at
scale, and kubeconform as much again. The key is a digest of everything a
report depends on: every file's shown name and bytes (in its group, since
rules resolve references within one env), hdgen.yaml, the flags that change
findings (--rules, --kubernetes-version, --skip-kind), the kubeconform binary
(path, size, modification time), hdgen's own code, the folders libraries
are imported from (rendercache.library_folders) and Python's version. The schemas are checked too: the entry records the
Kubernetes version the run chose (from the flag or hdgen.yaml, both in the
key) and a digest of that version's schema folder and the CRD schemas.

The schemas are keyed by stats (size, modification time), and stats cannot
tell apart two writes within one timestamp tick (up to 2 s on some file
systems) that keep the size. So, as git does for its index ("racy git"), a
report is only stored when every schema file is older than the run by more
than a tick: a schema written during the run or just before it, which could
change again unseen, makes the run uncached instead of keeping a report of
bytes the stats cannot vouch for.

One entry per project and request (the targets and flags asked for), the
newest; it lives in rendercache.cache_dir()/validations, and
HDGEN_CACHE_DIR=off turns it off. A damaged or unreadable entry is a miss,
and a cache that cannot be written is skipped: the cache never changes what
validate says. Runs with --server are never cached (the API server is an
input no digest covers). Findings never carry a secret's value (schema
messages about a Secret are redacted, rules name keys, not values), so the
stored reports hold none either.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from collections import namedtuple
from pathlib import Path

from hdgen.finding import Finding, Level
from hdgen.project import SETTINGS_FILE, Project
from hdgen.report.writers import Report

ENTRY_FORMAT = 1  # bump when the entry's layout changes
# How much older than the run a schema file must be for its stats to vouch for its bytes: the
# coarsest timestamp tick in common use (FAT's 2 s; ext4's is the kernel's clock tick).
RACY_NS = 2_000_000_000
_FINDING_FIELDS = ("file", "line", "rule", "level", "message", "kind", "name", "namespace", "api_version")


class Inputs(namedtuple("Inputs", "project groups rules kubernetes_version skip_kinds binary")):
    """What one validation reads: its files by group, and the options that change its findings.

    project: Project; groups: [(env or None, [(file, shown name)])]; rules: the --rules value;
    kubernetes_version: the flag's value or None; skip_kinds: [kind]; binary: the kubeconform that
    would run. (A named tuple, not a dataclass: see hdgen.objects.record.)
    """

    __slots__ = ()

    def request(self) -> str:
        """The entry's name: the same request (not the same bytes) overwrites its own entry."""
        asked = [self.project.root.resolve().as_posix(), os.getcwd(), self.rules, self.kubernetes_version or ""]
        # Envs by name; other paths by the first file they hold (Inputs does not keep the paths given).
        asked += list(self.skip_kinds) + [env or (files[0][1] if files else "") for env, files in self.groups]
        return hashlib.sha256("\0".join(asked).encode()).hexdigest()[:32]

    def key(self) -> str:
        """The digest of every input; OSError when a file cannot be read (then there is no caching)."""
        from hdgen.render.cache import PACKAGE_DIR, code_digest, library_folders

        digest = hashlib.sha256()
        binary = os.stat(self.binary)
        options = [ENTRY_FORMAT, code_digest(PACKAGE_DIR), library_folders(), sys.version, self.rules,
                   self.kubernetes_version, list(self.skip_kinds), self.binary, binary.st_size, binary.st_mtime_ns]
        digest.update(repr(options).encode() + b"\0")
        settings = self.project.root / SETTINGS_FILE
        _add_bytes(digest, settings.read_bytes() if settings.is_file() else None)
        for env, files in self.groups:
            digest.update(repr(["group", env, len(files)]).encode() + b"\0")
            for file, shown in files:
                digest.update(shown.encode() + b"\0")
                _add_bytes(digest, file.read_bytes())
        return digest.hexdigest()


class Key(namedtuple("Key", "digest started_ns")):
    """The inputs' digest before the run (Inputs.key), and when the run started (time.time_ns())."""

    __slots__ = ()


def lookup(inputs: Inputs) -> tuple[Report | None, Key | None]:
    """(the cached report or None, the inputs' key now: pass it to store; None when not caching)."""
    entry = _entry_path(inputs)
    if entry is None:
        return None, None
    started_ns = time.time_ns()
    try:
        key = Key(inputs.key(), started_ns)
    except OSError:
        return None, None  # an unreadable file or binary: the run reports it
    try:
        data = marshal.loads(entry.read_bytes())
        if data["key"] == key.digest and data["schemas"] == schema_digest(inputs.project, data["kubernetesVersion"]):
            return _report_from(data["report"]), key
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no entry, or a damaged one: validate
    return None, key


def store(inputs: Inputs, key: Key | None, kubernetes_version: str, report: Report) -> None:
    """Keep report under key, the inputs' key from before the run. When a file changed during
    the run, the report may mix old and new bytes, so it is not kept; nor when a schema file
    is too new for its stats to be trusted (see RACY_NS). Write failures are skipped."""
    entry = _entry_path(inputs)
    if entry is None or key is None:
        return
    try:
        if inputs.key() != key.digest:
            return
        schemas, newest_ns = _schema_stats(inputs.project, kubernetes_version)
    except OSError:
        return
    if newest_ns >= key.started_ns - RACY_NS:
        return
    import tempfile

    data = {"key": key.digest, "kubernetesVersion": kubernetes_version, "schemas": schemas, "report": _report_data(report)}
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, scratch = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                marshal.dump(data, out)
            os.replace(scratch, entry)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def schema_digest(project: Project, kubernetes_version: str) -> str:
    """A digest of the schemas kubeconform reads for this version (the strict built-in ones and the
    CRDs'): each file's name, size and modification time, as rendercache.code_digest does for hdgen's
    code. Reading them all (1.2 MB) cost every cache hit 7 ms."""
    return _schema_stats(project, kubernetes_version)[0]


def _schema_stats(project: Project, kubernetes_version: str) -> tuple[str, int]:
    """(schema_digest, the newest modification time among those files, in ns; 0 if none)."""
    digest = hashlib.sha256(kubernetes_version.encode() + b"\0")
    newest_ns = 0
    for folder in (project.schemas_dir / f"v{kubernetes_version}-standalone-strict", project.schemas_dir / "crds"):
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                info = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
                newest_ns = max(newest_ns, info.st_mtime_ns)
    return digest.hexdigest(), newest_ns


def _add_bytes(digest, data: bytes | None) -> None:
    # The length first, so no two sequences of files hash alike.
    digest.update(b"-\0" if data is None else str(len(data)).encode() + b"\0" + data)


def _report_data(report: Report) -> dict:
    findings = [[getattr(f, name) for name in _FINDING_FIELDS] for f in report.findings]
    for row in findings:
        row[3] = row[3].value  # the Level
    return {"findings": findings, "resources": report.resources, "files": report.files,
            "ruleDescriptions": report.rule_descriptions}


def _report_from(data: dict) -> Report:
    findings = []
    for row in data["findings"]:
        fields = dict(zip(_FINDING_FIELDS, row, strict=True))
        fields["level"] = Level(fields["level"])
        findings.append(Finding(**fields))
    return Report(findings=findings, resources=int(data["resources"]), files=int(data["files"]),
                  rule_descriptions=dict(data["ruleDescriptions"]) if data["ruleDescriptions"] is not None else None)


def _entry_path(inputs: Inputs) -> Path | None:
    from hdgen.render.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    return folder / "validations" / f"{inputs.request()}.marshal"
