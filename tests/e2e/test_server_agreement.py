"""hdgen validate --rules none and the real API server agree, object by object, on every kind hdgen has a schema for.

The corpus is generated from schemas/ (corpus.py): a valid object and bad
variants a schema can see, for every kind there. A valid object must be
accepted by both, a bad one refused by both; each object where that fails is
reported with its kind, name, variant and both answers. What only the server
can check is a separate, documented set (SEMANTIC_CASES).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO
from tests.e2e import corpus
from tests.e2e.agreement import APPLY, disagreements, hdgen_verdicts, plan, store_prerequisites, server_verdict
from tests.e2e.cluster import ApiServer
from tests.e2e.corpus_bodies import NAMESPACE, SEMANTIC_CASES
from tests.e2e.discovery import served_resources
from tests.e2e.schema_kinds import hdgen_served_kinds, kind_schemas

def test_the_server_serves_exactly_the_kinds_hdgen_treats_as_served(apiserver: ApiServer) -> None:
    served = set(served_resources(apiserver.client()))
    ours = hdgen_served_kinds()
    only_server = "".join(f"\n  {gvk}" for gvk in sorted(served - ours)) or " none"
    only_hdgen = "".join(f"\n  {gvk}" for gvk in sorted(ours - served)) or " none"
    assert not served ^ ours, f"served, but not by hdgen:{only_server}\nserved by hdgen, not by the server:{only_hdgen}"


def test_every_kind_with_a_schema_gets_the_same_verdict_from_hdgen_and_the_server(
    apiserver: ApiServer, tmp_path: Path
) -> None:
    client = apiserver.client()
    # Each kind is checked, or listed with its reason; a kind that is neither is a problem (plan).
    checks = plan(kind_schemas(), served_resources(client))
    cases, how = [], {}
    for schema, resource, method in checks.checked:
        for case in corpus.cases(schema, resource.namespaced):
            cases.append(case)
            how[case.file_name] = (resource, method)
    store_prerequisites(client)

    ours = hdgen_verdicts(cases, tmp_path / "corpus", REPO)
    theirs = {c.file_name: server_verdict(client, c, *how[c.file_name], NAMESPACE) for c in cases}

    problems = checks.problems + disagreements(cases, ours, theirs)
    assert not problems, f"{len(problems)} of {len(cases)} objects (and kinds):\n" + "\n".join(problems)


def test_what_only_the_server_checks_passes_hdgen_and_the_server_refuses(apiserver: ApiServer, tmp_path: Path) -> None:
    """The documented gap: no JSON schema sees name formats, cross-field rules, ranges or stored state."""
    client = apiserver.client()
    store_prerequisites(client)
    cases = [corpus.semantic_case(semantic) for semantic in SEMANTIC_CASES]
    ours = hdgen_verdicts(cases, tmp_path / "semantic", REPO)
    wrong = []
    for semantic, case in zip(SEMANTIC_CASES, cases):
        if semantic.stored_first is not None:
            assert client.apply(semantic.stored_first, dry_run=False).ok, case.label
        theirs = server_verdict(client, case, None, APPLY, NAMESPACE)
        if not ours[case.file_name].accepted or theirs.accepted:
            wrong.append(f"{case.label}: hdgen {ours[case.file_name]}; the server {theirs}")
    assert not wrong, "\n".join(wrong)

