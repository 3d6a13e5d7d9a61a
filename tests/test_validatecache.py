"""The validation cache serves only what a validation of the same inputs would say.

Every test runs the real CLI with the real kubeconform. A hit is told from a
miss by tampering with the stored entries: a report served from the cache
then says so in its messages, and one validated afresh does not.
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, run_hdgen

TAMPERED = "served from the cache"

# A ConfigMap without the recommended labels (HD012) and with a field its schema does not know,
# and a PodDisruptionBudget on an API version Kubernetes 1.33 no longer serves.
EXTRA = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
  namespace: honeydue
data:
  color: blue
colour: blue
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: extra
  namespace: honeydue
spec:
  minAvailable: 1
"""


@pytest.fixture
def extra(project: Path) -> Path:
    folder = project / "extra"
    folder.mkdir()
    (folder / "objects.yaml").write_text(EXTRA)
    return folder


def _validate(project: Path, cache: Path | str, *args: str):
    return run_hdgen("validate", "prod", "extra", *args, cwd=project, env={"HDGEN_CACHE_DIR": str(cache)})


def _entries(cache: Path) -> list[Path]:
    folder = cache / "validations"
    return sorted(folder.glob("*.marshal")) if folder.is_dir() else []


def _tamper(cache: Path) -> None:
    """Rewrite every stored finding's message, so a report served from the cache shows it."""
    for entry in _entries(cache):
        data = marshal.loads(entry.read_bytes())
        for row in data["report"]["findings"]:
            row[4] = TAMPERED
        entry.write_bytes(marshal.dumps(data))


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_a_hit_is_byte_for_byte_the_report_of_a_miss(project: Path, extra: Path, tmp_path: Path, output_format: str):
    cache = tmp_path / "cache"
    miss = _validate(project, cache, "--format", output_format)
    assert miss.code == 1, miss.err
    assert len(_entries(cache)) == 1
    written = _entries(cache)[0].stat().st_mtime_ns
    hit = _validate(project, cache, "--format", output_format)
    assert (hit.code, hit.out, hit.err) == (miss.code, miss.out, miss.err)
    assert _entries(cache)[0].stat().st_mtime_ns == written  # a hit writes nothing
    off = _validate(project, "off", "--format", output_format)
    assert (off.code, off.out) == (miss.code, miss.out)


