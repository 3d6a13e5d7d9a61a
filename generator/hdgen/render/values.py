"""Load an env's values: read each file, merge defaults under the env, validate.

Every error names file:line and the key path, e.g.
`values/prod.yaml:14: apps.api.replicas: Input should be a valid integer`;
all of a file's errors come at once, in words (value_errors.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hdgen.errors import InputError
from hdgen.project import Project
from hdgen.render.value_errors import Known, Worded, nearest_location, partial_problems, pydantic_errors, raise_values_errors
from hdgen.yaml.lines import Lines
from hdgen.yaml.limits import MAX_NODES
from hdgen.yaml.read import load_data, load_with_lines, read_text

KeyPath = tuple[str | int, ...]
Location = tuple[str, int]  # (file label, 1-based line)
# One string value at most this long: values are names, URLs and short settings.
MAX_VALUE_CHARS = 65_536


@dataclass(frozen=True)
class LoadedValues:
    env: str
    model: Any  # hdgen.model.Values
    files: list[tuple[str, str]]  # (label, sha256 of the bytes), merge order


def load_env(project: Project, env: str, texts: Mapping[Path, str] | None = None):
    """The validated values of env (a LoadedValues).

    texts replaces the content of some files (path -> text): callers that
    edit values validate the edit this way before writing it.

    Valid values take the fast path (hdgen.yaml.read.load_data), which knows no
    line numbers. Anything wrong sends the files through the round-trip loader,
    which records the line of every key, so the error names file:line.
    """
    project.check_env(env)
    sources = []
    for path in project.values_files(env):
        label = project.relative(path)
        text = texts[path] if texts and path in texts else read_text(path, label)
        sources.append((label, text))
    digests = [(label, hashlib.sha256(text.encode()).hexdigest()) for label, text in sources]
    model = _load_fast(sources)
    if model is None:
        model = _load_with_lines(sources, Known(other_apps=lambda: _apps_of_other_envs(project, env)))
    return LoadedValues(env=env, model=model, files=digests)


def _load_fast(sources: list[tuple[str, str]]):
    """The model, or None when anything is wrong (the slow path then says what and where)."""
    from hdgen.render.model import Values

    data_so_far: dict = {}
    try:
        for label, text in sources:
            data = load_data(text)
            if not isinstance(data, dict):
                return None
            data_so_far = merged(data_so_far, to_plain(data, label, (), {}, [0]))
        model = Values.model_validate(data_so_far)
    except Exception:  # YAML, plain-data or validation errors: the round-trip path words them with lines
        return None
    return None if next(iter(model.problems()), None) else model


def _load_with_lines(sources: list[tuple[str, str]], known: Known | None = None):
    data_so_far: dict = {}
    locations: dict[KeyPath, Location] = {}
    known = known or Known()
    for index, (label, text) in enumerate(sources):
        data, lines = load_with_lines(text, label)
        if data is None:
            raise InputError(f"{label}: the file is empty: expected a mapping of values")
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else f"a scalar ({type(data).__name__})"
            raise InputError(f"{label}:1: the file holds {kind}: expected a mapping of values")
        plain = to_plain(data, label, (), locations, [0], lines)
        if index == 0 and len(sources) > 1 and isinstance(plain.get("apps"), dict):
            known.default_apps = set(plain["apps"])  # the defaults: complete apps every env has
        data_so_far = merged(data_so_far, plain)
    return validate(data_so_far, locations, [label for label, _ in sources], known)


def validate(data: dict, locations: dict[KeyPath, Location], files: list[str], known: Known | None = None):
    """The model of data, or every error of it at once (an InputErrors, or the InputError when one)."""
    from pydantic import ValidationError

    from hdgen.render.model import Values

    try:
        model = Values.model_validate(data)
    except ValidationError as error:
        found = pydantic_errors(error.errors(include_url=False), data, Values, known or Known())
        found += [Worded(path, message) for path, message in partial_problems(Values, data)]
        found += [Worded(path, message) for path, message in Values.data_problems(data)]
        raise_values_errors(found, locations, files)
        raise  # not reached: there was at least one error
    raise_values_errors([Worded(path, message) for path, message in model.problems()], locations, files)
    return model


def _apps_of_other_envs(project: Project, env: str) -> set[str]:
    """App names in the other envs' files, read fast (a file that does not read adds none)."""
    names: set[str] = set()
    for other in project.envs():
        if other == env:
            continue
        try:
            data = load_data(read_text(project.values_dir / f"{other}.yaml", other))
        except Exception:  # noqa: BLE001 - only a hint: that env's own run says what is wrong with it
            continue
        if isinstance(data, dict) and isinstance(data.get("apps"), dict):
            names |= {name for name in data["apps"] if isinstance(name, str)}
    return names


