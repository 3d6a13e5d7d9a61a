"""The helm peer of `make bench`: bench/chart, fed the values hdgen renders, checked object by object.

The chart is the fair peer of hdgen's templates: one Go template per Jinja2 template, a
values.schema.json that is hdgen's own (the peer of the typed model), and the values hdgen
renders from, as hdgen's loader reads and merges them (defaults under the env, every model
default filled in). The release name is the env. Before anything is timed, every env's
`helm template` output and hdgen's rendered files are read by hdgen's manifest reader and
compared: the same objects (API group, kind, namespace, name) with the same bodies, or the
bench stops at the first object and key path that differ.

The harness runs the values and the check in a process of their own,

    python -m bench.helm --helm HELM [--rendered DIR] PROJECT FOLDER [ENV ...]

which writes FOLDER/chart and FOLDER/values/ENV.json and checks each env (every env of the
project by default) against DIR (default PROJECT/rendered): the harness stays a small process,
and the peak RSS that wait4 reports for each command it starts does not carry the harness's
own (a child started with vfork inherits its parent's high-water mark at exec).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHART = REPO / "bench" / "chart"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.helm", description="write the chart and the values; check helm renders hdgen's objects")
    parser.add_argument("--helm", required=True, help="the helm binary")
    parser.add_argument("--rendered", type=Path, help="hdgen's render of the envs (default: PROJECT/rendered)")
    parser.add_argument("project", type=Path, help="the hdgen project (its values/)")
    parser.add_argument("folder", type=Path, help="where the chart and the values files go")
    parser.add_argument("envs", nargs="*", help="default: every env of the project")
    args = parser.parse_args(argv)
    from hdgen.project import Project

    envs = args.envs or Project(args.project).envs()
    chart = write_chart(args.folder, args.project)
    values = write_values(args.project, envs, args.folder)
    environment = {**os.environ, **helm_environment(args.folder)}
    check_envs(args.helm, chart, args.rendered or args.project / "rendered", values, environment)
    return 0


def chart_path(folder: Path) -> Path:
    return folder / "chart"


def values_path(folder: Path, env: str) -> Path:
    return folder / "values" / f"{env}.json"


def write_chart(folder: Path, project: Path | None = None) -> Path:
    """A copy of bench/chart in folder, with hdgen's schemas/values.schema.json as its values.schema.json,
    and the project's hand-written objects (values/extra/) as its files extra/ENV/*.

    The same JSON Schema that pydantic writes for the values model (`hdgen values-schema`): helm
    checks every values file against it before it renders, as hdgen's model does (types, patterns,
    ranges, required and unknown keys; the model's cross-field rules have no JSON Schema form).
    """
    chart = chart_path(folder)
    shutil.rmtree(chart, ignore_errors=True)  # a chart from an earlier run may hold a template since removed
    shutil.copytree(CHART, chart)
    shutil.copyfile(REPO / "schemas" / "values.schema.json", chart / "values.schema.json")
    extra = (project / "values" / "extra") if project is not None else None
    if extra is not None and extra.is_dir():
        shutil.copytree(extra, chart / "extra")
    return chart


def chart_values(project: Path, env: str) -> dict:
    """env's values as hdgen renders them: its loader's model (defaults merged, validated), as JSON data."""
    from hdgen.project import Project
    from hdgen.render.values import load_env

    return load_env(Project(project), env).model.model_dump(by_alias=True, exclude_none=True, mode="json")


def write_values(project: Path, envs: list[str], folder: Path) -> dict[str, Path]:
    """One values file per env in folder/values (JSON, which YAML reads with no implicit types to guess)."""
    files = {}
    for env in envs:
        files[env] = values_path(folder, env)
        files[env].parent.mkdir(parents=True, exist_ok=True)
        files[env].write_text(json.dumps(chart_values(project, env), indent=1, sort_keys=True) + "\n")
    return files


def template_argv(helm: str, chart: Path, env: str, values: Path) -> list[str]:
    return [helm, "template", env, str(chart), "--values", str(values)]


def helm_environment(folder: Path) -> dict[str, str]:
    """Where helm keeps its cache, config and data: in the bench's scratch folder, not the user's home."""
    return {f"HELM_{kind}_HOME": str(folder / f"helm-{kind.lower()}") for kind in ("CACHE", "CONFIG", "DATA")}


def check_same_objects(rendered: Path, env: str, helm_output: str) -> None:
    """Raise SystemExit naming the first difference between hdgen's render of env (in rendered/) and helm's."""
    from hdgen.objects.reader import load_bytes, load_documents

    folders = [rendered / env, rendered / "_gitops" / env]
    expected = read_objects(load_documents([f for f in folders if f.is_dir()], rendered), f"rendered/{env}")
    actual = read_objects(load_bytes(helm_output.encode(), f"helm template {env}", is_json=False), f"helm template {env}")
    difference = first_difference(expected, actual)
    if difference:
        raise SystemExit(f"bench: helm template {env} does not render what hdgen renders: {difference}")


def read_objects(loaded, label: str) -> dict[tuple[str, str, str, str], dict]:
    """Identity (group, kind, namespace, name) -> body, from the manifest reader's (documents, findings)."""
    documents, findings = loaded
    if findings:
        raise SystemExit(f"bench: {label}: {findings[0].file}:{findings[0].line}: {findings[0].message}")
    objects = {}
    for document in documents:
        if document.key in objects:
            raise SystemExit(f"bench: {label}: {_shown(document.key)} twice")
        objects[document.key] = document.body
    return objects


def first_difference(expected: dict, actual: dict) -> str | None:
    """The first object (in identity order) that one side lacks or whose body differs, and where."""
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            return f"{_shown(key)}: only in hdgen's render"
        if key not in expected:
            return f"{_shown(key)}: only in helm's"
        path = _first_path(expected[key], actual[key], ())
        if path is not None:
            where, hdgen, helm = path
            return f"{_shown(key)}: {where or '(the whole object)'}: hdgen {hdgen!r}, helm {helm!r}"
    return None


_MISSING = "(missing)"


def _first_path(a, b, path: tuple) -> tuple[str, object, object] | None:
    """(key path, hdgen's value, helm's value) where a and b first differ; types count (1 is not "1" nor 1.0)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys(), key=str):
            if key not in a or key not in b:
                return _dotted((*path, key)), a.get(key, _MISSING), b.get(key, _MISSING)
            found = _first_path(a[key], b[key], (*path, key))
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for index in range(max(len(a), len(b))):
            if index >= len(a) or index >= len(b):
                return _dotted((*path, index)), a[index] if index < len(a) else _MISSING, b[index] if index < len(b) else _MISSING
            found = _first_path(a[index], b[index], (*path, index))
            if found:
                return found
        return None
    if type(a) is not type(b) or a != b:
        return _dotted(path), a, b
    return None


def _dotted(path: tuple) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" if i else str(part) for i, part in enumerate(path))


def _shown(key: tuple[str, str, str, str]) -> str:
    group, kind, namespace, name = key
    return f"{kind}{'.' + group if group else ''} {namespace + '/' if namespace else ''}{name}"


def check_envs(helm: str, chart: Path, rendered: Path, values: dict[str, Path], environment: dict) -> None:
    """Render every env with helm once and compare it with hdgen's render in rendered/ (SystemExit on a difference)."""
    for env, file in values.items():
        done = subprocess.run(template_argv(helm, chart, env, file), env=environment, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"bench: helm template {env} failed ({done.returncode}):\n{done.stderr}")
        check_same_objects(rendered, env, done.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
