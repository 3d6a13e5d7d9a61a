"""Kubernetes quantities as numbers, and byte sizes spelled the way Redis and vmagent read them.

The model compares sizes (Redis' maxmemory under its memory limit, vmagent's
disk cap under its buffer's sizeLimit); the plan turns a size into the flag
value each program parses. Only what values/ can hold is read: the QUANTITY
pattern of the model (`256Mi`, `1Gi`, `500m`, `1e3` is not one).
"""

from __future__ import annotations

import re
from fractions import Fraction

_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|[KMGTPE]i|[kMGTPE])?$")
_BINARY = {f"{p}i": 1024 ** n for n, p in enumerate("KMGTPE", 1)}
_DECIMAL = {"m": Fraction(1, 1000), "k": 1000, **{p: 1000 ** n for n, p in enumerate("MGTPE", 2)}}
MIB = 1024 * 1024
GIB = 1024 * MIB


def value(quantity: str) -> Fraction:
    """`256Mi` -> 268435456, `500m` -> 1/2; ValueError for text that is no quantity."""
    match = _QUANTITY.match(quantity)
    if match is None:
        raise ValueError(f"{quantity!r} is not a quantity")
    number, suffix = match.groups()
    return Fraction(number) * _BINARY.get(suffix or "", _DECIMAL.get(suffix or "", 1))


def redis_bytes(size: int) -> str:
    """A byte count for redis-server's command line: `192mb`, `1gb` (Redis' mb is 1024², its m is 1000²)."""
    return _whole(size, ("gb", "mb"))


def vmagent_bytes(size: int) -> str:
    """A byte count for a VictoriaMetrics size flag: `768MiB`, `2GiB`."""
    return _whole(size, ("GiB", "MiB"))


def _whole(size: int, suffixes: tuple[str, str]) -> str:
    """The largest of GiB, MiB that divides size, in the program's own spelling; else plain bytes."""
    for unit, suffix in zip((GIB, MIB), suffixes):
        if size and size % unit == 0:
            return f"{size // unit}{suffix}"
    return str(size)
