"""The decision memo: a short PDF whose every figure is the engine's, read back from its text."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bpo_cost import evaluate, write_memo
from bpo_cost.analysis import sensitivity, simulate
from bpo_cost.case.examples import example_names, example_path
from bpo_cost.case.fields import input_label
from bpo_cost.cli import app
from bpo_cost.engine.components import COMPONENT_BY_KEY, INHOUSE, display_name
from bpo_cost.errors import InputError, OutputError

pypdf = pytest.importorskip("pypdf")
DRAWS = 400


def _text(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def _money(x: float) -> str:  # formatted here, independently of the memo's own helpers
    return f"{x:,.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


@pytest.fixture(scope="module")
def memos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("memo")
    return {
        n: write_memo(example_path(n), folder / f"{n}.pdf", draws=DRAWS, seed=3)
        for n in example_names()
    }


@pytest.mark.parametrize("name", example_names())
def test_every_memo_figure_is_the_engines(memos: dict[str, Path], name: str) -> None:
    pages, text = _text(memos[name])
    flat = re.sub(r"\s+", " ", text)
    assert 2 <= pages <= 4
    result = evaluate(example_path(name))
    s = result.summary()
    options = s.drop(index=INHOUSE)
    best = options.sort_values("npv_cost", kind="stable").iloc[0]
    if best["npv_savings"] > 0:
        assert f"{best.name} saves {_money(best['npv_savings'])} {result.case.currency} in NPV" in (
            flat
        )
    else:
        assert "Keep in-house" in flat
    for owner, r in s.iterrows():
        for figure in (_money(r["tco"]), _money(r["npv_cost"])):
            assert figure in text, (owner, figure)
        if owner == INHOUSE:
            continue
        for figure in (_money(r["npv_savings"]), _pct(r["savings_pct"])):
            assert figure in text, (owner, figure)
        note = result.irr_note(s.index.get_loc(owner))
        if note is not None:  # the engine says the IRR is not meaningful: the memo says why
            assert f"{display_name(owner)}: {note}" in flat, (owner, note)
        elif not math.isnan(r["irr"]):
            assert _pct(r["irr"]) in text, (owner, r["irr"])
    target = str(best.name)
    totals = result.monthly(tidy=True).groupby(["owner", "component"])["cost"].sum()[target]
    for key in ("transition.parallel_run", "governance", "exit"):
        if totals.get(key, 0.0):
            assert _money(float(totals[key])) in text, key
            assert COMPONENT_BY_KEY[key].label[:20] in flat, key
    tornado = sensitivity(example_path(name))
    top = tornado[tornado["owner"] == target].iloc[0]
    # the memo names an input as the case layer labels it (owner and field description)
    label = input_label(result.case, str(top["path"]), unit=False)
    assert label[:30] in flat
    case = result.case
    if case.uncertainty:
        risk = simulate(example_path(name), n=DRAWS, seed=3).summary().loc[target]
        for key in ("npv_savings_P10", "npv_savings_P50", "npv_savings_P90"):
            assert _money(risk[key]) in text, key
        assert _pct(risk["p_cheaper_than_inhouse"]) in text
        assert display_name(target) in flat


def test_the_memo_is_the_same_file_every_time(memos: dict[str, Path], tmp_path: Path) -> None:
    again = write_memo(example_path("payroll"), tmp_path / "payroll.pdf", draws=DRAWS, seed=3)
    assert again.read_bytes() == memos["payroll"].read_bytes()


@pytest.mark.parametrize(
    ("path", "draws", "field"),
    [("memo.txt", 10, "memo path"), ("memo.pdf", -1, "draws"), ("memo.pdf", 2.5, "draws")],
)
def test_bad_arguments_name_the_field(tmp_path: Path, path: str, draws: object, field: str) -> None:
    with pytest.raises(InputError, match=field):
        write_memo(example_path("payroll"), tmp_path / path, draws=draws)  # type: ignore[arg-type]


def test_the_cli_writes_the_memo(tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    done = CliRunner().invoke(
        app, ["memo", str(example_path("payroll")), "-o", str(out), "--draws", "0"]
    )
    assert done.exit_code == 0, done.output
    pages, text = _text(out)
    assert pages == 3 and "Decision Table" in text


def test_without_matplotlib_the_memo_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    with pytest.raises(OutputError, match=r"pip install 'bpo-cost\[plot\]'"):
        write_memo(example_path("payroll"), tmp_path / "m.pdf", draws=0)
    assert not (tmp_path / "m.pdf").exists()


def test_when_no_option_saves_the_memo_says_keep_in_house(tmp_path: Path) -> None:
    import yaml

    case = yaml.safe_load(example_path("payroll").read_text(encoding="utf-8"))
    for option in case["options"]:
        option["pricing"]["price"] = 100.0  # per payslip: every offer far above in-house
    assert (evaluate(case).summary()["npv_savings"].drop(index=INHOUSE) < 0).all()
    _, text = _text(write_memo(case, tmp_path / "keep.pdf", draws=0))
    assert "Keep in-house: no option costs less in NPV." in re.sub(r"\s+", " ", text)
