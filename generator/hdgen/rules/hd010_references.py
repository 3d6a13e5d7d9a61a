"""ConfigMaps and Secrets that objects reference exist in the tree or are declared external.

Collects every reference of a workload's pod template: `envFrom`
(configMapRef, secretRef) and `env[].valueFrom` (configMapKeyRef,
secretKeyRef) of containers and init containers, `volumes` (configMap,
secret, projected sources) and `imagePullSecrets`; plus an Ingress's
`spec.tls[].secretName` and a ServiceAccount's `imagePullSecrets`. Each must
name a ConfigMap/Secret among the validated files (same namespace), or one
listed under `externalReferences` in hdgen.yaml (`name` or `namespace/name`).
References marked `optional: true` are not checked. When the referenced
object is in the tree and a key is named (…KeyRef, volume `items`), the key
must be in its `data`/`binaryData`/`stringData`.

Why: a missing ConfigMap or Secret leaves pods in CreateContainerConfigError
and the rollout stuck at "Progressing" (runbook, "Common deploy failures");
a missing pull secret gives ImagePullBackOff. Secrets created out of band
(the runbook's `honeydue-secrets`, the registry pull secret) are declared in
hdgen.yaml, so a typo in a name still fails.

Passes (with `externalReferences: {secrets: [honeydue-secrets]}`):

    envFrom:
    - secretRef: {name: honeydue-secrets}

Fails:

    envFrom:
    - configMapRef: {name: honeydue-confg}

Opt out: annotate the object with `hdgen.io/ignore-HD010: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hdgen.objects.record import Document
from hdgen.finding import Finding, Level
from hdgen.rules._shared.base import RuleContext, declared, finding, get, items, mapping
from hdgen.rules._shared.workloads import containers, pod_spec_path

ID = "HD010"
NAME = "references-resolve"
LEVEL = Level.ERROR

DATA_SECTIONS = ("data", "binaryData", "stringData")


@dataclass(frozen=True)
class Reference:
    kind: str  # ConfigMap or Secret
    name: str
    keys: tuple[str, ...]  # keys the reference needs, where it names them
    path: tuple[str | int, ...]


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    for reference in references(document):
        targets = context.index.find(reference.kind, document.namespace, reference.name)
        if not targets:
            if not _external(reference, document.namespace, context):
                yield finding(
                    ID, LEVEL, document,
                    f"{reference.kind} {reference.name!r} is neither in the validated files nor declared in "
                    f"externalReferences.{_setting(reference.kind)} of hdgen.yaml",
                    *reference.path,
                )
            continue
        for key in reference.keys:
            if not any(_has_key(target, key) for target in targets):
                yield finding(
                    ID, LEVEL, document,
                    f"{reference.kind} {reference.name!r} ({targets[0].file}) has no key {key!r}",
                    *reference.path,
                )


def references(document: Document) -> Iterator[Reference]:
    if document.kind == "Ingress":
        for index, tls in items(document.body, "spec", "tls"):
            yield from _named("Secret", tls.get("secretName"), (), ("spec", "tls", index, "secretName"))
        return
    if document.kind == "ServiceAccount":
        for index, entry in items(document.body, "imagePullSecrets"):
            yield from _named("Secret", entry.get("name"), (), ("imagePullSecrets", index, "name"))
        return
    spec_path = pod_spec_path(document)
    if spec_path is None:
        return
    for container in containers(document):
        for index, source in items(container.body, "envFrom"):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = mapping(source, key)
                if ref and not ref.get("optional"):
                    yield from _named(kind, ref.get("name"), (), (*container.path, "envFrom", index, key, "name"))
        for index, variable in items(container.body, "env"):
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = mapping(variable, "valueFrom", key)
                if ref and not ref.get("optional"):
                    wanted = (ref["key"],) if isinstance(ref.get("key"), str) else ()
                    path = (*container.path, "env", index, "valueFrom", key, "name")
                    yield from _named(kind, ref.get("name"), wanted, path)
    for index, volume in items(document.body, *spec_path, "volumes"):
        base = (*spec_path, "volumes", index)
        yield from _volume_source(mapping(volume, "configMap"), "ConfigMap", "name", (*base, "configMap"))
        yield from _volume_source(mapping(volume, "secret"), "Secret", "secretName", (*base, "secret"))
        for source_index, source in items(volume, "projected", "sources"):
            source_base = (*base, "projected", "sources", source_index)
            yield from _volume_source(mapping(source, "configMap"), "ConfigMap", "name", (*source_base, "configMap"))
            yield from _volume_source(mapping(source, "secret"), "Secret", "name", (*source_base, "secret"))
    for index, entry in items(document.body, *spec_path, "imagePullSecrets"):
        yield from _named("Secret", entry.get("name"), (), (*spec_path, "imagePullSecrets", index, "name"))


def _volume_source(source: dict, kind: str, name_key: str, path: tuple) -> Iterator[Reference]:
    if not source or source.get("optional"):
        return
    wanted = tuple(item["key"] for _, item in items(source, "items") if isinstance(item.get("key"), str))
    yield from _named(kind, source.get(name_key), wanted, (*path, name_key))


def _named(kind: str, name, keys: tuple[str, ...], path: tuple) -> Iterator[Reference]:
    if isinstance(name, str) and name:
        yield Reference(kind=kind, name=name, keys=keys, path=path)


def _external(reference: Reference, namespace: str, context: RuleContext) -> bool:
    external = context.settings.external_references
    names = external.secrets if reference.kind == "Secret" else external.config_maps
    return declared(names, namespace, reference.name)


def _setting(kind: str) -> str:
    return "secrets" if kind == "Secret" else "configMaps"


def _has_key(target: Document, key: str) -> bool:
    sections = [get(target.body, section) for section in DATA_SECTIONS]
    readable = [s for s in sections if isinstance(s, dict)]
    # A Secret without data in the tree is filled elsewhere (sealed, external): its keys are unknown.
    return not readable or any(key in section for section in readable)
