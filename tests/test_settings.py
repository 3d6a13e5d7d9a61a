"""hdgen.yaml: defaults without it, the project's own file, and errors that name file:line:key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdgen.errors import InputError
from hdgen.finding import Level
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


@pytest.mark.parametrize(
    "text, expected",
    [
        ("strictEnvs: [prod]\nnodeArh: amd64\n", "hdgen.yaml:2: nodeArh: unknown key"),
        ("rules:\n  HD001: {enabled: false}\n  HD099: {level: error}\n", "hdgen.yaml:3: rules.HD099: unknown rule (known rules: HD001,"),
        ("rules:\n  HD001:\n    level: fatal\n", "hdgen.yaml:3: rules.HD001.level: Input should be 'error', 'warning' or 'info'"),
        ("coldBootSeconds:\n  api: \"240\"\n", "hdgen.yaml:2: coldBootSeconds.api: Input should be a valid integer"),
        ("coldBootSeconds:\n  api: -1\n", "hdgen.yaml:2: coldBootSeconds.api: Input should be greater than or equal to 0"),
        ("validate:\n  kubernetesVersion: \"1.33\"\n", "hdgen.yaml:2: validate.kubernetesVersion: String should match pattern"),
        ("externalReferences:\n  secrets: honeydue-secrets\n", "hdgen.yaml:2: externalReferences.secrets: Input should be a valid list"),
        ("externalReferences:\n  services: [redis, \"\"]\n", "hdgen.yaml:2: externalReferences.services.1: String should have at least 1 character"),
        ("nodeArch: amd64\nnodeArch: arm64\n", "hdgen.yaml:2: duplicate key 'nodeArch'"),
        ("- prod\n", "hdgen.yaml:1: expected a mapping of settings"),
        ("strictEnvs: [prod\n", "hdgen.yaml:"),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, expected: str):
    (tmp_path / "hdgen.yaml").write_text(text)
    with pytest.raises(InputError) as error:
        load_settings(tmp_path)
    assert error.value.message.startswith(expected), error.value.message
    assert "\n" not in error.value.message
