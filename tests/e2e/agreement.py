"""Two verdicts on every object of the corpus: `hdgen validate --rules none` and a dry run on the real server.

The hdgen side is the real CLI (real kubeconform, the project's schemas/), run
once over a folder with one file per object. The server side is hdgen's own
client: a server-side apply with ?dryRun=All, as `hdgen validate --server`
sends it; kinds that cannot be applied but can be created (reviews) get a
dry-run create with strict field validation instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from hdgen.validate.kubeapi import ApiClient, NotServed
from tests.conftest import run_hdgen
from tests.e2e.corpus import VALID, Case
from tests.e2e.corpus_bodies import (
    NOT_APPLIABLE,
    NOT_SERVED_AS_RESOURCE,
    SCHEMA_STRICTER,
    STORED_FIRST,
    TYPED_LIST_REASON,
)
from tests.e2e.discovery import Served
from tests.e2e.schema_kinds import Gvk, KindSchema

APPLY = "server-side apply, dry run"
CREATE = "create, dry run"


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    message: str  # why it was refused ("" when accepted)

    def __str__(self) -> str:
        return "accepts" if self.accepted else f"refuses ({self.message})"


@dataclass
class Plan:
    """How each kind with a schema is checked, or why it cannot be; problems are test failures."""

    checked: list[tuple[KindSchema, Served, str]] = field(default_factory=list)  # schema, where, APPLY or CREATE
    listed: dict[Gvk, str] = field(default_factory=dict)  # kinds not checked, with the reason
    problems: list[str] = field(default_factory=list)


def plan(schemas: list[KindSchema], served: dict[Gvk, Served]) -> Plan:
    """Every kind with a schema is checked by apply, else by create, else listed with a reason; nothing is dropped."""
    result = Plan()
    for schema in schemas:
        gvk, resource = schema.gvk, served.get(schema.gvk)
        if resource is None:
            reason = TYPED_LIST_REASON if gvk.kind.endswith("List") else NOT_SERVED_AS_RESOURCE.get(gvk.kind)
            if reason:
                result.listed[gvk] = reason
            else:
                result.problems.append(f"{gvk}: hdgen has a schema for it, but the server does not serve it")
        elif "patch" in resource.verbs:
            result.checked.append((schema, resource, APPLY))
            if gvk.kind in NOT_APPLIABLE:
                result.problems.append(f"{gvk}: listed in NOT_APPLIABLE, but the server can patch it: check it")
        elif gvk.kind not in NOT_APPLIABLE:
            result.problems.append(
                f"{gvk}: the server cannot apply it (verbs {sorted(resource.verbs)}): add it to NOT_APPLIABLE with the reason"
            )
        elif "create" in resource.verbs:
            result.checked.append((schema, resource, CREATE))
        else:
            result.listed[gvk] = NOT_APPLIABLE[gvk.kind]
    return result


def hdgen_verdicts(cases: list[Case], folder: Path, project: Path) -> dict[str, Verdict]:
    """file name -> hdgen's verdict, from one `hdgen validate FOLDER --rules none` over one file per object."""
    folder.mkdir(parents=True)
    for case in cases:
        (folder / case.file_name).write_text(json.dumps(case.body, indent=2) + "\n", encoding="utf-8")
    result = run_hdgen("validate", str(folder), "--rules", "none", "--format", "json", cwd=project, timeout=300)
    assert result.code in (0, 1), f"hdgen validate failed (exit {result.code}):\n{result.err}"
    refusals: dict[str, list[str]] = {}
    for finding in json.loads(result.out)["findings"]:
        name = Path(finding["file"]).name
        assert (folder / name).is_file(), f"a finding on no corpus file: {finding}"
        if finding["level"] == "error":
            refusals.setdefault(name, []).append(f"{finding['rule']}: {finding['message']}")
    return {c.file_name: Verdict(c.file_name not in refusals, "; ".join(refusals.get(c.file_name, []))) for c in cases}


def server_verdict(client: ApiClient, case: Case, resource: Served | None, method: str, namespace: str) -> Verdict:
    """The server's dry-run verdict on one object, by apply (as hdgen sends it) or by create."""
    try:
        if method == APPLY:
            response = client.apply(case.body, dry_run=True)
        else:
            assert resource is not None, "a create needs the collection"
            query = {"dryRun": "All", "fieldValidation": "Strict"}
            response = client.request("POST", resource.collection(namespace), case.body, query=query)
    except NotServed as error:
        return Verdict(False, str(error))
    return Verdict(response.ok, "" if response.ok else f"{response.status} {response.message}")


def disagreements(cases: list[Case], hdgen: dict[str, Verdict], server: dict[str, Verdict]) -> list[str]:
    """Every object where the two disagree, or agree on the wrong answer (a valid object refused, a bad one
    accepted); a SCHEMA_STRICTER case must stay exactly that (hdgen refuses, the server accepts)."""
    problems = []
    for case in cases:
        ours, theirs = hdgen[case.file_name], server[case.file_name]
        stricter = SCHEMA_STRICTER.get((case.gvk, case.variant))
        if stricter:
            if ours.accepted or not theirs.accepted:
                problems.append(
                    f"{case.label}: no longer a SCHEMA_STRICTER case ({stricter}): hdgen {ours}; the server {theirs}"
                )
            continue
        expected = case.variant == VALID
        if ours.accepted == theirs.accepted == expected:
            continue
        what = "disagree" if ours.accepted != theirs.accepted else "both wrong"
        problems.append(f"{case.label}: {what}: hdgen {ours}; the server {theirs}")
    made = {(c.gvk, c.variant) for c in cases}
    kinds = {gvk for gvk, _ in made}
    problems.extend(
        f"{gvk} [{variant}]: in SCHEMA_STRICTER, but the corpus no longer makes it"
        for gvk, variant in SCHEMA_STRICTER if gvk in kinds and (gvk, variant) not in made
    )
    return problems


def store_prerequisites(client: ApiClient) -> None:
    """What the corpus's objects need on the server (its Namespace, ...), stored for real."""
    for body in STORED_FIRST:
        response = client.apply(body, dry_run=False)
        assert response.ok, f"{body['kind']} {body['metadata']['name']}: {response.status} {response.message}"
