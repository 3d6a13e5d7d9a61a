"""Patterns shared by the values model, the policy rules, bump and the diff redaction.

Kept apart from model.py so that validate, bump and diff's redaction can use
them without importing pydantic (a quarter of a second at start-up).
"""

from __future__ import annotations

import re

COMMIT_SHA = re.compile(r"^[0-9a-f]{7,40}$")
DIGEST_PATTERN = r"^sha256:[0-9a-f]{64}$"

# Name parts that mark a config key as a secret. Matched on whole words of the
# key (split on '_', '-', '.'), so CACHE_TTL passes and API_TOKEN does not.
SECRET_WORDS = frozenset(
    {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "PWD", "KEY", "APIKEY", "CREDENTIAL",
     "CREDENTIALS", "PRIVATE", "PASSPHRASE", "CERT", "DSN", "SIGNATURE", "SALT"}
)
URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@", re.IGNORECASE)
