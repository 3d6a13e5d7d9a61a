"""The bounds on YAML input: file size, values after expanding aliases, nesting depth.

Every reader in hdgen.yaml checks against these; callers import them from here
to word their own messages (a JSON manifest's depth, a values tree's size).
"""

from __future__ import annotations

import re

from hdgen.yaml.breaks import file_line, line_table

MAX_VALUES_BYTES = 2 * 1024 * 1024  # a values file is a few KiB; refuse before parsing a huge one
MAX_NODES = 200_000  # bounds every walk over aliases ("billion laughs")
# Collections nested deeper than this are refused before parsing: ruamel's C
# loader recurses once per level and kills the process (SIGSEGV) on a deep
# enough document, and its Python loader raises RecursionError near 250 levels.
# Kubernetes objects nest a few dozen levels at most.
MAX_DEPTH = 100
_LEADING_RUN = r"^[ \t?:-]{%d}"  # a line that starts with at least %d spaces, tabs or block indicators


TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"  # the problem, after "file:line: "


def nesting_problem(text: str) -> tuple[int, int] | None:
    """(1-based line, depth) where text nests collections deeper than MAX_DEPTH; None if it does not.

    Fast path: the flow brackets in the text plus twice the longest run of
    leading indentation and indicators bound the depth from above, so nearly
    every file is cleared without parsing. Otherwise the parser's events are
    counted; the parser is a state machine, so depth cannot crash it.
    """
    # brackets + 2 * longest run + 2 <= MAX_DEPTH, asked as one regex search for a run longer than allowed.
    allowed_run = (MAX_DEPTH - 2 - text.count("[") - text.count("{")) // 2
    if allowed_run >= 0 and not re.search(_LEADING_RUN % (allowed_run + 1), text, re.MULTILINE):
        return None
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    from hdgen.yaml.engines import events

    depth = 0
    try:
        for event in events(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return file_line(event.start_mark.line, line_table(text)), depth
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        return None  # a syntax error: the loader reports it with its line
    return None
