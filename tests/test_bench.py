"""The benchmark harness keeps working (no timing is asserted): one run at the smallest scale,
the helm peer's object-by-object check on real manifests with a planted difference, the
chart's one template per hdgen template, and the targets' arithmetic on given measurements.

`make bench` runs the real helm against the chart at every scale; these tests need no helm.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import helm
from bench.report import HELM, HELM_AT_ONCE, Measure, ScaleResult, helm_table, helm_targets, render_markdown
from bench.synth import SCALES, make_rollout_project
from tests.conftest import REPO


def _tools_env() -> dict[str, str]:
    return {
        "HDGEN_KUBECONFORM": str(REPO / ".tools" / "bin" / "kubeconform"),
        "HDGEN_KUSTOMIZE": str(REPO / ".tools" / "bin" / "kustomize"),
        **os.environ,
    }


def test_bench_harness_runs_at_the_smallest_scale(tmp_path):
    env = {**_tools_env(), "HDGEN_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--scales", "honeydue", "--runs", "1", "--no-plot", "--no-helm",
         "--out-dir", str(tmp_path)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    results = (tmp_path / "results.md").read_text()
    for command in ("hdgen render", "kustomize build", "hdgen validate", "kubeconform", "hdgen diff", "hdgen ci", "hdgen --help"):
        assert f"| honeydue (1 env) | {command} |" in results
    assert "| honeydue (1 env) | hdgen render (cache hit) |" in results
    assert "cold `hdgen validate prod` ≤ 1.5× bare kubeconform (wall; no caches)" in results
    assert "`hdgen render prod` ≤ 1.5× `kustomize build rendered/prod` (cold: no caches)" in results
    assert "| honeydue (1 env) | hdgen validate (cache hit) |" in results
    # The honeydue scale is the shipped prod values: its objects are the committed tree's.
    objects = sum(1 for f in ("prod", "_gitops/prod") for p in (REPO / "rendered" / f).rglob("*.yaml") if p.name != "kustomization.yaml")
    assert f"`hdgen validate` ≤ 1.15× bare kubeconform ({objects} resources, cold: no caches)" in results
    assert f"`hdgen validate` ≤ 1.15× bare kubeconform ({objects} resources, tree unchanged since the last validate)" in results
    assert "helm was left out (`--no-helm`)" in results and "| helm template |" not in results
    assert not (tmp_path / "results.png").exists()  # --no-plot


def test_the_bench_stops_when_helm_is_missing(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--scales", "honeydue", "--helm", str(tmp_path / "helm"), "--out-dir", str(tmp_path)],
        cwd=REPO, env=_tools_env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == f"bench: {tmp_path / 'helm'} is missing: `make bench` builds it (or pass --no-helm)\n"
    assert not (tmp_path / "results.md").exists()


# The check on real manifests: the committed prod tree, and a helm-like stream of the same objects.


def _helm_like_stream(rendered: Path, env: str, edit: tuple[str, str, str] | None = None) -> str:
    """What `helm template` prints: one stream of documents, each after `---` and a `# Source:` line.
    edit: (file inside the env folder, old, new), the one change planted in that file's text."""
    folders = [rendered / env, rendered / "_gitops" / env]
    files = sorted(p for folder in folders for p in folder.rglob("*.yaml") if p.name != "kustomization.yaml")
    texts = {p: p.read_text() for p in files}
    if edit is not None:
        file, old, new = edit
        text = texts[rendered / env / file]
        assert text.count(old) == 1, (file, old)
        texts[rendered / env / file] = text.replace(old, new)
    return "".join(f"---\n# Source: hdgen-bench/templates/{p.relative_to(rendered)}\n{texts[p]}" for p in files)


