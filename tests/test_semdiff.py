"""The field diff and the redaction rules, case by case (the CLI tests cover them end to end)."""

from __future__ import annotations

import pytest

from hdgen.diff.redact import value_looks_secret
from hdgen.patterns import key_looks_secret
from hdgen.diff.semantic import MISSING, FieldChange, diff_values


def changes(old, new) -> list[tuple[str, object, object]]:
    return [(c.dotted, c.old, c.new) for c in diff_values(old, new)]


def test_env_vars_match_by_name_so_order_is_not_a_change() -> None:
    old = {"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}
    new = {"env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]}
    assert changes(old, new) == []
    new["env"][0]["value"] = "3"
    assert changes(old, new) == [("env[B].value", "2", "3")]


def test_items_without_a_name_match_by_the_next_identity_field() -> None:
    old = {"ports": [{"containerPort": 80}, {"containerPort": 443, "protocol": "TCP"}]}
    new = {"ports": [{"containerPort": 443, "protocol": "UDP"}, {"containerPort": 80}]}
    assert changes(old, new) == [("ports[containerPort=443].protocol", "TCP", "UDP")]


def test_items_without_identity_match_by_position() -> None:
    old = {"envFrom": [{"configMapRef": {"name": "a"}}, {"secretRef": {"name": "b"}}]}
    new = {"envFrom": [{"secretRef": {"name": "b"}}, {"configMapRef": {"name": "a"}}]}
    assert ("envFrom[0].configMapRef.name", "a", MISSING) in changes(old, new)


def test_scalar_lists_compare_whole_and_types_matter() -> None:
    assert changes({"args": ["a", "b"]}, {"args": ["b", "a"]}) == [("args", ["a", "b"], ["b", "a"])]
    assert changes({"port": 1}, {"port": True}) == [("port", 1, True)]
    assert changes({"port": "1"}, {"port": 1}) == [("port", "1", 1)]


def test_added_subtree_yields_each_leaf() -> None:
    assert changes({}, {"a": {"b": 1, "c": [{"name": "x", "v": 2}]}}) == [
        ("a.b", MISSING, 1),
        ("a.c[x].name", MISSING, "x"),
        ("a.c[x].v", MISSING, 2),
    ]


def test_keys_with_dots_are_quoted_in_paths() -> None:
    change = FieldChange(("metadata", "annotations", "prometheus.io/port"), "1", "2")
    assert change.dotted == 'metadata.annotations["prometheus.io/port"]'


@pytest.mark.parametrize("key", ["API_TOKEN", "db-password", "SECRET", "aws.private.key"])
def test_secret_looking_keys(key: str) -> None:
    assert key_looks_secret(key)


@pytest.mark.parametrize("key", ["CACHE_TTL", "secretName", "LOG_LEVEL", "TOKENIZER"])
def test_plain_keys(key: str) -> None:
    assert not key_looks_secret(key)


@pytest.mark.parametrize(
    "value",
    [
        "postgres://app:pw@db:5432/app",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefgh",
        "0123456789abcdef0123456789abcdef",
        "dGhpcyBpcyBhIHNlY3JldCB2YWx1ZSAxMjM0NTY3OA==",
        "--api-key=abc",
        ["/app", "--password=x"],
    ],
)
def test_credential_looking_values(value) -> None:
    assert value_looks_secret(value)


@pytest.mark.parametrize(
    "value",
    [
        "gitea.treytartt.com/admin/honeydue-api:d3708e6",
        "redis@sha256:" + "a" * 64 + "x",
        "https://obs.treytartt.com/api/v1/write",
        "/etc/vmagent/token/token",
        "-remoteWrite.bearerTokenFile=/etc/vmagent/token/token",
        "averyveryverylongwordwithoutanydigitsatallinit",
        8000,
    ],
)
def test_plain_values(value) -> None:
    assert not value_looks_secret(value)
