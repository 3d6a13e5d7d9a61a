"""The comparison of hdgen diff's predictions with the controllers' actions, on made-up inputs (no cluster).

The rollout tests only ever see it agree; these show it maps each impact as
documented, reads each kind of observed change, and names every disagreement.
"""

from __future__ import annotations

from typing import Any

from hdgen.objects.record import Document
from tests.e2e.actions import Action, Snapshot, agreement, expected_actions, mismatches, observed_actions

DEPLOY = ("apps/v1", "Deployment", "honeydue", "api")
WEB = ("apps/v1", "Deployment", "honeydue", "web")
WORKER = ("apps/v1", "Deployment", "honeydue", "worker")
HPA = ("autoscaling/v2", "HorizontalPodAutoscaler", "honeydue", "api")
CONFIG = ("v1", "ConfigMap", "honeydue", "app")
CRON = ("batch/v1", "CronJob", "honeydue", "nightly")
APP = ("argoproj.io/v1alpha1", "Application", "argocd", "honeydue")


def document(object_key: tuple[str, str, str, str], spec: dict[str, Any] | None = None) -> Document:
    api_version, kind, namespace, name = object_key
    body = {"apiVersion": api_version, "kind": kind, "metadata": {"name": name, "namespace": namespace}}
    return Document(f"{kind}-{name}.yaml", 1, {**body, **({"spec": spec} if spec else {})})


def resource(object_key, impact: str, fields: list[dict] | None = None, folder: str = "rendered/prod") -> dict:
    api_version, kind, namespace, name = object_key
    return {
        "apiVersion": api_version, "kind": kind, "namespace": namespace, "name": name, "folder": folder,
        "impact": impact, "impactDetail": f"{impact} detail", "fields": fields or [],
    }


def hpa_spec(minimum: int, maximum: int = 6) -> dict:
    return {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
            "minReplicas": minimum, "maxReplicas": maximum}


def test_each_impact_maps_to_its_action_and_an_unlisted_object_is_unchanged() -> None:
    tree = [document(k) for k in (DEPLOY, WEB, CONFIG, CRON)]
    review = {"resources": [
        resource(DEPLOY, "rolls-pods"), resource(CONFIG, "config-rolls"), resource(CRON, "rolls-pods"),
        resource(APP, "agent-source", folder="rendered/_gitops/prod"),
    ]}
    got = {k: a.action for k, a in expected_actions(review, tree, tree).items()}
    assert got == {DEPLOY: "rolls", WEB: "unchanged", CONFIG: "changes", CRON: "changes"}
    with_agent = expected_actions(review, tree, tree, agent_objects=True)
    assert with_agent[APP].action == "changes"


def test_a_raised_hpa_minimum_scales_its_target_and_a_lowered_one_does_not() -> None:
    before = [document(DEPLOY), document(HPA, hpa_spec(3))]
    raised = {"resources": [resource(HPA, "scales", [{"path": "spec.minReplicas", "old": 3, "new": 4}])]}
    got = expected_actions(raised, before, [document(DEPLOY), document(HPA, hpa_spec(4))])
    assert (got[HPA].action, got[DEPLOY].action) == ("changes", "scales")
    lowered = {"resources": [resource(HPA, "scales", [{"path": "spec.minReplicas", "old": 3, "new": 2}])]}
    got = expected_actions(lowered, before, [document(DEPLOY), document(HPA, hpa_spec(2))])
    assert got[DEPLOY].action == "unchanged", "with no metrics the HPA holds 3, inside 2..6"


def stored(kind: str, name: str, spec: dict | None = None, **metadata: Any) -> dict:
    return {"kind": kind, "metadata": {"name": name, "namespace": "honeydue", **metadata}, "spec": spec or {}}


def test_each_observed_change_is_read_from_two_snapshots() -> None:
    gone = ("v1", "Service", "honeydue", "gone")
    new = ("v1", "Service", "honeydue", "new")
    before = Snapshot(
        {
            DEPLOY: stored("Deployment", "api", {"replicas": 3}),
            WEB: stored("Deployment", "web", {"replicas": 2}),
            WORKER: stored("Deployment", "worker", {"replicas": 1}, annotations={"deployment.kubernetes.io/revision": "1"}),
            CONFIG: {**stored("ConfigMap", "app"), "data": {"A": "1"}},
            gone: stored("Service", "gone"),
            HPA: {**stored("HorizontalPodAutoscaler", "api", hpa_spec(3)), "status": {"currentReplicas": 3}},
        },
        {DEPLOY: ("api-1", frozenset({"api-1", "api-0"})), WEB: ("web-1", frozenset({"web-1"})),
         WORKER: ("worker-1", frozenset({"worker-1"}))},
    )
    after = Snapshot(
        {
            DEPLOY: stored("Deployment", "api", {"replicas": 3}),
            WEB: stored("Deployment", "web", {"replicas": 4}),
            WORKER: stored("Deployment", "worker", {"replicas": 1}, annotations={"deployment.kubernetes.io/revision": "2"}),
            CONFIG: {**stored("ConfigMap", "app"), "data": {"A": "2"}},
            new: stored("Service", "new"),
            HPA: {**stored("HorizontalPodAutoscaler", "api", hpa_spec(3)), "status": {"currentReplicas": 4}},
        },
        {DEPLOY: ("api-0", frozenset({"api-1", "api-0"})), WEB: ("web-1", frozenset({"web-1"})),
         WORKER: ("worker-1", frozenset({"worker-1"}))},
    )
    got = observed_actions(before, after, refused=[("v1", "Service", "honeydue", "stuck")])
    assert {(k[1], k[3]): a.action for k, a in got.items()} == {
        ("Deployment", "api"): "rolls",  # an earlier ReplicaSet serves again
        ("Deployment", "web"): "scales",
        ("Deployment", "worker"): "unchanged",  # the revision annotation is the controller's, not a change
        ("ConfigMap", "app"): "changes",
        ("Service", "gone"): "pruned",
        ("Service", "new"): "created",
        ("Service", "stuck"): "refused",
        ("HorizontalPodAutoscaler", "api"): "unchanged",  # only its status moved, and status is the controller's
    }
    assert "an earlier one, back" in got[DEPLOY].because


def test_every_disagreement_is_one_line_naming_the_object_and_both_sides() -> None:
    expected = {DEPLOY: Action("rolls", "rolls-pods: rolls 3 pods"), WEB: Action("unchanged", "not in hdgen diff")}
    observed = {DEPLOY: Action("rolls", "ReplicaSet a -> b"), WEB: Action("rolls", "ReplicaSet c -> d (a new one)")}
    assert mismatches(expected, expected) == [] and agreement(expected, expected) == ""
    assert mismatches(expected, observed) == [
        "Deployment honeydue/web: hdgen diff predicted unchanged (not in hdgen diff); "
        "the cluster did rolls (ReplicaSet c -> d (a new one))"
    ]
    message = agreement(expected, observed)
    assert message.startswith("1 object(s) where hdgen diff and the controllers disagree:")
    assert "Deployment honeydue/api: predicted rolls" in message, "the whole table follows, for context"
