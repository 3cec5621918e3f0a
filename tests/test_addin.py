"""The add-in: the workbook built by addin/build.py (VBA project, settings, Demo sheet), the
committed copy, and the xlwings Lite files."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import subprocess
import sys
import tomllib
import types
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

import bpo_cost
from bpo_cost import udfs

ROOT = Path(__file__).resolve().parents[1]
ADDIN = ROOT / "addin"
FUNCTIONS = {n: getattr(udfs, n) for n in udfs.__all__ if n.startswith("BPO_")}


@pytest.fixture(scope="module")
def build_script() -> Iterator[types.ModuleType]:
    """addin/build.py, imported (its dataclass needs it in sys.modules while it loads)."""
    spec = importlib.util.spec_from_file_location("addin_build", ADDIN / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.fixture(scope="module")
def built(build_script: types.ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = build_script.build(tmp_path_factory.mktemp("addin") / "bpo_cost.xlsm")
    return path


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def test_workbook_holds_the_xlwings_vba_project_of_the_pinned_release(built: Path) -> None:
    template = Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")
    assert member(built, "xl/vbaProject.bin") == member(template, "xl/vbaProject.bin")
    types_xml = member(built, "[Content_Types].xml").decode()
    assert (
        'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.'
        'macroEnabled.main+xml"' in types_xml
    )
    assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types_xml
    assert (
        'relationships/vbaProject" Target="vbaProject.bin"'
        in member(built, "xl/_rels/workbook.xml.rels").decode()
    )
    # The template embeds the VBA of the installed xlwings, which is the release the extra pins,
    # and that VBA loads the DLL of exactly that release.
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["excel"]
    assert extra == [f"xlwings=={xlwings.__version__}"]
    bas = Path(xlwings.__file__).with_name("xlwings.bas").read_text()
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in bas
    assert f'"xlwings64-{xlwings.__version__}.dll"' in bas


def test_settings_sheet_points_at_our_functions(built: Path) -> None:
    wb = openpyxl.load_workbook(built, keep_vba=True)
    assert wb.sheetnames == ["Demo", "Inputs", "xlwings.conf", "Lists"]
    conf = {r[0]: r[1] for r in wb["xlwings.conf"].iter_rows(max_col=2, values_only=True) if r[0]}
    assert conf["UDF Modules"] == "bpo_cost.udfs"
    assert conf["Interpreter_Win"] == "python"  # the README says when to change it
    assert conf["Use UDF Server"] is False and conf["Debug UDFs"] is False
    # the module named there exists and holds the functions
    assert importlib.util.find_spec(conf["UDF Modules"]) is not None


def test_build_is_reproducible(build_script: types.ModuleType, built: Path, tmp_path: Path) -> None:
    assert build_script.build(tmp_path / "again.xlsm").read_bytes() == built.read_bytes()


def sheet_contents(path: Path) -> dict[str, list[tuple[str, Any]]]:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    out = {}
    for ws in wb:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if isinstance(v, ArrayFormula):
                    v = (v.ref, v.text)
                if v is not None:
                    cells.append((c.coordinate, v))
        out[ws.title] = cells
    return out


def test_committed_workbook_is_current(built: Path) -> None:
    """addin/bpo_cost.xlsm is what the build script makes now (rerun it when this fails)."""
    committed = ADDIN / "bpo_cost.xlsm"
    assert member(committed, "xl/vbaProject.bin") == member(built, "xl/vbaProject.bin")
    assert sheet_contents(committed) == sheet_contents(built)
    assert committed.read_bytes() == built.read_bytes(), "same content, other bytes: rebuild"


# ----------------------------------------------------------------------------------- Demo sheet

CALL = re.compile(r"^=(BPO_[A-Z_]+)\((.*)\)$")


def resolve(wb: openpyxl.Workbook, home: Worksheet, ref: str) -> Any:
    """A formula argument's value as Excel passes it: a cell value, or rows of a range."""
    if ref in wb.defined_names:
        ref = wb.defined_names[ref].attr_text
    sheet, _, address = ref.rpartition("!")
    sheet = sheet.strip("'")
    ws = wb[sheet] if sheet else home
    address = address.replace("$", "")
    if ":" not in address:
        return ws[address].value
    return [[c.value for c in row] for row in ws[address]]