def test_the_second_run_is_served_from_the_cache(project: Path, extra: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    assert _validate(project, cache).code == 1
    _tamper(cache)
    hit = _validate(project, cache)
    assert hit.code == 1 and TAMPERED in hit.out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _drop_configmap_data_from_schema(project: Path) -> None:
    schema = project / "schemas" / "v1.33.0-standalone-strict" / "configmap-v1.json"
    data = json.loads(schema.read_text())
    del data["properties"]["data"]
    schema.write_text(json.dumps(data))


def _copy_of_kubeconform(project: Path) -> dict:
    copy = project / "kubeconform-copy"
    shutil.copy2(REPO / ".tools" / "bin" / "kubeconform", copy)
    return {"HDGEN_KUBECONFORM": str(copy)}


# Each change to an input: (what it does to the project, returning extra environment; extra arguments).
CHANGES: dict[str, tuple[Callable[[Path], dict | None], tuple[str, ...]]] = {
    "a file's bytes": (lambda p: _edit(p / "extra" / "objects.yaml", "colour: blue", "colour: red"), ()),
    "a rendered file's bytes": (lambda p: _edit(p / "rendered/prod/api/deployment.yaml", "maxUnavailable: 0", "maxUnavailable: 1"), ()),
    "a new file": (lambda p: (p / "extra" / "more.yaml").write_text(EXTRA.replace("extra", "more")) and None, ()),
    "hdgen.yaml": (lambda p: _edit(p / "hdgen.yaml", "HD012: {level: error}", "HD012: {level: warning}"), ()),
    "--rules": (lambda p: None, ("--rules", "HD012")),
    "--kubernetes-version": (lambda p: None, ("--kubernetes-version", "1.34.0")),
    "--skip-kind": (lambda p: None, ("--skip-kind", "PodDisruptionBudget")),
    "a schema file": (_drop_configmap_data_from_schema, ()),
    "the kubeconform binary": (_copy_of_kubeconform, ()),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_input_change_is_a_miss(project: Path, extra: Path, tmp_path: Path, change: str):
    cache = tmp_path / "cache"
    assert _validate(project, cache).code == 1
    _tamper(cache)
    apply, args = CHANGES[change]
    env = apply(project) or {}
    after = run_hdgen("validate", "prod", "extra", *args, cwd=project, env={"HDGEN_CACHE_DIR": str(cache), **env})
    assert TAMPERED not in after.out, f"{change}: served a stale report"
    truth = run_hdgen("validate", "prod", "extra", *args, cwd=project, env={"HDGEN_CACHE_DIR": "off", **env})
    assert (after.code, after.out) == (truth.code, truth.out)
    # And the new inputs are cached in turn.
    again = run_hdgen("validate", "prod", "extra", *args, cwd=project, env={"HDGEN_CACHE_DIR": str(cache), **env})
    assert (again.code, again.out) == (truth.code, truth.out)


@pytest.mark.parametrize("damage", ['{"key": "', "[]", '{"key": 1}', "\x00\xff"])
def test_a_damaged_entry_is_a_miss_never_an_error(project: Path, extra: Path, tmp_path: Path, damage: str):
    cache = tmp_path / "cache"
    first = _validate(project, cache)
    (entry,) = _entries(cache)
    entry.write_text(damage, encoding="latin-1")
    again = _validate(project, cache)
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


def test_a_damaged_report_in_a_matching_entry_is_a_miss(project: Path, extra: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = _validate(project, cache)
    (entry,) = _entries(cache)
    data = marshal.loads(entry.read_bytes())
    data["report"]["findings"][0][3] = "fatal"  # not a level
    entry.write_bytes(marshal.dumps(data))
    again = _validate(project, cache)
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)


def test_off_writes_no_cache(project: Path, extra: Path, tmp_path: Path):
    home = tmp_path / "home"
    result = run_hdgen("validate", "prod", cwd=project, env={"HDGEN_CACHE_DIR": "off", "XDG_CACHE_HOME": str(home)})
    assert result.code == 0, result.err
    assert not home.exists()


def test_errors_are_never_cached(project: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    (project / "hdgen.yaml").write_text("nodeArch: [amd64]\n")
    result = run_hdgen("validate", "prod", cwd=project, env={"HDGEN_CACHE_DIR": str(cache)})
    assert result.code == 2 and "hdgen.yaml:1: nodeArch" in result.err
    assert _entries(cache) == []


def test_server_runs_bypass_the_cache(project: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    env = {"HDGEN_CACHE_DIR": str(cache)}
    assert run_hdgen("validate", "prod", cwd=project, env=env).code == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed when the block ends: nothing listens there
    result = run_hdgen("validate", "prod", "--server", f"https://127.0.0.1:{port}", cwd=project, env=env)
    assert result.code == 3, "a --server run answered from the cache instead of asking the server"
    assert len(_entries(cache)) == 1


def test_cached_reports_hold_no_secret_values(project: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    secret = "hunter2-very-secret"
    folder = project / "secrets"
    folder.mkdir()
    (folder / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: honeydue\n"
        f"type: Opaque\nstringData:\n  password: {secret}\nimmutable: '{secret}'\n"
    )
    result = run_hdgen("validate", "secrets", cwd=project, env={"HDGEN_CACHE_DIR": str(cache)})
    assert result.code == 1 and "immutable" in result.out
    (entry,) = _entries(cache)
    stored = entry.read_bytes()  # marshal keeps text as UTF-8 bytes
    assert b"immutable" in stored and secret.encode() not in stored
    assert secret not in result.out


def test_a_schema_rewritten_within_one_timestamp_tick_is_not_served_stale(project: Path, extra: Path, tmp_path: Path):
    """Racy stats: the schemas are keyed by size and modification time, and two writes in one
    timestamp tick (up to 2 s on some file systems) that keep the size leave both the same. A
    schema saved just before a run must not let that run's report be kept: the next write
    could land in the same tick, unseen. os.utime puts the second write into the first one's tick."""
    cache = tmp_path / "cache"
    schema = project / "schemas" / "v1.33.0-standalone-strict" / "configmap-v1.json"
    strings = schema.read_bytes()
    assert strings.count(b'"data":{"additionalProperties":{"type":["string",') == 1
    numbers = strings.replace(b'"data":{"additionalProperties":{"type":["string",', b'"data":{"additionalProperties":{"type":["number",')
    schema.write_bytes(strings)  # saved now: its time is the run's own
    tick = schema.stat().st_mtime_ns
    assert _validate(project, cache).code == 1
    schema.write_bytes(numbers)  # the same size, and (as on a coarse clock) the same time
    os.utime(schema, ns=(tick, tick))
    after = _validate(project, cache, "--format", "json")
    truth = _validate(project, "off", "--format", "json")
    assert "data.color" in truth.out  # the new schema rejects the ConfigMap's string value
    assert (after.code, after.out) == (truth.code, truth.out), "served the report of the schema before"
