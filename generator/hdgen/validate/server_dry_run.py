"""Server-side dry-run: ask a real API server whether it would accept each object, as findings.

kubeconform checks schemas; only the API server checks the rest (defaults,
cross-field rules, immutable fields against what is stored, admission). Each
Document is sent as a server-side apply with ?dryRun=All, so nothing is
stored, and each rejection becomes one error Finding with rule id "server";
each warning the server sends back (a `Warning` header: a pod template that
breaks the namespace's Pod Security `warn` level, a deprecated API) one
warning Finding.

A dry run cannot create a Namespace for the objects after it. When the tree
itself brings a Namespace the cluster does not have yet, its objects cannot be
checked; that is one warning on the Namespace rather than an error per object,
since the real apply (Namespace first) would create it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.validate.kubeapi import ApiClient, ApiResponse, NotServed

SERVER_RULE = "server"
# Applied before everything else, as the GitOps agents order them: the objects after depend on them.
_FIRST_KINDS = ("Namespace", "CustomResourceDefinition")
# One step of a field path in the server's causes: "spec", "containers[0]", "labels[app.kubernetes.io/name]".
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]|\[([^\]]*)\]")


def apply_order(documents: Iterable[Document]) -> list[Document]:
    """Namespaces, then CRDs, then the rest in the order given (a stable sort)."""

    def rank(document: Document) -> int:
        return _FIRST_KINDS.index(document.kind) if document.kind in _FIRST_KINDS else len(_FIRST_KINDS)

    return sorted(documents, key=rank)


def dry_run(documents: list[Document], client: ApiClient) -> list[Finding]:
    """One finding per object the server would refuse, one warning per warning it sends back (the `Warning`
    headers), plus one warning per Namespace it does not have yet."""
    findings: list[Finding] = []
    namespaces_in_tree = {d.name: d for d in documents if d.kind == "Namespace" and d.api_version == "v1"}
    unchecked: dict[str, int] = {}  # namespace -> objects the dry run could not reach
    for document in apply_order(documents):
        try:
            response = client.apply(document.body, dry_run=True)
        except NotServed as error:
            findings.append(_finding(document, str(error)))
            continue
        if response.ok:
            findings.extend(_finding(document, _warning(document, text), Level.WARNING) for text in response.warnings)
            continue
        missing = _missing_namespace(response)
        if missing and missing in namespaces_in_tree:
            unchecked[missing] = unchecked.get(missing, 0) + 1
            continue
        findings.append(_finding(document, _rejection(document, response), line=_cause_line(document, response)))
    for namespace, count in sorted(unchecked.items()):
        findings.append(
            _finding(
                namespaces_in_tree[namespace],
                f"namespace {namespace} does not exist on the server yet, so the {count} "
                f"object{'s' if count != 1 else ''} in it could not be dry-run "
                "(a dry run does not create it; the real apply creates it first)",
                Level.WARNING,
            )
        )
    return findings


def _missing_namespace(response: ApiResponse) -> str:
    """The namespace name when the server refused because that namespace does not exist."""
    details = response.body.get("details") or {}
    if response.status == 404 and details.get("kind") == "namespaces":
        return str(details.get("name") or "")
    return ""


def _cause_line(document: Document, response: ApiResponse) -> int:
    """The line of the first field the server names (spec.selector), else the document's first line."""
    causes = (response.body.get("details") or {}).get("causes") or []
    field = next((str(c["field"]) for c in causes if c.get("field")), "")
    path: list[str | int] = []
    for name, index, key in _STEP.findall(field):
        path.append(name or (int(index) if index else key))
    return document.line_of(*path) if path else document.line


def _rejection(document: Document, response: ApiResponse) -> str:
    reason = response.body.get("reason") or f"HTTP {response.status}"
    message = response.message
    if document.kind == "Secret":
        # The server quotes rejected values ("Invalid value: \"…\""); for a Secret that would be the secret.
        causes = (response.body.get("details") or {}).get("causes") or []
        fields = ", ".join(dict.fromkeys(str(c.get("field")) for c in causes if c.get("field")))
        message = f"rejected {fields}" if fields else "rejected (message withheld: it may quote secret data)"
    return f"the API server refuses it ({reason}): {message}"


def _warning(document: Document, text: str) -> str:
    """What `kubectl apply` would print as `Warning: …` (a pod template breaking the namespace's Pod Security
    level, a deprecated API); for a Secret, withheld like a refusal's message."""
    if document.kind == "Secret":
        return "the API server warns about it (message withheld: it may quote secret data)"
    return f"the API server warns: {' '.join(text.split())}"


def _finding(document: Document, message: str, level: Level = Level.ERROR, line: int = 0) -> Finding:
    return Finding.about(document, SERVER_RULE, level, message, line)
