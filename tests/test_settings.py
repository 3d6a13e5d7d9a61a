"""hdgen.yaml: defaults without it, the project's own file, and errors that name file:line:key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdgen.errors import InputError, InputErrors
from hdgen.finding import Level
from hdgen.rules import RULES
from hdgen.settings import DEFAULT_ALLOWED_REGISTRIES, Settings
from hdgen.settings_file import load_settings
from tests.conftest import REPO


def test_defaults_without_a_file(tmp_path: Path):
    settings = load_settings(tmp_path)
    assert settings == Settings()
    assert settings.strict_envs == ["prod"]
    assert settings.allowed_registries == DEFAULT_ALLOWED_REGISTRIES
    assert settings.node_arch == "amd64"
    assert settings.validate_.kubernetes_version == "1.33.0"
    assert settings.rule("HD001").enabled and settings.rule("HD001").level is None


def test_the_projects_file():
    settings = load_settings(REPO)
    assert settings.rule("HD012").level is Level.ERROR
    assert "honeydue-secrets" in settings.external_references.secrets
    assert settings.cold_boot_seconds == {}  # hdgen's Deployments carry hdgen.io/cold-boot-seconds instead
    assert settings.validate_.skip_kinds == []


def test_external_services_for_hd021(tmp_path: Path):
    (tmp_path / "hdgen.yaml").write_text("externalReferences:\n  services: [shop/redis-headless]\n")
    references = load_settings(tmp_path).external_references
    assert (references.services, references.secrets, references.config_maps) == (["shop/redis-headless"], [], [])


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_empty_file_means_defaults(tmp_path: Path, text: str):
    (tmp_path / "hdgen.yaml").write_text(text)
    assert load_settings(tmp_path) == Settings()


RULE_IDS = ", ".join(RULES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("strictEnvs: [prod]\nnodeArh: amd64\n", "hdgen.yaml:2: nodeArh: unknown key (did you mean 'nodeArch'?)"),
        ("strictEnvs: [prod]\nfrobnicate: 1\n", "hdgen.yaml:2: frobnicate: unknown key (see the configuration "
         "reference in docs/validation.md, section Configuration: hdgen.yaml)"),
        ("rules:\n  HD001: {enabled: false}\n  HD099: {level: error}\n",
         f"hdgen.yaml:3: rules.HD099: unknown rule (known rules: {RULE_IDS})"),  # HD009 and HD019: no guess
        ("rules:\n  HD0001: {level: error}\n", f"hdgen.yaml:2: rules.HD0001: unknown rule (did you mean 'HD001'? known rules: {RULE_IDS})"),
        ("rules:\n  HD001:\n    level: fatal\n", "hdgen.yaml:3: rules.HD001.level: Input should be 'error', 'warning' or 'info'"),
        ("rules:\n  HD001:\n    level: warn\n",
         "hdgen.yaml:3: rules.HD001.level: Input should be 'error', 'warning' or 'info' (did you mean 'warning'?)"),
        ("coldBootSeconds:\n  api: \"240\"\n", "hdgen.yaml:2: coldBootSeconds.api: Input should be a valid integer"),
        ("coldBootSeconds:\n  api: -1\n", "hdgen.yaml:2: coldBootSeconds.api: Input should be greater than or equal to 0"),
        ("validate:\n  kubernetesVersion: \"1.33\"\n", "hdgen.yaml:2: validate.kubernetesVersion: '1.33' is not a "
         "Kubernetes version: write MAJOR.MINOR.PATCH, e.g. 1.33.0"),
        ("externalReferences:\n  secrets: honeydue-secrets\n", "hdgen.yaml:2: externalReferences.secrets: Input should be a valid list"),
        ("externalReferences:\n  services: [redis, \"\"]\n", "hdgen.yaml:2: externalReferences.services.1: String should have at least 1 character"),
        ("nodeArch: amd64\nnodeArch: arm64\n", "hdgen.yaml:2: duplicate key 'nodeArch' (first set on line 1)"),
        ("- prod\n", "hdgen.yaml:1: expected a mapping of settings"),
        ("strictEnvs: [prod\n", "hdgen.yaml:1: the list opened with '[' here is not closed before the end of the file: "
         "add ']' where it ends"),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, expected: str):
    (tmp_path / "hdgen.yaml").write_text(text)
    with pytest.raises(InputError) as error:
        load_settings(tmp_path)
    assert error.value.message == expected
    assert "\n" not in error.value.message


def test_every_problem_of_the_file_at_once_in_line_order(tmp_path: Path):
    (tmp_path / "hdgen.yaml").write_text(
        "nodeArh: amd64\nrules:\n  HD099: {level: fatal}\ncoldBootSeconds: {api: -1, web: x}\n"
        "validate: {kubernetesVersion: '1.33'}\n"
    )
    with pytest.raises(InputErrors) as error:
        load_settings(tmp_path)
    assert [e.message for e in error.value.each()] == [
        "hdgen.yaml:1: nodeArh: unknown key (did you mean 'nodeArch'?)",
        "hdgen.yaml:3: rules.HD099.level: Input should be 'error', 'warning' or 'info'",
        f"hdgen.yaml:3: rules.HD099: unknown rule (known rules: {RULE_IDS})",
        "hdgen.yaml:4: coldBootSeconds.api: Input should be greater than or equal to 0",
        "hdgen.yaml:4: coldBootSeconds.web: Input should be a valid integer",
        "hdgen.yaml:5: validate.kubernetesVersion: '1.33' is not a Kubernetes version: write MAJOR.MINOR.PATCH, e.g. 1.33.0",
    ]
    assert error.value.message == "6 errors in hdgen.yaml"


def test_valid_settings_are_read_without_the_line_numbering_loader(tmp_path):
    """The C loader reads a valid hdgen.yaml; ruamel (lines for messages) loads only when something is wrong."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from hdgen.settings_file import load_settings; "
        f"s = load_settings(Path({str(REPO)!r})); assert s.rules, 'read nothing'; "
        "assert 'ruamel.yaml' not in sys.modules, 'ruamel imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
