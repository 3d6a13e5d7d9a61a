"""The Kubernetes versions hdgen validates against: the default, the pinned ones, and their spelling.

hdgen.yaml's `validate.kubernetesVersion`, `--kubernetes-version`, the rules'
context and `hdgen schemas update` all take a version from here, so the
default moves in one place when the cluster is upgraded.
"""

from __future__ import annotations

import re

DEFAULT = "1.33.0"
# The pinned version and the next minor: validating against both warns before an upgrade breaks.
PINNED = ("1.33.0", "1.34.0")
# MAJOR.MINOR.PATCH, as kubeconform's schema folders name them (v1.33.0-standalone-strict).
PATTERN = r"^[0-9]+\.[0-9]+\.[0-9]+$"
_VERSION = re.compile(PATTERN)


def is_version(text: str) -> bool:
    """Whether text is spelled MAJOR.MINOR.PATCH."""
    return bool(_VERSION.match(text))