def to_plain(node: Any, label: str, path: KeyPath, locations: dict, count: list[int], lines: Lines | None = None) -> Any:
    """Data read by hdgen.yaml.read, checked as values: string keys, bounded strings, plain types;
    records the line of every key in locations (from lines, when the data came with them).

    The count bounds the walk: aliases let a small file name a huge tree.
    """
    count[0] += 1
    if count[0] > MAX_NODES:
        # Name the top-level key: deeper positions inside an expanded alias carry the anchor's lines.
        where = locations.get(path[:1], (label, 1))
        raise InputError(
            f"{where[0]}:{where[1]}: {path[0] if path else '(top level)'}: "
            f"too many values ({MAX_NODES:,}+ after expanding aliases)"
        )
    if isinstance(node, dict):
        if not path:
            locations[()] = (label, 1)  # the last file merged: where a missing top-level key belongs
        plain = {}
        for key, value in node.items():
            default = locations.get(path, (label, 1))[1]
            # A key merged in with `<<` has no line of its own: it gets its mapping's.
            line = (lines.key(node, key) or default) if lines is not None else default
            if not isinstance(key, str):
                raise InputError(f"{label}:{line}: key {key!r} is not a string")
            _check_unicode(key, (label, line), ".".join(map(str, path + (key,))))
            locations[path + (key,)] = (label, line)
            plain[key] = to_plain(value, label, path + (key,), locations, count, lines)
        return plain
    if isinstance(node, list):
        items = []
        for index, value in enumerate(node):
            line = (lines.item(node, index) or 1) if lines is not None else 1
            locations[path + (index,)] = (label, line)
            items.append(to_plain(value, label, path + (index,), locations, count, lines))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        if len(node) > MAX_VALUE_CHARS:
            where = locations.get(path, (label, 1))
            raise InputError(
                f"{where[0]}:{where[1]}: {'.'.join(map(str, path))}: {len(node):,} characters, over the "
                f"{MAX_VALUE_CHARS:,} limit for one value (Linux refuses to start a process with an env "
                "var over 128 KiB, and a ConfigMap holds at most 1 MiB)"
            )
        _check_unicode(node, locations.get(path, (label, 1)), ".".join(map(str, path)))
        return str(node)
    where = locations.get(path, (label, 1))
    key = ".".join(map(str, path))
    raise InputError(
        f"{where[0]}:{where[1]}: {key}: unsupported YAML value of type {type(node).__name__} (quote it as a string)"
    )


def _check_unicode(text: str, where: Location, key: str) -> None:
    """A "\\uD83D" escape in YAML gives a lone surrogate: not text any file can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        raise InputError(
            f"{where[0]}:{where[1]}: {key}: holds U+{code:04X}, half of a surrogate pair, which is not a "
            "character (write the character itself, or its \\U escape)"
        ) from None


def merged(base: dict, override: dict) -> dict:
    """override deep-merged over base: mappings merge, anything else replaces, null deletes.

    A new dict; neither argument changes, and subtrees only one side has are shared, not
    copied (history merges thousands of commits' values: copying was most of its time).
    """
    result = dict(base)
    for key, value in override.items():
        if value is None and key in result:
            del result[key]
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result
