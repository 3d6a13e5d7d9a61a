"""Writers of a DiffReport: text (coloured on a terminal) and json; markdown is in diffmarkdown.py.

Every writer reads values only through `change_lines` / `json_value`, which
print a redacted value as its marker, so a secret cannot reach any format.

The json format (stable; new keys may be added, none removed or renamed):

    {"env": "prod",
     "base": {"ref": "merge base with main", "commit": "<40 hex>"},
     "resources": [                       # sorted by kind, namespace, name
       {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "honeydue" | null,
        "name": "api", "change": "added" | "removed" | "changed",
        "impact": "immutable" | "added" | "removed" | "rolls-pods" | "config-rolls"
                  | "scales" | "metadata-only" | "other",
        "impactDetail": "rolls 3 pods one at a time (maxSurge 1, maxUnavailable 0)",
        "fields": [{"path": "spec.template.spec.containers[api].image",
                    "old": <value> | null,   # null: the field is absent on that side
                    "new": <value> | null,
                    "redacted": false}]}],   # true: old/new are "<redacted>", never the value
     "summary": {"added": 1, "removed": 0, "changed": 2, "unchanged": 18,
                 "impacts": {"rolls-pods": 2, ...}},
     "secretRotations": [                 # Secrets whose revision changed (hdgen rotate), by name
       {"secret": "honeydue-secrets", "oldRevision": "2" | null, "newRevision": "3" | null,
        "rolls": [{"kind": "Deployment", "namespace": "honeydue", "name": "api"}]}]}
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from hdgen.diff.review import DiffReport
from hdgen.diff.redact import Redacted, is_redacted, marker
from hdgen.diff.semantic import MISSING, FieldChange

REDACTED_JSON = "<redacted>"
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
    s = report.summary()
    return f"{s['changed']} changed, {s['added']} added, {s['removed']} removed, {s['unchanged']} unchanged"


def write_text(report: DiffReport, color: bool) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out = [f"hdgen diff {report.env}: {base_description(report)} -> fresh render of values/"]
    if not report.changed:
        out.append(f"no differences ({report.unchanged} objects unchanged)")
        return "\n".join(out) + "\n"
    out.append(summary_line(report))
    out += [rotation.line for rotation in report.rotations]
    for resource in report.resources:
        diff = resource.diff
        sign = CHANGE_SIGNS[diff.change]
        impact_color = _RED if resource.impact == "immutable" else _YELLOW
        out.append("")
        out.append(
            f"{paint(_BOLD, f'{sign} {diff.title}')}  "
            f"{paint(impact_color, f'[{resource.impact}]')} {resource.detail}"
        )
        for change in diff.fields:
            for line_sign, text in change_lines(change):
                colour = {"-": _RED, "+": _GREEN, "!": _CYAN}.get(line_sign)
                line = f"    {line_sign} {text}"
                out.append(paint(colour, line) if colour else line)
    return "\n".join(out) + "\n"


def json_value(value: Any) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, Redacted):
        return REDACTED_JSON
    return value


def to_json(report: DiffReport) -> dict:
    resources = []
    for resource in report.resources:
        diff = resource.diff
        resources.append(
            {
                "apiVersion": diff.api_version,
                "kind": diff.kind,
                "namespace": diff.namespace or None,
                "name": diff.name,
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
    return {
        "env": report.env,
        "base": {"ref": report.base.label, "commit": report.base.commit},
        "resources": resources,
        "summary": report.summary(),
        "secretRotations": [_rotation_json(rotation) for rotation in report.rotations],
    }


def _rotation_json(rotation) -> dict:
    return {
        "secret": rotation.secret,
        "oldRevision": rotation.old,
        "newRevision": rotation.new,
        "rolls": [{"kind": key[1], "namespace": key[2] or None, "name": key[3]} for key in rotation.rolls],
    }


def write_json(report: DiffReport) -> str:
    return json.dumps(to_json(report), indent=2, ensure_ascii=False, default=str) + "\n"
