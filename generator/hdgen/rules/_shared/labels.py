"""Label selectors: does a selector (matchLabels + matchExpressions) select these labels?"""

from __future__ import annotations


def selector_matches(selector: dict, labels: dict) -> bool:
    """The Kubernetes semantics; an empty selector matches nothing here (a PDB with {} selects
    every pod, which no single workload decides), and an unreadable selector matches nothing."""
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return False
    if not match_labels and not expressions:
        return False
    if any(labels.get(key) != value for key, value in match_labels.items()):
        return False
    return all(_expression_matches(expression, labels) for expression in expressions)


def _expression_matches(expression, labels: dict) -> bool:
    if not isinstance(expression, dict):
        return False
    key, operator = expression.get("key"), expression.get("operator")
    values = expression.get("values") or []
    if not isinstance(values, list) or not isinstance(key, str):
        return False
    if operator == "In":
        return key in labels and labels[key] in values
    if operator == "NotIn":
        return key not in labels or labels[key] not in values
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return False