def test_the_check_passes_on_the_same_objects_in_any_layout():
    rendered = REPO / "rendered"
    helm.check_same_objects(rendered, "prod", _helm_like_stream(rendered, "prod"))
    # Key order and flow style are layout, not content: a body written as one JSON line is the same object.
    from hdgen.yaml.read import load_rendered

    deployment = (rendered / "prod" / "api" / "deployment.yaml").read_text()
    as_json = json.dumps(load_rendered(deployment), sort_keys=True) + "\n"
    helm.check_same_objects(rendered, "prod", _helm_like_stream(rendered, "prod", ("api/deployment.yaml", deployment, as_json)))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("admin/deployment.yaml", "terminationGracePeriodSeconds: 30\n", "terminationGracePeriodSeconds: '30'\n"),
            "Deployment.apps honeydue/admin: spec.template.spec.terminationGracePeriodSeconds: hdgen 30, helm '30'",
        ),
        (
            ("api/deployment.yaml", "        - secretRef:\n            name: honeydue-secrets\n", ""),
            "Deployment.apps honeydue/api: spec.template.spec.containers[0].envFrom[1]: "
            "hdgen {'secretRef': {'name': 'honeydue-secrets'}}, helm '(missing)'",
        ),
        (
            ("namespace.yaml", "  labels:\n", "  labels:\n    extra: label\n"),
            "Namespace honeydue: metadata.labels.extra: hdgen '(missing)', helm 'label'",
        ),
        (
            ("observability/vmagent-configmap.yaml", "  name: vmagent-config\n", "  name: vmagent-settings\n"),
            "ConfigMap honeydue/vmagent-config: only in hdgen's render",
        ),
    ],
    ids=["a number that became a string", "a list item missing", "an extra key", "a renamed object"],
)
def test_the_check_names_the_first_object_and_key_path_that_differ(edit, message):
    rendered = REPO / "rendered"
    with pytest.raises(SystemExit) as stopped:
        helm.check_same_objects(rendered, "prod", _helm_like_stream(rendered, "prod", edit))
    assert str(stopped.value) == f"bench: helm template prod does not render what hdgen renders: {message}"


def test_the_check_refuses_an_object_twice_or_broken_yaml():
    rendered = REPO / "rendered"
    stream = _helm_like_stream(rendered, "prod")
    namespace = (rendered / "prod" / "namespace.yaml").read_text()
    with pytest.raises(SystemExit, match=r"^bench: helm template prod: Namespace honeydue twice$"):
        helm.check_same_objects(rendered, "prod", stream + "---\n" + namespace)
    with pytest.raises(SystemExit, match=r"^bench: helm template prod: helm template prod:\d+: "):
        helm.check_same_objects(rendered, "prod", stream + "---\nkind: [\n")


def test_an_object_only_helm_renders_is_named():
    rendered = REPO / "rendered"
    extra = "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: aaa\n  namespace: honeydue\n"
    with pytest.raises(SystemExit) as stopped:
        helm.check_same_objects(rendered, "prod", _helm_like_stream(rendered, "prod") + extra)
    assert str(stopped.value).endswith(": ServiceAccount honeydue/aaa: only in helm's")


# The chart and its values.


def test_the_chart_has_one_template_per_hdgen_template():
    """A template added to hdgen needs its twin in bench/chart (make bench's check would then fail on the object).
    extra.yaml is the chart's one more: hdgen copies hand-written objects in Python (render/extra.py)."""
    hdgen = REPO / "generator" / "hdgen" / "render" / "templates"
    chart = REPO / "bench" / "chart" / "templates"
    ours = sorted([*(str(p.relative_to(hdgen)).removesuffix(".j2") for p in hdgen.rglob("*.j2")), "extra.yaml"])
    theirs = sorted(str(p.relative_to(chart)) for p in chart.rglob("*.yaml"))
    assert ours == theirs and len(ours) >= 20


def test_the_charts_cluster_scoped_kinds_are_hdgens():
    """extra.yaml gives a hand-written object the env's namespace unless its kind is cluster-scoped: hd011's list."""
    from hdgen.rules.hd011_namespace import CLUSTER_SCOPED

    template = (REPO / "bench" / "chart" / "templates" / "extra.yaml").read_text()
    listed = template.split("$clusterScoped := list", 1)[1].split("}}", 1)[0]
    assert set(re.findall(r'"([A-Za-z]+)"', listed)) == CLUSTER_SCOPED


def test_the_rollout_project_runs_a_migration_a_canary_and_an_extra(tmp_path):
    """What make bench checks beyond its scales: the repository's envs with issue 17's objects."""
    from hdgen.project import Project
    from hdgen.render.values import load_env

    envs = make_rollout_project(tmp_path / "rollout")
    for env in envs:
        loaded = load_env(Project(tmp_path / "rollout"), env)
        assert loaded.model.apps["api"].migration is not None and loaded.model.apps["web"].canary is not None
    assert [label for label, _ in load_env(Project(tmp_path / "rollout"), "prod").extras] == ["values/extra/prod/middleware.yaml"]
    assert Project(tmp_path / "rollout").envs() == envs == ["prod", "staging"]


