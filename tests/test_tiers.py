"""The fast tier's selection (tests/tiers.py) stays honest as tests change."""

from __future__ import annotations

import importlib
import re

from tests import tiers
from tests.conftest import run_hdgen


def _runs_the_cli() -> None:
    run_hdgen("--help")


def _calls_a_helper_that_runs_the_cli() -> None:
    _runs_the_cli()


def _in_process() -> int:
    return sum(range(3))


# In a table, so the tests below do not name the helpers (which would make them slow themselves).
SAMPLES = {
    "through a helper": (_calls_a_helper_that_runs_the_cli, True),
    "in a lambda": (lambda: [_runs_the_cli() for _ in ()], True),
    "in-process": (_in_process, False),
}


def test_what_reaches_run_hdgen_through_helpers_or_lambdas_is_slow_and_nothing_else() -> None:
    for name, (function, slow) in SAMPLES.items():
        assert tiers._uses(function, tiers.RUNS_A_PROGRAM, set()) is slow, name


def test_every_smoke_test_exists() -> None:
    """A renamed smoke test would silently leave the fast tier: name it here again."""
    for node in tiers.SMOKE_TESTS:
        path, name = node.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, re.sub(r"\[.*\]$", "", name), None)), node
