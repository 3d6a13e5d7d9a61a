"""Every mistake of an env's values, in words, each at its file:line, in one pass.

The loader (values.py) hands over pydantic's errors or the model's problems();
this module words each one (word_error), folds the ones that are a single
mistake seen twice (a union's branches, a typo's "missing" twin, a new app's
missing keys), adds the problems() of the parts that are valid on their own
when the whole is not, and raises them all, sorted by file and line.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hdgen.errors import InputError, raise_all
from hdgen.words import closest, did_you_mean, listed

KeyPath = tuple[str | int, ...]
Location = tuple[str, int]
# Where docs/values.md shows a whole app: the pointer of a new app's missing keys.
COMPLETE_APP_DOCS = "docs/values.md#a-complete-app"


@dataclass
class Known:
    """What the values of the other files know, for "did you mean": app names of values/defaults.yaml
    (complete apps) and of every other env (apps of any kind)."""

    default_apps: set[str] = field(default_factory=set)
    other_apps: Callable[[], set[str]] = set


@dataclass(frozen=True)
class Worded:
    path: KeyPath
    message: str
    kind: str = ""  # pydantic's error type, or "" for a problem of problems()
    explains: KeyPath | None = None  # problems below this path follow from this error: not said again


def raise_values_errors(found: list[Worded], locations: dict[KeyPath, Location], files: list[str]) -> None:
    """Each worded error at its file:line, sorted by file (merge order) and line; raised together."""
    seen = set()
    located = []
    explained = [e.explains for e in found if e.explains is not None]
    for error in found:
        # One error per key: two rules that catch one mistake (a password in a config URL) say it once.
        if error.path in seen or (error.kind == "" and any(error.path[: len(p)] == p for p in explained)):
            continue
        seen.add(error.path)
        where = nearest_location(error.path, locations)
        key = ".".join(map(str, error.path)) or "(top level)"
        text = f"{where[0]}:{where[1]}: {key}: {error.message}" if where else f"values: {key}: {error.message}"
        order = (files.index(where[0]) if where and where[0] in files else len(files), where[1] if where else 0)
        located.append((order, text))
    raise_all([InputError(text) for _, text in sorted(located, key=lambda item: item[0])], files)


def nearest_location(path: KeyPath, locations: dict[KeyPath, Location]) -> Location | None:
    for end in range(len(path), -1, -1):
        found = locations.get(path[:end])
        if found:
            return found
    return None


# --- pydantic's errors -----------------------------------------------------------------------


def pydantic_errors(errors: list[dict], data: Any, root: type, known: Known) -> list[Worded]:
    """pydantic's errors of data (validated as root) in words, one per mistake."""
    worded = [word_error(error, data, root) for error in errors]
    worded = _one_per_path(worded)
    worded = _without_typo_twins(worded, data, root)
    return _new_apps_together(worded, data, known)


