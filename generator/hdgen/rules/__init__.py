"""hdgen's policy rules: one module per rule, and the registry that names them.

The stages of a run, in order:
  select   --rules all|none|ID,… and hdgen.yaml -> the Rules to run (_shared/engine.py)
  context  settings, env, Kubernetes version, rule IDs and an index of the documents (_shared/base.py)
  check    each rule's check(document, context) on each document, opt-outs honoured (_shared/engine.py)
The one entry point is run_rules(documents, select_rules(spec, settings), make_context(documents, ...)),
called by the validate pipeline (hdgen.validate.pipeline).

Public interface (used by `hdgen validate` and `hdgen rules`):
  RULES                 rule ID -> Rule, in ID order
  select_rules(spec)    --rules all|none|ID,… -> list of Rules
  make_context(docs,…)  the RuleContext: settings, env, Kubernetes version, document index
  run_rules(docs, rules, context) -> sorted list of Findings

The registry is passed to the engine and to the rules (RuleContext.rule_ids), never
imported back by them: the rule modules and their helpers import nothing of this file.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from hdgen.rules._shared import base, engine
from hdgen.rules._shared.base import Rule, RuleContext
from hdgen.rules._shared.engine import run_rules

# The registry, explicit on purpose: a rule exists when it is listed here.
RULE_MODULES = (
    "hd001_rolling_update",
    "hd002_probes",
    "hd003_startup_budget",
    "hd004_pull_policy",
    "hd005_strict_env_tags",
    "hd006_resources",
    "hd007_hpa_target",
    "hd008_pdb_hpa",
    "hd009_literal_secrets",
    "hd010_references",
    "hd011_namespace",
    "hd012_recommended_labels",
    "hd013_node_arch",
    "hd014_allowed_registries",
    "hd015_api_versions",
    "hd016_ignore_reason",
    "hd017_pod_security_restricted",
    "hd018_prestop_drain",
    "hd019_spread",
    "hd020_pdb_unhealthy_eviction",
    "hd021_statefulset_service",
    "hd022_ingress_tls",
)


def build_registry(modules: list[ModuleType]) -> dict[str, Rule]:
    """Rule ID -> Rule, sorted by ID. Two modules with one ID are a bug: refuse to start."""
    registry: dict[str, Rule] = {}
    for module in modules:
        rule = Rule.from_module(module)
        if rule.id in registry:
            raise ValueError(f"duplicate policy rule ID {rule.id} ({module.__name__})")
        registry[rule.id] = rule
    return dict(sorted(registry.items()))


RULES: dict[str, Rule] = build_registry([import_module(f"hdgen.rules.{name}") for name in RULE_MODULES])



def select_rules(spec: str, settings=None) -> list[Rule]:
    """The rules of RULES named by --rules (see engine.select_rules)."""
    return engine.select_rules(spec, settings, RULES)


def make_context(documents, **options) -> RuleContext:
    """A RuleContext over documents (see base.make_context) that knows every rule ID of RULES."""
    options.setdefault("rule_ids", tuple(RULES))
    return base.make_context(documents, **options)


__all__ = ["RULES", "Rule", "RuleContext", "build_registry", "make_context", "run_rules", "select_rules"]
