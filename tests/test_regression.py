"""Regression against release 0.1.0: `evaluate --json` and `--csv` give the same numbers.

The baselines in ``tests/baselines/`` were saved from release 0.1.0 (see its README) before the
package was restructured. They are a regression baseline, not golden values: correctness is
proven elsewhere (hand calculations, LibreOffice, pyxirr). Here, every number of every example
must come out as it did then, to float round-off (1e-12 relative), and every key, component,
month and owner must be the same.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bpo_cost import example_names, example_path
from bpo_cost.cli import main

BASELINES = Path(__file__).parent / "baselines"
REL = 1e-12  # round-off only: a change of method or of an input would be far larger
# Keys `evaluate --json` gained after release 0.1.0, and the issue that added each: allowed
# beside the release's keys (which keep their order and values); nothing else may appear.
ADDED_KEYS = {
    "discounting": "#15",
    "irr_meaningful": "#15",
    "irr_note": "#15",
    "lines": "#14",  # an option's delivery lines (options that have lines)
}


def same(got: Any, want: Any, where: str) -> None:
    """Equal structure and keys; numbers equal to round-off."""
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{where}: not a mapping"
        kept = [key for key in got if key not in ADDED_KEYS]
        assert kept == list(want), f"{where}: keys differ"
        for key in want:
            same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: lengths differ"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            same(g, w, f"{where}[{i}]")
    elif isinstance(want, float) and not isinstance(got, bool) and isinstance(got, int | float):
        assert math.isclose(got, want, rel_tol=REL, abs_tol=1e-9), f"{where}: {got} != {want}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


def test_baselines_cover_every_example() -> None:
    assert sorted(p.name for p in BASELINES.iterdir() if p.is_dir()) == example_names()


@pytest.mark.parametrize("name", example_names())
def test_evaluate_json_matches_release_0_1_0(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(example_path(name)), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    want = json.loads((BASELINES / name / "evaluate.json").read_text(encoding="utf-8"))
    same(got, want, name)


@pytest.mark.parametrize("name", example_names())
def test_evaluate_csv_matches_release_0_1_0(name: str, tmp_path: Path) -> None:
    assert main(["evaluate", str(example_path(name)), "--csv", str(tmp_path)]) == 0
    for table in ("components", "summary", "totals"):
        want = pd.read_csv(BASELINES / name / f"{table}.csv.gz")
        got = pd.read_csv(tmp_path / f"{table}.csv")
        assert list(got.columns) == list(want.columns), f"{name} {table}.csv: columns differ"
        assert len(got) == len(want), f"{name} {table}.csv: rows differ"
        for column in want.columns:
            if pd.api.types.is_float_dtype(want[column]):
                pd.testing.assert_series_equal(
                    got[column].astype(float), want[column], rtol=REL, atol=1e-9
                )
            else:
                assert got[column].tolist() == want[column].tolist(), f"{table}.{column}"