def word_error(error: dict, data: Any, root: type) -> Worded:
    """One pydantic error as (key path in the data, words)."""
    path = data_path(error["loc"], data)
    kind = error["type"]
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    value = error.get("input")
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        message += f" (YAML read {value!r} as a number: quote it)"
    elif kind == "extra_forbidden":
        message = "unknown key" + _suggestion(str(path[-1]), known_keys(root, path[:-1]))
    elif kind == "literal_error" and isinstance(value, str):
        message += did_you_mean(value, re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", ""))))
    return Worded(path, message, kind)


def _suggestion(key: str, known: list[str]) -> str:
    hint = did_you_mean(key, known)
    if hint:
        return hint
    return f" (expected one of: {', '.join(sorted(known))})" if known else ""


def _one_per_path(worded: list[Worded]) -> list[Worded]:
    """A value that fits no branch of a union (`port: 8080 or a name`) fails each branch: keep the words
    of the branch its type fits (not "should be a valid integer" for a name), or join the type errors."""
    by_path: dict[KeyPath, list[Worded]] = {}
    for error in worded:
        by_path.setdefault(error.path, []).append(error)
    result = []
    for path, errors in by_path.items():
        specific = [e for e in errors if not e.kind.endswith("_type")]
        if specific or len(errors) == 1:
            result += specific or errors
        else:
            rest = [e.message.removeprefix("Input should be ") for e in errors[1:]]
            result.append(Worded(path, " or ".join([errors[0].message, *rest]), errors[0].kind))
    return result


def _without_typo_twins(worded: list[Worded], data: Any, root: type) -> list[Worded]:
    """A misspelt key also makes the real one "missing": say only the typo, which names the real key."""
    meant = set()
    for error in worded:
        if error.kind == "extra_forbidden":
            match = closest(str(error.path[-1]), known_keys(root, error.path[:-1]))
            if match:
                meant.add((*error.path[:-1], match))
    return [e for e in worded if not (e.kind == "missing" and e.path in meant)]


def _new_apps_together(worded: list[Worded], data: Any, known: Known) -> list[Worded]:
    """An app of this env only that lacks required keys is a typo of a known app, or a new app:
    one error for it, not one per missing key."""
    missing: dict[str, list[str]] = {}
    for error in worded:
        if error.kind == "missing" and len(error.path) == 3 and error.path[0] == "apps":
            missing.setdefault(str(error.path[1]), []).append(str(error.path[2]))
    folded = {name for name in missing if name not in known.default_apps}
    if not folded:
        return worded
    result = [e for e in worded if not (e.kind == "missing" and len(e.path) == 3 and e.path[:2] in
                                         {("apps", n) for n in folded})]
    others = known.default_apps | known.other_apps()
    for name in sorted(folded):
        match = closest(name, others - {name})
        if match and name not in others:
            # The app meant has lost this env's settings (its replicas, its image): that follows from the typo.
            result.append(Worded(("apps", name), f"unknown app {name!r} (did you mean {match!r}?)", "unknown_app",
                                 explains=("apps", match)))
        else:
            needed = missing[name] + _also_needed(data["apps"][name], missing[name])
            result.append(Worded(("apps", name), (
                f"new app {name!r} needs {listed(needed)} (a complete app: {COMPLETE_APP_DOCS})"), "new_app"))
    return result


def _also_needed(app: Any, missing: list[str]) -> list[str]:
    """The keys the app's problems() will ask for once the missing ones are set (a liveness probe):
    found by filling the missing keys from the example app, so a new app learns all it needs in one run."""
    from pydantic import ValidationError

    from hdgen.render.model import EXAMPLE_APP, App

    if not isinstance(app, dict) or not _own_problems(App):
        return []
    try:
        filled = App.model_validate({**app, **{key: EXAMPLE_APP[key] for key in missing if key in EXAMPLE_APP}})
    except ValidationError:
        return []  # wrong in other ways too: those errors are said on their own
    found = []
    for path, _ in filled.problems():
        if path and not _has(app, path):
            found.append(".".join(map(str, path)))
    return list(dict.fromkeys(found))


def _has(data: Any, path: KeyPath) -> bool:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def data_path(loc: tuple, data: Any) -> KeyPath:
    """Pydantic's loc without the names it adds for unions and validators."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and not _is_pydantic_label(part):
            path.append(part)  # a missing or unknown key: name it, then stop
            break
    return tuple(path)


def _is_pydantic_label(part: str) -> bool:
    return "[" in part or part.startswith(("function-", "tagged-union", "union"))


def known_keys(root: type, path: KeyPath) -> list[str]:
    """The keys the model accepts at path (YAML spelling), for "did you mean"."""
    annotation: Any = root
    for part in path:
        model = _model_class(annotation)
        if model is not None and isinstance(part, str):
            by_alias = {f.alias or n: f for n, f in model.model_fields.items()}
            if part not in by_alias:
                return []
            annotation = by_alias[part].annotation
            continue
        annotation = _item_type(annotation)  # an item of a dict or list: step into its value type
        if annotation is None:
            return []
    model = _model_class(annotation)
    return [f.alias or n for n, f in model.model_fields.items()] if model is not None else []


def _model_class(annotation: Any) -> type | None:
    """The pydantic model class an annotation such as `App | None` holds, if any."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _item_type(annotation: Any) -> Any:
    """The value type of `dict[K, V]` or `list[V]` inside an annotation (`dict[str, App] | None`)."""
    candidates = [annotation, *typing.get_args(annotation)]
    for candidate in candidates:
        if typing.get_origin(candidate) in (dict, list):
            return typing.get_args(candidate)[-1]
    return None


# --- problems() of the valid parts -------------------------------------------------------------


def partial_problems(model: type, data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """problems() of each part of data that is valid on its own, when the whole is not.

    Every model-typed part is looked into, valid or not; a valid one whose problems() needs
    nothing from its parent says them (a problems() that takes the parent's context, such as
    the namespace's Pod Security level, waits for a valid whole). Rules that span the whole
    (a route to an unknown app) wait too: their answer would not be sound yet.
    """
    from pydantic import ValidationError

    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in data:
            continue
        for part_model, part_path, part in _parts(info.annotation, data[key], (*path, key)):
            try:
                valid = part_model.model_validate(part)
            except ValidationError:
                yield from partial_problems(part_model, part, part_path)
                continue
            if _own_problems(part_model):
                yield from (((*part_path, *p), m) for p, m in valid.problems())
            # Its parts too: a part's problems() need not cover its parts' (the loader says each key once).
            yield from partial_problems(part_model, part, part_path)


def _own_problems(model: type) -> bool:
    """Whether the model's problems() stands alone: one that needs its parent's context (an argument,
    as a container's checks need the namespace's Pod Security level) is left to the parent."""
    import inspect

    problems = getattr(model, "problems", None)
    if problems is None:
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in list(inspect.signature(problems).parameters.values())[1:])


def _parts(annotation: Any, value: Any, path: KeyPath) -> Iterator[tuple[type, KeyPath, Any]]:
    """(model class, path, data) of the model-typed parts of value: itself, a dict's values, a list's items."""
    model = _model_class(annotation)
    if model is not None:
        if isinstance(value, dict):
            yield model, path, value
        return
    item = _model_class(_item_type(annotation))
    if item is None:
        return
    if isinstance(value, dict):
        yield from ((item, (*path, k), v) for k, v in value.items() if isinstance(v, dict))
    elif isinstance(value, list):
        yield from ((item, (*path, i), v) for i, v in enumerate(value) if isinstance(v, dict))
