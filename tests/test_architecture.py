"""The package's shape: no import cycles, a short top-level folder, short functions.

Read from the source with ast, so imports inside functions count as much as
those at the top of a module: a function-level import hides a cycle from
Python's import machinery, not from the reader who has to untangle it.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "generator" / "hdgen"
PACKAGE = "hdgen"
MAX_TOP_LEVEL_MODULES = 15
MAX_FUNCTION_LINES = 60
GENERATED = PACKAGE_DIR / "render" / "compiled"  # Jinja2's code for the templates (render/templating.py)


def _written_by_hand(paths):
    return [path for path in paths if GENERATED not in path.parents]

def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (a package is its __init__)."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE_DIR).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([PACKAGE, *parts])] = path
    return found


def _imported(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that module imports anywhere in its file.

    `from hdgen.x import y` imports hdgen.x.y when y is a module, else hdgen.x;
    relative imports are resolved from module's own package.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                     for alias in node.names]
        else:
            continue
        for name in names:
            # `import hdgen.a.b` runs hdgen.a.b; its parents' __init__s are not part of its own cycle.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name.startswith(PACKAGE) and name != module:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {module: _imported(module, path, modules) for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected component with more than one module (Tarjan), its modules sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _path_through(graph: dict[str, set[str]], component: list[str]) -> str:
    """One import loop within component, as a -> b -> a, for the failure message."""
    members = set(component)
    start = component[0]
    trail, seen = [start], {start}
    node = start
    while True:
        nexts = sorted(t for t in graph[node] if t in members)
        back = [t for t in nexts if t == start]
        if back and len(trail) > 1:
            return " -> ".join(trail + [start])
        unvisited = [t for t in nexts if t not in seen]
        if not unvisited:
            return " -> ".join(trail + nexts[:1])
        node = unvisited[0]
        trail.append(node)
        seen.add(node)


def test_the_graph_sees_function_level_and_from_imports():
    graph = import_graph()
    assert "hdgen.project" in graph["hdgen.commands.render"]  # imported inside run()
    assert "hdgen.render.cache" in graph["hdgen.render.envs"]  # `from hdgen.render import cache as rendercache`
    assert "hdgen.render" in graph["hdgen.commands.render"]  # `from hdgen.render import render_envs`: the package


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles (imports inside functions count):\n" + "\n".join(
        f"  {_path_through(graph, component)}   [{', '.join(component)}]" for component in found
    )


def test_the_package_folder_stays_short():
    top = sorted(path.name for path in PACKAGE_DIR.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, (
        f"{len(top)} modules directly in generator/hdgen/ (at most {MAX_TOP_LEVEL_MODULES}): {', '.join(top)}; "
        "move some into the sub-package of their pipeline"
    )


def test_functions_stay_short():
    """A function over MAX_FUNCTION_LINES lines is split into named stages (see validate/pipeline.py)."""
    offenders = []
    for path in _written_by_hand(sorted(PACKAGE_DIR.rglob("*.py"))):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = node.end_lineno - start + 1
                if length > MAX_FUNCTION_LINES:
                    offenders.append(f"  {path.relative_to(PACKAGE_DIR)}:{node.lineno} {node.name}: {length} lines")
    assert not offenders, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(offenders)
