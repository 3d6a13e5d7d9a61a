"""An Ingress that asks Traefik for TLS has a certificate for every host it routes.

Applies to an Ingress that asks Traefik to terminate TLS: the annotation
`traefik.ingress.kubernetes.io/router.tls: "true"`, or
`traefik.ingress.kubernetes.io/router.entrypoints` naming `websecure` (the
HTTPS entrypoint of Traefik and k3s). Such an Ingress must have `spec.tls`;
each entry names its `secretName`; and every `spec.rules[].host` is covered
by the hosts of an entry (an entry without hosts covers every host, as the
Ingress spec says). A wildcard covers one label, as in the Ingress spec:
`*.example.com` covers `api.example.com`, not `example.com` nor
`a.b.example.com`. An Ingress passes without any of this when a Traefik
`TLSStore` named `default` with a `spec.defaultCertificate.secretName` is
among the validated files: every host then gets that certificate.

Why: Traefik answers such a route with its own default certificate
(self-signed, "TRAEFIK DEFAULT CERT") when no secret covers the host, so
browsers and API clients refuse the connection, while the Ingress looks
fine to the API server and to kubectl.

Passes:

    metadata:
      annotations: {traefik.ingress.kubernetes.io/router.tls: "true"}
    spec:
      tls:
      - secretName: honeydue-tls
        hosts: [api.myhoneydue.com]
      rules:
      - host: api.myhoneydue.com

Fails (no spec.tls):

    metadata:
      annotations: {traefik.ingress.kubernetes.io/router.tls: "true"}
    spec:
      rules:
      - host: api.staging.myhoneydue.com

Opt out: annotate the Ingress with `hdgen.io/ignore-HD022: "<reason>"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared.base import RuleContext, annotations, finding, get, items

ID = "HD022"
NAME = "ingress-tls"
LEVEL = Level.ERROR

TLS_ANNOTATION = "traefik.ingress.kubernetes.io/router.tls"
ENTRYPOINTS_ANNOTATION = "traefik.ingress.kubernetes.io/router.entrypoints"
SECURE_ENTRYPOINT = "websecure"
DEFAULT_STORE = "default"  # the TLSStore whose defaultCertificate Traefik serves for every host


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if document.kind != "Ingress":
        return
    asked = _asks_for_tls(annotations(document))
    if asked is None or context.index.memo(f"{ID} default TLSStore", lambda: _default_store(context)):
        return
    entries = items(document.body, "spec", "tls")
    if not entries:
        yield finding(
            ID, LEVEL, document,
            f"{asked} asks Traefik for TLS but the Ingress has no spec.tls: Traefik serves its default "
            "certificate; add spec.tls with the secretName and hosts of the certificate",
            "metadata", "annotations", asked,
        )
        return
    hosts: list[str] = []
    every_host = False  # an entry without hosts covers every host
    for index, entry in entries:
        if not isinstance(entry.get("secretName"), str) or not entry["secretName"]:
            yield finding(
                ID, LEVEL, document,
                f"spec.tls[{index}] has no secretName: Traefik serves its default certificate for its hosts",
                "spec", "tls", index,
            )
        listed = entry.get("hosts")
        every_host = every_host or not listed
        hosts += [host for host in listed if isinstance(host, str)] if isinstance(listed, list) else []
    if every_host:
        return
    for index, rule in items(document.body, "spec", "rules"):
        host = rule.get("host")
        if isinstance(host, str) and host and not any(covers(tls_host, host) for tls_host in hosts):
            yield finding(
                ID, LEVEL, document,
                f"host {host} is not among the TLS hosts ({', '.join(hosts)}): Traefik serves it with its "
                "default certificate; add it to spec.tls[].hosts with a secret whose certificate names it",
                "spec", "rules", index, "host",
            )


def covers(tls_host: str, host: str) -> bool:
    """Whether a TLS host covers a rule host: equal, or a wildcard one label deep (`*.a.com`: `b.a.com`)."""
    tls_host, host = tls_host.lower(), host.lower()
    if tls_host == host:
        return True
    if not tls_host.startswith("*.") or host.startswith("*."):
        return False
    label, _, rest = host.partition(".")
    return bool(label) and rest == tls_host[2:]


def _asks_for_tls(found: dict) -> str | None:
    """The annotation by which the Ingress asks Traefik for TLS, if it does."""
    if str(found.get(TLS_ANNOTATION, "")).strip().lower() == "true":
        return TLS_ANNOTATION
    entrypoints = found.get(ENTRYPOINTS_ANNOTATION)
    if isinstance(entrypoints, str) and SECURE_ENTRYPOINT in (e.strip() for e in entrypoints.split(",")):
        return ENTRYPOINTS_ANNOTATION
    return None


def _default_store(context: RuleContext) -> bool:
    return any(
        store.name == DEFAULT_STORE and isinstance(get(store.body, "spec", "defaultCertificate", "secretName"), str)
        for store in context.index.of_kind("TLSStore")
    )
