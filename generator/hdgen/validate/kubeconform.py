"""Run the real kubeconform binary and turn its results into Findings.

Two ways in. start_on_files + file_findings: kubeconform reads the manifest
files as they are (it understands multi-document YAML, JSON and `kind: List`)
and each result maps to the file's Document with its kind, apiVersion and
name; validation.py starts it early and uses it for every file that reads
the same in kubeconform and in hdgen's loader. validate: each Document's own
text goes as one file in a scratch folder, so every result maps back to
exactly one Document (a list goes as one `kind: List` file, and its items are
told apart by kind, apiVersion and name); for the other files, typed lists
(ConfigMapList) among them: kubeconform reads those as one object of a kind
without a schema. Schemas come
only from the project's schemas/ folder: no network, and never
`-ignore-missing-schemas`, which would turn a kind without a schema (a removed
API version, an unknown custom resource) into a silent pass.
"""

from __future__ import annotations

import json
import os
import re
import select
import shlex
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hdgen.objects.record import Document
from hdgen.errors import InputError, ToolError
from hdgen.finding import SCHEMA_RULE, Finding, Level
# Finding the binary lives apart, so the validation cache can do it without this module's imports.
from hdgen.validate.kubeconform_binary import INSTALL_HINT, KUBECONFORM_VERSION, find_binary  # noqa: F401

DEFAULT_TIMEOUT_SECONDS = 600.0
# kubeconform's own exit statuses: 0 all valid, 1 some invalid. Anything else is a crash.
_NORMAL_EXITS = (0, 1)
_QUOTED = re.compile(r"'[^']*'")
# kubeconform's msg holds the schema library's whole error tree, one "- at '/json/pointer': message"
# per node; its validationErrors list only the top level ("/spec: validation failed").
_AT_POINTER = re.compile(r"- at '(?P<pointer>[^']*)': (?P<message>.*?)(?=\s+- at '|$)")
_UNKNOWN_FIELD = re.compile(r"additional properties '([^']*)' not allowed")
# kubeconform's schema library lists unknown fields in Go map order, which changes from run to run:
# two runs on the same bytes would print different messages (and a cached report would differ from
# a fresh one). hdgen names them in sorted order.
_QUOTED_NAME = r"'(?:[^'\\]|\\.)*'"  # as the schema library quotes a name: ' inside is \'
_UNKNOWN_FIELDS = re.compile(rf"additional properties (?P<names>{_QUOTED_NAME}(?:, {_QUOTED_NAME})+) not allowed")
_NOT_A_LEAF = ("validation failed", "allOf failed", "anyOf failed", "oneOf failed")


@dataclass(frozen=True)
class SchemaSource:
    """Where kubeconform finds schemas: schemas/ of the project, for one Kubernetes version."""

    schemas_dir: Path
    kubernetes_version: str  # "1.33.0"

    def locations(self) -> list[str]:
        root = self.schemas_dir.resolve().as_posix()
        return [
            # Built-in kinds: schemas/v1.33.0-standalone-strict/deployment-apps-v1.json
            root + "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json",
            # Custom resources: schemas/crds/argoproj.io/application_v1alpha1.json
            root + "/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
        ]

    def check(self) -> None:
        folder = self.schemas_dir / f"v{self.kubernetes_version}-standalone-strict"
        if not folder.is_dir():
            have = sorted(p.name.split("-")[0][1:] for p in self.schemas_dir.glob("v*-standalone-strict"))
            raise InputError(
                f"no schemas for Kubernetes {self.kubernetes_version} in {self.schemas_dir}/ "
                f"(have: {', '.join(have) or 'none'}): run "
                f"`hdgen schemas update --kubernetes-version {self.kubernetes_version}`"
            )


def timeout_seconds() -> float:
    raw = os.environ.get("HDGEN_KUBECONFORM_TIMEOUT")
    if not raw:
        return DEFAULT_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise InputError(f"HDGEN_KUBECONFORM_TIMEOUT={raw!r}: give a number of seconds above 0")
    return value


