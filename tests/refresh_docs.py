"""Rewrite the generated tables in docs/: `make docs` (or `python -m tests.refresh_docs`).

Each table sits between a start and an end marker in its page, and a test
compares it with its source, so the pages cannot drift:
  docs/validation.md   the rules table       from the rules' docstrings
  docs/reliability.md  the bad-inputs table  from tests/bad_inputs.py, the corpus the tests run
  docs/values.md       the values reference  from the values model
"""

from __future__ import annotations

from pathlib import Path

from hdgen.render import values_doc
from hdgen.rules import RULES
from hdgen.rules._shared import docs as rules_docs
from tests import bad_inputs

REPO = Path(__file__).resolve().parent.parent


def generated_blocks() -> list[tuple[str, str, str, str]]:
    """(page, start marker, end marker, the block with its markers) for every generated table."""
    return [
        (rules_docs.TABLE_FILE, rules_docs.TABLE_START, rules_docs.TABLE_END,
         rules_docs.table_block(list(RULES.values()))),
        (bad_inputs.TABLE_FILE, bad_inputs.TABLE_START, bad_inputs.TABLE_END,
         f"{bad_inputs.TABLE_START}\n{bad_inputs.markdown_table()}{bad_inputs.TABLE_END}\n"),
        (values_doc.DOC_FILE, values_doc.START, values_doc.END, values_doc.reference_block()),
    ]


def replace_block(text: str, start: str, end: str, block: str) -> str:
    """text with everything from start to end (markers included) replaced by block."""
    head, found, rest = text.partition(start)
    if not found or end not in rest:
        raise SystemExit(f"markers not found: {start!r} … {end!r}")
    tail = rest.split(end, 1)[1]
    return head + block.removesuffix("\n") + tail


def main() -> None:
    for page, start, end, block in generated_blocks():
        path = REPO / page
        text = path.read_text()
        fresh = replace_block(text, start, end, block)
        if fresh != text:
            path.write_text(fresh)
        print(f"{page}: {'rewritten' if fresh != text else 'unchanged'}")


if __name__ == "__main__":
    main()
