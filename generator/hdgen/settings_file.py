"""Read `hdgen.yaml` into Settings, with file:line for every problem.

Apart from settings.py because it checks the rule IDs the file names against
the rules registry, and the rules read the Settings records: together they
would import each other.
"""

from __future__ import annotations

from pathlib import Path

from hdgen.errors import InputError, raise_all
from hdgen.project import SETTINGS_FILE
from hdgen.settings import Settings, SettingsProblem


def load_settings(root: Path | None) -> Settings:
    """The settings of the project at root: its hdgen.yaml, or the defaults when there is none."""
    if root is None or not (root / SETTINGS_FILE).is_file():
        return Settings()
    return load_settings_file(root / SETTINGS_FILE, SETTINGS_FILE)


def load_settings_file(path: Path, label: str) -> Settings:
    """The settings in the file at path (named label in messages); every problem of it at once."""
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
        problems = []
    except SettingsProblem as problem:
        settings = None
        problems = problem.each()
    found = [(nearest_location(p.path, locations) or (label, 1), str(p)) for p in problems]
    found += _unknown_rule_ids(plain, locations, label)
    raise_all([InputError(f"{where[0]}:{where[1]}: {text}") for where, text in sorted(found)], [label])
    return settings


def _unknown_rule_ids(plain: dict, locations: dict, label: str) -> list:
    from hdgen.rules import RULES
    from hdgen.words import one_edit_from

    rules = plain.get("rules")
    found = []
    for rule_id in rules if isinstance(rules, dict) else ():
        if rule_id not in RULES:
            where = locations.get(("rules", rule_id), (label, 1))
            hint = one_edit_from(str(rule_id), RULES).strip(" ()")
            found.append((where, f"rules.{rule_id}: unknown rule ({hint + ' ' if hint else ''}known rules: {', '.join(RULES)})"))
    return found
