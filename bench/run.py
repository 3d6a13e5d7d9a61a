"""`make bench`: hdgen side by side with kustomize and kubeconform, as whole processes.

For each scale (bench/synth.py) a scratch project is generated in a temp
folder, rendered and committed, then every command runs once to warm up
(page cache, hdgen's compiled-template cache; scales of 2,000+ resources are
warm from the setup renders) and `--runs` times measured.
Reported per command: the median wall time, the median CPU time (user + sys
of the process and its children: steadier than wall time on a busy machine)
and the peak resident memory of the largest process in the tree (ru_maxrss
from wait4). Results go to bench/results.md and bench/results.png.

    python -m bench.run [--scales honeydue,s-40x2,…] [--runs N] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.synth import REPO, SCALES, Scale, commit_all, make_project
from hdgen.kubeversions import DEFAULT as KUBERNETES_VERSION

WARM_UP_BELOW = 2000  # resources
# So that `make bench` stays near 10 minutes on 2 cores: fewer runs at the large scales
# (2 from 2,000 resources, 1 from 5,000, where one run of `hdgen ci` takes minutes).
ONE_RUN_FROM = 5000


@dataclass
class Measure:
    command: str
    resources: int
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: float = 0.0

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


@dataclass
class ScaleResult:
    scale: Scale
    envs: int
    resources: int
    measures: dict[str, Measure]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join(s.name for s in SCALES), help="comma-separated scale names")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per command (after one warm-up)")
    parser.add_argument("--out-dir", type=Path, default=REPO / "bench", help="where results.md and results.png go")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG (no matplotlib needed)")
    args = parser.parse_args(argv)
    known = {s.name: s for s in SCALES}
    wanted = [name for name in args.scales.split(",") if name]
    unknown = [name for name in wanted if name not in known]
    if unknown or args.runs < 1:
        parser.error(f"unknown scale(s) {unknown} (known: {', '.join(known)})" if unknown else "--runs must be >= 1")
    tools = _tools()
    results = []
    with tempfile.TemporaryDirectory(prefix="hdgen-bench-") as scratch:
        for number, name in enumerate(wanted):
            print(f"bench: {name} …", file=sys.stderr, flush=True)
            results.append(_bench_scale(known[name], Path(scratch) / name, tools, args.runs, with_help=number == 0))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "results.md").write_text(render_markdown(results, args.runs))
    if not args.no_plot:
        from bench.plot import plot

        plot(results, args.out_dir / "results.png")
    print(f"bench: wrote {args.out_dir / 'results.md'}", file=sys.stderr)
    return 0


@dataclass(frozen=True)
class Tools:
    hdgen: str
    kustomize: str
    kubeconform: str


def _tools() -> Tools:
    hdgen = Path(sys.executable).parent / "hdgen"
    kustomize = os.environ.get("HDGEN_KUSTOMIZE") or str(REPO / ".tools/bin/kustomize")
    kubeconform = os.environ.get("HDGEN_KUBECONFORM") or str(REPO / ".tools/bin/kubeconform")
    for path in (hdgen, kustomize, kubeconform):
        if not Path(path).is_file():
            raise SystemExit(f"bench: {path} is missing: run `make bootstrap`")
    return Tools(str(hdgen), kustomize, kubeconform)


def _bench_scale(scale: Scale, project: Path, tools: Tools, runs: int, with_help: bool) -> ScaleResult:
    envs = make_project(scale, project)
    hdgen = [tools.hdgen, "-C", str(project)]
    # A cache of its own: hdgen's compiled templates and render cache start empty for each scale.
    # Python writes its bytecode (.pyc) as on any install: some shells and CI images set
    # PYTHONDONTWRITEBYTECODE, and then every run compiles hdgen from source (+0.1 s).
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {**inherited, "HDGEN_KUBECONFORM": tools.kubeconform, "NO_COLOR": "1", "HDGEN_CACHE_DIR": str(project.parent / f"{project.name}-cache")}
    no_cache = {**env, "HDGEN_CACHE_DIR": "off"}
    _run_once([*hdgen, "render", "--all"], env)
    commit_all(project, "base")
    # A change for diff and ci to report: the first env's first app moves to a new image.
    first = envs[0]
    values = project / "values" / f"{first}.yaml"
    values.write_text(values.read_text().replace("d3708e6", "1a2b3c4", 1).replace("0badc0de", "1a2b3c4", 1))
    _run_once([*hdgen, "render", first], env)
    commit_all(project, "bump")
    _run_once([*hdgen, "validate", "--all"], env)  # so the first measured cache hit is one, at every scale

    rendered = project / "rendered"
    per_env = {e: _count(rendered / e) + _count(rendered / "_gitops" / e) for e in envs}
    total = sum(per_env.values())
    schemas = (REPO / "schemas").as_posix()
    kubeconform = [
        tools.kubeconform, "-strict", "-output", "json", "-n", str(os.cpu_count() or 1),
        "-kubernetes-version", KUBERNETES_VERSION,
        "-schema-location", schemas + "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json",
        "-schema-location", schemas + "/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
        "-ignore-filename-pattern", r"(^|/)kustomization\.yaml$",
        str(rendered),
    ]
    # name -> (argv lists run one after the other, resources they cover, environment)
    commands: dict[str, tuple[list[list[str]], int, dict]] = {
        "hdgen render": ([[*hdgen, "render", "--all"]], total, no_cache),
        "hdgen render (cache hit)": ([[*hdgen, "render", "--all"]], total, env),
        "kustomize build": ([[tools.kustomize, "build", str(rendered / e)] for e in envs], total, env),
        # Cold: without the validation cache (a hit would answer from the previous round).
        "hdgen validate": ([[*hdgen, "validate", "--all"]], total, no_cache),
        "hdgen validate (cache hit)": ([[*hdgen, "validate", "--all"]], total, env),
        "kubeconform": ([kubeconform], total, env),
        "hdgen diff": ([[*hdgen, "diff", first, "--base", "HEAD~1"]], per_env[first], env),
        "hdgen ci": ([[*hdgen, "ci", "--base", "HEAD~1"]], total, env),
    }
    if with_help:
        commands["hdgen --help"] = ([[tools.hdgen, "--help"]], 0, env)
        # The floor under a cold render: CPython, then the imports every render needs.
        for name, code in FLOOR.items():
            commands[name] = ([[sys.executable, "-c", code]], 0, env)
    measures = {name: Measure(name, resources) for name, (_, resources, _) in commands.items()}
    # Round 0 warms up (page cache, compiled templates); at large scales the renders above
    # already did, and a round costs minutes, so they skip it.
    first = 0 if total < WARM_UP_BELOW else 1
    last = runs if total < WARM_UP_BELOW else min(runs, 2) if total < ONE_RUN_FROM else 1
    for round_number in range(first, last + 1):
        for name, (argvs, _, command_env) in commands.items():
            wall, cpu, rss = _measure(argvs, command_env)
            if round_number:
                measures[name].wall.append(wall)
                measures[name].cpu.append(cpu)
                measures[name].rss_mb = max(measures[name].rss_mb, rss)
    shutil.rmtree(project, ignore_errors=True)
    return ScaleResult(scale, len(envs), total, measures)


def _count(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.rglob("*.yaml") if p.name != "kustomization.yaml")


def _run_once(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def _measure(argvs: list[list[str]], env: dict) -> tuple[float, float, float]:
    """Wall and CPU seconds of running argvs one after the other, and the peak RSS in MB."""
    wall = cpu = rss = 0.0
    for argv in argvs:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        wall += time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr = process.stderr.read().decode() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
        if process.returncode != 0:
            raise SystemExit(f"bench: {' '.join(argv)} failed ({process.returncode}):\n{stderr}")
        cpu += usage.ru_utime + usage.ru_stime
        rss = max(rss, usage.ru_maxrss / 1024)  # KiB on Linux; includes reaped children (RUSAGE_BOTH)
    return wall, cpu, rss


FLOOR = {
    "floor: python -c pass": "pass",
    "floor: import pydantic + values model": "import hdgen.render.model",
    "floor: import jinja2, ruamel.yaml, yaml": "import jinja2, ruamel.yaml, yaml",
}
HDGEN_AT_SCALE = ("hdgen render", "hdgen validate", "hdgen diff", "hdgen ci")
# name -> the peer it is compared with
PEERS = {"hdgen render": "kustomize build", "hdgen render (cache hit)": "kustomize build", "hdgen validate": "kubeconform",
         "hdgen validate (cache hit)": "kubeconform"}
ORDER = ("hdgen render", "hdgen render (cache hit)", "kustomize build", "hdgen validate", "hdgen validate (cache hit)",
         "kubeconform", "hdgen diff",
         "hdgen ci", "hdgen --help", *FLOOR)


def render_markdown(results: list[ScaleResult], runs: int) -> str:
    lines = [
        "# hdgen benchmark",
        "",
        f"Generated by `make bench` on {date.today().isoformat()}: {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, {runs} measured run(s) per command after a warm-up "
        f"(from {WARM_UP_BELOW:,} resources the setup renders are the warm-up and at most 2 runs are "
        f"measured; from {ONE_RUN_FROM:,}, 1); "
        "wall and CPU are medians, CPU is user+sys of the process and its children, "
        "RSS is the peak of the largest process in the tree.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets(results)]
    if "honeydue" in {r.scale.name for r in results}:
        small = next(r for r in results if r.scale.name == "honeydue").measures
        lines += [
            "",
            "Where a cold `hdgen render prod` goes (the `floor:` rows below are processes that only start "
            "Python and import): "
            + ", ".join(f"{name.removeprefix('floor: ')} {small[name].median_wall:.3f} s" for name in FLOOR)
            + f", against `kustomize build` {small['kustomize build'].median_wall:.3f} s. "
            "See docs/performance.md for the profile.",
        ]
    lines += ["", "## All measurements", ""]
    lines += [
        "| scale | command | resources | wall s | CPU s | peak RSS MB | resources/s | vs peer (wall) | vs peer (CPU) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        label = f"{result.scale.name} ({result.envs} env{'s' if result.envs > 1 else ''})"
        for name in ORDER:
            measure = result.measures.get(name)
            if measure is None:
                continue
            rate = f"{measure.resources / measure.median_wall:,.0f}" if measure.resources else ""
            peer = result.measures.get(PEERS.get(name, ""))
            ratio_wall = f"{measure.median_wall / peer.median_wall:.2f}×" if peer else ""
            ratio_cpu = f"{measure.median_cpu / peer.median_cpu:.2f}×" if peer else ""
            lines.append(
                f"| {label} | {name} | {measure.resources:,} | {measure.median_wall:.3f} | {measure.median_cpu:.3f} "
                f"| {measure.rss_mb:.0f} | {rate} | {ratio_wall} | {ratio_cpu} |"
            )
    return "\n".join(lines) + "\n"


def targets(results: list[ScaleResult]) -> list[tuple[str, str, bool]]:
    """(target, what was measured, met?) for each of issue 8's targets that these scales cover."""
    found = []
    by_name = {r.scale.name: r for r in results}
    small = by_name.get("honeydue")
    if small:
        render, kustomize = small.measures["hdgen render"], small.measures["kustomize build"]
        ratio = render.median_wall / kustomize.median_wall
        found.append((
            "`hdgen render prod` ≤ 1.5× `kustomize build rendered/prod` (cold: no caches)",
            f"{render.median_wall:.3f} s vs {kustomize.median_wall:.3f} s = {ratio:.2f}×", ratio <= 1.5,
        ))
        cached = small.measures["hdgen render (cache hit)"]
        ratio = cached.median_wall / kustomize.median_wall
        found.append((
            "the same, values unchanged since the last render (render cache hit)",
            f"{cached.median_wall:.3f} s vs {kustomize.median_wall:.3f} s = {ratio:.2f}×", ratio <= 1.5,
        ))
    for result in results:
        bare = result.measures["kubeconform"]
        for name, label in (("hdgen validate", "cold: no caches"), ("hdgen validate (cache hit)", "tree unchanged since the last validate")):
            validate = result.measures[name]
            ratio = validate.median_wall / bare.median_wall
            found.append((
                f"`hdgen validate` ≤ 1.15× bare kubeconform ({result.resources:,} resources, {label})",
                f"{validate.median_wall:.3f} s vs {bare.median_wall:.3f} s = {ratio:.2f}×", ratio <= 1.15,
            ))
    largest = max(results, key=lambda r: r.resources)
    render, cached = largest.measures["hdgen render"], largest.measures["hdgen render (cache hit)"]
    rate = render.resources / render.median_wall
    found.append((
        f"render ≥ 5,000 resources/s at scale ({largest.resources:,} resources, no cache)",
        f"{rate:,.0f} resources/s (render cache hit: {cached.resources / cached.median_wall:,.0f})", rate >= 5000,
    ))
    # Linear means a fixed start-up plus a constant cost per resource: the marginal cost between
    # consecutive scales does not grow (ms per resource falls as start-up amortises; a marginal
    # cost that falls is better than linear, one that grows is not).
    big = sorted((r for r in results if r.resources >= 1000), key=lambda r: r.resources)
    if len(big) >= 3:
        marginal = [
            (b.measures["hdgen render"].median_wall - a.measures["hdgen render"].median_wall)
            / (b.resources - a.resources) * 1000
            for a, b in zip(big, big[1:])
        ]
        growth = max(marginal[1:]) / marginal[0] if marginal[0] > 0 else float("inf")
        shown = ", ".join(f"{m:.2f}" for m in marginal)
        found.append((
            "render time at most linear in resources (marginal ms per resource between scales ≥ 1,000 "
            "resources grows by at most 1.3× from the first step, no cache)",
            f"{shown} ms/resource (largest later step {growth:.2f}× the first)", growth <= 1.3,
        ))
    if largest.resources >= 9000:
        found.append((
            f"peak memory ≤ 200 MB at 10,000 resources ({largest.resources:,})",
            ", ".join(f"{n} {largest.measures[n].rss_mb:.0f} MB" for n in HDGEN_AT_SCALE),
            max(largest.measures[n].rss_mb for n in HDGEN_AT_SCALE) <= 200,
        ))
    return found


if __name__ == "__main__":
    raise SystemExit(main())
