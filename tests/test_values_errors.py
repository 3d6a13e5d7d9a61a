"""Bad values end in one line naming file:line and the key, exit 2, and no change on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdgen.render.tree import read_tree
from tests.conftest import run_hdgen

# (what, file to edit, old text, new text, expected error line)
CASES = [
    (
        "unknown key, with a suggestion",
        "prod.yaml",
        "registry: gitea",
        "regsitry: gitea",
        "values/prod.yaml:5: regsitry: unknown key (did you mean 'registry'?)",
    ),
    (
        "unknown nested key",
        "defaults.yaml",
        "  scrapeInterval: 30s",
        "  scrapeIntervall: 30s",
        "values/defaults.yaml:161: observability.scrapeIntervall: unknown key (did you mean 'scrapeInterval'?)",
    ),
    (
        "wrong type",
        "prod.yaml",
        "    replicas: 2\n  admin",
        "    replicas: two\n  admin",
        "values/prod.yaml:30: apps.worker.replicas: Input should be a valid integer",
    ),
    (
        "a number where a string belongs (an unquoted SHA)",
        "prod.yaml",
        '  api:\n    image: {tag: "d3708e6"}',
        "  api:\n    image: {tag: 1234567}",
        "values/prod.yaml:21: apps.api.image.tag: Input should be a valid string (YAML read 1234567 as a number: quote it)",
    ),
    (
        "missing required key",
        "prod.yaml",
        "registry: gitea.treytartt.com/admin\n",
        "",
        "values/prod.yaml:1: registry: Field required",
    ),
    (
        "missing required nested key",
        "defaults.yaml",
        "      requests: {cpu: 250m, memory: 256Mi, ephemeral-storage: 128Mi}\n"
        "      limits: {memory: 512Mi, ephemeral-storage: 1Gi}   # no CPU limit: CFS throttling would stall requests\n",
        "      requests: {cpu: 250m, memory: 256Mi, ephemeral-storage: 128Mi}\n",
        "values/defaults.yaml:47: apps.api.resources.limits: Field required",
    ),
    (
        "secret-looking config key",
        "prod.yaml",
        "  LOG_LEVEL: info\n",
        "  LOG_LEVEL: info\n  STRIPE_API_KEY: sk_live_abc\n",
        "values/prod.yaml:16: config.STRIPE_API_KEY: looks like a secret: keep it in the Secret the apps "
        "reference (secrets.app) instead of plain config, or list the key under configPublicKeys if it is not secret",
    ),
    (
        "password inside a URL",
        "prod.yaml",
        "  LOG_LEVEL: info\n",
        "  LOG_LEVEL: info\n  DATABASE_URL: postgres://app:hunter2@db:5432/app\n",
        "values/prod.yaml:16: config.DATABASE_URL: holds a URL with a password: move the password to the app Secret",
    ),
    (
        "mutable tag in prod",
        "prod.yaml",
        '  web:\n    image: {tag: "d3708e6"}',
        "  web:\n    image: {tag: latest}",
        "values/prod.yaml:35: apps.web.image.tag: latest is mutable (not a 7-40 hex commit SHA or a digest); "
        "set a commit SHA with `hdgen bump`, or allowMutableTags: true in a non-prod env",
    ),
    (
        "startup budget below the cold boot",
        "defaults.yaml",
        "        failureThreshold: 30",
        "        failureThreshold: 20",
        "values/defaults.yaml:32: apps.api.probes.startup: budget 200s (initialDelaySeconds + failureThreshold × "
        "periodSeconds) is below coldBootSeconds 240s",
    ),
    (
        "replicas and autoscaling together",
        "prod.yaml",
        "    autoscaling:\n",
        "    replicas: 3\n    autoscaling:\n",
        "values/prod.yaml:20: apps.api: set exactly one of replicas, autoscaling (an HPA-scaled Deployment has no replicas)",
    ),
    (
        "ingress route to an unknown app",
        "prod.yaml",
        "app: admin}",
        "app: admn}",
        "values/prod.yaml:47: ingress.routes.1.app: unknown app 'admn' (did you mean 'admin'? apps: admin, api, web, worker)",
    ),
    (
        "duplicate key",
        "prod.yaml",
        "imagePullSecrets: [gitea-registry]\n",
        "imagePullSecrets: [gitea-registry]\nregistry: other\n",
        "values/prod.yaml:7: duplicate key 'registry' (first set on line 5)\n"
        "    7 | registry: other\n"
        "      | ^",
    ),
    (
        "malformed YAML",
        "prod.yaml",
        "imagePullSecrets: [gitea-registry]\n",
        "imagePullSecrets: [gitea-registry\n",
        "values/prod.yaml:6: the list opened with '[' here is not closed before ':' on line 8: add ']' where it ends\n"
        "    6 | imagePullSecrets: [gitea-registry\n"
        "      |                   ^",
    ),
]


@pytest.mark.parametrize("what,name,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_values_fail_with_one_clear_line(project: Path, what, name, old, new, expected) -> None:
    path = project / "values" / name
    text = path.read_text()
    assert old in text, f"fixture drifted: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))
    before = read_tree(project / "rendered")
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == f"hdgen: error: {expected}".splitlines()  # a YAML error: its line and caret
    assert result.out == ""
    assert read_tree(project / "rendered") == before


def test_secret_values_never_appear_in_errors(project: Path) -> None:
    path = project / "values" / "prod.yaml"
    path.write_text(path.read_text().replace("  LOG_LEVEL: info\n", "  DB_PASSWORD: hunter2-s3cr3t\n"))
    result = run_hdgen("render", "prod", cwd=project)
    assert result.code == 2
    assert "hunter2" not in result.err + result.out


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "values/broken.yaml: the file is empty: expected a mapping of values"),
        (b"- a\n- b\n", "values/broken.yaml:1: the file holds a list: expected a mapping of values"),
        (b"registry: \xff\n", "values/broken.yaml:1: not UTF-8 text (byte 0xff)"),
        (b"apps:\n\tapi: {}\n", "values/broken.yaml:2: a tab in the indentation: YAML indents and separates with "
         "spaces only\n    2 | \u2192api: {}\n      | ^"),
    ],
    ids=["empty", "list-root", "not-utf8", "tab"],
)
def test_unreadable_values_files(project: Path, content: bytes, expected: str) -> None:
    (project / "values" / "broken.yaml").write_bytes(content)
    result = run_hdgen("render", "broken", cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == f"hdgen: error: {expected}".splitlines()
    assert not (project / "rendered" / "broken").exists()


def test_unknown_env_lists_the_known_ones(project: Path) -> None:
    result = run_hdgen("render", "production", cwd=project)
    assert result.code == 2
    assert result.err.strip() == "hdgen: error: unknown env 'production': no values/production.yaml (known envs: prod, staging)"


@pytest.mark.parametrize("name", ["../etc", "/tmp/x", "prod/../../x", "Prod"])
def test_env_names_that_are_paths_are_refused(project: Path, name: str) -> None:
    result = run_hdgen("render", name, cwd=project)
    assert result.code == 2
    assert result.err.startswith(f"hdgen: error: invalid env name {name!r}")


def test_one_bad_env_stops_the_run_before_any_write(project: Path) -> None:
    """render --all loads every env first: a broken staging leaves prod untouched too."""
    (project / "rendered" / "prod" / "namespace.yaml").write_text("stale\n")
    staging = project / "values" / "staging.yaml"
    staging.write_text(staging.read_text().replace("allowMutableTags: true", "allowMutableTags: maybe"))
    before = read_tree(project / "rendered")
    result = run_hdgen("render", "--all", cwd=project)
    assert result.code == 2
    assert "values/staging.yaml:7: allowMutableTags: Input should be a valid boolean" in result.err
    assert read_tree(project / "rendered") == before


def test_no_command_and_bad_flags_are_usage_errors() -> None:
    assert run_hdgen().code == 2
    assert run_hdgen("render", "--bogus").code == 2
    assert run_hdgen("render").code == 2
