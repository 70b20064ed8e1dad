"""The plugin API's shape: one module to import, declarations by keyword, no typer and no company checks in plugins."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

import bizops.api as api
from bizops.api import Column, CommandSpec, Company, Extension, Field, Rule, Setting

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "bizops"
PLUGIN_SOURCES = sorted((SRC / "plugins").rglob("*.py")) + sorted(
    p for p in (REPO / "plugins-contrib").rglob("bizops_*/*.py") if "build" not in p.parts
)


def imports(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, level) of every import in a file; `import a.b` is ("a.b", 0)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
    return found


@pytest.mark.parametrize("path", PLUGIN_SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_plugins_import_nothing_of_bizops_but_bizops_api(path):
    for line, module, level in imports(path):
        where = f"{path.relative_to(REPO)}:{line}"
        if level == 0:
            assert module == "bizops.api" or not module.startswith("bizops"), f"{where} imports {module}"
        else:
            assert level == 1, f"{where}: relative imports stay inside the plugin's package"


def test_typer_and_click_are_imported_only_by_the_command_line():
    allowed = {SRC / "cli.py"} | set((SRC / "commands").glob("*.py"))
    for path in SRC.rglob("*.py"):
        for line, module, _ in imports(path):
            if module.split(".")[0] in ("typer", "click"):
                assert path in allowed, f"{path.relative_to(REPO)}:{line} imports {module}"


def test_no_plugin_checks_which_company_it_is_asked_about():
    for root in (SRC, REPO / "plugins-contrib"):
        for path in root.rglob("*.py"):
            if "build" not in path.parts:
                assert "company != " not in path.read_text(encoding="utf-8"), path


def test_the_api_is_versioned_and_exports_what_it_lists():
    assert re.fullmatch(r"\d+\.\d+", api.API_VERSION) and api.API_VERSION.startswith("1.")
    assert sorted(api.__all__) == sorted(set(api.__all__))
    for name in api.__all__:
        assert hasattr(api, name), name
    public = {n for n in vars(api) if not n.startswith(("_", "@")) and n != "annotations"}  # @: pytest's rewriting
    assert public == set(api.__all__)


def test_bizops_ships_its_type_hints():
    assert (SRC / "py.typed").is_file()
    assert '"py.typed"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "make",
    [
        lambda: Field("x", "int", "the help"),
        lambda: Column("x", "text", "中文"),
        lambda: Setting("x", "int", 1, "the help"),
        lambda: Rule("acme.x", "clause 1", "what it says"),
        lambda: Company("acme", "阿克米"),
        lambda: Extension("cable", "1.0"),
        lambda: CommandSpec((), (), "help"),
    ],
)
def test_translations_and_options_are_keywords_only(make):
    with pytest.raises(TypeError):
        make()


def test_declarations_are_read_only_values():
    field = Field("qty", "int", en="quantity", zh="数量", default=1, ge=1)
    assert field == Field("qty", "int", en="quantity", zh="数量", default=1, ge=1) != field.replace(ge=0)
    assert field.replace(ge=0).ge == 0 and field.ge == 1
    assert hash(field) == hash(Field("qty", "int", en="quantity", zh="数量", default=1, ge=1))
    with pytest.raises(AttributeError, match="read-only"):
        field.ge = 0  # type: ignore[misc]
    with pytest.raises(TypeError, match="no attribute 'gee'"):
        field.replace(gee=0)
    assert repr(Rule("a.b", "c", en="d")) == "Rule(id='a.b', clause='c', en='d', zh='')"
    setting = Setting("floor", "pct", Decimal(90), en="Floor", zh="底价")
    assert (setting.help("zh"), setting.help("en")) == ("底价", "Floor")
    assert Company("acme", commands=None).commands == {}
