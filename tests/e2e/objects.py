"""Helpers of the end-to-end tests: read a rendered tree, apply it, compare what the server stored."""

from __future__ import annotations

import re
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hdgen.objects.record import Document
from hdgen.validate.kubeapi import ApiClient, ApiResponse
from hdgen.objects.reader import load_documents
from hdgen.validate.server_dry_run import apply_order

Key = tuple[str, str, str, str]  # apiVersion, kind, namespace, name


def key(document: Document) -> Key:
    return (document.api_version, document.kind, document.namespace, document.name)


def read_tree(folder: Path) -> list[Document]:
    """The env's objects in apply order (Namespace first); the tree must read without a finding."""
    documents, findings = load_documents([folder], folder)
    assert not findings, findings
    assert documents, f"no objects in {folder}"
    return apply_order(documents)


def apply_each(client: ApiClient, documents: list[Document], *, dry_run: bool) -> dict[Key, ApiResponse]:
    return {key(d): client.apply(d.body, dry_run=dry_run) for d in documents}


ESTABLISHED_WITHIN_SECONDS = 60.0  # a generous bound on a loaded machine, not a timing assertion


def install_crds(client: ApiClient, crds: list[Document]) -> None:
    """Apply CRDs and wait until the server serves every one of them (condition Established)."""
    assert refused(apply_each(client, crds, dry_run=False)) == {}
    deadline = time.monotonic() + ESTABLISHED_WITHIN_SECONDS
    waiting = {crd.name for crd in crds}
    while waiting:
        for name in sorted(waiting):
            body = client.request("GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}").body
            conditions = {c.get("type"): c.get("status") for c in (body.get("status") or {}).get("conditions") or []}
            if conditions.get("Established") == "True":
                waiting.discard(name)
        assert time.monotonic() < deadline, f"CRDs not established within {ESTABLISHED_WITHIN_SECONDS} s: {sorted(waiting)}"
        time.sleep(0.2)


def refused(responses: dict[Key, ApiResponse]) -> dict[Key, str]:
    return {k: f"{r.status} {r.message}" for k, r in responses.items() if not r.ok}


def stored(client: ApiClient, documents: list[Document]) -> dict[Key, dict[str, Any]]:
    """What the server holds for each object (a failed GET is a test failure, naming the object)."""
    result = {}
    for document in documents:
        response = client.get(document.body)
        assert response.status == 200, f"{key(document)} does not read back: {response.status} {response.message}"
        result[key(document)] = response.body
    return result


_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")
_FACTORS = {
    None: Decimal(1), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
    "P": Decimal("1e15"), "E": Decimal("1e18"),
    **{suffix: Decimal(1024) ** power for power, suffix in enumerate(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"), 1)},
}


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes quantity's value ("500m" -> 0.5, "1Gi" -> 1073741824), else None."""
    match = _QUANTITY.match(str(value))
    if not match or isinstance(value, bool):
        return None
    try:
        return Decimal(match.group(1)) * _FACTORS[match.group(2)]
    except InvalidOperation:
        return None


def missing_or_different(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Paths where actual does not hold what expected sets (the server may add defaults, not change values).

    The server writes quantities in canonical form ("1024Mi" becomes "1Gi"), so two
    quantities with the same value are equal; and it leaves out a field set to its
    zero value (`initialDelaySeconds: 0` reads back absent), which means the same.
    """
    if actual is None and expected in (0, "", False, [], {}):
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [path or "."]
        return [p for k, v in expected.items() for p in missing_or_different(v, actual.get(k), f"{path}.{k}")]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [path]
        return [p for i, (e, a) in enumerate(zip(expected, actual)) for p in missing_or_different(e, a, f"{path}[{i}]")]
    if expected == actual:
        return []
    if quantity(expected) is not None and quantity(expected) == quantity(actual):
        return []
    return [path]


def differences(old: Any, new: Any, path: str = "") -> list[str]:
    """Every path where two stored objects differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [p for k in sorted(set(old) | set(new)) for p in differences(old.get(k), new.get(k), f"{path}.{k}")]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [p for i, (o, n) in enumerate(zip(old, new)) for p in differences(o, n, f"{path}[{i}]")]
    return [] if old == new else [path]
