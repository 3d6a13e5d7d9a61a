"""`make bench`: hdgen side by side with helm, kustomize and kubeconform, as whole processes.

For each scale (bench/synth.py) a scratch project is generated in a temp
folder, rendered and committed; `helm template` of bench/chart must then render
the same objects from the same values (bench/helm.py checks every env, object by
object, and stops the bench at the first difference). Then every command runs
once to warm up (page cache, hdgen's compiled-template cache; scales of 2,000+
resources are warm from the setup renders and the check) and `--runs` times measured.
Reported per command: the median wall time, the median CPU time (user + sys
of the process and its children: steadier than wall time on a busy machine)
and the peak resident memory of the largest process in the tree (ru_maxrss
from wait4). Results go to bench/results.md and bench/results.png.

    python -m bench.run [--scales honeydue,s-40x2,…] [--runs N] [--out-dir DIR] [--helm PATH | --no-helm]
"""


from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import helm
from bench.report import FLOOR, HELM, HELM_AT_ONCE, HELM_PARALLEL, Measure, ScaleResult, render_markdown
from bench.synth import REPO, SCALES, Scale, commit_all, make_project, make_rollout_project
from hdgen.kubeversions import DEFAULT as KUBERNETES_VERSION

WARM_UP_BELOW = 2000  # resources
# So that `make bench` stays near 10 minutes on 2 cores: fewer runs at the large scales
# (2 from 2,000 resources, 1 from 5,000, where one run of `hdgen ci` takes minutes).
ONE_RUN_FROM = 5000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join(s.name for s in SCALES), help="comma-separated scale names")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per command (after one warm-up)")
    parser.add_argument("--out-dir", type=Path, default=REPO / "bench", help="where results.md and results.png go")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG (no matplotlib needed)")
    parser.add_argument("--helm", default=str(REPO / ".tools/bin/helm"), help="the helm binary (`make bench` builds it)")
    parser.add_argument("--no-helm", action="store_true", help="leave helm out (no chart check, no helm rows)")
    args = parser.parse_args(argv)
    known = {s.name: s for s in SCALES}
    wanted = [name for name in args.scales.split(",") if name]
    unknown = [name for name in wanted if name not in known]
    if unknown or args.runs < 1:
        parser.error(f"unknown scale(s) {unknown} (known: {', '.join(known)})" if unknown else "--runs must be >= 1")
    tools = _tools(None if args.no_helm else args.helm)
    results = []
    with tempfile.TemporaryDirectory(prefix="hdgen-bench-") as scratch:
        if tools.helm:
            print("bench: helm template of the repository's envs …", file=sys.stderr, flush=True)
            _check_repository_envs(tools, Path(scratch) / "repository")
        for number, name in enumerate(wanted):
            print(f"bench: {name} …", file=sys.stderr, flush=True)
            results.append(_bench_scale(known[name], Path(scratch) / name, tools, args.runs, with_help=number == 0))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "results.md").write_text(render_markdown(results, args.runs, _settings()))
    if not args.no_plot:
        from bench.plot import plot

        plot(results, args.out_dir / "results.png")
    print(f"bench: wrote {args.out_dir / 'results.md'}", file=sys.stderr)
    return 0


def _settings() -> dict[str, int]:
    return {"warm_up_below": WARM_UP_BELOW, "one_run_from": ONE_RUN_FROM}


@dataclass(frozen=True)
class Tools:
    hdgen: str
    kustomize: str
    kubeconform: str
    helm: str | None  # None: --no-helm


def _tools(helm_path: str | None) -> Tools:
    hdgen = Path(sys.executable).parent / "hdgen"
    kustomize = os.environ.get("HDGEN_KUSTOMIZE") or str(REPO / ".tools/bin/kustomize")
    kubeconform = os.environ.get("HDGEN_KUBECONFORM") or str(REPO / ".tools/bin/kubeconform")
    for path in (hdgen, kustomize, kubeconform):
        if not Path(path).is_file():
            raise SystemExit(f"bench: {path} is missing: run `make bootstrap`")
    if helm_path is not None and not Path(helm_path).is_file():
        raise SystemExit(f"bench: {helm_path} is missing: `make bench` builds it (or pass --no-helm)")
    return Tools(str(hdgen), kustomize, kubeconform, helm_path)


