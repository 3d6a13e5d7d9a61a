"""Facts that several parts of hdgen use, each written once: check that the users agree with the source."""

from __future__ import annotations

import argparse

import pytest

from hdgen import kubeversions
from hdgen.errors import InputError


def _help_of(module) -> str:
    parser = argparse.ArgumentParser(prog="hdgen")
    module.add_arguments(parser)
    return " ".join(parser.format_help().split())


def test_validate_help_names_the_default_kubernetes_version() -> None:
    from hdgen.commands import validate

    assert f"(default: {kubeversions.DEFAULT}, or validate.kubernetesVersion in hdgen.yaml)" in _help_of(validate)


def test_every_default_kubernetes_version_is_the_one_default() -> None:
    from hdgen.rules import make_context
    from hdgen.settings import Settings

    assert Settings().validate_.kubernetes_version == kubeversions.DEFAULT
    assert make_context([]).kubernetes_version == kubeversions.DEFAULT
    assert kubeversions.DEFAULT in kubeversions.PINNED
    assert all(kubeversions.is_version(version) for version in kubeversions.PINNED)


def test_format_choices_come_from_the_writers_registries() -> None:
    from hdgen.commands import diff, validate
    from hdgen.diff import formats
    from hdgen.report import writers

    assert "--format {" + ",".join(writers.FORMATS) + "}" in _help_of(validate)
    assert "--format {" + ",".join(formats.FORMATS) + "}" in _help_of(diff)


def test_an_unknown_diff_format_lists_the_valid_ones() -> None:
    from hdgen.diff.formats import writer

    with pytest.raises(InputError, match=r"unknown format 'yaml': use one of text, markdown, json$"):
        writer("yaml")


def test_the_values_model_and_the_rules_call_the_same_tags_immutable() -> None:
    from hdgen.render.model import Image
    from hdgen.rules._shared.images import ImageRef

    for tag in ("d3708e6", "0badc0de", "latest", "D3708E6", "v1.2.3"):
        assert Image(repository="x", tag=tag).is_mutable == ImageRef("r", "x", tag, None).is_mutable, tag


@pytest.mark.parametrize("text", [
    "postgres://app:hunter2@db:5432/app",
    "-----BEGIN RSA PRIVATE KEY-----",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc",
])
def test_a_credential_the_values_refuse_is_one_the_diff_hides(text: str) -> None:
    from hdgen.diff.redact import value_looks_secret
    from hdgen.render.model import _credentials

    assert list(_credentials(("x",), f"see {text}"))
    assert value_looks_secret(f"see {text}")
