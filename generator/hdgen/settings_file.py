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
    """The settings in the file at path (named label in messages); every problem of it at once.

    Like the values: the C loader first, and the line-numbering loader only when
    something is wrong, to say where (it was a sixth of a cold `hdgen validate`).
    """
    from hdgen.yaml.read import read_text

    text = read_text(path, label)
    return _settings_fast(text) or _settings_with_lines(text, label)


def _settings_fast(text: str) -> Settings | None:
    """The settings, or None when anything is wrong (the slow path then says what and where)."""
    from hdgen.render.values import to_plain
    from hdgen.rules import RULES
    from hdgen.yaml.read import load_data

    try:
        data = load_data(text)
        if data is None:
            return Settings()  # an empty or comment-only file: the defaults
        if not isinstance(data, dict):
            return None
        plain = to_plain(data, "", (), {}, [0])
        settings = Settings.from_data(plain)
    except Exception:  # YAML, plain-data or settings errors: the slow path words them with lines
        return None
    return settings if all(rule_id in RULES for rule_id in settings.rules) else None


def _settings_with_lines(text: str, label: str) -> Settings:
    from hdgen.render.values import nearest_location, to_plain
    from hdgen.yaml.read import load_with_lines

    data, lines = load_with_lines(text, label)
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
