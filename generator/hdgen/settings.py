"""The project's policy and validation settings: `hdgen.yaml` at the project root.

Optional: without the file every default below applies. Errors name
file:line and the key path, like values files, e.g.
`hdgen.yaml:7: rules.HD099: unknown rule (known rules: HD001, …)`.

Plain frozen dataclasses and a small checker, not pydantic: the file is a
dozen keys, and importing pydantic to check them cost `hdgen validate` more
than kubeconform's whole run on a small tree. The checker words its messages
as pydantic does for the values files (tests pin them), and reports every
problem, in the order of the file's lines (settings_file.py sorts them).

Reading the file is settings_file.py's job: it checks rule IDs against the rules
registry, and the rules use these records, so keeping the two apart keeps the
import graph free of cycles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hdgen import kubeversions
from hdgen.finding import Level

# The honeyDue images: its own registry and the two Docker Hub namespaces of its third-party images.
DEFAULT_ALLOWED_REGISTRIES = ["gitea.treytartt.com/admin", "docker.io/library", "docker.io/victoriametrics"]
UNKNOWN_KEY = "unknown key (see the configuration reference in docs/validation.md, section Configuration: hdgen.yaml)"
_LEVELS = [level.value for level in Level]
LEVEL_CHOICES = ", ".join(f"'{value}'" for value in _LEVELS[:-1]) + f" or '{_LEVELS[-1]}'"


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool = True  # false: the rule runs only when named in --rules
    level: Level | None = None  # error, warning or info instead of the rule's default


@dataclass(frozen=True)
class ExternalReferences:
    """Objects that exist in the cluster but not in the tree (created out of band).

    Each entry is a name (any namespace) or namespace/name.
    """

    secrets: list[str] = field(default_factory=list)
    config_maps: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)  # HD021: a StatefulSet's governing Service made elsewhere


@dataclass(frozen=True)
class ValidateSettings:
    kubernetes_version: str = kubeversions.DEFAULT
    skip_kinds: list[str] = field(default_factory=list)  # kinds kubeconform skips (no schema), e.g. a CRD of yours


@dataclass(frozen=True)
class Settings:
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    strict_envs: list[str] = field(default_factory=lambda: ["prod"])
    allowed_registries: list[str] = field(default_factory=lambda: list(DEFAULT_ALLOWED_REGISTRIES))
    allow_mutable_tags: list[str] = field(default_factory=list)  # image names that may keep a mutable tag in strict envs
    node_arch: str = "amd64"
    external_references: ExternalReferences = field(default_factory=ExternalReferences)
    cold_boot_seconds: dict[str, int] = field(default_factory=dict)
    validate_: ValidateSettings = field(default_factory=ValidateSettings)

    def rule(self, rule_id: str) -> RuleSetting:
        return self.rules.get(rule_id) or RuleSetting()

    @classmethod
    def from_data(cls, data: Any) -> Settings:
        """Settings from hdgen.yaml's plain data (camelCase keys); SettingsProblem names every key that is wrong."""
        return _section(Settings, data, ())


class SettingsProblem(ValueError):
    def __init__(self, path: tuple, message: str) -> None:
        super().__init__(f"{'.'.join(map(str, path)) or '(top level)'}: {message}")
        self.path = path
        self.message = message

    def each(self) -> list[SettingsProblem]:
        return [self]


class SettingsProblems(SettingsProblem):
    """Every problem of a part of the file: one check goes on after another fails."""

    def __init__(self, problems: list[SettingsProblem]) -> None:
        super().__init__(problems[0].path, problems[0].message)
        self.problems = problems

    def each(self) -> list[SettingsProblem]:
        return list(self.problems)


def _each_checked(items, check) -> dict:
    """{key: check(value, path)} of (key, value, path) items; every item is checked, then every problem raised."""
    checked, problems = {}, []
    for key, value, path in items:
        try:
            checked[key] = check(value, path)
        except SettingsProblem as problem:
            problems += problem.each()
    if problems:
        raise SettingsProblems(problems)
    return checked


