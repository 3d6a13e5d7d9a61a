"""The Jinja2 environment of a render, and its templates compiled ahead of time.

Compiling the templates from source was 0.067 s of CPU in every cold render.
`make golden` (or `python -m hdgen.render.templating`) writes each template as
a Python module into render/compiled/, named by a digest of everything its code
depends on: the Jinja2 version, the environment's options, the template's name
and its source. A render imports the module whose name it computes from the
source on disk, so a template edited since is never served stale: its module
is missing and it compiles from source as before (into the bytecode cache,
when there is one). tests/test_templating.py fails while render/compiled/ is
out of date.
"""

from __future__ import annotations

import hashlib
import json
import re
from json.encoder import encode_basestring_ascii as _ascii_json_string
from functools import lru_cache
from pathlib import Path

TEMPLATES_DIR = Path(__file__).parent / "templates"
COMPILED_DIR = Path(__file__).parent / "compiled"
COMPILED_PACKAGE = "hdgen.render.compiled"

OPTIONS = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True, "autoescape": False}


@lru_cache(maxsize=1)
def environment():
    import jinja2

    from hdgen.render.template_loader import PrecompiledLoader

    env = jinja2.Environment(
        loader=PrecompiledLoader(jinja2.FileSystemLoader(TEMPLATES_DIR), compiled_module),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(jinja2),
        **OPTIONS,
    )
    env.filters["tojson"] = yaml_safe_json
    return env


def compiled_module(name: str, source: str) -> str:
    """The dotted name of the compiled module of template `name` with this source."""
    return f"{COMPILED_PACKAGE}.{module_name(name, source)}"


def module_name(name: str, source: str) -> str:
    """The compiled module of template `name` with this source."""
    import jinja2

    key = json.dumps([jinja2.__version__, OPTIONS, name, source], sort_keys=True)
    return "t_" + hashlib.sha256(key.encode()).hexdigest()[:24]


_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def yaml_safe_json(value) -> str:
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
    """Compiled templates kept between runs, for templates render/compiled/ does not hold yet.

    The cache lives in $HDGEN_CACHE_DIR, else $XDG_CACHE_HOME/hdgen, else ~/.cache/hdgen;
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


def compiled_modules() -> dict[str, str]:
    """What render/compiled/ should hold: file name -> Python source, one per template."""
    env = environment()
    files = {"__init__.py": '"""Templates compiled by hdgen.render.templating: generated, do not edit."""\n'}
    for name in sorted(env.list_templates(extensions=["j2"])):
        source = (TEMPLATES_DIR / name).read_text()
        code = env.compile(source, name, f"templates/{name}", raw=True, defer_init=True)
        files[f"{module_name(name, source)}.py"] = f"# Compiled from templates/{name}: generated, do not edit.\n{code}\n"
    return files


def write_compiled() -> None:
    """Rewrite render/compiled/ (make golden)."""
    wanted = compiled_modules()
    COMPILED_DIR.mkdir(exist_ok=True)
    for stale in COMPILED_DIR.glob("*.py"):
        if stale.name not in wanted:
            stale.unlink()
    for file_name, text in wanted.items():
        path = COMPILED_DIR / file_name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


if __name__ == "__main__":
    write_compiled()
