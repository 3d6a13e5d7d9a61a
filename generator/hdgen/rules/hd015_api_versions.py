"""No apiVersion that the target Kubernetes version does not serve, or serves only when enabled.

Looks up each object's apiVersion and kind in the API server's own lifecycle
records (the `zz_generated.prerelease-lifecycle.go` files of k8s.io/api,
k8s.io/apiextensions-apiserver and k8s.io/kube-aggregator for each pinned
version, generated into `rules/_shared/api_lifecycle.py` by `make
api-lifecycle`). Against the target version (`--kubernetes-version`, else
`validate.kubernetesVersion` in hdgen.yaml, default 1.33.0):

- removed at or before the target: error, "removed in 1.X: use <the
  replacement for this kind>" (extensions/v1beta1 Deployment -> apps/v1,
  Ingress and NetworkPolicy -> networking.k8s.io/v1, PodSecurityPolicy -> Pod
  Security Admission);
- introduced after the target, or an alpha/beta version of a built-in group
  that the target's API no longer has at all (`batch/v2alpha1`,
  `policy/v1beta1` PodSecurityPolicy): error;
- served but off by default (every alpha; every beta introduced since 1.24,
  KEP-3136): warning that the API server does not serve it unless
  `--runtime-config` (and the feature gate) enable it, with the GA version to
  use when the target has one (ValidatingAdmissionPolicy v1beta1 at 1.33: use
  admissionregistration.k8s.io/v1; MutatingAdmissionPolicy v1beta1 at 1.34 has
  none yet);
- served by default but deprecated at the next minor, or removed in it:
  warning, so the upgrade does not break the deploy.

Custom resources (groups that are not built in) are not checked. A level set
in hdgen.yaml applies to every kind of finding.

Why: an apply that fails after a cluster upgrade, or on a cluster that does not
enable a beta, leaves the GitOps agent stuck with half the tree applied; the
migration is cheap before.

Passes:

    apiVersion: policy/v1
    kind: PodDisruptionBudget

Fails (at 1.33.0):

    apiVersion: policy/v1beta1
    kind: PodDisruptionBudget

Opt out: annotate the object with `hdgen.io/ignore-HD015: "<reason>"`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hdgen.finding import Finding, Level
from hdgen.objects.record import Document
from hdgen.rules._shared import api_removals as api
from hdgen.rules._shared.base import RuleContext, finding

ID = "HD015"
NAME = "served-api-versions"
LEVEL = Level.ERROR

PRERELEASE = re.compile(r"^v[0-9]+(alpha|beta)[0-9]+$")


def check(document: Document, context: RuleContext) -> Iterator[Finding]:
    if not isinstance(document.api_version, str) or not isinstance(document.kind, str):
        return
    verdict = judge(document.api_version, document.kind, context.minor)
    if verdict is not None:
        level, message = verdict
        yield finding(ID, level, document, f"{message} (target Kubernetes {context.kubernetes_version})", "apiVersion")


def judge(api_version: str, kind: str, target: api.Minor) -> tuple[Level, str] | None:
    """(level, message) when target does not serve api_version kind as a default cluster would."""
    what = f"{api_version} {kind}"
    record = api.record_of(api_version, kind, target)
    if record is None:
        return _unrecorded(api_version, kind, target)
    if record.introduced is not None and target < record.introduced:
        return LEVEL, f"{what} is not served yet: first served in {api.spell(record.introduced)}"
    if not record.prerelease:
        return None
    if record.removed <= target:
        return LEVEL, f"{what} was removed in {api.spell(record.removed)}: {_use(api_version, kind, target)}"
    next_minor = (target[0], target[1] + 1)
    removal = f"removed in {api.spell(record.removed)}{' (the next minor)' if record.removed == next_minor else ''}"
    if record.off_by_default():
        ga = api.ga_of(api_version, kind, target)
        return Level.WARNING, (
            f"{what} is an off-by-default {record.stage} API, not served unless kube-apiserver's "
            f"--runtime-config={api_version}=true (and its feature gate) enable it"
            + (f"; {removal}" if record.removed == next_minor else "")
            + (f": use {ga}" if ga else ", and no GA version exists yet")
        )
    if record.removed == next_minor or (record.deprecated is not None and record.deprecated <= next_minor):
        deprecated = f"deprecated since {api.spell(record.deprecated)} and " if record.deprecated else ""
        return Level.WARNING, f"{what} is {deprecated}{removal}: {_use(api_version, kind, next_minor)}"
    return None


def _unrecorded(api_version: str, kind: str, target: api.Minor) -> tuple[Level, str] | None:
    """A type the target's records do not hold: one a newer version introduces, or an alpha or beta
    version of a built-in group that the target's API has no such type in (gone long ago)."""
    what = f"{api_version} {kind}"
    newer = api.first_served(api_version, kind)
    if newer is not None and newer.introduced is not None and target < newer.introduced:
        return LEVEL, f"{what} is not served yet: first served in {api.spell(newer.introduced)}"
    version = api_version.rpartition("/")[2]
    if not PRERELEASE.match(version) or not api.is_builtin_group(api_version, target):
        return None
    if api.has_package(api_version, target) and not api.has_records(api_version, target):
        return None  # a prerelease package without lifecycle records: nothing to go by
    return LEVEL, f"{what} is not served: the API has no {kind} in {api_version}: {_use(api_version, kind, target)}"


def _use(api_version: str, kind: str, target: api.Minor) -> str:
    found = api.replacement(api_version, kind, target)
    return f"use {found}" if found else f"nothing replaces {kind}"
