"""The plan's stages for migrations and canaries, built on plan.py (docs/operations.md).

plan_env(env, values) is plan.plan_files plus these stages, and plan_agent_env the agent's
objects plus the Flux Kustomization that runs the migrations first. A canary is the app's own
Deployment and Service, from the same templates and the same context (plan.deployment_context,
plan.service_context), with another image, name and track label; so whatever the app's
Deployment carries, its canary carries too.

A migration is a Job in migrations/<app>.yaml, named <app>-migrate-<hash of its pod template>:
a new image (or command) is a new Job, which the agent creates and which therefore runs; the same
image is the same Job, which exists and never runs again. It has no ttlSecondsAfterFinished: a
Job the TTL controller deletes is one the agent sees missing and creates again, a rerun. How it
runs before the app's new pods:

  Argo CD  sync wave -1 (with the ConfigMap, so the migration reads the config of the same commit):
           Argo CD applies wave 0 only once the Job is healthy, that is complete. Not a PreSync
           hook: hooks run again on every sync (argoproj/argo-cd#3837), a config change included.
  Flux     a Kustomization of its own (rendered/ENV/migrations, wait and force, as Flux's
           "Running jobs" guide has it) that the env's Kustomization dependsOn.
  none     listed in kustomization.yaml like any object; nothing orders it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hdgen.patterns import CANARY_OF_ANNOTATION, MIGRATION_OF_ANNOTATION
from hdgen.render.model import CANARY_SUFFIX, MIGRATION_HASH_CHARS, MIGRATION_INFIX, ROUTER_ANNOTATION, App, Values
from hdgen.render.plan import (
    CONFIG_MAP,
    TRACK_LABEL,
    PlannedFile,
    checksum,
    config_checksums,
    deployment_context,
    labels,
    plan_agent_files,
    plan_files,
    planner,
    selector,
    service_context,
)

MIGRATIONS_DIR = "migrations"
ARGOCD_SYNC_WAVE = "argocd.argoproj.io/sync-wave"
# Above the default priority of the Ingress's Traefik routers (the length of their rule), so the
# canary's IngressRoute wins for its hosts while the Ingress keeps the same route as a fallback.
CANARY_ROUTE_PRIORITY = 10_000
MIGRATION_CONTAINER = "migrate"


def plan_env(env: str, values: Values) -> list[PlannedFile]:
    """Every file of the env folder: plan.plan_files, the migrations' Jobs and the canaries' objects."""
    planned = planner(values, env)
    files = plan_files(env, values)
    migrations = migration_files(values, env, planned)
    if migrations and _agent(values) == "argocd":
        files = [_in_wave_before(f) if f.path == f"config/{CONFIG_MAP}.yaml" else f for f in files]
    return files + migrations + canary_files(values, env, planned)


def plan_agent_env(env: str, values: Values, rendered_path: str) -> list[PlannedFile]:
    """The agent's objects; on Flux with migrations, a Kustomization for them that the env's one dependsOn."""
    files = plan_agent_files(env, values, rendered_path)
    if _agent(values) != "flux" or not _migrating(values):
        return files
    main = next(f for f in files if f.template == "gitops/flux-kustomization.yaml.j2")
    name = f"{main.context['name']}-{MIGRATIONS_DIR}"
    deadline = max(app.migration.active_deadline_seconds for app in values.apps.values() if app.migration)
    migrations = dataclasses.replace(
        main,
        path=f"flux-kustomization-{MIGRATIONS_DIR}.yaml",
        context={
            **main.context,
            "name": name,
            "source_name": main.context["name"],
            "path": f"{rendered_path}/{MIGRATIONS_DIR}",
            "timeout_seconds": deadline + 60,  # the Job's own deadline fails it first, with its reason
            "force": True,
        },
    )
    waiting = dataclasses.replace(main, context={**main.context, "depends_on": [{"name": name}]})
    return [waiting if f is main else f for f in files] + [migrations]


def kustomization_resources(values: Values, paths: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """(what rendered/ENV/kustomization.yaml lists, {folder: what its own kustomization.yaml lists}).

    On Flux the migration Jobs are applied by their own Kustomization, so the env's does not list them.
    """
    if _agent(values) != "flux":
        return paths, {}
    prefix = f"{MIGRATIONS_DIR}/"
    separate = [p.removeprefix(prefix) for p in paths if p.startswith(prefix)]
    return [p for p in paths if not p.startswith(prefix)], ({MIGRATIONS_DIR: separate} if separate else {})


def _agent(values: Values) -> str | None:
    return values.gitops.agent if values.gitops is not None else None


def _migrating(values: Values) -> bool:
    return any(app.migration is not None for app in values.apps.values())


def _in_wave_before(config: PlannedFile) -> PlannedFile:
    return dataclasses.replace(config, context={**config.context, "annotations": {ARGOCD_SYNC_WAVE: "-1"}})


# --- migrations -----------------------------------------------------------------------------


def migration_files(values: Values, env: str, planned) -> list[PlannedFile]:
    files = []
    for name, app in sorted(values.apps.items()):
        if app.migration is None:
            continue
        pod = migration_pod(values, env, name, app, planned)
        annotations = {MIGRATION_OF_ANNOTATION: name}
        if _agent(values) == "argocd":
            annotations[ARGOCD_SYNC_WAVE] = "-1"  # before wave 0, which holds every Deployment
        files.append(
            planned(
                f"{MIGRATIONS_DIR}/{name}.yaml",
                "app/migration-job.yaml.j2",
                job_name=migration_job_name(name, pod),
                object_labels=labels(values, env, f"{name}-migrate", "migration"),
                annotations=dict(sorted(annotations.items())),
                migration=app.migration,
                pod_template=pod,
            )
        )
    return files


def migration_job_name(app_name: str, pod_template: dict[str, Any]) -> str:
    """<app>-migrate-<hash>: the pod template is immutable, so each template is a Job of its own."""
    return f"{app_name}{MIGRATION_INFIX}{checksum(pod_template)[:MIGRATION_HASH_CHARS]}"


# What a migration's pod keeps of the app's pod as its Deployment template renders it: what the
# container needs to run as the app runs (image, config and secrets, resources, security context,
# writable volumes, pull secrets, node), and nothing that serves or places replicas (ports,
# probes, lifecycle hooks, spread): a liveness probe would kill a migration that serves no HTTP.
MIGRATION_POD_FIELDS = (
    "automountServiceAccountToken", "serviceAccountName", "nodeSelector", "imagePullSecrets", "securityContext",
    "terminationGracePeriodSeconds", "volumes",
)
MIGRATION_CONTAINER_FIELDS = ("image", "imagePullPolicy", "envFrom", "env", "resources", "securityContext", "volumeMounts")


def migration_pod(values: Values, env: str, name: str, app: App, planned) -> dict[str, Any]:
    """The Job's pod template: the app's pod, rendered by the app's own Deployment template and
    context (so it is hardened as the app is), cut down to MIGRATION_*_FIELDS, running the
    migration's command. The canary's image when there is one: new code's migration runs before
    new code, and promoting the canary (the same image) runs nothing again.

    Its labels name `<app>-migrate`, not the app: the app's selectors (Service, PDB, HPA) must not
    pick the Job's pod (a PDB over a pod whose controller cannot scale blocks node drains).
    """
    from hdgen.render.templating import environment
    from hdgen.yaml.read import load_rendered

    image = app.canary.image if app.canary is not None else app.image
    deployment = planned("", "app/deployment.yaml.j2", **deployment_context(
        values, env, name, app.model_copy(update={"image": image}), {}
    ))
    app_pod = load_rendered(environment().get_template(deployment.template).render(deployment.context))["spec"]["template"]["spec"]
    (app_container,) = app_pod["containers"]
    container = {
        "name": MIGRATION_CONTAINER,
        **{k: app_container[k] for k in MIGRATION_CONTAINER_FIELDS if k in app_container},
        "command": list(app.migration.command),
        **({"args": list(app.migration.args)} if app.migration.args else {}),
    }
    spec = {
        **{k: app_pod[k] for k in MIGRATION_POD_FIELDS if k in app_pod},
        "restartPolicy": "Never",  # a failed run stays failed, with its logs, until a human looks
        "containers": [container],
    }
    return {"metadata": {"labels": labels(values, env, f"{name}-migrate", "migration")}, "spec": spec}


# --- canaries -------------------------------------------------------------------------------


def canary_files(values: Values, env: str, planned) -> list[PlannedFile]:
    """Each canary's Deployment and Service (the app's templates), its TraefikService and IngressRoute."""
    canaries = [(name, app) for name, app in sorted(values.apps.items()) if app.canary is not None]
    config_checksum = config_checksums(dict(sorted(values.config.items()))) if canaries else {}
    files = []
    for name, app in canaries:
        canary = f"{name}{CANARY_SUFFIX}"
        context = canary_deployment_context(values, env, name, app, config_checksum)
        # Argo CD: the split starts once the canary's pods are ready (wave 0 healthy); until then,
        # and on Flux, a canary Service without ready pods may answer 503 for its share.
        routing = {ARGOCD_SYNC_WAVE: "1"} if _agent(values) == "argocd" else {}
        files += [
            planned(f"{name}/canary-deployment.yaml", "app/deployment.yaml.j2", **context),
            planned(f"{name}/canary-service.yaml", "app/service.yaml.j2", **canary_service_context(values, env, name, app)),
            planned(
                f"{name}/canary-traefikservice.yaml",
                "traefik/traefikservice.yaml.j2",
                name=canary,
                object_labels=context["object_labels"],
                annotations=routing,
                services=[
                    {"name": name, "port": app.service_port, "weight": 100 - app.canary.weight},
                    {"name": canary, "port": app.service_port, "weight": app.canary.weight},
                ],
            ),
            planned(
                f"{name}/canary-ingressroute.yaml",
                "traefik/ingressroute.yaml.j2",
                name=canary,
                object_labels=context["object_labels"],
                annotations=routing,
                **ingress_route(values, name),
            ),
        ]
    return files


def _canary_track() -> dict[str, str]:
    return {TRACK_LABEL: "canary"}


def canary_deployment_context(values: Values, env: str, name: str, app: App, config_checksum: dict[str, str]) -> dict[str, Any]:
    """The app's Deployment context with the canary's image and replicas, its name and the canary track.

    Its selector is the app's plus the track, so the app's Deployment (whose selector cannot change)
    still matches the canary's pods: the app's PDB and NetworkPolicies cover them, and the
    ReplicaSets stay apart because each is owned by its own Deployment.
    """
    canary = app.canary
    as_canary = app.model_copy(update={"image": canary.image, "replicas": canary.replicas, "autoscaling": None})
    context = deployment_context(values, env, name, as_canary, config_checksum)
    return {
        **context,
        "deployment_name": f"{name}{CANARY_SUFFIX}",
        "object_labels": {**context["object_labels"], **_canary_track()},
        "deployment_annotations": {**context["deployment_annotations"], CANARY_OF_ANNOTATION: name},
        "match_labels": {**selector(values, env, name), **_canary_track()},
        "pod_labels": {**context["object_labels"], **_canary_track()},
    }


def canary_service_context(values: Values, env: str, name: str, app: App) -> dict[str, Any]:
    context = service_context(values, env, name, app)
    return {
        **context,
        "name": f"{name}{CANARY_SUFFIX}",
        "object_labels": {**context["object_labels"], **_canary_track()},
        "service_selector": {**selector(values, env, name), **_canary_track()},
    }


def ingress_route(values: Values, name: str) -> dict[str, Any]:
    """The IngressRoute's routes, entry points and TLS: the app's routes as the Ingress routes them.

    The rules are the ones Traefik's Ingress provider writes for a Prefix path; the router
    annotations the model lets through (entrypoints, middlewares, tls) are carried over.
    """
    ingress = values.ingress
    option = {k.removeprefix(ROUTER_ANNOTATION): v for k, v in ingress.annotations.items() if k.startswith(ROUTER_ANNOTATION)}
    middlewares = [{"name": m.strip()} for m in option.get("middlewares", "").split(",") if m.strip()]
    routes = [
        {
            "match": f"Host({_quoted(route.host)}) && PathPrefix({_quoted(route.path)})",
            "middlewares": middlewares,
        }
        for route in sorted(ingress.routes, key=lambda r: (r.host, r.path))
        if route.app == name
    ]
    tls: dict[str, Any] | None = None
    if ingress.tls_secret is not None:
        tls = {"secretName": ingress.tls_secret}
    elif option.get("tls", "").lower() == "true":
        tls = {}
    return {
        "class_name": ingress.class_name,
        "entry_points": [e.strip() for e in option.get("entrypoints", "").split(",") if e.strip()],
        "routes": routes,
        "priority": CANARY_ROUTE_PRIORITY,
        "tls": tls,
    }


def _quoted(text: str) -> str:
    """A string in a Traefik rule, quoted as Go's %q quotes it (what the Ingress provider writes)."""
    import json

    return json.dumps(text)
