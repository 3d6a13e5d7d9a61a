"""Templates are served from their precompiled modules, which are current, and never stale."""

from __future__ import annotations

import subprocess
import sys

import jinja2

from hdgen.render.template_loader import PrecompiledLoader
from hdgen.render.templating import COMPILED_DIR, compiled_module, compiled_modules, environment
from tests.conftest import REPO


def test_the_compiled_modules_are_current():
    wanted = compiled_modules()
    held = {path.name: path.read_text() for path in COMPILED_DIR.glob("*.py")}
    assert held == wanted, "render/compiled/ is out of date with the templates: run `make golden`"
    assert len(wanted) == 1 + len(environment().list_templates(extensions=["j2"]))


def test_a_cold_render_compiles_no_template(tmp_path):
    """With the compiler disabled, a render without caches still works: every template came precompiled."""
    code = (
        "import sys, jinja2\n"
        "def refuse(*args, **kwargs): raise AssertionError('a template was compiled from source')\n"
        "jinja2.Environment.compile = refuse\n"
        "from hdgen.cli import main\n"
        f"sys.exit(main(['-C', {str(REPO)!r}, 'render', '--all', '--check']))\n"
    )
    env = {"HDGEN_CACHE_DIR": "off", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_edited_template_is_compiled_from_its_source_not_served_stale():
    name = "app/service.yaml.j2"
    precompiled = environment().get_template(name)
    assert precompiled.root_render_func.__module__.startswith("hdgen.render.compiled.t_")
    edited = jinja2.DictLoader({name: "edited {{ x }}\n"})
    env = jinja2.Environment(loader=PrecompiledLoader(edited, compiled_module), keep_trailing_newline=True)
    compiled_now = env.get_template(name)
    assert compiled_now.render(x=1) == "edited 1\n"
    assert not (compiled_now.root_render_func.__module__ or "").startswith("hdgen.render.compiled")