@dataclass(frozen=True)
class Command:
    argvs: list[list[str]]  # run one after the other, or `jobs` at a time
    resources: int  # what they cover
    env: dict
    jobs: int = 1


def _check_repository_envs(tools: Tools, folder: Path) -> None:
    """The chart against the repository's own envs (prod on Argo CD, staging on Flux), rendered afresh,
    and against the same envs with a migration, a canary and a hand-written object (synth.make_rollout_project)."""
    environment = {**os.environ, "HDGEN_CACHE_DIR": "off"}
    _run_once([tools.hdgen, "-C", str(REPO), "render", "--all", "--out", str(folder / "rendered")], environment)
    _run_once(_check_argv(tools, REPO, folder, ["--rendered", str(folder / "rendered")]), environment)
    rollout = folder / "rollout"
    make_rollout_project(rollout)
    _run_once([tools.hdgen, "-C", str(rollout), "render", "--all"], environment)
    _run_once(_check_argv(tools, rollout, folder / "rollout-helm", []), environment)


def _check_argv(tools: Tools, project: Path, folder: Path, options: list[str], envs: list[str] = ()) -> list[str]:
    """bench.helm in a process of its own: it loads hdgen's values and reads every object (see its docstring)."""
    return [sys.executable, "-m", "bench.helm", "--helm", tools.helm, *options, str(project), str(folder), *envs]


def _bench_scale(scale: Scale, project: Path, tools: Tools, runs: int, with_help: bool) -> ScaleResult:
    envs = make_project(scale, project)
    env = _setup(project, envs, tools)
    rendered = project / "rendered"
    per_env = {e: _count(rendered / e) + _count(rendered / "_gitops" / e) for e in envs}
    total = sum(per_env.values())
    commands = _hdgen_and_peers(project, envs, per_env, tools, env)
    if tools.helm:
        commands.update(_helm_commands(project, envs, total, tools, env))
    if with_help:
        commands["hdgen --help"] = Command([[tools.hdgen, "--help"]], 0, env)
        # The floor under a cold render: CPython, then the imports every render needs.
        for name, code in FLOOR.items():
            commands[name] = Command([[sys.executable, "-c", code]], 0, env)
    measures = _rounds(commands, total, runs)
    shutil.rmtree(project, ignore_errors=True)
    return ScaleResult(scale, len(envs), total, measures)


def _setup(project: Path, envs: list[str], tools: Tools) -> dict:
    """Render and commit the project, then a change to review; the environment the commands run in."""
    # A cache of its own: hdgen's compiled templates and render cache start empty for each scale.
    # Python writes its bytecode (.pyc) as on any install: some shells and CI images set
    # PYTHONDONTWRITEBYTECODE, and then every run compiles hdgen from source (+0.1 s).
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env = {**inherited, "HDGEN_KUBECONFORM": tools.kubeconform, "NO_COLOR": "1", "HDGEN_CACHE_DIR": str(project.parent / f"{project.name}-cache")}
    hdgen = [tools.hdgen, "-C", str(project)]
    _run_once([*hdgen, "render", "--all"], env)
    commit_all(project, "base")
    # A change for diff and ci to report: the first env's first app moves to a new image.
    values = project / "values" / f"{envs[0]}.yaml"
    values.write_text(values.read_text().replace("d3708e6", "1a2b3c4", 1).replace("0badc0de", "1a2b3c4", 1))
    _run_once([*hdgen, "render", envs[0]], env)
    commit_all(project, "bump")
    _run_once([*hdgen, "validate", "--all"], env)  # so the first measured cache hit is one, at every scale
    return env


