"""Read `hdgen.yaml` into Settings, with file:line for every problem.

Apart from settings.py because it checks the rule IDs the file names against
the rules registry, and the rules read the Settings records: together they
would import each other.
"""

from __future__ import annotations

from pathlib import Path

from hdgen.errors import InputError
from hdgen.project import SETTINGS_FILE
from hdgen.settings import Settings, SettingsProblem


def load_settings(root: Path | None) -> Settings:
    """The settings of the project at root: its hdgen.yaml, or the defaults when there is none."""
    if root is None or not (root / SETTINGS_FILE).is_file():
        return Settings()
    return load_settings_file(root / SETTINGS_FILE, SETTINGS_FILE)


def load_settings_file(path: Path, label: str) -> Settings:
    from hdgen.render.values import nearest_location, to_plain
    from hdgen.yaml.read import load_with_lines, read_text

    data, lines = load_with_lines(read_text(path, label), label)
    if data is None:
        return Settings()  # an empty or comment-only file: the defaults
    if not isinstance(data, dict):
        raise InputError(f"{label}:1: expected a mapping of settings")
    locations: dict = {}
    plain = to_plain(data, label, (), locations, [0], lines)
    try:
        settings = Settings.from_data(plain)
    except SettingsProblem as problem:
        where = nearest_location(problem.path, locations) or (label, 1)
        raise InputError(f"{where[0]}:{where[1]}: {problem}") from None
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
