"""YAML in and out.

Reading values: ruamel's round-trip loader, because it keeps the line of every
key (errors must name file:line) and rejects duplicate keys.

Writing manifests: ruamel's safe dumper on the C emitter, with one twist. The
emitter quotes strings that a YAML 1.2 reader would misread, but Kubernetes
reads YAML 1.1 (sigs.k8s.io/yaml), where `yes`, `on`, `0755` or `1:30` are not
strings. Every string that either version would misread is single-quoted.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from hdgen.errors import InputError

MAX_VALUES_BYTES = 2 * 1024 * 1024  # a values file is a few KiB; refuse before parsing a huge one
MAX_NODES = 200_000  # bounds the walk over aliases ("billion laughs")
# Collections nested deeper than this are refused before parsing: ruamel's C
# loader recurses once per level and kills the process (SIGSEGV) on a deep
# enough document, and its Python loader raises RecursionError near 250 levels.
# Kubernetes objects nest a few dozen levels at most.
MAX_DEPTH = 100
_LEADING_RUN = r"^[ \t?:-]{%d}"  # a line that starts with at least %d spaces, tabs or block indicators

# Plain scalars that YAML 1.1 resolves to something other than a string.
_YAML11_NON_STRING = re.compile(
    r"""^(?:
        [yY]|[yY]es|YES|[nN]|[nN]o|NO|[tT]rue|TRUE|[fF]alse|FALSE|[oO]n|ON|[oO]ff|OFF
      | ~|[nN]ull|NULL|
      | [-+]?0b[01_]+
      | [-+]?0[0-7_]+
      | [-+]?(?:0|[1-9][0-9_]*)
      | [-+]?0x[0-9a-fA-F_]+
      | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
      | [-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+]?[0-9]+)?
      | [-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)
      | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
      | [-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*
      | <<|=
    )$""",
    re.VERBOSE,
)


def needs_quotes(text: str) -> bool:
    """True when a plain `text` would not read back as the same string in YAML 1.1 or 1.2."""
    return bool(_YAML11_NON_STRING.match(text))


def _dumper():
    from ruamel.yaml import YAML
    from ruamel.yaml.representer import SafeRepresenter

    yaml = YAML(typ="safe", pure=False)
    yaml.default_flow_style = False
    yaml.width = 1 << 16  # never fold long strings: folding changes nothing but reads worse
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # callers order keys on purpose

    def represent_str(representer, data: str):
        style = None
        if "\n" in data and not any(line != line.rstrip() for line in data.splitlines()):
            style = "|"
        elif needs_quotes(data):
            style = "'"
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    def represent_dict(representer, data: dict):
        return representer.represent_mapping("tag:yaml.org,2002:map", data.items())

    yaml.representer.add_representer(str, represent_str)
    yaml.representer.add_representer(dict, represent_dict)
    del SafeRepresenter  # imported only to make sure the safe representer module is loaded
    return yaml


_DUMPER = None
_RESOLVED_AS_STR: dict[str, bool] = {}


def dump(data: object) -> str:
    """One YAML document as text, deterministic for equal data."""
    global _DUMPER
    if _DUMPER is None:
        _DUMPER = _dumper()
    from hdgen.yaml.block_dump import Unsupported, dump_block

    try:
        return dump_block(data, _reads_as_str)
    except Unsupported:
        pass
    out = io.StringIO()
    _DUMPER.dump(data, out)
    return out.getvalue()


def dump_with_ruamel(data: object) -> str:
    """dump() without the fast path (the reference the fast path is tested against)."""
    global _DUMPER
    if _DUMPER is None:
        _DUMPER = _dumper()
    out = io.StringIO()
    _DUMPER.dump(data, out)
    return out.getvalue()


def _reads_as_str(text: str) -> bool:
    """Whether the dumper's resolver reads plain text as a string (else it would quote it)."""
    found = _RESOLVED_AS_STR.get(text)
    if found is None:
        from ruamel.yaml.nodes import ScalarNode

        tag = _DUMPER.resolver.resolve(ScalarNode, text, (True, False))
        found = _RESOLVED_AS_STR[text] = str(tag) == "tag:yaml.org,2002:str"
    return found


