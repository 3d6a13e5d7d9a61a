"""Values -> manifests: plan the files, render each template, normalise each document.

The pipeline, in order:
  plan      which file comes from which template, with what context (plan.py)
  render    Jinja2 with StrictUndefined: a typo in a template is an error, not ""
  parse     every document is read back, so a template can never emit broken YAML
  normalise canonical key order, then one dumper: the same values give the same bytes
  assemble  kustomization.yaml listing every file, PROVENANCE describing the render
"""

from __future__ import annotations

import hashlib
import json
import re
from json.encoder import encode_basestring_ascii as _ascii_json_string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hdgen import __version__
from hdgen.render.rollout import kustomization_resources, plan_agent_env, plan_env
from hdgen.errors import HdgenError
from hdgen.objects.record import Document
from hdgen.render.values import LoadedValues
from hdgen.yaml.dump import dump
from hdgen.yaml.read import load_rendered

TEMPLATES_DIR = Path(__file__).parent / "templates"
KUSTOMIZATION = "kustomization.yaml"
PROVENANCE = "PROVENANCE"  # not .yaml/.json: GitOps agents must not apply it

# Keys that lead their mapping, in this order; every other key keeps the
# template's order (which is fixed, so output stays deterministic).
LEADING_KEYS = ("apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations")


@dataclass(frozen=True)
class RenderedTree:
    env: str
    manifests: list[Document]  # file: the path inside the env folder; text: the bytes written
    files: dict[str, str]  # every file of the env folder -> its text, sorted by path
    agent_manifests: list[Document]  # Argo CD Application or Flux objects, for rendered/_gitops/<env>/

    @property
    def agent_files(self) -> dict[str, str]:
        return {m.file: m.text for m in self.agent_manifests}


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        bytecode_cache=_bytecode_cache(jinja2),
    )
    env.filters["tojson"] = _yaml_safe_json
    return env


def load_templates() -> None:
    """Compile every template now, so that worker processes forked after this share them."""
    environment = _environment()
    for name in environment.list_templates(extensions=["j2"]):
        environment.get_template(name)


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _yaml_safe_json(value) -> str:
    """JSON that YAML reads back as the same value.

    JSON escapes a character beyond U+FFFF as a surrogate pair (\\ud83d\\udc1d), which YAML refuses;
    YAML spells it \\U0001f41d. ASCII-only output keeps U+2028 and U+0085, line breaks to YAML, escaped.
    """
    if type(value) is str:
        # What json.dumps writes for a string, without building an encoder per call (a third of its time).
        text = _ascii_json_string(value)
    else:
        text = json.dumps(value, sort_keys=True, ensure_ascii=True)
    return _SURROGATE_PAIR.sub(_join_surrogates, text) if "\\ud" in text else text


def _join_surrogates(match: re.Match) -> str:
    high, low = int(match.group(1), 16), int(match.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def _bytecode_cache(jinja2):
    """Compiled templates kept between runs (Jinja2 keys each by its source checksum).

    Compiling the templates is a tenth of a cold render. The cache lives in
    $HDGEN_CACHE_DIR, else $XDG_CACHE_HOME/hdgen, else ~/.cache/hdgen;
    HDGEN_CACHE_DIR=off disables it, and so does a folder that cannot be created.
    """
    from hdgen.render.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    try:
        (folder / "templates").mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder / "templates"))


