"""Refresh every golden: `make golden` (or `python -m tests.refresh_golden`).

First the precompiled templates (render/compiled/, see render/templating.py),
then the rendered trees: `hdgen render --all` writes rendered/ from values/.
Then every test that compares with a file under tests/golden (the tests that
call tests.goldens.assert_golden, marked `golden` by tests/tiers.py) runs with
HDGEN_REFRESH_GOLDEN=1 and writes its output there. Review the resulting
`git diff` like any other change: it is what hdgen now prints.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.goldens import REFRESH, REPO


def main() -> int:
    steps = [
        ([sys.executable, "-m", "hdgen.render.templating"], {}),
        ([sys.executable, "-m", "hdgen", "render", "--all"], {}),
        ([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "golden", "tests"], {REFRESH: "1"}),
    ]
    for command, env in steps:
        if subprocess.run(command, cwd=REPO, env={**os.environ, **env}).returncode != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
