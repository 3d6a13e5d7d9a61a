"""No message of the values model or hdgen.yaml shows a regular expression: every constraint is in words.

Walks every model class of render/model.py (not a list kept here: a field added
later is walked too), derives values that break each of its fields' constraints
(its Worded type's own bad values, ranges, lengths, patterns, literals, the wrong
type), validates them through the model and words the errors as the loader does.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from hdgen.render import model as model_module
from hdgen.render.constraints import Worded
from hdgen.render.value_errors import Known, pydantic_errors
from hdgen.settings import _FIELDS, Settings, SettingsProblem

# What a regular expression looks like in a message: anchors, classes, escapes, groups, repeats.
REGEX = re.compile(r"\^\[|\[\^|\^/|\\[wdsbWDS.]|\(\?|\{\d+(,\d*)?\}|\]\*|\]\+|\)\?|\)\*|\$'|pattern")


def model_classes() -> list[type[BaseModel]]:
    """Every pydantic model class defined in render/model.py."""
    return [cls for _, cls in inspect.getmembers(model_module, inspect.isclass)
            if issubclass(cls, BaseModel) and cls.__module__ == model_module.__name__ and cls.model_fields]


def bad_values(annotation: Any, metadata: list[Any] = ()) -> list[Any]:
    """Values that break a constraint of the type: its own, its parts', and the wrong type."""
    found: list[Any] = []
    for meta in metadata:
        found += _breaking(meta)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *inner = typing.get_args(annotation)
        return found + bad_values(base, inner)
    if origin in (typing.Union, types.UnionType):
        return found + [v for arg in typing.get_args(annotation) for v in bad_values(arg)]
    if origin is typing.Literal:
        return found + ["not-one-of-them"]
    if origin is list:
        return found + ["not a list"] + [[v] for v in bad_values(typing.get_args(annotation)[0])]
    if origin is dict:
        key, value = typing.get_args(annotation)
        return found + ["not a mapping"] + [{"k": v} for v in bad_values(value)] + \
            [{k: {}} for k in bad_values(key) if isinstance(k, str)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return found + ["not a mapping", {"noSuchKey": 1}]
    return found + {str: [12], int: ["x", True], bool: ["yes"]}.get(annotation, [])


def _breaking(meta: Any) -> list[Any]:
    if isinstance(meta, FieldInfo):
        return [v for inner in meta.metadata for v in _breaking(inner)]
    if isinstance(meta, Worded):
        return list(meta.bad)
    if isinstance(meta, annotated_types.Ge):
        return [meta.ge - 1]
    if isinstance(meta, annotated_types.Le):
        return [meta.le + 1]
    if isinstance(meta, annotated_types.MinLen):
        return ["", [], {}] if meta.min_length else []
    if isinstance(meta, annotated_types.MaxLen):
        return ["x" * (meta.max_length + 1)]
    if getattr(meta, "pattern", None):  # a raw pattern: some text it refuses
        return [text for text in ("", " ", "NOT VALID!\n", "-") if not re.search(meta.pattern, text)]
    return []


CASES = [(cls, name, field) for cls in model_classes() for name, field in cls.model_fields.items()]


def test_the_walk_covers_the_model() -> None:
    names = {cls.__name__ for cls in model_classes()}
    assert {"Values", "App", "Image", "Route", "Probe", "ResourceList", "GitOps"} <= names
    assert len(CASES) > 80


@pytest.mark.parametrize("cls,name,field", CASES, ids=[f"{c.__name__}.{n}" for c, n, _ in CASES])
def test_every_constraint_of_every_field_is_refused_in_words(cls, name, field) -> None:
    key = field.alias or name
    values = bad_values(field.annotation, field.metadata)
    refused = 0
    for value in values:
        data = {key: value}
        try:
            cls.model_validate(data)
        except Exception as error:  # noqa: BLE001 - pydantic's ValidationError
            worded = pydantic_errors(error.errors(include_url=False), data, cls, Known())
        else:
            continue  # the whole model is valid with it (every other field has a default)
        # A value bad for one branch of a union may suit another ("x": not a port, but a name).
        refused += any(w.path[:1] == (key,) for w in worded)
        for message in (w.message for w in worded):
            assert not REGEX.search(message), f"{cls.__name__}.{key} = {value!r}: {message}"
    assert refused, f"{cls.__name__}.{key}: none of {values!r} was refused"


def worded_types() -> dict[str, Worded]:
    """Every Worded type of render/constraints.py, by name."""
    from hdgen.render import constraints

    return {name: typing.get_args(kind)[1] for name, kind in vars(constraints).items()
            if typing.get_origin(kind) is typing.Annotated and isinstance(typing.get_args(kind)[1], Worded)}


@pytest.mark.parametrize("name,worded", list(worded_types().items()), ids=list(worded_types()))
def test_worded_types_refuse_their_bad_values_and_take_good_ones(name: str, worded: Worded) -> None:
    assert worded.bad and worded.good, f"{name}: give it bad and good examples"
    for value in worded.good:
        assert worded.check(value) is None, (name, value)
        assert worded.pattern is None or re.search(worded.pattern, str(value)), (name, value)  # editors agree
    for value in worded.bad:
        words = worded.check(value)
        assert words and not REGEX.search(words), (name, value, words)
        assert worded.pattern is None or not re.search(worded.pattern, value), (name, value)


def test_no_field_takes_a_raw_pattern() -> None:
    """A Field(pattern=...) would print its pattern: new fields use a Worded type from constraints.py."""
    raw = [f"{cls.__name__}.{name}" for cls, name, field in CASES
           if any(getattr(meta, "pattern", None) and not isinstance(meta, Worded)
                  for meta in _metadata(field.annotation, field.metadata))]
    assert raw == []


def _metadata(annotation: Any, metadata: list[Any]) -> list[Any]:
    found = [m for meta in metadata for m in ([meta, *meta.metadata] if isinstance(meta, FieldInfo) else [meta])]
    if typing.get_origin(annotation) is typing.Annotated:
        base, *inner = typing.get_args(annotation)
        return found + _metadata(base, inner)
    return found + [m for arg in typing.get_args(annotation) for m in _metadata(arg, [])]


@pytest.mark.parametrize("section", list(_FIELDS), ids=lambda cls: cls.__name__)
def test_every_setting_is_refused_in_words(section) -> None:
    path = {Settings: ()}.get(section)
    for key, _, _ in _FIELDS[section]:
        for value in ("x", 12, -1, True, [], {}, ["x", 3], {"a": "x"}, "1.33"):
            data = {key: value}
            try:
                Settings.from_data(data if path is not None else _wrapped(section, data))
            except SettingsProblem as problem:
                for one in problem.each():
                    assert not REGEX.search(one.message), (section.__name__, key, value, one.message)


def _wrapped(section, data: dict) -> dict:
    """data placed where section lives in hdgen.yaml."""
    from hdgen.settings import ExternalReferences, RuleSetting, ValidateSettings

    return {RuleSetting: {"rules": {"HD001": data}}, ExternalReferences: {"externalReferences": data},
            ValidateSettings: {"validate": data}}[section]


def test_the_complete_app_of_the_docs_is_the_models_and_is_complete() -> None:
    """docs/values.md#a-complete-app, where a new app's error points, shows EXAMPLE_APP, and it passes every check."""
    from ruamel.yaml import YAML

    from hdgen.render.model import EXAMPLE_APP, App
    from hdgen.render.value_errors import COMPLETE_APP_DOCS
    from tests.conftest import REPO

    page, anchor = COMPLETE_APP_DOCS.split("#")
    section = (REPO / page).read_text().split("\n## A complete app\n")[1]
    assert anchor == "a-complete-app"
    block = section.split("```yaml\n")[1].split("```")[0]
    assert YAML(typ="safe", pure=True).load(block) == {"apps": {"cron": EXAMPLE_APP}}
    assert list(App.model_validate(EXAMPLE_APP).problems()) == []