def render_env(loaded: LoadedValues) -> RenderedTree:
    manifests = _render_all(plan_env(loaded.env, loaded.model))
    files = {m.file: m.text for m in manifests}
    if loaded.extras:  # hand-written objects: values/extra/ENV -> extra/
        from hdgen.render.extra import extra_manifests, extra_texts

        extras = extra_manifests(loaded.env, loaded.model.namespace, loaded.extras, manifests, _canonical)
        files.update(extra_texts(extras))
        manifests = sorted(manifests + extras, key=lambda m: (m.file, m.line))
    listed, separate = kustomization_resources(loaded.model, sorted({m.file for m in manifests}))
    files[KUSTOMIZATION] = _kustomization(loaded, listed)
    for folder, paths in separate.items():  # applied on their own (Flux: the migrations' Kustomization)
        files[f"{folder}/{KUSTOMIZATION}"] = _kustomization(loaded, paths, SEPARATE_HEADER)
    files[PROVENANCE] = _provenance(loaded)
    agent = _render_all(plan_agent_env(loaded.env, loaded.model, f"rendered/{loaded.env}"))
    return RenderedTree(
        env=loaded.env, manifests=manifests, files=dict(sorted(files.items())), agent_manifests=agent
    )


def _render_all(plan) -> list[Document]:
    manifests = [_normalise(path, text, template) for path, template, text in rendered_texts(plan)]
    return sorted(manifests, key=lambda m: m.file)


def rendered_texts(plan):
    """(path, template, the template's output) for each planned file, before it is read back."""
    environment = _environment()
    for planned in plan:
        yield planned.path, planned.template, environment.get_template(planned.template).render(planned.context)


def _normalise(path: str, text: str, template: str) -> Document:
    try:
        body = load_rendered(text)
    except Exception as error:  # a template bug, not a user error
        raise HdgenError(f"template {template} rendered invalid YAML for {path}: {' '.join(str(error).split())}") from None
    if not isinstance(body, dict):
        raise HdgenError(f"template {template} rendered no object for {path}")
    ordered, text = _canonical(body)
    # One object per file, from its first line: the dump starts with apiVersion.
    return Document(file=path, line=1, body=ordered, text=text)


def _canonical(body: dict) -> tuple[dict, str]:
    """The object with its leading keys first, and its text from the one dumper."""
    ordered = _ordered(body)
    return ordered, dump(ordered)


def _ordered(node):
    if isinstance(node, dict):
        leading = [k for k in LEADING_KEYS if k in node]
        rest = [k for k in node if k not in LEADING_KEYS]
        return {k: _ordered(node[k]) for k in leading + rest}
    if isinstance(node, list):
        return [_ordered(item) for item in node]
    return node


KUSTOMIZATION_HEADER = (
    "# Generated by hdgen: lists every manifest of this env, so Argo CD and Flux\n"
    "# apply the folder as is. Do not edit; change values/ and re-render.\n"
)
SEPARATE_HEADER = (
    "# Generated by hdgen: the migration Jobs, which Flux applies with a Kustomization of\n"
    "# their own before the env's (rendered/_gitops). Do not edit; change values/ and re-render.\n"
)


def _kustomization(loaded: LoadedValues, paths: list[str], header: str = KUSTOMIZATION_HEADER) -> str:
    return (
        header
        + dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": paths,
            }
        )
    )


def _provenance(loaded: LoadedValues) -> str:
    """What rendered this folder: the command, hdgen's version, the templates, the values files.

    No digest of the values: such a line changes with every values change, so two pull requests
    changing different values would always conflict on it. The values files are named (in merge
    order); their content is the one at the same commit, and `render --check` proves the folder is
    their render. The version and templates lines change only when hdgen itself changes.
    """
    lines = [
        "# Generated by hdgen. Do not edit this folder: change values/ and run the command below.",
        f"# Is this folder exactly what the values at this commit render? `hdgen render --check {loaded.env}`",
        f"command: hdgen render {loaded.env}",
        f"hdgen-version: {__version__}",
        f"templates-sha256: {templates_digest()}",
        "values:  # merged in this order, as committed beside this folder",
    ]
    lines += [f"  - {label}" for label, _ in loaded.files]
    if loaded.extras:
        lines.append("extra:  # hand-written objects, normalised into extra/")
        lines += [f"  - {label}" for label, _ in loaded.extras]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def templates_digest() -> str:
    """One digest over every template, so a template change shows in PROVENANCE."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES_DIR.rglob("*.j2")):
        digest.update(path.relative_to(TEMPLATES_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
