"""What every policy rule shares: the Rule record, the RuleContext, and safe accessors.

Rules read Documents loaded from any file, so a body may hold anything YAML can
say (`spec: 3`, `containers: {}`). The accessors here return None instead of
raising on a wrong shape; the schema check (kubeconform) reports those shapes,
and the rules stay quiet about what they cannot read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from hdgen import kubeversions
from hdgen.objects.record import Document
from hdgen.errors import InputError
from hdgen.finding import Finding, Level

IGNORE_PREFIX = "hdgen.io/ignore-"  # + rule ID: `hdgen.io/ignore-HD005: "<reason>"`

Check = Callable[[Document, "RuleContext"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: Level  # the default; hdgen.yaml may override it
    doc: str  # the module docstring: the rule's whole documentation
    check: Check
    can_opt_out: bool = True  # False: an ignore annotation does not skip it (HD016 checks those annotations)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            id=module.ID,
            name=module.NAME,
            level=module.LEVEL,
            doc=module.__doc__ or "",
            check=module.check,
            can_opt_out=getattr(module, "CAN_OPT_OUT", True),
        )


class DocumentIndex:
    """Every document of one run, found by kind, namespace and name.

    An object without a namespace matches any namespace: kustomize or the
    GitOps agent puts it in one at apply time. Lookups are dictionary hits, so
    cross-object rules stay linear in the number of documents.
    """

    def __init__(self, documents: list[Document]):
        self.documents = tuple(documents)
        self._by_kind: dict[str, list[Document]] = {}
        self._by_kind_name: dict[tuple[str, str], list[Document]] = {}
        self._by_kind_namespace: dict[tuple[str, str], list[Document]] = {}
        self._by_identity: dict[tuple[str, str, str], list[Document]] = {}
        self._memo: dict[str, Any] = {}
        for document in documents:
            kind, namespace, name = document.kind, document.namespace, document.name
            self._by_kind.setdefault(kind, []).append(document)
            self._by_kind_name.setdefault((kind, name), []).append(document)
            self._by_kind_namespace.setdefault((kind, namespace), []).append(document)
            self._by_identity.setdefault((kind, namespace, name), []).append(document)

    def find(self, kind: str, namespace: str, name: str) -> list[Document]:
        if not namespace:
            return list(self._by_kind_name.get((kind, name), []))
        found = self._by_identity.get((kind, namespace, name), []) + self._by_identity.get((kind, "", name), [])
        return sorted(found, key=self.documents.index) if len(found) > 1 else found

    def of_kind(self, *kinds: str) -> list[Document]:
        """Documents of these kinds, in input order within each kind."""
        return [d for kind in kinds for d in self._by_kind.get(kind, [])]

    def in_namespace(self, namespace: str, *kinds: str) -> list[Document]:
        """Documents of these kinds that can share namespace (an empty one on either side matches)."""
        if not namespace:
            return self.of_kind(*kinds)
        return [
            d
            for kind in kinds
            for key in ((kind, namespace), (kind, ""))
            for d in self._by_kind_namespace.get(key, [])
        ]

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """A table derived from all documents, built once per run (e.g. HPAs by target)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]


@dataclass(frozen=True)
class RuleContext:
    settings: Any  # hdgen.settings.Settings
    index: DocumentIndex
    env: str | None = None  # the env name when validating a rendered env; None for arbitrary paths
    kubernetes_version: str = kubeversions.DEFAULT
    rule_ids: tuple[str, ...] = ()  # every rule of the registry, for rules about rules (HD016)

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.index.documents

    @property
    def minor(self) -> tuple[int, int]:
        """The target Kubernetes version as (major, minor): (1, 33) for 1.33.0."""
        major, minor = self.kubernetes_version.split(".")[:2]
        return int(major), int(minor)


def make_context(
    documents: list[Document],
    *,
    settings: Any = None,
    env: str | None = None,
    kubernetes_version: str | None = None,
    rule_ids: tuple[str, ...] = (),
) -> RuleContext:
    """A RuleContext over documents; the Kubernetes version defaults to the settings' one."""
    from hdgen.settings import Settings

    settings = settings if settings is not None else Settings()
    version = kubernetes_version or settings.validate_.kubernetes_version or kubeversions.DEFAULT
    bare = version[1:] if version.startswith("v") else version  # v1.33.0, as kubectl prints it, is fine here
    if not kubeversions.is_version(bare):
        raise InputError(f"Kubernetes version {version!r}: expected MAJOR.MINOR.PATCH, e.g. {kubeversions.DEFAULT}")
    return RuleContext(
        settings=settings, index=DocumentIndex(documents), env=env, kubernetes_version=bare, rule_ids=rule_ids
    )


def finding(rule_id: str, level: Level, document: Document, message: str, *path: str | int) -> Finding:
    """A finding about document, on the line of the key at path (or the document's line)."""
    return Finding.about(document, rule_id, level, message, document.line_of(*path) if path else document.line)


# --- safe accessors ---------------------------------------------------------


def get(node: Any, *keys: str | int) -> Any:
    """node[k1][k2]…, or None when a step is missing or of the wrong type."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(node, list) or not 0 <= key < len(node):
                return None
        elif not isinstance(node, dict):
            return None
        node = node[key] if isinstance(key, int) else node.get(key)
    return node


def mapping(node: Any, *keys: str | int) -> dict:
    found = get(node, *keys)
    return found if isinstance(found, dict) else {}


def items(node: Any, *keys: str | int) -> list[tuple[int, dict]]:
    """The (index, mapping) items of the list at keys; other entries are skipped."""
    found = get(node, *keys)
    if not isinstance(found, list):
        return []
    return [(i, item) for i, item in enumerate(found) if isinstance(item, dict)]


def is_int(value: Any) -> bool:
    """An integer, and not a YAML boolean (bool is an int in Python)."""
    return isinstance(value, int) and not isinstance(value, bool)


def spell(path: tuple[str | int, ...]) -> str:
    """A key path as the messages write it: spec.containers[0].securityContext, with keys that hold
    dots or slashes quoted: metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif any(ch in part for ch in './[]" '):
            text += f'["{part}"]'
        else:
            text += f".{part}" if text else part
    return text


def declared(names: list[str], namespace: str, name: str) -> bool:
    """Whether an externalReferences list of hdgen.yaml (`name` or `namespace/name`) holds an object."""
    return name in names or (bool(namespace) and f"{namespace}/{name}" in names)


def annotations(document: Document) -> dict[str, Any]:
    return mapping(document.body, "metadata", "annotations")
