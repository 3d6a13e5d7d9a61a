"""HD015's table (rules/_shared/api_lifecycle.py) is the API server's own lifecycle records.

The first test re-reads the zz_generated.prerelease-lifecycle.go files of every
pinned version from the Go modules (downloading them like `make tools` does)
and asserts the committed table is what they say; it needs go and the module
proxy, so it runs in the slow tier, and fails, not skips, without go.
"""

from __future__ import annotations

import shutil
import subprocess

from hdgen import kubeversions
from hdgen.rules._shared import api_lifecycle, api_lifecycle_source
from hdgen.rules._shared.api_removals import OFF_BY_DEFAULT_BETAS_SINCE, LEGACY_BETAS_ON, _records, _parse


def test_committed_table_agrees_with_the_lifecycle_files_of_every_pinned_version():
    go = shutil.which("go")
    assert go, "go is not on PATH: this test reads the lifecycle records from the Go modules"
    subprocess.run([go, "version"], check=True, capture_output=True)
    fresh = api_lifecycle_source.render()
    assert fresh == api_lifecycle_source.OUTPUT.read_text(), "api_lifecycle.py is stale: run `make api-lifecycle`"


def test_table_covers_exactly_the_pinned_versions():
    minors = {".".join(version.split(".")[:2]) for version in kubeversions.PINNED}
    assert set(api_lifecycle.MINORS) == minors
    assert {m for _, found in api_lifecycle.API_VERSIONS for m in found.split()} == minors
    assert {minor for record in _records() for minor in record.minors} == minors
    for version in kubeversions.PINNED:
        assert api_lifecycle_source.module_version(version) in api_lifecycle.__doc__


def test_no_beta_served_at_a_pinned_version_is_on_by_default():
    """The off-by-default warning rests on KEP-3136: at the pinned versions every served beta came
    after 1.24 and none is a legacy beta kube-apiserver still enables."""
    for minor in api_lifecycle.MINORS:
        served = [r for r in _records() if minor in r.minors and r.prerelease and r.served_at(_parse(minor))]
        assert served, minor
        assert all(r.off_by_default() for r in served), [(r.api_version, r.kind) for r in served if not r.off_by_default()]
        assert not [r for r in served if (r.api_version, r.kind) in LEGACY_BETAS_ON]
        assert all(r.stage == "alpha" or r.introduced >= OFF_BY_DEFAULT_BETAS_SINCE for r in served)


def test_every_prerelease_record_is_consistent():
    for record in _records():
        if record.prerelease:
            assert record.introduced <= (record.deprecated or record.introduced) <= record.removed, record
        if record.replacement:
            assert record.replacement[1] == record.kind, record
