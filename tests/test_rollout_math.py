"""HD001's rollout arithmetic is the Deployment controller's (deployment/util.ResolveFenceposts)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hdgen.rules.hd001_rolling_update import _fails, resolve

_values = st.one_of(st.integers(0, 20), st.integers(0, 100).map(lambda p: f"{p}%"))


def test_percentages_round_surge_up_and_unavailable_down():
    assert (resolve("25%", "25%", 3).surge, resolve("25%", "25%", 3).unavailable) == (1, 0)
    assert (resolve("25%", "25%", 8).surge, resolve("25%", "25%", 8).unavailable) == (2, 2)
    assert (resolve("30%", "10%", 10).surge, resolve("30%", "10%", 10).unavailable) == (3, 1)


def test_both_zero_makes_unavailable_one():
    rollout = resolve(0, "10%", 5)
    assert (rollout.surge, rollout.unavailable, rollout.bumped) == (0, 1, True)
    assert not resolve(1, 0, 5).bumped


def test_not_a_number_or_percentage_resolves_to_nothing():
    assert resolve("one", 0, 3) is None and resolve(1, "5", 3) is None and resolve(-1, 0, 3) is None


@given(_values, _values, st.integers(1, 400), st.integers(1, 400))
def test_failing_only_grows_with_the_replica_count(surge, unavailable, a, b):
    """What lets HD001 check an HPA's range by bisection."""
    low, high = sorted((a, b))
    assert _fails(resolve(surge, unavailable, low)) <= _fails(resolve(surge, unavailable, high))