def test_the_chart_gets_hdgens_schema_and_the_values_hdgen_renders(tmp_path):
    from hdgen.project import Project
    from hdgen.render.values import load_env, merged
    from hdgen.yaml.read import load_data

    chart = helm.write_chart(tmp_path)
    assert (chart / "values.schema.json").read_bytes() == (REPO / "schemas" / "values.schema.json").read_bytes()
    assert (chart / "templates" / "_helpers.tpl").is_file() and (chart / "Chart.yaml").is_file()
    files = helm.write_values(REPO, ["prod", "staging"], tmp_path)
    assert files == {env: tmp_path / "values" / f"{env}.json" for env in ("prod", "staging")}
    for env, file in files.items():
        data = json.loads(file.read_text())
        assert data == json.loads(load_env(Project(REPO), env).model.model_dump_json(by_alias=True, exclude_none=True))
        assert "null" not in file.read_text()  # absent, not null: the templates test presence with hasKey
        # Every model default is filled in: more keys than the values files say.
        raw = merged(load_data((REPO / "values" / "defaults.yaml").read_text()), load_data((REPO / "values" / f"{env}.yaml").read_text()))
        assert _leaves(data) > _leaves(raw)
    assert "observability" not in json.loads(files["staging"].read_text())  # staging's `observability: null`


def _leaves(node) -> int:
    if isinstance(node, dict):
        return sum(_leaves(v) for v in node.values())
    if isinstance(node, list):
        return sum(_leaves(v) for v in node)
    return 1


def test_the_one_env_scales_are_one_env_of_the_multi_env_ones():
    scales = {s.name: s for s in SCALES}
    for one, many in (("s-40x1", "s-40x2"), ("xl-330x1", "xl-330x12")):
        assert (scales[one].apps, scales[one].envs) == (scales[many].apps, 1)


