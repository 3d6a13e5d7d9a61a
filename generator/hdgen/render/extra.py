"""Hand-written objects: values/extra/ENV/*.yaml into rendered/ENV/extra/ (docs/operations.md).

For what hdgen does not model (a Traefik Middleware, a SealedSecret or ExternalSecret, a
backup CronJob). Each file is read as validate reads manifests (hdgen.objects.reader: several
documents, lists, the same limits), and each object is:

  checked     a Secret holding data or stringData is refused: a Secret's values never go into
              git (commit a SealedSecret or an ExternalSecret instead); an object with no name,
              or the same group/kind/namespace/name as a rendered object or another extra, is
              refused with the file:line of both
  completed   given the env's namespace when it names none and its kind is namespaced
  normalised  dumped like every rendered object (apiVersion, kind, metadata first, one dumper),
              so the same files always give the same bytes; comments are not kept

Each source file becomes extra/<its name>, listed in kustomization.yaml; validate then checks
the objects like any other (kubeconform against schemas/, the policy rules), and diff and ci
review them like any other. The files are part of the render cache's key.
"""

from __future__ import annotations

from hdgen.errors import InputError
from hdgen.objects.record import Document
from hdgen.project import EXTRA_DIR

SECRET_FIELDS = ("data", "stringData")


def extra_manifests(env: str, namespace: str, sources, rendered: list[Document], normalise) -> list[Document]:
    """The objects of sources ((label, text) per file), as rendered Documents in extra/<file name>.

    rendered: the objects hdgen rendered from values, which no extra may also define.
    normalise: body -> (ordered body, its canonical text), the one the rendered objects go through.
    """
    read = [(label, document) for label, text in sources for document in _read(label, text)]
    cluster_scoped = _cluster_scoped_kinds([document for _, document in read])
    seen = {m.key: ("rendered", f"rendered/{env}/{m.file}") for m in rendered}
    result = []
    for label, document in read:
        _check(label, document)
        body = _with_namespace(document.body, namespace, cluster_scoped)
        where = f"{label}:{document.line}"
        key = Document(label, document.line, body).key
        if key in seen:
            _refuse_duplicate(where, document, *seen[key])
        seen[key] = ("extra", where)
        ordered, text = normalise(body)
        result.append(Document(file=f"{EXTRA_DIR}/{label.rpartition('/')[2]}", line=1, body=ordered, text=text))
    return _numbered(result)


def _read(label: str, text: str) -> list[Document]:
    from hdgen.objects.reader import load_bytes

    documents, findings = load_bytes(text.encode(), label, is_json=False)
    if findings:
        first = findings[0]
        raise InputError(f"{first.file}:{first.line}: {first.message}")
    return documents


def _check(label: str, document: Document) -> None:
    where = f"{label}:{document.line}"
    if not document.name:
        raise InputError(f"{where}: {document.kind} has no metadata.name")
    if document.kind == "Secret" and document.group == "":
        held = [field for field in SECRET_FIELDS if document.body.get(field)]
        if held:
            raise InputError(
                f"{where}: Secret {document.name!r} holds {' and '.join(held)}: a Secret's values never go into "
                "git; commit a SealedSecret or an ExternalSecret instead, or create the Secret out of band"
            )


def _refuse_duplicate(where: str, document: Document, origin: str, other: str) -> None:
    what = f"{document.kind} {document.name!r}"
    if origin == "rendered":
        raise InputError(
            f"{where}: {what} is also rendered from values ({other}): change it through values/, "
            "or give yours another name"
        )
    raise InputError(f"{where}: {what} is also defined at {other}: keep one")


def _cluster_scoped_kinds(documents: list[Document]) -> frozenset[str]:
    """Built-in cluster-scoped kinds, and the custom kinds a CRD among the extras declares cluster-scoped."""
    from hdgen.rules.hd011_namespace import CLUSTER_SCOPED

    declared = set()
    for document in documents:
        spec = document.body.get("spec") if document.kind == "CustomResourceDefinition" else None
        if isinstance(spec, dict) and spec.get("scope") == "Cluster":
            kind = (spec.get("names") or {}).get("kind")
            if isinstance(kind, str):
                declared.add(kind)
    return CLUSTER_SCOPED | declared


def _with_namespace(body: dict, namespace: str, cluster_scoped: frozenset[str]) -> dict:
    """body with metadata.namespace set to the env's namespace, when it names none and its kind is namespaced.

    A cluster-scoped custom kind hdgen cannot know (no CRD among the extras) gets one too; the API
    server ignores the namespace of a cluster-scoped object.
    """
    metadata = body.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("namespace") or body.get("kind") in cluster_scoped:
        return body
    return {**body, "metadata": {**metadata, "namespace": namespace}}


def _numbered(documents: list[Document]) -> list[Document]:
    """Each document with the line it starts on in its file (the documents of a file joined by '---')."""
    lines: dict[str, int] = {}
    numbered = []
    for document in documents:
        line = lines.get(document.file, 1)
        start = line if line == 1 else line + 1  # after the '---' line
        numbered.append(document._replace(line=start))
        lines[document.file] = start + document.text.count("\n")
    return numbered


def extra_texts(documents: list[Document]) -> dict[str, str]:
    """Each extra/<file>'s text: its documents, in their source order, joined by '---'."""
    texts: dict[str, list[str]] = {}
    for document in documents:
        texts.setdefault(document.file, []).append(document.text)
    return {path: "---\n".join(parts) for path, parts in texts.items()}
