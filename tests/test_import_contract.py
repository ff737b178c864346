"""The import rules of docs/architecture.md, checked over the source tree (issue 21):

- `pipelines` (computing) never imports `dashboard` (showing) or streamlit;
- the engine (`pipelines/metrics/_*.py`, `pipelines/privacy/`) never imports a family module;
- no family imports another family's internals: a module of `pipelines/families/<a>/` or
  `dashboard/families/<a>/` may import family <b>'s package (its `__init__`, the names it
  exports) but not `pipelines.families.<b>.<module>`;
- imports form no cycle, whether at module level or inside functions.

Imports are read with `ast` from every file, including those inside functions (an import
placed in a function still couples the modules: it only postpones the cycle to the first
call), so no rule can be dodged by moving an import into a function. Imports under
`if TYPE_CHECKING:` never run and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# `equity snapshot` renders the PDF, which lives with the dashboard's figure builders; until
# the PDF moves beside the families' blocks (issue 21) this is the one computing -> showing edge
SHOWING_ALLOWED = {"pipelines/commands/snapshot.py"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Modules imported by the file (relative imports resolved)."""
    return imports_in(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py", top_level_only)


def imports_in(source: str, module: str, is_package: bool, top_level_only: bool = False) -> set[str]:
    """Modules imported by `source`, the text of `module` (relative imports resolved)."""
    tree = ast.parse(source)
    here = module.split(".")
    package = here if is_package else here[:-1]
    typing_only = {id(n) for node in ast.walk(tree) if _is_type_checking(node) for n in ast.walk(node)}
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    nodes = [n for n in nodes if id(n) not in typing_only]  # `if TYPE_CHECKING:` never runs
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join(base + ([node.module] if node.module else []))
            out.add(mod)
            out |= {f"{mod}.{alias.name}" for alias in node.names}
    return out


def _is_type_checking(node) -> bool:
    return isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"


def graph(top_level_only: bool) -> dict[str, set[str]]:
    files = list((ROOT / "pipelines").rglob("*.py")) + list((ROOT / "dashboard").rglob("*.py"))
    names = {module_name(f) for f in files}
    out = {}
    for f in files:
        me = module_name(f)
        # a module importing its own package (`from . import x`, `from .. import __version__`) is
        # how Python packages work, not a cycle between modules
        found = {m for m in imports(f, top_level_only) if m in names and not me.startswith(m + ".")}
        out[me] = found - {me}
    return out


def cycles(g: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, result, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                result.append(comp)

    for v in list(g):
        if v not in index:
            visit(v)
    return result


def test_computing_never_imports_showing():
    for f in (ROOT / "pipelines").rglob("*.py"):
        allowed = ("dashboard",) if str(f.relative_to(ROOT)) in SHOWING_ALLOWED else ()
        bad = {
            m for m in imports(f) if m.split(".")[0] in ("dashboard", "streamlit") and m.split(".")[0] not in allowed
        }
        assert not bad, f"{f.relative_to(ROOT)} imports {sorted(bad)}"


def test_engine_never_imports_a_family():
    engine = list((ROOT / "pipelines" / "metrics").glob("*.py")) + list((ROOT / "pipelines" / "privacy").glob("*.py"))
    for f in engine:
        bad = {m for m in imports(f) if m.startswith("pipelines.families")}
        assert not bad, f"{f.relative_to(ROOT)} imports family modules {sorted(bad)}"


def test_the_engine_folder_holds_only_the_engine():
    """Families live in pipelines/families/ (docs/architecture.md); a family module or registry
    file put back in pipelines/metrics/ would be neither found by the registry nor checked here."""
    stray = [
        p.name
        for p in (ROOT / "pipelines" / "metrics").iterdir()
        if p.is_file() and not (p.name.startswith("_") or p.name == "dimensions.yml")
    ]
    assert stray == []


def family_of(module: str) -> str | None:
    """`hiring` for pipelines.families.hiring.funnel and dashboard.families.hiring.page_hiring."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "families" and parts[0] in ("pipelines", "dashboard") else None


def cross_family_internals(g: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) where a family's module imports another family's module rather
    than its package."""
    out = []
    for me, targets in g.items():
        mine = family_of(me)
        if mine is None:
            continue
        for m in targets:
            theirs = family_of(m)
            if theirs is not None and theirs != mine and len(m.split(".")) > 3:
                out.append((me, m))
    return sorted(out)


def test_no_family_imports_another_familys_internals():
    assert cross_family_internals(graph(top_level_only=False)) == []


def test_the_family_check_finds_a_deliberate_reach_into_another_family():
    g = {"dashboard.families.voice.blocks": {"pipelines.families.hiring.funnel", "pipelines.families.hiring"}}
    assert cross_family_internals(g) == [("dashboard.families.voice.blocks", "pipelines.families.hiring.funnel")]
    g = {"dashboard.families.hiring.blocks": {"pipelines.families.hiring.funnel"}}  # its own family: allowed
    assert cross_family_internals(g) == []


def test_no_module_level_cycles():
    assert cycles(graph(top_level_only=True)) == []


def test_no_cycles_through_function_level_imports():
    assert cycles(graph(top_level_only=False)) == []


def test_the_cycle_check_finds_a_deliberate_cycle():
    g = graph(top_level_only=True)
    g["pipelines.sqlsafe"] = g.get("pipelines.sqlsafe", set()) | {"pipelines.build"}  # build imports sqlsafe
    assert any({"pipelines.sqlsafe", "pipelines.build"} <= c for c in cycles(g))
    with pytest.raises(AssertionError):
        assert cycles(g) == []


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function():
    """The way the engine <-> results-database cycle once survived: the engine imports _results
    at module level, and _results imported the engine back inside a function."""
    hidden = "def late(con):\n    from ._engine import finalize\n\n    return finalize\n"
    found = imports_in(hidden, "pipelines.metrics._results", is_package=False)
    assert "pipelines.metrics._engine" in found
    g = graph(top_level_only=False)
    g["pipelines.metrics._results"] = g["pipelines.metrics._results"] | found
    assert any({"pipelines.metrics._engine", "pipelines.metrics._results"} <= c for c in cycles(g))
    # read at module level only, the same file imports nothing: the function hid the cycle
    assert imports_in(hidden, "pipelines.metrics._results", is_package=False, top_level_only=True) == set()
