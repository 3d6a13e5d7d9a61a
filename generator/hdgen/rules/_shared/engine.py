"""Choose the rules for a run and run them over documents.

The order matters only for output, and output is sorted: the same documents
and rules give the same findings in the same order.
"""

from __future__ import annotations

from hdgen.objects.record import Document
from hdgen.errors import InputError
from hdgen.finding import Finding
from hdgen.rules._shared.base import IGNORE_PREFIX, Rule, RuleContext, annotations

# kustomize's own files (kustomization.yaml) are build inputs, not API objects.
BUILD_INPUT_GROUPS = frozenset({"kustomize.config.k8s.io"})


def select_rules(spec: str, settings, registry: dict[str, Rule]) -> list[Rule]:
    """The rules of registry named by --rules: `all` (every rule hdgen.yaml leaves enabled), `none`, or `ID,…`.

    A rule disabled in hdgen.yaml still runs when named explicitly. The registry is
    passed in (hdgen.rules.RULES): the registry imports this module, not the reverse.
    """
    words = [word.strip() for word in spec.split(",") if word.strip()]
    if words == ["all"]:
        return [rule for rule in registry.values() if settings is None or settings.rule(rule.id).enabled]
    if words == ["none"]:
        return []
    if not words:
        raise InputError("--rules: empty: give all, none or rule IDs like HD001,HD004")
    unknown = [word for word in words if word.upper() not in registry]
    if unknown:
        raise InputError(
            f"--rules: unknown rule {', '.join(unknown)} (known: all, none, {', '.join(registry)})"
        )
    chosen = {word.upper() for word in words}
    return [rule for rule_id, rule in registry.items() if rule_id in chosen]


def run_rules(documents: list[Document], rules: list[Rule], context: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for document in documents:
        if document.api_version.partition("/")[0] in BUILD_INPUT_GROUPS:
            continue
        skipped = opted_out(document)
        for rule in rules:
            if rule.id in skipped and rule.can_opt_out:
                continue
            level = context.settings.rule(rule.id).level
            for found in rule.check(document, context):
                findings.append(found if level is None else _with_level(found, level))
    return sorted(findings, key=Finding.sort_key)


def opted_out(document: Document) -> set[str]:
    """Rule IDs this object opts out of with `hdgen.io/ignore-<ID>: "<reason>"`.

    An annotation without a reason opts out of nothing (HD016 reports it).
    """
    skipped = set()
    for key, reason in annotations(document).items():
        if isinstance(key, str) and key.startswith(IGNORE_PREFIX) and isinstance(reason, str) and reason.strip():
            skipped.add(key[len(IGNORE_PREFIX) :])
    return skipped


def _with_level(found: Finding, level) -> Finding:
    return found._replace(level=level)
