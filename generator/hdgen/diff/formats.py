"""The output formats of `hdgen diff`, by name: the one registry its --format choices and dispatch use.

Like validate's (hdgen.report.writers.WRITERS), each name maps to a writer of
the whole report; an unknown name lists the valid ones. Each writer is named by
module and function and imported only when chosen, so that `hdgen --help` and
tab completion, which list the names, do not import the diff pipeline.
"""

from __future__ import annotations

from hdgen.errors import InputError

# name -> (module, function); each function takes the DiffReport (text also takes color) and returns the text.
WRITERS = {
    "text": ("hdgen.diff.writers", "write_text"),
    "markdown": ("hdgen.diff.markdown", "write_markdown"),
    "json": ("hdgen.diff.writers", "write_json"),
}
FORMATS = tuple(WRITERS)
_COLOURED = frozenset({"text"})  # writers that take color: ANSI colours, for a person at a terminal


def writer(name: str, *, color: bool = False):
    """The writer of format name, a function of the DiffReport; color applies where the format has colours."""
    import importlib

    try:
        module_name, function_name = WRITERS[name]
    except KeyError:
        raise InputError(f"unknown format {name!r}: use one of {', '.join(FORMATS)}") from None
    write = getattr(importlib.import_module(module_name), function_name)
    if name in _COLOURED:
        return lambda report: write(report, color)
    return write
