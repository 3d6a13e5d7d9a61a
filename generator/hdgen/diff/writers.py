"""Writers of a DiffReport: text (coloured on a terminal) and json; markdown is in diffmarkdown.py.

Every writer reads values only through `change_lines` / `json_value`, which
print a redacted value as its marker, so a secret cannot reach any format.

The json format (stable; new keys may be added, none removed or renamed):

    {"env": "prod",
     "base": {"ref": "merge base with main", "commit": "<40 hex>"},
     "resources": [                       # rendered/ENV's by kind, namespace, name; then rendered/_gitops/ENV's
       {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "honeydue" | null,
        "folder": "rendered/prod",        # or "rendered/_gitops/prod": the agent's own objects
        "name": "api", "change": "added" | "removed" | "changed",
        "impact": "immutable" | "runs-migration" | "added" | "removed" | "rolls-pods" | "config-rolls"
                  | "scales" | "metadata-only" | "other"
                  | "agent-added" | "agent-removed" | "agent-source" | "agent-changed",
        "impactDetail": "rolls 3 pods one at a time (maxSurge 1, maxUnavailable 0)",
        "fields": [{"path": "spec.template.spec.containers[api].image",
                    "old": <value> | null,   # null: the field is absent on that side
                    "new": <value> | null,
                    "redacted": false}]}],   # true: old/new are "<redacted>", never the value
     "summary": {"added": 1, "removed": 0, "changed": 2, "unchanged": 18,
                 "impacts": {"rolls-pods": 2, ...}},
     "secretRotations": [                 # Secrets whose revision changed (hdgen rotate), by name
       {"secret": "honeydue-secrets", "oldRevision": "2" | null, "newRevision": "3" | null,
        "rolls": [{"kind": "Deployment", "namespace": "honeydue", "name": "api"}]}],
     "rollouts": [                        # migrations that run, canaries that start, change or end (diff/rollout.py)
       {"app": "api", "event": "migration" | "canary-started" | "canary-changed" | "canary-promoted"
                               | "canary-aborted",
        "image": "<the migration's or the canary's image>", "weight": 10 | null,
        "line": "canary of api at 10% on image …"}],
     "headTree": null                     # null: rendered/ at HEAD is what the values render
       | {"commit": "<40 hex>", "message": "rendered/prod at HEAD is not what values/ render: ...",
          "folders": ["rendered/prod"], "files": [{"path": "rendered/prod/api/deployment.yaml",
          "change": "missing" | "different" | "extra"}],
          "error": null | "why the committed files could not be read",
          "resources": [...], "summary": {...}}}   # what the agent applies: the base against HEAD's files
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from hdgen.diff.review import DiffReport
from hdgen.project import AGENT_DIR
from hdgen.diff.redact import Redacted, is_redacted, marker
from hdgen.diff.semantic import MISSING, FieldChange

REDACTED_JSON = "<redacted>"
AGENT_FOLDER_MARK = f"/{AGENT_DIR}/"  # in a resource's folder: one of the agent's own objects (shown with its folder)
CHANGE_SIGNS = {"added": "+", "removed": "-", "changed": "~"}

_RESET, _BOLD, _RED, _GREEN, _YELLOW, _CYAN = "\033[0m", "\033[1m", "\033[31m", "\033[32m", "\033[33m", "\033[36m"


def show(value: Any) -> str:
    """A scalar or small structure on one line, YAML-like: strings plain unless that would mislead."""
    if isinstance(value, str):
        if value == "" or value != value.strip() or value[0] in "'\"[{&*!|>%@`#":
            return json.dumps(value, ensure_ascii=False)
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def change_lines(change: FieldChange) -> list[tuple[str, str]]:
    """The change as diff lines: (sign, text) with sign "-", "+", "!" (redacted) or " "."""
    path = change.dotted or "(document)"
    if is_redacted(change):
        return [("!", f"{path}: {marker(change)}")]
    old, new = change.old, change.new
    if _multiline(old) or _multiline(new):
        before = old.splitlines() if isinstance(old, str) else ([] if old is MISSING else [show(old)])
        after = new.splitlines() if isinstance(new, str) else ([] if new is MISSING else [show(new)])
        lines = [(" ", f"{path}: |")]
        for line in list(difflib.unified_diff(before, after, lineterm="", n=2))[2:]:
            if line.startswith("@@"):
                lines.append((" ", "  …"))
            else:
                lines.append((line[0], "  " + line[1:]))
        return lines
    lines = []
    if old is not MISSING:
        lines.append(("-", f"{path}: {show(old)}"))
    if new is not MISSING:
        lines.append(("+", f"{path}: {show(new)}"))
    return lines


def _multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value


def base_description(report: DiffReport) -> str:
    return f"rendered/{report.env} at {report.base.label} ({report.base.commit[:12]})"


def summary_line(report: DiffReport) -> str:
    return _summary_text(report.summary())


def _summary_text(s: dict) -> str:
    return f"{s['changed']} changed, {s['added']} added, {s['removed']} removed, {s['unchanged']} unchanged"


def drift_line(report: DiffReport) -> str:
    """The warning when rendered/ at HEAD is not what values/ render, e.g. after a committed hand edit."""
    drift = report.drift
    count = len(drift.files)
    files = "1 file differs" if count == 1 else f"{count} files differ"
    verb = "is" if len(drift.folders) == 1 else "are"
    return (
        f"{' and '.join(drift.folders)} at HEAD {verb} not what values/ render: {files} "
        "— the agent applies the committed files"
    )


def write_text(report: DiffReport, color: bool) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out = [f"hdgen diff {report.env}: {base_description(report)} -> fresh render of values/"]
    drift = report.drift
    if drift is not None:
        out.append(paint(_RED, drift_line(report)))
        out += [f"    {word}: {path}" for word, path in drift.files]
        out += ["", "what values/ render:"]
    if not report.resources:
        out.append(f"no differences ({report.unchanged} objects unchanged)")
    else:
        out.append(summary_line(report))
        out += [rotation.line for rotation in report.rotations]
        out += [event.line for event in report.rollouts]
        out += _text_resources(report.resources, paint)
    if drift is not None:
        out += ["", f"what the agent would apply: the committed files at HEAD ({drift.commit[:12]}) against the base:"]
        if drift.error:
            out.append(f"cannot be read as manifests: {drift.error}")
        elif not drift.resources:
            out.append(f"no differences ({drift.unchanged} objects unchanged)")
        else:
            out.append(_summary_text(drift.summary()))
            out += _text_resources(drift.resources, paint)
    return "\n".join(out) + "\n"


def _text_resources(resources: list, paint) -> list[str]:
    out = []
    for resource in resources:
        diff = resource.diff
        sign = CHANGE_SIGNS[diff.change]
        impact_color = _RED if resource.impact == "immutable" else _YELLOW
        where = f" ({resource.folder})" if AGENT_FOLDER_MARK in resource.folder else ""
        out.append("")
        out.append(
            f"{paint(_BOLD, f'{sign} {diff.title}{where}')}  "
            f"{paint(impact_color, f'[{resource.impact}]')} {resource.detail}"
        )
        for change in diff.fields:
            for line_sign, text in change_lines(change):
                colour = {"-": _RED, "+": _GREEN, "!": _CYAN}.get(line_sign)
                line = f"    {line_sign} {text}"
                out.append(paint(colour, line) if colour else line)
    return out


def json_value(value: Any) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, Redacted):
        return REDACTED_JSON
    return value


def to_json(report: DiffReport) -> dict:
    return {
        "env": report.env,
        "base": {"ref": report.base.label, "commit": report.base.commit},
        "resources": _json_resources(report.resources),
        "summary": report.summary(),
        "secretRotations": [_rotation_json(rotation) for rotation in report.rotations],
        "rollouts": [event.to_json() for event in report.rollouts],
        "headTree": _json_drift(report),
    }


def _rotation_json(rotation) -> dict:
    return {
        "secret": rotation.secret,
        "oldRevision": rotation.old,
        "newRevision": rotation.new,
        "rolls": [{"kind": key[1], "namespace": key[2] or None, "name": key[3]} for key in rotation.rolls],
    }


def _json_drift(report: DiffReport) -> dict | None:
    drift = report.drift
    if drift is None:
        return None
    return {
        "commit": drift.commit,
        "message": drift_line(report),
        "folders": drift.folders,
        "files": [{"path": path, "change": word} for word, path in drift.files],
        "error": drift.error or None,
        "resources": _json_resources(drift.resources),
        "summary": drift.summary(),
    }


def _json_resources(reviewed: list) -> list[dict]:
    resources = []
    for resource in reviewed:
        diff = resource.diff
        resources.append(
            {
                "apiVersion": diff.api_version,
                "kind": diff.kind,
                "namespace": diff.namespace or None,
                "name": diff.name,
                "folder": resource.folder,
                "change": diff.change,
                "impact": resource.impact,
                "impactDetail": resource.detail,
                "fields": [
                    {
                        "path": change.dotted,
                        "old": json_value(change.old),
                        "new": json_value(change.new),
                        "redacted": is_redacted(change),
                    }
                    for change in diff.fields
                ],
            }
        )
    return resources


def write_json(report: DiffReport) -> str:
    return json.dumps(to_json(report), indent=2, ensure_ascii=False, default=str) + "\n"