def _hdgen_and_peers(project: Path, envs: list[str], per_env: dict[str, int], tools: Tools, env: dict) -> dict[str, Command]:
    """name -> Command: hdgen's commands, kustomize build and bare kubeconform on the same tree."""
    hdgen = [tools.hdgen, "-C", str(project)]
    no_cache = {**env, "HDGEN_CACHE_DIR": "off"}
    rendered = project / "rendered"
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
    return {
        "hdgen render": Command([[*hdgen, "render", "--all"]], total, no_cache),
        "hdgen render (cache hit)": Command([[*hdgen, "render", "--all"]], total, env),
        "kustomize build": Command([[tools.kustomize, "build", str(rendered / e)] for e in envs], total, env),
        # Cold: without the validation cache (a hit would answer from the previous round).
        "hdgen validate": Command([[*hdgen, "validate", "--all"]], total, no_cache),
        "hdgen validate (cache hit)": Command([[*hdgen, "validate", "--all"]], total, env),
        "kubeconform": Command([kubeconform], total, env),
        "hdgen diff": Command([[*hdgen, "diff", envs[0], "--base", "HEAD~1"]], per_env[envs[0]], env),
        "hdgen ci": Command([[*hdgen, "ci", "--base", "HEAD~1"]], total, env),
    }


def _helm_commands(project: Path, envs: list[str], total: int, tools: Tools, env: dict) -> dict[str, Command]:
    """helm template of every env (one process per env), after checking it renders hdgen's objects."""
    folder = project.parent / f"{project.name}-helm"
    _run_once(_check_argv(tools, project, folder, [], envs), env)
    helm_env = {**env, **helm.helm_environment(folder)}
    chart = helm.chart_path(folder)
    argvs = [helm.template_argv(tools.helm, chart, e, helm.values_path(folder, e)) for e in envs]
    commands = {HELM: Command(argvs, total, helm_env)}
    if len(envs) > 1:
        commands[HELM_AT_ONCE] = Command(argvs, total, helm_env, jobs=HELM_PARALLEL)
    return commands


def _rounds(commands: dict[str, Command], total: int, runs: int) -> dict[str, Measure]:
    """Round 0 warms up (page cache, compiled templates); at large scales the setup renders already
    did, and a round costs minutes, so they skip it."""
    measures = {name: Measure(name, command.resources) for name, command in commands.items()}
    first = 0 if total < WARM_UP_BELOW else 1
    last = runs if total < WARM_UP_BELOW else min(runs, 2) if total < ONE_RUN_FROM else 1
    for round_number in range(first, last + 1):
        for name, command in commands.items():
            wall, cpu, rss = _measure(command.argvs, command.env, command.jobs)
            if round_number:
                measures[name].wall.append(wall)
                measures[name].cpu.append(cpu)
                measures[name].rss_mb = max(measures[name].rss_mb, rss)
    return measures


def _count(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.rglob("*.yaml") if p.name != "kustomization.yaml")


def _run_once(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def _measure(argvs: list[list[str]], env: dict, jobs: int = 1) -> tuple[float, float, float]:
    """Wall seconds from the first start to the last exit of argvs, run `jobs` at a time; their CPU
    seconds (user + sys, children included); and the peak RSS in MB of the largest process."""
    pending = list(argvs)
    running: dict[int, tuple[subprocess.Popen, list[str]]] = {}
    cpu = rss = 0.0
    start = time.perf_counter()
    try:
        while pending or running:
            while pending and len(running) < jobs:
                argv = pending.pop(0)
                process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                running[process.pid] = (process, argv)
            pid, status, usage = os.wait4(-1, 0)
            if pid not in running:
                continue  # not one of ours (none is expected)
            process, argv = running.pop(pid)
            _check_exit(process, argv, status)
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, usage.ru_maxrss / 1024)  # KiB on Linux; includes reaped children (RUSAGE_BOTH)
    finally:  # a failure stops the others it ran beside
        for process, _ in running.values():
            process.kill()
            process.wait()
            process.stderr.close()
    return time.perf_counter() - start, cpu, rss


def _check_exit(process: subprocess.Popen, argv: list[str], status: int) -> None:
    """Record the exit of a process reaped by wait4; a failure stops the bench with its stderr."""
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode()
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({process.returncode}):\n{stderr}")


if __name__ == "__main__":
    raise SystemExit(main())