# --- the checker ----------------------------------------------------------------------------
# Each field: (its key in hdgen.yaml, its attribute, how to check a value). Order is the
# order problems are looked for in, as pydantic validates fields in declaration order.


def _boolean(value: Any, path: tuple) -> bool:
    if not isinstance(value, bool):
        raise SettingsProblem(path, "Input should be a valid boolean")
    return value


def _level(value: Any, path: tuple) -> Level | None:
    if value is None:
        return None
    if value not in _LEVELS:  # YAML gives the level as a string
        from hdgen.words import did_you_mean

        hint = did_you_mean(value, _LEVELS) if isinstance(value, str) else ""
        raise SettingsProblem(path, f"Input should be {LEVEL_CHOICES}{hint}")
    return Level(value)


def _string(value: Any, path: tuple) -> str:
    if not isinstance(value, str):
        raise SettingsProblem(path, "Input should be a valid string")
    return value


def _name(value: Any, path: tuple) -> str:
    if not _string(value, path):
        raise SettingsProblem(path, "String should have at least 1 character")
    return value


def _version(value: Any, path: tuple) -> str:
    if not kubeversions.is_version(_string(value, path)):
        raise SettingsProblem(path, f"{value!r} is not a Kubernetes version: write MAJOR.MINOR.PATCH, e.g. {kubeversions.DEFAULT}")
    return value


def _seconds(value: Any, path: tuple) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SettingsProblem(path, "Input should be a valid integer")
    if value < 0:
        raise SettingsProblem(path, "Input should be greater than or equal to 0")
    return value


def _names(value: Any, path: tuple) -> list[str]:
    if not isinstance(value, list):
        raise SettingsProblem(path, "Input should be a valid list")
    return list(_each_checked(((i, item, path + (i,)) for i, item in enumerate(value)), _name).values())


def _mapping_of(check):
    def checked(value: Any, path: tuple) -> dict:
        if not isinstance(value, dict):
            raise SettingsProblem(path, "Input should be a valid dictionary")
        return _each_checked(((key, item, path + (key,)) for key, item in value.items()), check)

    return checked


def _section_of(cls):
    return lambda value, path: _section(cls, value, path)


def _section(cls, value: Any, path: tuple):
    if not isinstance(value, dict):
        message = "Input should be a valid dictionary"
        raise SettingsProblem(path, message if not path else f"{message} or instance of {cls.__name__}")
    fields = {key: (attribute, check) for key, attribute, check in _FIELDS[cls]}

    def check_key(item: Any, key_path: tuple):
        if key_path[-1] not in fields:
            _unknown(list(fields), key_path)
        return fields[key_path[-1]][1](item, key_path)

    checked = _each_checked(((key, value[key], path + (key,)) for key in value), check_key)
    return cls(**{fields[key][0]: item for key, item in checked.items()})


def _unknown(known: list[str], path: tuple):
    from hdgen.words import closest

    match = closest(str(path[-1]), known)
    raise SettingsProblem(path, f"unknown key (did you mean {match!r}?)" if match else UNKNOWN_KEY)


_FIELDS = {
    RuleSetting: [("enabled", "enabled", _boolean), ("level", "level", _level)],
    ExternalReferences: [
        ("secrets", "secrets", _names), ("configMaps", "config_maps", _names), ("services", "services", _names),
    ],
    ValidateSettings: [("kubernetesVersion", "kubernetes_version", _version), ("skipKinds", "skip_kinds", _names)],
    Settings: [
        ("rules", "rules", _mapping_of(_section_of(RuleSetting))),
        ("strictEnvs", "strict_envs", _names),
        ("allowedRegistries", "allowed_registries", _names),
        ("allowMutableTags", "allow_mutable_tags", _names),
        ("nodeArch", "node_arch", _name),
        ("externalReferences", "external_references", _section_of(ExternalReferences)),
        ("coldBootSeconds", "cold_boot_seconds", _mapping_of(_seconds)),
        ("validate", "validate_", _section_of(ValidateSettings)),
    ],
}
