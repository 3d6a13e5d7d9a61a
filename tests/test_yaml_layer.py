"""hdgen.yaml is the one sub-package that imports a YAML library, and hdgen depends on at most two."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "generator" / "hdgen"
YAML_LIBRARIES = ("ruamel", "yaml", "yaml_rs")  # import names: ruamel.yaml(.clib), PyYAML, yaml-rs (no longer a dependency)
# Distributions on the dependency list that are YAML libraries; ruamel.yaml.clib is ruamel.yaml's C extension.
YAML_DISTRIBUTIONS = {"ruamel.yaml": "ruamel.yaml", "ruamel.yaml.clib": "ruamel.yaml", "pyyaml": "PyYAML", "yaml-rs": "yaml-rs"}


def _imported(tree: ast.AST, whole_name: bool = False) -> list[tuple[int, str]]:
    """(line, top-level module name, or the whole name) of every absolute import in a module, in functions too."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name if whole_name else alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if whole_name and node.module == "hdgen.yaml":  # `from hdgen.yaml import stream`
                found.extend((node.lineno, f"hdgen.yaml.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, node.module if whole_name else node.module.split(".")[0]))
    return found


def test_only_hdgen_yaml_imports_a_yaml_library():
    outside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "yaml":
            continue
        for line, module in _imported(ast.parse(path.read_text(), str(path))):
            if module in YAML_LIBRARIES:
                outside.append(f"hdgen/{relative.as_posix()}:{line}: imports {module}")
    assert not outside, "YAML libraries are hdgen.yaml's to import:\n" + "\n".join(outside)


def test_the_yaml_layer_has_no_import_cycle():
    """Its modules import one another in one direction (block_dump and io once imported each other)."""
    modules = {path.stem: path for path in (PACKAGE / "yaml").glob("*.py") if path.stem != "__init__"}
    imports = {
        name: {found.removeprefix("hdgen.yaml.") for _, found in _imported(ast.parse(path.read_text()), whole_name=True)
               if found.removeprefix("hdgen.yaml.") in modules}
        for name, path in modules.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name not in done:
            for imported in sorted(imports[name]):
                visit(imported, (*trail, name))
            done.add(name)

    for name in sorted(modules):
        visit(name, ())


def test_the_walk_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from ruamel.yaml import YAML\n    import yaml\n")
    assert _imported(tree) == [(2, "ruamel"), (3, "yaml")]


def test_at_most_two_yaml_libraries_are_dependencies():
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!~ ;\[]", spec, maxsplit=1)[0].strip().lower().replace("_", "-") for spec in dependencies}
    libraries = {YAML_DISTRIBUTIONS[name] for name in names if name in YAML_DISTRIBUTIONS}
    assert "ruamel.yaml" in libraries  # line numbers, comment-preserving edits, error wording
    assert len(libraries) <= 2, libraries
    locked = {line.split("==")[0].strip().lower().replace("_", "-") for line in (REPO / "requirements.lock").read_text().splitlines() if "==" in line}
    assert {YAML_DISTRIBUTIONS[name] for name in locked if name in YAML_DISTRIBUTIONS} == libraries
