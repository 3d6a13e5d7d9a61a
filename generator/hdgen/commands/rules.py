"""hdgen rules: list the policy rules, or print one rule's documentation."""

from __future__ import annotations

import argparse

from hdgen.errors import EXIT_OK

HELP = "list the policy rules (ID, level, name, summary), or show one rule's documentation"


def complete_rules(prefix: str, parsed_args, **_) -> list[str]:
    """The rule IDs (`hdgen rules HD0` offers HD001 to HD016), a lowercase prefix too."""
    from hdgen.rules import RULES

    return [rule_id for rule_id in RULES if rule_id.startswith(prefix.upper())]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    rule = parser.add_argument("rule", nargs="?", metavar="RULE", help="a rule ID, e.g. HD001: print its documentation")
    rule.completer = complete_rules  # argcomplete reads this attribute
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the rules table of docs/validation.md (default levels, not this project's hdgen.yaml)",
    )


def run(args: argparse.Namespace) -> int:
    from hdgen.errors import InputError
    from hdgen.rules import RULES
    from hdgen.rules._shared.docs import full_doc, table_block
    from hdgen.words import one_edit_from

    if args.markdown:
        print(table_block(list(RULES.values())), end="")
        return EXIT_OK
    if args.rule:
        rule = RULES.get(args.rule.upper())
        if rule is None:
            hint = one_edit_from(args.rule.upper(), RULES).strip(" ()")
            raise InputError(f"unknown rule {args.rule!r} ({hint + ' ' if hint else ''}known rules: {', '.join(RULES)})")
        print(f"{rule.id} {rule.name} (default level: {rule.level.value})\n")
        print(full_doc(rule))
        return EXIT_OK
    settings = _project_settings(args)
    rows = []
    for rule in RULES.values():
        configured = settings.rule(rule.id)
        level = (configured.level or rule.level).value if configured.enabled else "off"
        rows.append((rule.id, level, rule.name, rule.summary))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
    return EXIT_OK


def _project_settings(args: argparse.Namespace):
    """The levels of this project's hdgen.yaml when run inside a project, else the defaults."""
    from hdgen.errors import InputError
    from hdgen.project import find_project
    from hdgen.settings import Settings
    from hdgen.settings_file import load_settings

    try:
        project = find_project(args.project_dir)
    except InputError:
        if args.project_dir is not None:
            raise
        return Settings()
    return load_settings(project.root)
