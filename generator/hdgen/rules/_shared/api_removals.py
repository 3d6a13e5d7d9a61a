"""Whether a Kubernetes version serves an apiVersion and kind, and what to use instead.

The records come from api_lifecycle.py, generated from the API server's own
prerelease-lifecycle functions (see api_lifecycle_source.py): for every alpha
and beta type the release that introduced, deprecated and removed it, and the
type that replaces it. The API server stops serving a type at its removed
release. A target version reads the records of the newest pinned module at or
below it (the oldest one for older targets): removals only ever move later in
newer modules, and a type a newer module drops has long been removed.

Served is not the same as on by default (KEP-3136, "beta APIs off by default"):

- an alpha is served only when its feature gate and `--runtime-config` enable it;
- a beta introduced in 1.24 or later likewise (`--runtime-config`), except the
  legacy betas kube-apiserver kept on (LEGACY_BETAS_ON: flowcontrol v1beta3,
  removed in 1.32); betas introduced before 1.24 were on by default. Since 1.32
  no beta is on by default.

Kinds that went without an API replacement get the successor in SUCCESSORS.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hdgen.rules._shared import api_lifecycle

Minor = tuple[int, int]

OFF_BY_DEFAULT_BETAS_SINCE: Minor = (1, 24)  # KEP-3136: betas introduced from here on are off by default
LEGACY_BETAS_ON = frozenset(
    {
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"),
    }
)
SUCCESSORS = {"PodSecurityPolicy": "Pod Security Admission (pod-security.kubernetes.io/* namespace labels)"}


@dataclass(frozen=True)
class Record:
    api_version: str
    kind: str
    introduced: Minor | None
    deprecated: Minor | None
    removed: Minor | None
    replacement: tuple[str, str] | None
    minors: frozenset[str]  # the pinned minors whose modules hold this record

    @property
    def prerelease(self) -> bool:
        return self.removed is not None

    @property
    def stage(self) -> str:
        return "alpha" if "alpha" in self.api_version.rpartition("/")[2] else "beta"

    def served_at(self, target: Minor) -> bool:
        return (self.introduced or (0, 0)) <= target and (self.removed is None or target < self.removed)

    def off_by_default(self) -> bool:
        if self.stage == "alpha":
            return True
        legacy = (self.api_version, self.kind) in LEGACY_BETAS_ON
        return not legacy and (self.introduced or (0, 0)) >= OFF_BY_DEFAULT_BETAS_SINCE


@lru_cache(maxsize=None)
def _records() -> tuple[Record, ...]:
    return tuple(
        Record(api_version, kind, introduced, deprecated, removed, replacement, frozenset(minors.split()))
        for api_version, kind, introduced, deprecated, removed, replacement, minors in api_lifecycle.TYPES
    )


@lru_cache(maxsize=None)
def _api_versions(minor: str) -> frozenset[str]:
    return frozenset(version for version, minors in api_lifecycle.API_VERSIONS if minor in minors.split())


def source_minor(target: Minor) -> str:
    """The pinned minor whose records answer for target: the newest at or below it, else the oldest."""
    pinned = sorted(api_lifecycle.MINORS, key=_parse)
    at_or_below = [minor for minor in pinned if _parse(minor) <= target]
    return at_or_below[-1] if at_or_below else pinned[0]


@lru_cache(maxsize=None)
def _table(minor: str) -> dict[tuple[str, str], Record]:
    return {(r.api_version, r.kind): r for r in _records() if minor in r.minors}


def record_of(api_version: str, kind: str, target: Minor) -> Record | None:
    return _table(source_minor(target)).get((api_version, kind))


def first_served(api_version: str, kind: str) -> Record | None:
    """The record of a type in any pinned module (one that a newer module introduces)."""
    found = [r for r in _records() if (r.api_version, r.kind) == (api_version, kind)]
    return found[-1] if found else None


def is_builtin_group(api_version: str, target: Minor) -> bool:
    group = _group(api_version)
    return any(_group(known) == group for known in _api_versions(source_minor(target)))


def has_package(api_version: str, target: Minor) -> bool:
    return api_version in _api_versions(source_minor(target))


def has_records(api_version: str, target: Minor) -> bool:
    """Whether the apiVersion's package has lifecycle records (some prerelease packages have none)."""
    return any(r.api_version == api_version for r in _table(source_minor(target)).values())


def replacement(api_version: str, kind: str, target: Minor) -> str | None:
    """What to use at target instead: the replacement chain of the records, else the GA version of the
    kind in its group, else in any group, else SUCCESSORS; None when nothing replaces it."""
    table = _table(source_minor(target))
    current, seen = table.get((api_version, kind)), set()
    while current is not None and current.replacement and current.replacement not in seen:
        seen.add(current.replacement)
        current = table.get(current.replacement)
        if current is not None and current.served_at(target):
            return _spell(current, kind)
    for same_group in (True, False):
        for record in table.values():
            if record.kind == kind and not record.prerelease and record.served_at(target):
                if not same_group or _group(record.api_version) == _group(api_version):
                    return _spell(record, kind)
    return SUCCESSORS.get(kind)


def ga_of(api_version: str, kind: str, target: Minor) -> str | None:
    """The GA apiVersion of the kind in its group served at target, if any."""
    for record in _table(source_minor(target)).values():
        if record.kind == kind and _group(record.api_version) == _group(api_version):
            if not record.prerelease and record.served_at(target):
                return record.api_version
    return None


def _spell(record: Record, kind: str) -> str:
    text = record.api_version if record.kind == kind else f"{record.api_version} {record.kind}"
    return f"{text} ({record.stage}, off by default)" if record.prerelease and record.off_by_default() else text


def _group(api_version: str) -> str:
    return api_version.rpartition("/")[0]


def _parse(minor: str) -> Minor:
    major, _, rest = minor.partition(".")
    return int(major), int(rest)


def spell(minor: Minor) -> str:
    return f"{minor[0]}.{minor[1]}"
