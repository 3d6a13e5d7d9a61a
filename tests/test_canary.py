"""apps.<name>.canary: a second Deployment on another image, weighted through Traefik (issue 17, item 2)."""

from __future__ import annotations

import json

import pytest

from tests.rollout_values import (
    CANARY_TAG,
    canary_block,
    matches,
    objects,
    one,
    pod_labels,
    render,
    scratch,
    with_canary,
)

TRACK = "app.kubernetes.io/track"


@pytest.fixture
def trees(tmp_path):
    """prod without a canary, and with one on the api at 10%."""
    root = scratch(tmp_path)
    before = render(root, "prod")
    with_canary(root, "prod")
    return before, render(root, "prod")


def paths_that_differ(old, new, path: str = "") -> set[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        return {p for k in old.keys() | new.keys() for p in paths_that_differ(old.get(k), new.get(k), f"{path}.{k}")}
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return {p for i, (o, n) in enumerate(zip(old, new)) for p in paths_that_differ(o, n, f"{path}[{i}]")}
    return set() if old == new else {path}


def test_the_canary_is_the_apps_deployment_with_another_image_name_replicas_and_track(trees) -> None:
    """Rendered from the app's own template and context: whatever the app's Deployment carries, the canary does."""
    _, tree = trees
    app, canary = one(tree, "Deployment", "api"), one(tree, "Deployment", "api-canary")
    assert paths_that_differ(app, canary) == {
        ".metadata.name",
        f".metadata.labels.{TRACK}",
        ".metadata.annotations.hdgen.io/canary-of",
        ".spec.replicas",  # the app's count is its HPA's; the canary's is fixed
        f".spec.selector.matchLabels.{TRACK}",
        f".spec.template.metadata.labels.{TRACK}",
        ".spec.template.spec.containers[0].image",
        ".spec.template.spec.topologySpreadConstraints",  # one pod: nothing to spread (two would, as below)
    }
    assert "topologySpreadConstraints" not in canary["spec"]["template"]["spec"]
    assert canary["spec"]["replicas"] == 1
    assert canary["spec"]["template"]["spec"]["containers"][0]["image"].endswith(f":{CANARY_TAG}")
    assert pod_labels(app)[TRACK] == "stable" and pod_labels(canary)[TRACK] == "canary"
    assert not [h for h in objects(tree, "HorizontalPodAutoscaler") if h["spec"]["scaleTargetRef"]["name"] == "api-canary"]


def test_starting_a_canary_leaves_the_apps_deployment_untouched(trees) -> None:
    """Its selector is immutable, and its pods must not roll: they carry the track label already."""
    before, after = trees
    assert one(after, "Deployment", "api") == one(before, "Deployment", "api")
    for app in ("api", "admin", "web"):  # every app a canary could split
        assert pod_labels(one(before, "Deployment", app))[TRACK] == "stable"
    assert TRACK not in pod_labels(one(before, "Deployment", "worker"))


def test_the_services_split_the_pods_by_track_only_while_a_canary_runs(trees) -> None:
    before, tree = trees
    app, canary = one(tree, "Deployment", "api"), one(tree, "Deployment", "api-canary")
    stable_service, canary_service = one(tree, "Service", "api"), one(tree, "Service", "api-canary")
    assert matches(stable_service["spec"]["selector"], pod_labels(app))
    assert not matches(stable_service["spec"]["selector"], pod_labels(canary))
    assert matches(canary_service["spec"]["selector"], pod_labels(canary))
    assert not matches(canary_service["spec"]["selector"], pod_labels(app))
    assert canary_service["spec"]["ports"] == stable_service["spec"]["ports"]
    # Without a canary the Service selects no track: the first render with the label rolls the pods
    # while the Service still selects the old ones.
    assert TRACK not in one(before, "Service", "api")["spec"]["selector"]


def test_the_apps_pdb_and_network_policy_cover_the_canarys_pods(trees) -> None:
    _, tree = trees
    canary = pod_labels(one(tree, "Deployment", "api-canary"))
    assert matches(one(tree, "PodDisruptionBudget", "api")["spec"]["selector"]["matchLabels"], canary)
    ingress_policy = one(tree, "NetworkPolicy", "allow-ingress-controller")["spec"]["podSelector"]
    (expression,) = ingress_policy["matchExpressions"]
    assert expression["key"] == "app.kubernetes.io/name" and canary[expression["key"]] in expression["values"]
    # The app's Deployment also matches the canary's pods (its selector cannot change); the
    # ReplicaSets stay apart because each Deployment owns its own.
    assert matches(one(tree, "Deployment", "api")["spec"]["selector"]["matchLabels"], canary)


def test_the_traefikservice_weighs_the_two_services(tmp_path) -> None:
    root = scratch(tmp_path)
    with_canary(root, "prod", weight=25, replicas=2)
    tree = render(root, "prod")
    split = one(tree, "TraefikService", "api-canary")
    assert split["apiVersion"] == "traefik.io/v1alpha1"
    assert split["spec"]["weighted"]["services"] == [
        {"name": "api", "port": 80, "weight": 75},
        {"name": "api-canary", "port": 80, "weight": 25},
    ]
    services = {s["metadata"]["name"] for s in objects(tree, "Service")}
    assert {"api", "api-canary"} <= services
    canary = one(tree, "Deployment", "api-canary")
    assert canary["spec"]["replicas"] == 2
    spread = one(tree, "Deployment", "api")["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert canary["spec"]["template"]["spec"]["topologySpreadConstraints"] == spread  # the app's hardening


def test_the_ingressroute_takes_the_apps_routes_above_the_ingress_which_stays_as_the_fallback(trees) -> None:
    before, tree = trees
    route = one(tree, "IngressRoute", "api-canary")["spec"]
    assert route["ingressClassName"] == "traefik"
    assert route["entryPoints"] == ["websecure"]  # the Ingress's router.entrypoints annotation
    assert route["tls"] == {"secretName": "honeydue-tls"}
    (rule,) = route["routes"]
    # The rule Traefik's Ingress provider writes for the same Prefix path (Go's %q quoting).
    ingress_rule = f"Host({json.dumps('api.myhoneydue.com')}) && PathPrefix({json.dumps('/')})"
    assert rule["match"] == ingress_rule
    assert rule["priority"] > len(ingress_rule)  # the Ingress router's default priority is its rule's length
    assert rule["services"] == [{"kind": "TraefikService", "name": "api-canary"}]
    assert one(tree, "Ingress", "honeydue") == one(before, "Ingress", "honeydue")


def test_argocd_starts_the_split_in_the_wave_after_the_canarys_pods(trees) -> None:
    _, tree = trees
    wave = "argocd.argoproj.io/sync-wave"
    for kind in ("TraefikService", "IngressRoute"):
        assert one(tree, kind, "api-canary")["metadata"]["annotations"] == {wave: "1"}
    assert wave not in one(tree, "Deployment", "api-canary")["metadata"]["annotations"]


def test_flux_applies_the_canary_with_everything_else(tmp_path) -> None:
    root = scratch(tmp_path)
    with_canary(root, "staging")
    tree = render(root, "staging")
    assert "annotations" not in one(tree, "TraefikService", "api-canary")["metadata"]
    assert one(tree, "Deployment", "api-canary")["spec"]["replicas"] == 1


def test_router_middlewares_and_tls_are_carried_over_and_other_router_options_refused(tmp_path) -> None:
    from hdgen.errors import InputError
    from tests.rollout_values import replace

    root = scratch(tmp_path)
    with_canary(root, "prod")
    replace(
        root, "prod", "ingress:\n  tlsSecret: honeydue-tls\n",
        "ingress:\n  tlsSecret: honeydue-tls\n  annotations:\n"
        "    traefik.ingress.kubernetes.io/router.middlewares: honeydue-security-headers@kubernetescrd\n",
    )
    route = one(render(root, "prod"), "IngressRoute", "api-canary")["spec"]
    assert route["routes"][0]["middlewares"] == [{"name": "honeydue-security-headers@kubernetescrd"}]
    replace(root, "prod", "router.middlewares: honeydue", "router.priority: \"5\"\n    x.example/other: honeydue")
    with pytest.raises(InputError, match=r"ingress\.annotations\.traefik\.ingress\.kubernetes\.io/router\.priority: has no "
                       "IngressRoute equivalent"):
        render(root, "prod")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (canary_block(weight=0), r"apps\.api\.canary\.weight: 0 sends the canary no traffic"),
        (canary_block(weight=100), r"apps\.api\.canary\.weight: 100 sends all traffic to the canary"),
        (canary_block(weight=-5), r"apps\.api\.canary\.weight: -5 is not a percentage of 1\.\.99"),
        (canary_block(tag="d3708e6"), r"apps\.api\.canary\.image: is the app's own image"),
        (canary_block(tag="latest"), r"apps\.api\.canary\.image\.tag: latest is mutable"),
    ],
)
def test_a_canary_the_model_refuses(tmp_path, block: str, message: str) -> None:
    from hdgen.errors import InputError
    from tests.rollout_values import add_to_app

    root = scratch(tmp_path)
    add_to_app(root, "prod", "api", block)
    with pytest.raises(InputError, match=message):
        render(root, "prod")


def test_a_canary_needs_a_service_and_a_route(tmp_path) -> None:
    from hdgen.errors import InputError
    from tests.rollout_values import replace

    root = scratch(tmp_path)
    with_canary(root, "prod", app="worker")
    with pytest.raises(InputError, match=r"apps\.worker\.canary: needs a Service \(servicePort\) and a route"):
        render(root, "prod")
    root = scratch(tmp_path / "unrouted")
    with_canary(root, "prod", app="admin")
    replace(root, "prod", "    - {host: admin.myhoneydue.com, app: admin}\n", "")
    with pytest.raises(InputError, match=r"apps\.admin\.canary: app 'admin' has no route in ingress\.routes"):
        render(root, "prod")