def validate(
    documents: Sequence[Document], source: SchemaSource, binary: str, skip_kinds: Sequence[str] = ()
) -> list[Finding]:
    """Schema findings for documents (rule "schema"), sorted; [] when all are valid."""
    if not documents:
        return []
    source.check()
    with tempfile.TemporaryDirectory(prefix="hdgen-kubeconform-") as scratch:
        by_file = _write_inputs(documents, Path(scratch))
        running = Running(command(source, binary, skip_kinds, [scratch]))
        output = running.wait()
        findings = []
        for result in _parse_output(running.command, output):
            group = by_file.get(Path(result.get("filename", "")).name)
            if group is None:
                raise ToolError(
                    f"kubeconform reported a file hdgen did not give it: {result.get('filename')!r}",
                    detail=output.stdout,
                )
            document = _match(group, result)
            if document is not None:
                findings.extend(_findings(result, document, source.kubernetes_version))
    return sorted(findings, key=Finding.sort_key)


def command(source: SchemaSource, binary: str, skip_kinds: Sequence[str], inputs: Sequence[str]) -> list[str]:
    """kubeconform's command line: strict, JSON output, the project's schemas only."""
    argv = [
        binary,
        "-strict",
        "-output", "json",
        "-n", str(os.cpu_count() or 1),
        "-kubernetes-version", source.kubernetes_version,
    ]
    for location in source.locations():
        argv += ["-schema-location", location]
    if skip_kinds:
        argv += ["-skip", ",".join(skip_kinds)]
    return argv + list(inputs)


def start_on_files(files: Sequence[Path], source: SchemaSource, binary: str, skip_kinds: Sequence[str]) -> Running:
    """kubeconform on the manifest files as they are: it reads multi-document YAML and JSON itself."""
    return Running(command(source, binary, skip_kinds, [str(f) for f in files]))


def file_findings(
    running: Running, documents: dict[str, list[Document]], kubernetes_version: str
) -> list[Finding]:
    """Findings of a start_on_files run, for the files in documents (kubeconform's file name -> its Documents).

    Results for files left out of documents are dropped: the caller checks those
    another way. Within a file, a result belongs to the document with its kind,
    apiVersion and name (the caller leaves out files where that is ambiguous).
    """
    output = running.wait()
    findings = []
    for result in _parse_output(running.command, output):
        filename = str(result.get("filename", ""))
        group = documents.get(filename)
        if group is None:
            continue
        document = _match_in_file(group, result)
        findings.extend(_findings(result, document, kubernetes_version))
    return sorted(findings, key=Finding.sort_key)


def signature(document: Document) -> tuple[str, str, str]:
    """What kubeconform tells a document by within a file: kind, apiVersion and name."""
    return (document.kind, document.api_version, _signature_name(document))


def _match_in_file(group: list[Document], result: dict[str, Any]) -> Document:
    """The document a result of a whole file is about; a result that names none (say, a
    file that did not parse for kubeconform) goes to the file's first document, so no error is lost."""
    wanted = (result.get("kind"), result.get("version"), result.get("name"))
    for document in group:
        if signature(document) == wanted:
            return document
    return group[0]


def _write_inputs(documents: Sequence[Document], folder: Path) -> dict[str, list[Document]]:
    """The scratch files kubeconform reads: one per document, one per list (or one per list item
    when the list's items cannot be told apart); returns scratch file name -> its documents."""
    groups: dict[tuple, list[Document]] = {}
    for document in documents:
        # Items of one list share one source text; every other document stands alone.
        key = (document.file, id(document.text)) if document.list_index is not None else (id(document),)
        groups.setdefault(key, []).append(document)
    by_file = {}
    for group in groups.values():
        for text, suffix, documents_of_file in _scratch_files(group):
            name = f"{len(by_file):06d}{suffix}"
            (folder / name).write_text(text, encoding="utf-8")
            by_file[name] = documents_of_file
    return by_file


def _scratch_files(group: list[Document]) -> list[tuple[str, str, list[Document]]]:
    """(text, file suffix, its documents) for one document or the items of one list."""
    first = group[0]
    suffix = ".json" if first.file.lower().endswith(".json") else ".yaml"
    if first.list_index is None:
        return [(_source_text(first), suffix, group)]
    signatures = [signature(document) for document in group]
    if len(set(signatures)) != len(signatures):
        # kubeconform's results name no item index: items alike in kind, apiVersion and name go one by one.
        return [(json.dumps(document.body, default=str), ".json", [document]) for document in group]
    return [(_list_text(group), suffix, group)]