def read_text(path: Path, label: str) -> str:
    """A YAML file's text: UTF-8, bounded in size; errors name the file."""
    try:
        size = path.stat().st_size
        if size > MAX_VALUES_BYTES:
            raise InputError(
                f"{label}: file is {size:,} bytes, over the {MAX_VALUES_BYTES:,} byte limit for a values file"
            )
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{label}: cannot read: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{label}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x})") from None


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
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, depth
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        return None  # a syntax error: the loader reports it with its line
    return None


def error_line(error: Exception, text: str) -> int | None:
    """The 1-based line a ruamel error points at, if it says."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(error, "position", None)  # ReaderError: a character YAML does not allow
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1
    return None


def error_problem(error: Exception) -> str:
    """What a ruamel error says is wrong, in one line."""
    from ruamel.yaml.reader import ReaderError

    if isinstance(error, ReaderError) and isinstance(error.character, int):
        return f"character U+{error.character:04X} is not allowed in YAML"
    problem = (getattr(error, "problem", None) or getattr(error, "context", None) or str(error) or "invalid YAML").strip()
    context = getattr(error, "context", None)
    if context and problem.startswith("but "):  # "but found another document" needs its context to read
        problem = f"{context.strip()}, {problem}"
    return _one_line(problem)


def load_safe(text: str):
    """Parse one YAML document fast (C loader), without line information; raises on bad YAML."""
    from hdgen.yaml.pyyaml_reader import load

    try:
        return load(text)
    except Exception:
        pass
    global _SAFE_LOADER
    if _SAFE_LOADER is None:
        from ruamel.yaml import YAML

        _SAFE_LOADER = YAML(typ="safe", pure=False)
        _SAFE_LOADER.allow_duplicate_keys = False
    return _SAFE_LOADER.load(text)


_SAFE_LOADER = None


def load_roundtrip(text: str, label: str):
    """Parse one YAML document with line information; errors name label:line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    deep = nesting_problem(text)
    if deep is not None:
        raise InputError(f"{label}:{deep[0]}: nested more than {MAX_DEPTH} levels deep")
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except YAMLError as error:
        line = error_line(error, text)
        where = f"{label}:{line}" if line is not None else label
        problem = error_problem(error)
        if "duplicate key" in problem or "found duplicate key" in str(error):
            problem = "duplicate key " + _duplicate_key_name(str(error))
        raise InputError(f"{where}: {problem}") from None


def load_all_safe(text: str, label: str) -> list:
    """Every non-empty document of a multi-document YAML text (no line info); errors name label:line."""
    deep = nesting_problem(text)
    if deep is not None:  # the C loader would crash the process on it
        raise InputError(f"{label}:{deep[0]}: nested more than {MAX_DEPTH} levels deep")
    documents = _load_all_fast(text)
    if documents is not None:
        return documents
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return [d for d in YAML(typ="safe", pure=False).load_all(text) if d is not None]
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{label}{line}: invalid YAML: {_one_line(str(error.problem))}") from None
    except YAMLError as error:
        raise InputError(f"{label}: invalid YAML: {_one_line(str(error))}") from None


def _load_all_fast(text: str) -> list | None:
    """The documents of text, each read by the fast loader (a diff reads thousands: ruamel's
    Python constructor took 70% of `hdgen ci` at 2,940 resources), or None when ruamel must
    read the text: a marker other than a bare `---` line, or a document the fast loader refuses."""
    from hdgen.yaml.pyyaml_reader import load

    documents = []
    for chunk in re.split(r"^---\n", text, flags=re.MULTILINE):
        if re.search(r"^(?:---|\.\.\.|%)", chunk, flags=re.MULTILINE):
            return None  # `--- x`, an end marker or a directive: ruamel's syntax to judge
        try:
            document = load(chunk)
        except Exception:  # noqa: BLE001 - ruamel reads the whole text, and words any error
            return None
        if document is not None:
            documents.append(document)
    return documents


def _duplicate_key_name(message: str) -> str:
    found = re.search(r'found duplicate key "([^"]*)"', message)
    return repr(found.group(1)) if found else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())