def test_commands_run_two_at_a_time_and_a_failure_stops_the_bench(tmp_path):
    from bench.run import _measure

    argvs = [[sys.executable, "-c", f"open({str(tmp_path / str(n))!r}, 'w')"] for n in range(3)]
    wall, cpu, rss = _measure(argvs, dict(os.environ), jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0", "1", "2"]
    assert wall > 0 and cpu > 0 and rss > 0
    # The one beside a failure is stopped and reaped, not left running: the failure waits for it to start.
    pid_file = tmp_path / "sleeper.pid"
    sleeper = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(600)"
    failure = (f"import os, sys, time\npid = {str(pid_file)!r}\n"
               "while not (os.path.exists(pid) and os.path.getsize(pid)): time.sleep(0.01)\nsys.exit('no good')")
    with pytest.raises(SystemExit, match="failed \\(1\\):\nno good"):
        _measure([[sys.executable, "-c", sleeper], [sys.executable, "-c", failure]], dict(os.environ), jobs=2)
    assert not Path(f"/proc/{pid_file.read_text()}").exists()


# The targets' arithmetic, on given measurements.


def _measure_of(command: str, resources: int, wall: float, cpu: float) -> Measure:
    return Measure(command, resources, [wall], [cpu], 50.0)


def _result(name: str, envs: int, resources: int, **rows: tuple[float, float]) -> ScaleResult:
    scale = next(s for s in SCALES if s.name == name)
    names = {"render": "hdgen render", "helm": HELM, "at_once": HELM_AT_ONCE, "validate": "hdgen validate",
             "kubeconform": "kubeconform"}
    return ScaleResult(scale, envs, resources, {names[k]: _measure_of(names[k], resources, *v) for k, v in rows.items()})


def test_issue_20s_targets_from_given_measurements():
    results = [
        _result("honeydue", 1, 23, render=(0.30, 0.28), helm=(0.10, 0.09), validate=(0.15, 0.2), kubeconform=(0.10, 0.1)),
        _result("s-40x1", 1, 118, render=(0.40, 0.40), helm=(0.20, 0.20)),
        _result("xl-330x1", 1, 793, render=(0.60, 0.50), helm=(0.90, 1.00)),
        _result("xl-330x12", 12, 9516, render=(4.0, 7.0), helm=(12.0, 12.0), at_once=(6.5, 11.0)),
    ]
    found = {target: (measured, met) for target, measured, met in helm_targets(results)}
    assert found["cold `hdgen render prod` ≤ 2× `helm template` of the same 23 objects (wall; no caches)"] == (
        "0.300 s vs 0.100 s = 3.00×", False)
    assert found["cold `hdgen validate prod` ≤ 1.5× bare kubeconform (wall; no caches)"] == ("0.150 s vs 0.100 s = 1.50×", True)
    # 793 / 0.5 = 1,586 against 793 / 1.0 = 793 objects per CPU second.
    assert found["render throughput per CPU second ≥ 2× helm's at 793 objects (xl-330x1 (1 env); no caches)"] == (
        "1,586 vs 793 objects/CPU s = 2.00×", True)
    # helm's better row is the one at once: 9,516 / 11 = 865 (one at a time: 793).
    assert found["render throughput per CPU second ≥ 2× helm's at 9,516 objects (xl-330x12 (12 envs); no caches)"] == (
        "1,359 vs 865 objects/CPU s = 1.57×", False)
    # Marginal CPU per object: hdgen (0.5 - 0.4) / 675 = 0.15 ms, then (7.0 - 0.5) / 8,723 = 0.75 ms: 5×, not linear.
    linear = "render CPU linear in objects: the marginal CPU per object (118 → 793 → 9,516 objects) grows by at most 1.3×"
    assert found[linear] == (
        "hdgen render 0.15 then 0.75 ms/object (5.03×); helm template 1.19 then 1.26 ms/object (1.06×)", False)
    table = "\n".join(helm_table(results))
    assert "| xl-330x12 (12 envs) | 9,516 | 4.000 | 7.000 | 12.000 | 12.000 | 6.500 | 0.33× | 0.62× | 1,359 | 865 | 1.57× |" in table
    assert "| honeydue (1 env) | 23 | 0.300 | 0.280 | 0.100 | 0.090 |  | 3.00× |  | 82 | 256 | 0.32× |" in table


def test_without_the_scales_a_target_needs_it_is_left_out():
    results = [_result("s-40x2", 2, 236, render=(0.5, 0.5), helm=(0.3, 0.3), validate=(0.3, 0.3), kubeconform=(0.2, 0.2))]
    assert helm_targets(results) == []
    assert "| s-40x2 (2 envs) | 236 |" in "\n".join(helm_table(results))


def test_the_markdown_has_the_helm_table_and_both_sets_of_targets():
    def full(name: str, envs: int, resources: int) -> ScaleResult:
        result = _result(name, envs, resources, render=(1.0, 1.0), helm=(0.5, 0.5), validate=(0.4, 0.4), kubeconform=(0.3, 0.3))
        for command in ("hdgen render (cache hit)", "kustomize build", "hdgen validate (cache hit)", "hdgen diff", "hdgen ci"):
            result.measures[command] = _measure_of(command, resources, 0.2, 0.2)
        return result

    text = render_markdown([full("honeydue", 1, 23), full("s-40x1", 1, 118)], 3, {"warm_up_below": 2000, "one_run_from": 5000})
    assert text.index("## Targets") < text.index("Earlier targets (issue 8):") < text.index("## hdgen render against helm template")
    assert "| cold `hdgen render prod` ≤ 2× `helm template` of the same 23 objects (wall; no caches) | 1.000 s vs 0.500 s = 2.00× | yes |" in text
    assert "| s-40x1 (1 env) | helm template | 118 | 0.500 | 0.500 | 50 | 236 |  |  |" in text
    assert "before timing, every env's objects were checked equal to hdgen's, object by object." in text


def test_issue_8s_linear_target_reads_the_multi_env_scales_only():
    """A one-env scale renders in one process and the others in two workers: wall time across the two is no slope."""
    from bench.report import targets

    def scale(name: str, envs: int, resources: int, wall: float) -> ScaleResult:
        result = _result(name, envs, resources, render=(wall, wall), validate=(1, 1), kubeconform=(1, 1))
        for command in ("hdgen render (cache hit)", "hdgen validate (cache hit)", "hdgen diff", "hdgen ci"):
            result.measures[command] = _measure_of(command, resources, 0.1, 0.1)
        return result

    results = [scale("xl-330x1", 1, 1016, 1.5), scale("m-100x5", 5, 1635, 1.3), scale("l-200x6", 6, 3756, 2.1),
               scale("xl-330x12", 12, 12192, 8.7)]
    linear = next(t for t in targets(results) if t[0].startswith("render time at most linear"))
    # (2.1 - 1.3) / 2,121 = 0.38 ms, then (8.7 - 2.1) / 8,436 = 0.78 ms: 2.07×; xl-330x1's 1.5 s is not a point.
    assert linear[1:] == ("0.38, 0.78 ms/resource (largest later step 2.07× the first)", False)
