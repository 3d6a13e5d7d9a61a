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

Not flagged: a variable (or ConfigMap key) that names a Secret rather than
holding one, where both its name and its value say so:

- the name ends in NAME or REF right after a secret word (`SECRET_NAME`,
  `ALLOYDB_SECRET_NAME`, `TLS_CERT_REF`), or in SECRET right after another
  secret word (`DB_PASSWORD_SECRET`), and the value is a Secret's name (a
  DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, such as
  `alloydb-credentials`);
- the name ends in SECRET_KEY with a word before it (`PASSWORD_SECRET_KEY`,
  `ALLOYDB_SECRET_KEY`: the key inside that Secret), and the value is a short
  key-like identifier: at most 63 characters of words joined by `-`, `_` or
  `.`, each word lowercase, uppercase or camelCase (`password`, `DB_PASSWORD`,
  `tls.crt`, `dbPassword`; not the mixed-case noise of a generated key).

A bare `SECRET_KEY` (a framework's signing key), `CLIENT_SECRET`, `API_KEY` or
`ACCESS_TOKEN_SECRET` holding a generated value stays flagged.

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
from hdgen.patterns import SECRET_WORDS, URL_WITH_PASSWORD, key_looks_secret
from hdgen.rules._shared.base import RuleContext, finding, items, mapping
from hdgen.rules._shared.workloads import containers

ID = "HD009"
NAME = "no-literal-secrets"
LEVEL = Level.ERROR

VARIABLE_REFERENCE = re.compile(r"^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$")
CAMEL_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")
WORD_SEPARATORS = re.compile(r"[^A-Z0-9]+")
NAMING_WORDS = frozenset({"NAME", "REF"})  # ..._SECRET_NAME: the name of a Secret
DNS_1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
KEY_WORD = re.compile(r"^([a-z0-9]+|[A-Z0-9]+|[A-Za-z][a-z0-9]*([A-Z][a-z0-9]+)*)$")
KEY_WORD_SEPARATORS = re.compile(r"[-_.]")
MAX_KEY_LENGTH = 63


def looks_secret(name: str) -> bool:
    return key_looks_secret(CAMEL_BOUNDARY.sub(r"\1_\2", name))  # apiToken reads as API_TOKEN


def names_a_secret(name: str, value: str) -> bool:
    """Whether name and value say the variable names a Secret (or a key in one), not a credential."""
    words = [w for w in WORD_SEPARATORS.split(CAMEL_BOUNDARY.sub(r"\1_\2", name).upper()) if w]
    if len(words) < 2 or words[-2] not in SECRET_WORDS:
        return False
    last, before = words[-1], words[-2]
    if last in NAMING_WORDS or (last == "SECRET" and before != "SECRET"):
        return len(value) <= 253 and bool(DNS_1123_SUBDOMAIN.match(value))
    if last == "KEY" and before == "SECRET" and len(words) >= 3:
        return _key_like(value)
    return False


def _key_like(value: str) -> bool:
    """A short identifier such as password, DB_PASSWORD, tls.crt or dbPassword."""
    if not 0 < len(value) <= MAX_KEY_LENGTH:
        return False
    return all(word and KEY_WORD.match(word) for word in KEY_WORD_SEPARATORS.split(value))


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
            if looks_secret(name) and not VARIABLE_REFERENCE.match(value) and not names_a_secret(name, value):
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
            if looks_secret(key) and not (isinstance(value, str) and names_a_secret(key, value)):
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
