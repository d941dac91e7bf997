"""The layout of ``server/`` is its architecture: imports only go down, and the low layers stay light.

The layers, lowest first (a module may import its own subpackage and any lower layer):

- ``server.settings``: the settings, declared as data;
- ``server.http``: serving, negotiation, errors, headers; no RDF beyond the format table;
- ``server.dataset``: sources, loading, validation, the IRI space; nothing web;
- ``server.engine``: where queries run (workers, external engines); nothing web;
- ``server.graph``: the published graph the routes talk to;
- ``server.sparql`` and ``server.site``: the two front ends, which never import each other;
- ``server`` itself, ``server.cli``, ``server.serving``, ``server.__main__``: the entry points.

The imports are read with :mod:`ast` (every ``import``, including those inside functions).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parent.parent / "server"

LAYERS = {
    "server.settings": 0, "server.http": 1, "server.dataset": 2, "server.engine": 3, "server.graph": 4,
    "server.sparql": 5, "server.site": 5,
    "server": 6,
}
# The entry points are one part: the application factory and the commands that start it.
ENTRY_POINTS = {"server", "server.cli", "server.serving", "server.__main__"}
# What the framework-free layers may take from HTTP: modules that import nothing web themselves.
FRAMEWORK_FREE_HTTP = {"server.http.problems", "server.http.lru"}
WEB = {"flask", "werkzeug", "granian", "flask_cors", "jinja2"}
RDF_LIBRARIES = {"rdflib", "pyshacl", "owlrl"}
HTTP_MAY_SERIALISE = {"server.http", "server.http.negotiation", "server.http.representations"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool) -> set[tuple[str, tuple[str, ...]]]:
    """What ``source`` (the text of ``module``) imports: (absolute module, names taken from it) pairs.

    >>> sorted(imports("from . import a\\nfrom ..http import lru\\nimport flask", "server.site.x", False))
    [('flask', ()), ('server.http', ('lru',)), ('server.site', ('a',))]
    """
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            found.add((".".join(base + ([node.module] if node.module else [])), tuple(a.name for a in node.names)))
    return found


def read_tree(root: Path) -> dict[str, set[str]]:
    """Every module of the tree at ``root`` with the modules it imports (a name taken from a package that
    is one of its modules counts as that module) and the third-party modules it imports."""
    raw = {}
    for path in root.rglob("*.py"):
        name = module_name(path, root)
        raw[name] = imports(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
    tree = {}
    for name, pairs in raw.items():
        tree[name] = set()
        for stem, names in pairs:
            modules = {f"{stem}.{n}" for n in names} & set(raw)
            tree[name] |= modules or {stem}
    return tree


def layer_of(module: str) -> tuple[str, int]:
    """The layer a module belongs to: its longest prefix in :data:`LAYERS`."""
    if module in ENTRY_POINTS:
        return "server", LAYERS["server"]
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in LAYERS:
            return prefix, LAYERS[prefix]
    raise KeyError(f"{module} is in no layer: add its subpackage to LAYERS")


def upward_imports(tree: dict[str, set[str]]) -> list[str]:
    """Imports of a module from the same or a higher layer of another part, and sideways between front ends."""
    found = []
    for module, names in sorted(tree.items()):
        home, level = layer_of(module)
        for name in sorted(n for n in names if n in tree):
            other, other_level = layer_of(name)
            if other != home and other_level >= level:
                found.append(f"{module} imports {name} ({other}, layer {other_level} >= {level})")
    return found


def cycles(tree: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles among the tree's modules (a package's ``__init__`` importing its own modules excepted)."""
    edges = {m: {n for n in names if n in tree and not m == n.rpartition(".")[0]} for m, names in tree.items()}
    found, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return found


def third_party(tree: dict[str, set[str]], prefixes: tuple[str, ...], banned: set[str],
                allowed_modules: set[str] = frozenset()) -> list[str]:
    return [f"{m} imports {n}" for m, names in sorted(tree.items())
            if m.startswith(prefixes) and m not in allowed_modules
            for n in sorted(names) if n.split(".")[0] in banned]


@pytest.fixture(scope="module")
def tree():
    return read_tree(SERVER)


def test_imports_only_go_down(tree):
    assert upward_imports(tree) == []


def test_no_import_cycles(tree):
    assert cycles(tree) == []


def test_dataset_and_engine_import_nothing_web(tree):
    assert third_party(tree, ("server.dataset", "server.engine"), WEB) == []
    reached = {f"{m} imports {n}" for m, names in tree.items() if m.startswith(("server.dataset", "server.engine"))
               for n in names if n.startswith("server.http") and n not in FRAMEWORK_FREE_HTTP | {"server.http"}}
    assert reached == set()
    assert third_party(tree, tuple(FRAMEWORK_FREE_HTTP), WEB) == []


def test_http_knows_no_rdf_beyond_the_format_table(tree):
    assert third_party(tree, ("server.http",), RDF_LIBRARIES | {"pyoxigraph"}, HTTP_MAY_SERIALISE) == []


def test_every_subpackage_says_what_it_holds_and_may_import():
    for init in SERVER.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "Imports:" in doc, f"{init.parent.name}/__init__.py does not say what it may import"


def _tree_with(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    root = tmp_path / "server"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return read_tree(root)


def test_the_check_fails_on_an_upward_import(tmp_path):
    tree = _tree_with(tmp_path, {
        "__init__.py": "", "graph.py": "", "http/__init__.py": "", "dataset/__init__.py": "",
        "site/__init__.py": "", "sparql/__init__.py": "",
        "http/errors.py": "from ..site import pages\n",       # HTTP reaching up into the site
        "dataset/sources.py": "def f():\n    from ..graph import Graph\n",  # inside a function still counts
        "site/pages.py": "from ..sparql import endpoint\n",   # sideways between front ends
        "sparql/endpoint.py": "from ..graph import current\n",  # allowed: the graph is below
    })
    assert upward_imports(tree) == [
        "server.dataset.sources imports server.graph (server.graph, layer 4 >= 2)",
        "server.http.errors imports server.site.pages (server.site, layer 5 >= 1)",
        "server.site.pages imports server.sparql.endpoint (server.sparql, layer 5 >= 5)",
    ]


def test_the_check_fails_on_a_cycle_and_on_flask_in_the_dataset(tmp_path):
    tree = _tree_with(tmp_path, {
        "__init__.py": "", "dataset/__init__.py": "",
        "dataset/a.py": "from . import b\n", "dataset/b.py": "from .a import x\nimport flask\n",
    })
    assert cycles(tree) == [["server.dataset.a", "server.dataset.b", "server.dataset.a"]]
    assert third_party(tree, ("server.dataset",), WEB) == ["server.dataset.b imports flask"]
