"""Patterns shared by the values model, the policy rules, bump and the diff redaction.

Kept apart from model.py so that validate, bump and diff's redaction can use
them without importing pydantic (a quarter of a second at start-up). Each
pattern is written here once: a tag the values model calls a commit is the one
the rules call immutable, and a credential the values refuse is one the diff hides.
"""

from __future__ import annotations

import re

# An image tag that names one commit: immutable, like a digest.
COMMIT_SHA = re.compile(r"^[0-9a-f]{7,40}$")
DIGEST_PATTERN = r"^sha256:[0-9a-f]{64}$"  # a string: the values model hands it to pydantic
DIGEST = re.compile(DIGEST_PATTERN)

# Name parts that mark a config key as a secret. Matched on whole words of the
# key (split on '_', '-', '.'), so CACHE_TTL passes and API_TOKEN does not.
SECRET_WORDS = frozenset(
    {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "PWD", "KEY", "APIKEY", "CREDENTIAL",
     "CREDENTIALS", "PRIVATE", "PASSPHRASE", "CERT", "DSN", "SIGNATURE", "SALT"}
)
_KEY_WORD_SEPARATORS = re.compile(r"[^A-Z0-9]+")

_URL_WITH_PASSWORD = r"[a-z][a-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@"
URL_WITH_PASSWORD = re.compile("^" + _URL_WITH_PASSWORD, re.IGNORECASE)  # the whole value is such a URL
# Credential shapes, found anywhere in a text (search, not match), with what each is called.
CREDENTIAL_SHAPES = (
    (re.compile(_URL_WITH_PASSWORD, re.IGNORECASE), "a URL with a password"),
    (re.compile(r"-----BEGIN [A-Z ]*-----"), "a PEM block (a key or certificate)"),
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "a JWT"),
)


def key_looks_secret(key: str) -> bool:
    """Whether a whole word of key (split on anything but letters and digits) is in SECRET_WORDS."""
    return bool(set(_KEY_WORD_SEPARATORS.split(key.upper())) & SECRET_WORDS)


def has_credential(text: str) -> bool:
    """Whether text holds one of the CREDENTIAL_SHAPES anywhere."""
    return any(pattern.search(text) for pattern, _ in CREDENTIAL_SHAPES)

# The pod-template annotation that carries a Secret's revision (secrets.revisions): the prefix is
# a DNS subdomain and the name part is the Secret's name (a DNS label, at most 63 characters), so the
# key is valid for every Secret name. Render writes it, diff recognises it, redaction shows it.
SECRET_REVISION_ANNOTATION = "secret-revision.hdgen.io/"

# Annotations render writes on a migration Job and a canary Deployment (render/rollout.py), naming
# the app; diff reads them to say "runs migration …" and "canary of … at N%" (diff/rollout.py).
MIGRATION_OF_ANNOTATION = "hdgen.io/migration-of"
CANARY_OF_ANNOTATION = "hdgen.io/canary-of"
