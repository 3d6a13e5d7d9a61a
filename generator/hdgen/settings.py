"""The project's policy and validation settings: `hdgen.yaml` at the project root.

Optional: without the file every default below applies. Errors name
file:line and the key path, like values files, e.g.
`hdgen.yaml:7: rules.HD099: unknown rule (known rules: HD001, …)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from hdgen.errors import InputError
from hdgen.finding import Level

SETTINGS_FILE = "hdgen.yaml"
KUBERNETES_VERSION = r"^[0-9]+\.[0-9]+\.[0-9]+$"
# The honeyDue images: its own registry and the two Docker Hub namespaces of its third-party images.
DEFAULT_ALLOWED_REGISTRIES = ["gitea.treytartt.com/admin", "docker.io/library", "docker.io/victoriametrics"]

Name = Annotated[str, Field(min_length=1)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, alias_generator=to_camel)


class RuleSetting(Section):
    enabled: bool = Field(True, description="false: the rule runs only when named in --rules")
    # strict=False: YAML gives the level as a string, which strict mode would refuse for an enum.
    level: Level | None = Field(None, strict=False, description="error, warning or info instead of the rule's default")


class ExternalReferences(Section):
    """Objects that exist in the cluster but not in the tree (created out of band).

    Each entry is a name (any namespace) or namespace/name.
    """

    secrets: list[Name] = Field(default_factory=list)
    config_maps: list[Name] = Field(default_factory=list)


class ValidateSettings(Section):
    kubernetes_version: str = Field("1.33.0", pattern=KUBERNETES_VERSION)
    skip_kinds: list[Name] = Field(
        default_factory=list, description="kinds kubeconform skips (no schema), e.g. a CRD of yours"
    )


class Settings(Section):
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    strict_envs: list[Name] = Field(default_factory=lambda: ["prod"])
    allowed_registries: list[Name] = Field(default_factory=lambda: list(DEFAULT_ALLOWED_REGISTRIES))
    allow_mutable_tags: list[Name] = Field(
        default_factory=list, description="image names that may keep a mutable tag in strict envs"
    )
    node_arch: Name = "amd64"
    external_references: ExternalReferences = ExternalReferences()
    cold_boot_seconds: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    validate_: ValidateSettings = Field(ValidateSettings(), alias="validate")

    def rule(self, rule_id: str) -> RuleSetting:
        return self.rules.get(rule_id) or RuleSetting()


def load_settings(root: Path | None) -> Settings:
    """The settings of the project at root: its hdgen.yaml, or the defaults when there is none."""
    if root is None or not (root / SETTINGS_FILE).is_file():
        return Settings()
    return load_settings_file(root / SETTINGS_FILE, SETTINGS_FILE)


def load_settings_file(path: Path, label: str) -> Settings:
    from pydantic import ValidationError

    from hdgen.values import data_path, nearest_location, to_plain
    from hdgen.yamlio import load_roundtrip, read_text

    data = load_roundtrip(read_text(path, label), label)
    if data is None:
        return Settings()  # an empty or comment-only file: the defaults
    if not isinstance(data, dict):
        raise InputError(f"{label}:1: expected a mapping of settings")
    locations: dict = {}
    plain = to_plain(data, label, (), locations, [0])
    try:
        settings = Settings.model_validate(plain)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        key_path = data_path(first["loc"], plain)
        where = nearest_location(key_path, locations) or (label, 1)
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key (see the configuration reference in README, section Policy rules)"
        key = ".".join(map(str, key_path)) or "(top level)"
        raise InputError(f"{where[0]}:{where[1]}: {key}: {message}") from None
    _check_rule_ids(settings, locations, label)
    return settings


def _check_rule_ids(settings: Settings, locations: dict, label: str) -> None:
    from hdgen.rules import RULES

    for rule_id in settings.rules:
        if rule_id not in RULES:
            where = locations.get(("rules", rule_id), (label, 1))
            raise InputError(
                f"{where[0]}:{where[1]}: rules.{rule_id}: unknown rule (known rules: {', '.join(RULES)})"
            )