def _list_text(group: list[Document]) -> str:
    """The list's text as kubeconform unpacks it: kubeconform unpacks only `kind: List`, so a typed
    list (ConfigMapList) goes with its top-level kind spelled List, its items' text untouched."""
    first = group[0]
    if first.list_kind.lower() == "list":
        return _source_text(first)
    # In a block mapping, the only key at column 0 spelled "kind" is the document's own.
    pattern = re.compile(rf"^kind:([ \t]+)([\"']?){re.escape(first.list_kind)}\2[ \t]*(#.*)?$", re.MULTILINE)
    if len(pattern.findall(first.text)) == 1:
        return pattern.sub(r"kind:\1List", first.text)
    # JSON (which every reader reads alike) or flow style: the items as hdgen read them.
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": [d.body for d in group]}, default=str)


def _source_text(document: Document) -> str:
    if document.text:
        return document.text
    # A Document built in code (not by the loader) has no text of its own: JSON is YAML enough.
    return json.dumps(document.body, default=str)


class Running:
    """A started kubeconform; output goes to temp files, so it never blocks on a full pipe."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.started = time.monotonic()
        self._stdout = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        try:
            # Own session, so a timeout can end the binary and anything it started.
            self.process = subprocess.Popen(
                command, stdout=self._stdout, stderr=self._stderr, start_new_session=True
            )
        except OSError as error:
            self._close()
            if isinstance(error, FileNotFoundError):
                raise ToolError(f"kubeconform not found: {command[0]}: {INSTALL_HINT}") from None
            if isinstance(error, PermissionError):
                raise ToolError(f"kubeconform at {command[0]} is not executable: {INSTALL_HINT}") from None
            raise ToolError(
                f"cannot run kubeconform at {command[0]}: {error.strerror or error}: {INSTALL_HINT}"
            ) from None

    def wait(self) -> subprocess.CompletedProcess:
        """Wait for it (within HDGEN_KUBECONFORM_TIMEOUT of its start); ToolError unless it exited 0 or 1."""
        shown = shlex.join(self.command)
        limit = timeout_seconds()
        try:
            ended = _wait_for_exit(self.process, max(limit - (time.monotonic() - self.started), 0.001))
        except BaseException:
            self.stop()
            raise
        if not ended:
            self.stop()
            raise ToolError(
                f"kubeconform did not finish within {limit:g} s (HDGEN_KUBECONFORM_TIMEOUT) and was stopped: {shown}",
                detail=_tool_output(*self._read()),
            )
        stdout, stderr = self._read()
        if self.process.returncode not in _NORMAL_EXITS:
            raise ToolError(
                f"kubeconform failed with exit status {self.process.returncode}: {shown}",
                detail=_tool_output(stdout, stderr) + f"\nIs it kubeconform {KUBECONFORM_VERSION}? {INSTALL_HINT}",
            )
        return subprocess.CompletedProcess(self.command, self.process.returncode, stdout, stderr)

    def stop(self) -> None:
        if self.process.poll() is None:
            _kill(self.process)
        self.process.wait()
        self._close()

    def _read(self) -> tuple[str, str]:
        texts = []
        for handle in (self._stdout, self._stderr):
            if handle.closed:
                texts.append("")
                continue
            handle.seek(0)
            texts.append(handle.read())
        self._close()
        return texts[0], texts[1]

    def _close(self) -> None:
        self._stdout.close()
        self._stderr.close()


def _wait_for_exit(process: subprocess.Popen, timeout: float) -> bool:
    """Whether process ended within timeout seconds (reaped if so).

    Popen.wait(timeout) polls with sleeps of up to 50 ms, so hdgen noticed the
    end of kubeconform up to 50 ms late; a pidfd becomes readable the moment
    the process ends. Where there is none (not Linux), Popen.wait it is.
    """
    try:
        handle = os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        try:
            process.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:
        ready, _, _ = select.select([handle], [], [], timeout)
    finally:
        os.close(handle)
    if ready:
        process.wait()
    return bool(ready)


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _tool_output(stdout: str | None, stderr: str | None) -> str:
    parts = []
    for label, text in (("stdout", stdout), ("stderr", stderr)):
        text = (text or "").strip()
        if text:
            if len(text) > 4000:
                text = text[:4000] + " …(cut)"
            parts.append(f"{label}:\n{text}")
    return "\n".join(parts) or "(no output)"


def _parse_output(command: list[str], output: subprocess.CompletedProcess) -> list[dict[str, Any]]:
    try:
        data = json.loads(output.stdout)
        resources = data["resources"]
        if not isinstance(resources, list):
            raise TypeError("resources is not a list")
    except (ValueError, KeyError, TypeError) as error:
        raise ToolError(
            f"kubeconform printed output hdgen cannot read ({error}): {shlex.join(command)}",
            detail=_tool_output(output.stdout, output.stderr) + f"\nIs it kubeconform {KUBECONFORM_VERSION}? {INSTALL_HINT}",
        ) from None
    if output.returncode == 1 and not resources:
        raise ToolError(
            f"kubeconform exited 1 without reporting an invalid resource: {shlex.join(command)}",
            detail=_tool_output(output.stdout, output.stderr),
        )
    return resources


def _match(group: list[Document], result: dict[str, Any]) -> Document | None:
    """The document a result is about: the only one, or the List item with its kind, apiVersion and name.

    None for a List item that is not a Document: the loader reported it already (no kind, not a mapping).
    """
    if group[0].list_index is None:
        return group[0]
    for document in group:
        if (
            document.kind == result.get("kind")
            and document.api_version == result.get("version")
            and _signature_name(document) == result.get("name")
        ):
            return document
    return None


def _signature_name(document: Document) -> str:
    generate_name = document.metadata.get("generateName")
    if generate_name:
        return f"{generate_name}{{{{ generateName }}}}"  # how kubeconform names such objects
    return document.name


def _findings(result: dict[str, Any], document: Document, kubernetes_version: str) -> list[Finding]:
    status = result.get("status")
    if status in ("statusValid", "statusSkipped"):
        return []
    message = str(result.get("msg") or "")
    errors = _leaf_errors(message) or result.get("validationErrors") or []
    if status == "statusInvalid" and errors:
        found = []
        for error in errors:
            path = _key_path(document.body, str(error.get("path") or ""))
            text = _redact(document, _in_one_order(str(error.get("msg") or "invalid")))
            where = _dotted(path)
            # An unknown field is best shown on its own line, not on its parent's.
            unknown = _UNKNOWN_FIELD.fullmatch(text)
            line = document.line_of(*path, unknown.group(1)) if unknown else document.line_of(*path)
            found.append(_finding(document, line, f"{where}: {text}" if where else text))
        return found
    if message.startswith("could not find schema for"):
        message = (
            f"no schema for {document.api_version} {document.kind} in Kubernetes {kubernetes_version}: "
            "the API version is unknown or was removed; for a custom resource, add its CRD with "
            "`hdgen schemas import-crd`"
        )
    return [_finding(document, document.line, _redact(document, message or str(status)))]


def _leaf_errors(message: str) -> list[dict[str, str]]:
    """The most specific errors in kubeconform's msg, as {"path", "msg"} like its validationErrors."""
    leaves = []
    for match in _AT_POINTER.finditer(message):
        text = match.group("message").strip()
        if text and text not in _NOT_A_LEAF:
            leaves.append({"path": match.group("pointer"), "msg": text})
    return leaves


def _in_one_order(message: str) -> str:
    """message with the unknown fields it lists in sorted order (see _UNKNOWN_FIELDS)."""
    listed = _UNKNOWN_FIELDS.fullmatch(message)
    if listed is None:
        return message
    names = sorted(re.findall(_QUOTED_NAME, listed.group("names")))
    return f"additional properties {', '.join(names)} not allowed"


def _finding(document: Document, line: int, message: str) -> Finding:
    return Finding.about(document, SCHEMA_RULE, Level.ERROR, message, line)


def _key_path(body: Any, pointer: str) -> tuple:
    """kubeconform's "/spec/containers/0/image" as a key path; list indexes become ints."""
    path: list[str | int] = []
    node = body
    for raw in pointer.split("/")[1:]:
        part: str | int = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and isinstance(part, str) and part.isdigit():
            part = int(part)
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = None
        path.append(part)
    return tuple(path)


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _redact(document: Document, message: str) -> str:
    """Schema messages may quote the value they reject; a Secret's values must not reach a report."""
    if document.kind == "Secret":
        return _QUOTED.sub("'***'", message)
    return message
