"""Marks that follow the code: `slow` on tests that run programs (`make test-fast` leaves
them out), `golden` on tests that compare with tests/golden (`make golden` reruns them).

A test is slow when it, one of its fixtures, or a helper function of the test
modules that it calls (followed through calls, nested functions and lambdas)
uses run_hdgen or the subprocess module, or when it takes the `project`
fixture (a scratch copy of the project, there to run the CLI on). Everything
else runs in-process, and the fast tier runs all of it, plus the CLI smoke
tests below. The marks follow the code, so a new test lands in the right tier
without a decorator.
"""

from __future__ import annotations

import types
from collections.abc import Iterable

import pytest

# Names whose use means "runs another program".
RUNS_A_PROGRAM = frozenset({"run_hdgen", "subprocess"})
COMPARES_WITH_A_GOLDEN = frozenset({"assert_golden"})
SCRATCH_PROJECT_FIXTURE = "project"

# CLI tests the fast tier keeps, one per command users run most, each a few seconds.
SMOKE_TESTS = (
    "tests/test_render.py::test_committed_rendered_tree_is_fresh",
    "tests/test_validate.py::test_committed_tree_is_valid",
    "tests/test_validate.py::test_each_format_is_pinned_and_exits_1[text]",
    "tests/test_rules_cli.py::test_rules_lists_every_rule_with_the_projects_levels",
)


def mark_tests(items: Iterable[pytest.Item]) -> None:
    """`slow` on every test that runs a program, except the smoke tests; `golden` on every
    test that compares with a golden file."""
    for item in items:
        if item.nodeid not in SMOKE_TESTS and runs_a_program(item):
            item.add_marker(pytest.mark.slow)
        if isinstance(item, pytest.Function) and _any_uses(item, COMPARES_WITH_A_GOLDEN):
            item.add_marker(pytest.mark.golden)


def runs_a_program(item: pytest.Item) -> bool:
    if not isinstance(item, pytest.Function):
        return True  # not a plain test function: no way to tell, so not in the fast tier
    return SCRATCH_PROJECT_FIXTURE in item.fixturenames or _any_uses(item, RUNS_A_PROGRAM)


def _any_uses(item: pytest.Function, names: frozenset[str]) -> bool:
    """Whether the test or one of its fixtures names one of names (see _uses)."""
    functions = [item.obj]
    for name in item.fixturenames:
        for definition in item._fixtureinfo.name2fixturedefs.get(name, ()):
            functions.append(definition.func)
    return any(_uses(function, names, set()) for function in functions)


def _uses(function, names: frozenset[str], seen: set) -> bool:
    """Whether function, or a test-suite function it names, names one of names."""
    inner = getattr(getattr(function, "hypothesis", None), "inner_test", None)  # under @given
    function = inner or getattr(function, "__wrapped__", function)  # or functools.wraps
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    return _code_uses(code, getattr(function, "__globals__", {}), names, seen)


def _code_uses(code: types.CodeType, scope: dict, names: frozenset[str], seen: set) -> bool:
    for name in code.co_names:
        if name in names:
            return True
        found = scope.get(name)
        if isinstance(found, types.FunctionType) and _in_test_suite(found) and _uses(found, names, seen):
            return True
    return any(isinstance(const, types.CodeType) and _code_uses(const, scope, names, seen) for const in code.co_consts)


def _in_test_suite(function: types.FunctionType) -> bool:
    # hdgen's own code runs kubeconform and git in subprocesses; that is what an in-process test tests.
    return (function.__module__ or "").split(".")[0] == "tests"
