"""Secrets planted everywhere a user could put one never reach an output.

Every planted value contains PLANTED, so one substring search covers them all:
rendered/, stdout and stderr of every command, diff (text, markdown, json),
validate (every format), the ci report and SARIF, bump's output, error
messages, and the committed snapshots: rendered/ and tests/golden.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hdgen.render.tree import read_tree
from tests.conftest import REPO, copy_from_repo, run_hdgen

MARK = "PLANTED"
GIT = ["-c", "user.name=t", "-c", "user.email=t@t"]

# (where, old text of values/prod.yaml, new text): each plants one secret the values must refuse.
# REFUSED_AT: the key path each error must name, in the same order.
VALUES_PLANTS = [
    ("config key that names a secret", "  LOG_LEVEL: info\n", "  LOG_LEVEL: info\n  DB_PASSWORD: PLANTED-pw\n"),
    ("config value: URL with a password", "  LOG_LEVEL: info\n",
     "  LOG_LEVEL: info\n  CACHE_URL: redis://app:PLANTED-pw@redis:6379/0\n"),
    ("app env key that names a secret", "    replicas: 2\n", "    replicas: 2\n    env: {API_TOKEN: PLANTED-tok}\n"),
    ("app env value: a JWT", "    replicas: 2\n",
     "    replicas: 2\n    env: {SESSION: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQTEFOVEVEIn0.PLANTEDsig}\n"),
    ("app env value: a PEM block", "    replicas: 2\n",
     '    replicas: 2\n    env: {TLS: "-----BEGIN PRIVATE KEY-----\\nPLANTED\\n-----END PRIVATE KEY-----"}\n'),
    ("app args: --password=…", "    replicas: 2\n", "    replicas: 2\n    args: [--password=PLANTED-pw]\n"),
    ("redis args: --requirepass …", "redis:\n  image:", "redis:\n  args: [--requirepass, PLANTED-pw]\n  image:"),
    ("observability remoteWriteUrl with a password", "remoteWriteUrl: https://obs",
     "remoteWriteUrl: https://vm:PLANTED-pw@obs"),
    ("gitops repoUrl with a token", "repoUrl: https://gitea", "repoUrl: https://ci:PLANTED-tok@gitea"),
    ("ingress annotation with a URL password", "tlsSecret: honeydue-tls\n",
     "tlsSecret: honeydue-tls\n  annotations: {auth.example/url: 'https://u:PLANTED-pw@auth'}\n"),
    ("observability externalLabels value: a JWT", "    env: prod\n",
     "    env: prod\n    owner: eyJhbGciOiJIUzI1NiJ9.eyJQTEFOVEVEIjoxfQ.PLANTEDsig\n"),
    # A value its type refuses as well: the words of the type quote the value, so they must not come.
    ("remoteWriteUrl with a password and no https://", "remoteWriteUrl: https://obs",
     "remoteWriteUrl: ftp://vm:PLANTED-pw@obs"),
]


REFUSED_AT = [
    "config.DB_PASSWORD",
    "config.CACHE_URL",
    "apps.worker.env.API_TOKEN",
    "apps.worker.env.SESSION",
    "apps.worker.env.TLS",
    "apps.worker.args.0",
    "redis.args.1",
    "observability.remoteWriteUrl",
    "gitops.repoUrl",
    "ingress.annotations.auth.example/url",
    "observability.externalLabels.owner",
    "observability.remoteWriteUrl",
]


def _plant(project: Path, old: str, new: str) -> None:
    path = project / "values" / "prod.yaml"
    text = path.read_text()
    assert old in text, f"values/prod.yaml drifted: {old!r}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    "where,old,new,key", [(*plant, key) for plant, key in zip(VALUES_PLANTS, REFUSED_AT, strict=True)],
    ids=[p[0] for p in VALUES_PLANTS],
)
def test_secret_in_values_is_refused_without_echoing_it(project: Path, where: str, old: str, new: str, key: str) -> None:
    _plant(project, old, new)
    before = read_tree(project / "rendered")
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 2, (where, result.out, result.err)
    assert len(result.err.strip().splitlines()) == 1 and result.err.startswith("hdgen: error: values/prod.yaml:")
    assert f": {key}: " in result.err
    assert MARK not in result.out + result.err
    assert read_tree(project / "rendered") == before


def test_bump_of_a_values_file_holding_a_secret_never_echoes_it(project: Path) -> None:
    _plant(project, "repoUrl: https://gitea", "repoUrl: https://ci:PLANTED-tok@gitea")
    for args in (["--dry-run"], [], ["--render"]):
        result = run_hdgen("bump", "prod", "--sha", "0badc0de", *args, cwd=project)
        assert result.code == 2
        assert MARK not in result.out + result.err
    assert MARK not in "".join(p.read_text() for p in (project / "rendered").rglob("*") if p.is_file())


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *GIT, *args], check=True, capture_output=True)


SECRET_MANIFEST = """\
apiVersion: v1
kind: Secret
metadata:
  name: leaked
  namespace: honeydue
