"""Hide secret values in a diff: show that they changed and their size, never the value.

A value is redacted when
- it sits under `data`/`stringData` of a Secret (any key),
- the key it sits under looks secret (a word of it is in hdgen.patterns.SECRET_WORDS: API_TOKEN,
  db-password; an env var's `value` counts under the variable's name), or
- the value looks like a credential: a URL with a password, a PEM block, a JWT,
  a long base64 or hex blob, or a `--flag=value` whose flag looks secret.
`checksum/…` annotations are hashes hdgen writes on purpose and stay visible, and so do
`secret-revision.hdgen.io/<name>` ones: a Secret's revision is a counter, not its value.

Redaction happens on the FieldChange records, before any writer sees them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from hdgen.patterns import SECRET_REVISION_ANNOTATION, has_credential, key_looks_secret
from hdgen.diff.semantic import MISSING, FieldChange, ResourceDiff

SECRET_KINDS = frozenset({"Secret"})
SECRET_DATA_FIELDS = frozenset({"data", "stringData"})
# Kubernetes field names that hold the *name* of a secret key or object, never its value.
REFERENCE_FIELDS = frozenset({"key", "secretName", "secretRef", "secretKeyRef", "name"})
ENV_VALUE_FIELDS = frozenset({"value"})
_HDGEN_ANNOTATIONS = ("checksum/", SECRET_REVISION_ANNOTATION)  # values hdgen writes, never a secret

_HEX_BLOB = re.compile(r"^[0-9a-fA-F]{32,}$")
_BASE64_BLOB = re.compile(r"^[A-Za-z0-9+/_-]{32,}={0,2}$")
_FLAG = re.compile(r"^-{1,2}([A-Za-z0-9_.-]+)=")


@dataclass(frozen=True)
class Redacted:
    """Stands in for a hidden value; only its size in bytes is kept."""

    size: int


def redact_resource(diff: ResourceDiff) -> ResourceDiff:
    """The same diff with every secret value replaced by Redacted."""
    return replace(diff, fields=[redact_change(diff.kind, change) for change in diff.fields])


def redact_change(kind: str, change: FieldChange) -> FieldChange:
    if not _secret(kind, change):
        return change
    return FieldChange(change.path, _hidden(change.old), _hidden(change.new))


def marker(change: FieldChange) -> str:
    """How a redacted change reads in every format."""
    old, new = change.old, change.new
    if old is MISSING:
        return f"<redacted: added, {new.size} bytes>"
    if new is MISSING:
        return f"<redacted: removed, {old.size} bytes>"
    return f"<redacted: changed, {old.size} bytes -> {new.size} bytes>"


def is_redacted(change: FieldChange) -> bool:
    return isinstance(change.old, Redacted) or isinstance(change.new, Redacted)


def value_looks_secret(value: Any) -> bool:
    if isinstance(value, list):
        return any(value_looks_secret(item) for item in value)
    if isinstance(value, dict):
        return any(key_looks_secret(str(k)) or value_looks_secret(v) for k, v in value.items())
    if not isinstance(value, str):
        return False
    text = value.strip()
    if has_credential(text):  # the values model refuses the same shapes (hdgen.patterns)
        return True
    if _HEX_BLOB.match(text):
        return True
    if _BASE64_BLOB.match(text) and _mixed(text):
        return True
    flag = _FLAG.match(text)
    return bool(flag and key_looks_secret(flag.group(1)))


def _mixed(text: str) -> bool:
    """Digits, lower and upper case together: a blob, not a long word or path."""
    return any(c.isdigit() for c in text) and any(c.islower() for c in text) and any(c.isupper() for c in text)


def _secret(kind: str, change: FieldChange) -> bool:
    path = change.path
    if kind in SECRET_KINDS and path and path[0] in SECRET_DATA_FIELDS:
        return True
    if len(path) >= 2 and path[-2] == "annotations" and path[-1].startswith(_HDGEN_ANNOTATIONS):
        return False
    leaf = path[-1] if path else ""
    if leaf in ENV_VALUE_FIELDS and len(path) >= 2 and path[-2].startswith("["):
        if key_looks_secret(path[-2].strip("[]").partition("=")[2] or path[-2].strip("[]")):
            return True
    if leaf not in REFERENCE_FIELDS and not leaf.startswith("[") and key_looks_secret(leaf):
        return True
    return any(value_looks_secret(v) for v in (change.old, change.new) if v is not MISSING)


def _hidden(value: Any) -> Any:
    if value is MISSING:
        return MISSING
    if isinstance(value, str):
        return Redacted(len(value.encode("utf-8")))
    return Redacted(len(json.dumps(value, sort_keys=True, default=str).encode("utf-8")))