def demo_calls(path: Path) -> list[tuple[int, str, list[str], Any, Any]]:
    """Every BPO_* formula on the Demo sheet: (row, function, argument refs, value, expected)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Demo"]
    calls = []
    for row in ws.iter_rows():
        for cell in row:
            text = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
            match = CALL.match(text) if isinstance(text, str) else None
            if match:
                refs = match.group(2).split(",")
                result = FUNCTIONS[match.group(1)](*(resolve(wb, ws, r) for r in refs))
                calls.append(
                    (
                        cell.row,
                        match.group(1),
                        refs,
                        result,
                        cell.value
                        if isinstance(cell.value, ArrayFormula)
                        else ws.cell(cell.row, 3).value,
                    )
                )
    return calls


def test_demo_uses_every_function(built: Path) -> None:
    assert {c[1] for c in demo_calls(built)} == set(FUNCTIONS)


def test_demo_formulas_give_the_expected_column(built: Path) -> None:
    """Evaluating each Demo formula with the Python functions on the sheet's own cells gives
    the value written next to it, and each spill area fits its table."""
    wb = openpyxl.load_workbook(built)
    ws = wb["Demo"]
    for row, name, _, result, expected in demo_calls(built):
        if isinstance(expected, ArrayFormula):
            area = ws[expected.ref]
            assert expected.ref.startswith(f"A{row}:"), name
            assert (len(area), len(area[0])) == (len(result), len(result[0])), name
        else:
            if isinstance(result, float):
                # written with 12 significant digits (build._result_row)
                assert result == pytest.approx(expected, rel=1e-11), name
            else:
                assert result == expected == "never", name
            assert ws.cell(row, 4).value.startswith("=IFERROR(IF(AND(ISNUMBER(B")


def test_demo_labels_every_argument(built: Path) -> None:
    """Above each primitive's formula, column A names its arguments in signature order."""
    wb = openpyxl.load_workbook(built)
    ws = wb["Demo"]
    for row, name, refs, _, _ in demo_calls(built):
        if refs[0] == "bpo_case":
            continue
        labels = [ws.cell(int(re.sub(r"\D", "", r.split(":")[0])), 1).value for r in refs]
        assert labels == list(inspect.signature(FUNCTIONS[name]).parameters), name
        assert ws.cell(row, 1).value == "result"


# ------------------------------------------------------------------------------- xlwings Lite


def test_lite_main_imports_every_function() -> None:
    source = (ADDIN / "lite" / "main.py").read_text()
    tree = ast.parse(source)
    imported = {
        a.name
        for n in tree.body
        if isinstance(n, ast.ImportFrom) and n.module == "bpo_cost.udfs"
        for a in n.names
    }
    assert imported == set(FUNCTIONS)
    namespace: dict[str, Any] = {}
    exec(compile(tree, "main.py", "exec"), namespace)
    assert {n for n in namespace if n.startswith("BPO_")} == set(FUNCTIONS)


def test_lite_requirements_pin_this_release_without_the_excel_extra() -> None:
    lines = (ADDIN / "lite" / "requirements.txt").read_text().split()
    assert lines == [f"bpo-cost=={bpo_cost.__version__}"]  # Lite brings its own xlwings


def test_lite_import_path_starts_no_threads_or_processes() -> None:
    """The modules `import bpo_cost.udfs` loads (in a fresh interpreter) neither import nor use
    threading, subprocess, multiprocessing or concurrent: Pyodide has none of them."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bpo_cost.udfs; "
            "print(' '.join(m for m in sys.modules if m.startswith('bpo_cost')))",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    assert "bpo_cost.udfs" in out and "bpo_cost.workbook.recalc" not in out
    banned = {"threading", "subprocess", "multiprocessing", "concurrent", "_thread"}
    for name in out:
        spec = importlib.util.find_spec(name)
        assert spec and spec.origin
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        used = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        }
        used |= {
            (n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
        }
        assert not used & banned, name


def test_package_is_pure_python() -> None:
    """xlwings Lite installs bpo-cost from its wheel: no compiled code, no build hooks."""
    package = Path(bpo_cost.__file__).parent
    assert not [p for p in package.rglob("*") if p.suffix in {".so", ".pyd", ".c", ".pyx"}]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["build-system"]["build-backend"] == "hatchling.build"
    assert "hooks" not in pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]


def test_readme_covers_both_ways_in() -> None:
    text = (ADDIN / "README.md").read_text()
    for needed in (
        'pip install "bpo-cost[excel]"',
        "ImportPythonUDFs",
        "Interpreter_Win",
        "Trust access to the VBA project object model",
        "requirements.txt",
        "main.py",
        "bpo_cost.udfs",
        *FUNCTIONS,
    ):
        assert needed in text, needed
