"""No secret-looking literal values in env vars or ConfigMaps.

Flags, without ever printing the value:

- an env var of a container or init container whose name has a secret word
  (TOKEN, SECRET, PASSWORD, KEY, CREDENTIAL, PRIVATE, …, matched on whole
  words of the name: `API_KEY`, `dbPassword`; not `KEYBOARD_LAYOUT`) with a
  literal `value:` instead of `valueFrom:`; an empty value and a pure
  `$(OTHER_VAR)` reference pass;
- an env var or ConfigMap value that is a URL with a password
  (`redis://user:pass@host`);
- a ConfigMap `data` or `binaryData` key whose name has a secret word.

Why: manifests are committed to git and read by everyone with repo access;
the runbook ("Secret changes") keeps secrets in `honeydue-secrets`, created
out of band, and pods read them by reference.

Passes:

    env:
    - name: SECRET_KEY
      valueFrom: {secretKeyRef: {name: honeydue-secrets, key: SECRET_KEY}}

Fails:

    env:
    - name: SECRET_KEY
      value: hunter2

Opt out: annotate the object with `hdgen.io/ignore-HD009: "<reason>"` (e.g. a
ConfigMap key `PUBLIC_KEY` that holds a public key).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.patterns import URL_WITH_PASSWORD, key_looks_secret
from hdgen.rules._shared.base import RuleContext, finding, items, mapping
from hdgen.rules._shared.workloads import containers

ID = "HD009"
NAME = "no-literal-secrets"
LEVEL = Level.ERROR

VARIABLE_REFERENCE = re.compile(r"^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$")
CAMEL_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")


def looks_secret(name: str) -> bool:
    return key_looks_secret(CAMEL_BOUNDARY.sub(r"\1_\2", name))  # apiToken reads as API_TOKEN


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind == "ConfigMap":
        yield from _config_map(document)
        return
    for container in containers(document):
        for index, variable in items(container.body, "env"):
            name, value = variable.get("name"), variable.get("value")
            if not isinstance(name, str) or not isinstance(value, str) or not value:
                continue
            where = (*container.path, "env", index, "value")
            if looks_secret(name) and not VARIABLE_REFERENCE.match(value):
                yield finding(
                    ID, LEVEL, document,
                    f"{container.label}: env {name} looks like a secret but has a literal value: "
                    "read it with valueFrom.secretKeyRef",
                    *where,
                )
            elif URL_WITH_PASSWORD.match(value):
                yield finding(
                    ID, LEVEL, document,
                    f"{container.label}: env {name} holds a URL with a password: move it to a Secret",
                    *where,
                )


def _config_map(document: Document) -> Iterator[Finding]:
    for section in ("data", "binaryData"):
        for key, value in mapping(document.body, section).items():
            if not isinstance(key, str):
                continue
            if looks_secret(key):
                yield finding(
                    ID, LEVEL, document,
                    f"ConfigMap key {key} looks like a secret: keep it in a Secret the pods reference",
                    section, key,
                )
            elif isinstance(value, str) and URL_WITH_PASSWORD.match(value):
                yield finding(
                    ID, LEVEL, document,
                    f"ConfigMap key {key} holds a URL with a password: move the password to a Secret",
                    section, key,
                )