type: Opaque
data:
  password: UExBTlRFRC1kYXRh
stringData:
  token: PLANTED-string-data
  url: postgres://app:PLANTED-pw@db/app
"""


@pytest.fixture
def leaky_repo(tmp_path: Path) -> Path:
    """A repository whose committed prod tree holds a Secret and secret-looking env values (as if hand-edited).

    The PR branch then changes them, so diff must show those objects changing.
    """
    root = tmp_path / "deploy"
    root.mkdir()
    for name in ("values", "rendered", "schemas"):
        copy_from_repo(name, root)
    shutil.copy(REPO / "hdgen.yaml", root / "hdgen.yaml")
    plant_tree(root, "base")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "main")
    git(root, "checkout", "-q", "-b", "change")
    plant_tree(root, "head")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "change")
    return root


def plant_tree(root: Path, version: str) -> None:
    tree = root / "rendered" / "prod"
    (tree / "leaked-secret.yaml").write_text(SECRET_MANIFEST.replace("PLANTED", f"PLANTED-{version}"))
    deployment = tree / "api" / "deployment.yaml"
    text = (REPO / "rendered" / "prod" / "api" / "deployment.yaml").read_text()
    anchor = "        envFrom:\n"
    assert anchor in text
    env = (
        "        env:\n"
        f"        - name: DB_PASSWORD\n          value: PLANTED-{version}-env\n"
        f"        - name: DATABASE_URL\n          value: postgres://app:PLANTED-{version}-url@db/app\n"
        f"        - name: LOGIN\n          value: --password=PLANTED-{version}-flag\n"
    )
    deployment.write_text(text.replace(anchor, env + anchor, 1))


def test_no_planted_secret_reaches_validate_diff_or_ci_output(leaky_repo: Path, tmp_path: Path) -> None:
    outputs: list[str] = []

    def run(*args: str, codes: tuple[int, ...]) -> None:
        result = run_hdgen(*args, cwd=leaky_repo)
        assert result.code in codes, (args, result.code, result.err)
        outputs.append(result.out + result.err)

    for fmt in ("text", "json", "junit", "github", "sarif"):
        run("validate", "prod", "--format", fmt, codes=(1,))
    report = tmp_path / "report.xml"
    run("validate", "prod", "--format", "junit", "--output", str(report), codes=(1,))
    outputs.append(report.read_text())
    for fmt in ("text", "markdown", "json"):
        run("diff", "prod", "--base", "main~0", "--format", fmt, codes=(0,))
        run("diff", "prod", "--base", "main", "--format", fmt, codes=(0,))
    run("render", "prod", "--check", codes=(1,))
    ci_report, sarif = tmp_path / "ci.md", tmp_path / "ci.sarif"
    run("ci", "--base", "main", "--report", str(ci_report), "--sarif", str(sarif), codes=(1,))
    outputs += [ci_report.read_text(), sarif.read_text()]
    # The diff really covered the planted objects (so the check above is not vacuous).
    assert any("Secret honeydue/leaked" in out for out in outputs)
    assert any("<redacted" in out for out in outputs)
    leaks = [out for out in outputs if MARK in out]
    assert leaks == [], [out[max(0, out.find(MARK) - 200):out.find(MARK) + 50] for out in leaks]


def test_render_replaces_a_tree_holding_secrets_and_keeps_none(leaky_repo: Path) -> None:
    result = run_hdgen("render", "prod", cwd=leaky_repo)
    assert result.code == 0 and MARK not in result.out + result.err
    rendered = "".join(p.read_text() for p in (leaky_repo / "rendered").rglob("*") if p.is_file())
    assert MARK not in rendered


def test_no_planted_value_in_committed_snapshots() -> None:
    golden = [p for folder in ("rendered", "tests/golden") for p in (REPO / folder).rglob("*") if p.is_file()]
    assert golden, "tests/golden is empty"
    for path in golden:
        assert MARK not in path.read_text(errors="replace"), path
    for secret in ("hunter2", "sk_live", "-----BEGIN", "eyJhbGci"):
        assert not [p for p in golden if secret in p.read_text(errors="replace")], secret


def test_hdgen_debug_does_not_change_what_errors_say(project: Path) -> None:
    """HDGEN_DEBUG shows tracebacks for hdgen's own bugs only: an input error stays one line, value-free."""
    _plant(project, "  LOG_LEVEL: info\n", "  LOG_LEVEL: info\n  DB_PASSWORD: PLANTED-pw\n")
    result = run_hdgen("render", "prod", cwd=project, env={**os.environ, "HDGEN_DEBUG": "1"})
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert MARK not in result.err
