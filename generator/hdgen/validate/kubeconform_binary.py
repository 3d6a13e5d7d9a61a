"""Which kubeconform to run: found without importing what running it needs.

The validation cache keys on the binary, and a cache hit should not pay for
subprocess, tempfile and the result parsing in hdgen.kubeconform.
"""

from __future__ import annotations

import os
from pathlib import Path

from hdgen.errors import ToolError

KUBECONFORM_VERSION = "v0.7.0"
INSTALL_HINT = (
    "install it with `make bootstrap`, or "
    f"`GOBIN=$PWD/.tools/bin go install github.com/yannh/kubeconform/cmd/kubeconform@{KUBECONFORM_VERSION}`, "
    "or point HDGEN_KUBECONFORM at the binary"
)


def find_binary(project_root: Path) -> str:
    """HDGEN_KUBECONFORM, else the project's .tools/bin/kubeconform, else kubeconform on PATH."""
    configured = os.environ.get("HDGEN_KUBECONFORM")
    if configured:
        return configured
    local = project_root / ".tools" / "bin" / "kubeconform"
    if local.is_file():
        return str(local)
    import shutil  # only when neither of the above: its import costs ~4 ms

    on_path = shutil.which("kubeconform")
    if on_path:
        return on_path
    raise ToolError(f"kubeconform not found (not in {local.parent} nor on PATH): {INSTALL_HINT}")
