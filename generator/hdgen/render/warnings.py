"""Warnings about values that are valid but probably not meant: they print, and nothing stops.

  config   a config key only this env sets, one or two edits from a key every other env
           sets (`LOG_LEVL` beside everyone's `LOG_LEVEL`): the env quietly lacks LOG_LEVEL.
           A key meant for this env alone goes in its `configKeysOnlyHere` list.
  hosts    a route host whose domain is one or two edits from the domain the env's other
           routes share (`admin.myhonedue.com` among `*.myhoneydue.com`).

`hdgen render` prints each on stderr as `hdgen: warning: file:line: key: message` and
exits as it would without them; `hdgen ci` lists them under its values check, which
still passes. They compare envs with each other, so they are computed from every
values file, and kept in the cache under a digest of all of them: a cached render
(no YAML parser imported) stays as fast as it was.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

MAX_EDITS = 2
_ONLY_HERE = "configKeysOnlyHere"


def values_warnings(project, envs: list[str]) -> dict[str, list[str]]:
    """env -> its warnings (`file:line: key: message`), for each of envs."""
    every = project.envs()
    key, entry = _cache_key(project, every)
    found = _cached(entry, key)
    if found is None:
        found = _compute(project, every)
        _store(entry, key, found)
    return {env: found.get(env, []) for env in envs}


def edit_distance(a: str, b: str, limit: int) -> int:
    from hdgen.words import edit_distance as distance  # imported on a miss only: a cached render skips it

    return distance(a, b, limit)


def _compute(project, every: list[str]) -> dict[str, list[str]]:
    data = {env: _merged_data(project, env) for env in every}
    readable = {env: d for env, d in data.items() if d is not None}
    result: dict[str, list[str]] = {}
    for env, values in readable.items():
        others = [d for other, d in readable.items() if other != env]
        found = [*_config_near_misses(env, values, others), *_host_near_misses(values)]
        if found:
            result[env] = [_located(project, env, path, message) for path, message in found]
    return result


def _merged_data(project, env: str) -> dict | None:
    """env's values merged as plain data, or None when a file does not read (its render says why)."""
    from hdgen.render.values import merged
    from hdgen.yaml.read import load_data, read_text

    data: dict = {}
    try:
        for path in project.values_files(env):
            part = load_data(read_text(path, project.relative(path)))
            if not isinstance(part, dict):
                return None
            data = merged(data, part)
    except Exception:  # noqa: BLE001 - the render of that env reports it, with its line
        return None
    return data


def _mapping(data: object, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _config_near_misses(env: str, values: dict, others: list[dict]):
    """With two envs either side may hold the typo: the words blame neither, and a key listed
    in configKeysOnlyHere by the envs that set it silences both sides."""
    if not others:
        return
    keys = set(_mapping(values, "config"))
    theirs = [set(_mapping(other, "config")) for other in others]
    everyone, anyone = set.intersection(*theirs), set.union(*theirs)
    meant = _only_here(values) | {key for other in others for key in _only_here(other)}
    for key in sorted(keys - anyone - meant):
        near = sorted((edit_distance(key, other, MAX_EDITS), other) for other in everyone - keys - meant)
        near = [(distance, other) for distance, other in near if distance <= MAX_EDITS]
        if near:
            distance, other = near[0]
            edits = "one edit" if distance == 1 else "two edits"
            yield ("config", key), (
                f"only {env} sets it, and every other env sets {other!r} instead, {edits} away: a typo on one "
                f"side? (a key meant for {env} alone: list it in {_ONLY_HERE})"
            )


def _only_here(values: dict) -> set[str]:
    listed = values.get(_ONLY_HERE)
    return {key for key in listed if isinstance(key, str)} if isinstance(listed, list) else set()


def _host_near_misses(values: dict):
    routes = _mapping(values, "ingress").get("routes")
    hosts = [r.get("host") for r in routes if isinstance(r, dict)] if isinstance(routes, list) else []
    domains = [".".join(h.split(".")[-2:]) if isinstance(h, str) else None for h in hosts]
    for index, (host, domain) in enumerate(zip(hosts, domains)):
        if domain is None or domains.count(domain) > 1:
            continue
        shared = sorted({d for d in domains if d and d != domain and domains.count(d) >= 2})
        near = sorted((edit_distance(domain, d, MAX_EDITS), d) for d in shared)
        if near and near[0][0] <= MAX_EDITS:
            distance, other = near[0]
            meant = host[: len(host) - len(domain)] + other
            yield ("ingress", "routes", index, "host"), (
                f"{host!r} is the only host on {domain}, {'one edit' if distance == 1 else 'two edits'} from "
                f"{other}, the domain of the env's other routes: did you mean {meant!r}?"
            )


def _located(project, env: str, path: tuple, message: str) -> str:
    """`file:line: key: message`, at the last merged file that sets path (the one that wins)."""
    from hdgen.yaml.edit import line_of
    from hdgen.yaml.read import read_text

    key = ".".join(map(str, path))
    for file in reversed(project.values_files(env)):
        label = project.relative(file)
        try:
            line = line_of(read_text(file, label), label, path)
        except Exception:  # noqa: BLE001 - a warning never stops a run
            line = None
        if line:
            return f"{label}:{line}: {key}: {message}"
    return f"values/{env}.yaml: {key}: {message}"


# --- the cache ---------------------------------------------------------------------------------


def _cache_key(project, every: list[str]) -> tuple[str, Path | None]:
    from hdgen.render.cache import PACKAGE_DIR, cache_dir, code_digest

    digest = hashlib.sha256(code_digest(PACKAGE_DIR).encode())
    for path in sorted(project.values_dir.glob("*.yaml")):
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            digest.update(path.name.encode() + b"\0-\0")
    folder = cache_dir()
    name = hashlib.sha256(str(project.root.resolve()).encode()).hexdigest()[:32]
    return digest.hexdigest(), (folder / "warnings" / f"{name}.marshal") if folder is not None else None


def _cached(entry: Path | None, key: str) -> dict | None:
    if entry is None:
        return None
    try:
        data = marshal.loads(entry.read_bytes())
        return data["warnings"] if data.get("key") == key else None
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _store(entry: Path | None, key: str, warnings: dict) -> None:
    from hdgen.render.cache import write_entry

    if entry is not None:
        write_entry(entry, {"key": key, "warnings": warnings})
