"""The rule engine: selection, registry, opt-out annotations, level overrides, determinism."""

from __future__ import annotations

import types

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from hdgen.objects.record import Document
from hdgen.errors import InputError
from hdgen.finding import Level
from hdgen.rules import RULES, build_registry, hd001_rolling_update, make_context, run_rules, select_rules
from hdgen.settings import Settings
from tests.rule_documents import documents_from_text

RECREATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: honeydue
  annotations: {ANNOTATIONS}
spec:
  strategy: {{type: Recreate}}
"""


def _findings(text: str, spec: str = "all", settings: Settings | None = None):
    documents = documents_from_text(text)
    context = make_context(documents, settings=settings)
    return run_rules(documents, select_rules(spec, settings), context)


def test_select_all_is_every_rule_in_id_order():
    assert [rule.id for rule in select_rules("all")] == sorted(RULES) == list(RULES)
    assert len(RULES) >= 16


def test_select_none_is_empty():
    assert select_rules("none") == []


def test_select_list_keeps_registry_order_and_ignores_case_and_spaces():
    assert [rule.id for rule in select_rules("HD004, hd001")] == ["HD001", "HD004"]


@pytest.mark.parametrize("spec", ["HD001,HD999", "HD1", "everything", ",", "all,HD001"])
def test_select_unknown_or_empty_is_an_input_error_naming_the_known_ids(spec):
    with pytest.raises(InputError) as error:
        select_rules(spec)
    assert "--rules" in error.value.message
    if spec.strip(","):
        assert "HD001" in error.value.message and "HD016" in error.value.message


def test_disabled_rule_is_left_out_of_all_but_runs_when_named():
    settings = Settings.from_data({"rules": {"HD001": {"enabled": False}}})
    assert "HD001" not in [rule.id for rule in select_rules("all", settings)]
    assert [rule.id for rule in select_rules("HD001", settings)] == ["HD001"]


def test_duplicate_rule_id_is_refused():
    twin = types.ModuleType("hdgen.rules.twin")
    twin.__doc__ = "Twin."
    twin.ID, twin.NAME, twin.LEVEL, twin.check = "HD001", "twin", Level.ERROR, hd001_rolling_update.check
    with pytest.raises(ValueError, match="duplicate policy rule ID HD001"):
        build_registry([hd001_rolling_update, twin])


def test_opt_out_with_reason_skips_only_that_rule():
    text = RECREATE.format(ANNOTATIONS='{hdgen.io/ignore-HD001: "single replica dev tool, downtime is fine"}')
    rules = [f.rule for f in _findings(text)]
    assert "HD001" not in rules
    assert "HD016" not in rules
    assert "HD012" in rules  # other rules still run on the object


def test_opt_out_without_reason_skips_nothing_and_is_reported():
    text = RECREATE.format(ANNOTATIONS='{hdgen.io/ignore-HD001: ""}')
    findings = _findings(text, "HD001,HD016")
    assert [(f.rule, f.line) for f in findings] == [("HD016", 6), ("HD001", 8)]


def test_the_opt_out_check_cannot_be_opted_out_of():
    text = RECREATE.format(ANNOTATIONS='{hdgen.io/ignore-HD016: "quiet", hdgen.io/ignore-HD01: "typo"}')
    assert {f.rule for f in _findings(text, "HD016")} == {"HD016"}


def test_configured_level_replaces_the_default():
    text = RECREATE.format(ANNOTATIONS="{}")
    settings = Settings.from_data({"rules": {"HD001": {"level": "warning"}}})
    [found] = _findings(text, "HD001", settings)
    assert found.level is Level.WARNING
    [found] = _findings(text, "HD001")
    assert found.level is Level.ERROR


def test_findings_carry_the_object_and_are_sorted():
    text = RECREATE.format(ANNOTATIONS="{}") + "---\n" + RECREATE.format(ANNOTATIONS="{}").replace("name: api", "name: web")
    findings = _findings(text)
    assert findings == sorted(findings, key=lambda f: f.sort_key())
    recreate = [f for f in findings if f.rule == "HD001"]
    assert [(f.file, f.line, f.kind, f.name, f.namespace, f.api_version) for f in recreate] == [
        ("case.yaml", 8, "Deployment", "api", "honeydue", "apps/v1"),
        ("case.yaml", 17, "Deployment", "web", "honeydue", "apps/v1"),
    ]
    documents = documents_from_text(text)
    reversed_run = run_rules(list(reversed(documents)), list(reversed(select_rules("all"))), make_context(documents))
    assert reversed_run == findings


def test_kustomization_files_are_not_checked():
    text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n"
    assert _findings(text) == []


@pytest.mark.parametrize("version", ["1.33", "latest", "1.x.0"])
def test_bad_kubernetes_version_is_an_input_error(version):
    with pytest.raises(InputError, match="MAJOR.MINOR.PATCH"):
        make_context([], kubernetes_version=version)


def test_kubernetes_version_comes_from_settings_unless_given():
    settings = Settings.from_data({"validate": {"kubernetesVersion": "1.24.0"}})
    assert make_context([], settings=settings).kubernetes_version == "1.24.0"
    assert make_context([], settings=settings, kubernetes_version="v1.31.0").kubernetes_version == "1.31.0"
    assert make_context([]).kubernetes_version == "1.33.0"


# Any shape YAML can hold, under the keys rules read: rules must never crash on it.
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 700), st.text(max_size=8), st.sampled_from(
    ["latest", "25%", "0%", "Always", "RollingUpdate", "Recreate", "redis:7", "api", "amd64", "In", "Exists"]
))
_keys = st.sampled_from(
    ["spec", "template", "jobTemplate", "containers", "initContainers", "image", "imagePullPolicy", "ports",
     "env", "envFrom", "valueFrom", "secretKeyRef", "configMapRef", "name", "key", "value", "volumes",
     "projected", "sources", "secret", "configMap", "items", "resources", "requests", "limits", "strategy",
     "rollingUpdate", "maxSurge", "maxUnavailable", "replicas", "selector", "matchLabels", "matchExpressions",
     "minAvailable", "scaleTargetRef", "kind", "minReplicas", "nodeSelector", "affinity", "metadata", "labels",
     "annotations", "readinessProbe", "livenessProbe", "startupProbe", "tls", "secretName", "data",
     "imagePullSecrets", "hdgen.io/ignore-HD001", "hdgen.io/cold-boot-seconds", "periodSeconds"]
)
_trees = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=4), max_leaves=25)
_kinds = st.sampled_from(
    ["Deployment", "StatefulSet", "CronJob", "Pod", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap",
     "Ingress", "ServiceAccount", "CustomResourceDefinition", "Service", ""]
)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(st.tuples(_kinds, _trees, _trees), min_size=1, max_size=4))
def test_rules_never_crash_on_odd_shapes(bodies):
    documents = [
        Document(file="fuzz.yaml", line=1, body={"apiVersion": "apps/v1", "kind": kind, "metadata": metadata, "spec": spec})
        for kind, metadata, spec in bodies
    ]
    for found in run_rules(documents, select_rules("all"), make_context(documents, env="prod")):
        assert found.rule in RULES and found.line >= 1


def test_api_removal_table_pins_the_known_removals():
    from hdgen.rules._shared.api_removals import record_of, replacement

    at = (1, 33)
    assert record_of("policy/v1beta1", "PodDisruptionBudget", at).removed == (1, 25)
    assert record_of("autoscaling/v2beta2", "HorizontalPodAutoscaler", at).removed == (1, 26)
    assert record_of("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", at).removed == (1, 29)
    assert record_of("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", at).removed == (1, 32)
    assert not record_of("policy/v1", "PodDisruptionBudget", at).prerelease
    assert record_of("storage.k8s.io/v1beta1", "VolumeAttributesClass", at).removed == (1, 37)
    assert replacement("extensions/v1beta1", "NetworkPolicy", at) == "networking.k8s.io/v1"
