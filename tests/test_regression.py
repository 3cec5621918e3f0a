"""Regression against release 0.1.0: `evaluate --json` and `--csv` give the same numbers.

The baselines in ``tests/baselines/`` were saved from release 0.1.0 (see its README) before the
package was restructured. They are a regression baseline, not golden values: correctness is
proven elsewhere (hand calculations, LibreOffice, pyxirr). Here, every number of every baseline
case must come out as it did then, to float round-off (1e-12 relative), and every key, component,
month and owner must be the same. Each baseline folder holds the case file its outputs were
computed from (``case.yaml``), so the bundled examples may change without moving the promise.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bpo_cost.cli import main

BASELINES = Path(__file__).parent / "baselines"
# one folder per baseline case: its case file and the outputs release 0.1.0 gave for it
CASES = sorted(p.name for p in BASELINES.iterdir() if p.is_dir())
OUTPUTS = ("case.yaml", "evaluate.json", "components.csv.gz", "summary.csv.gz", "totals.csv.gz")
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


def test_every_baseline_holds_its_case_and_outputs() -> None:
    # the four examples of release 0.1.0 and the multi-channel one saved with issue #13
    assert CASES == [
        "claims_back_office",
        "contact_centre_multichannel",
        "it_help_desk",
        "payroll",
        "voice_customer_service",
    ]
    for name in CASES:
        assert sorted(p.name for p in (BASELINES / name).iterdir()) == sorted(OUTPUTS), name


@pytest.mark.parametrize("name", CASES)
def test_evaluate_json_matches_release_0_1_0(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(BASELINES / name / "case.yaml"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    want = json.loads((BASELINES / name / "evaluate.json").read_text(encoding="utf-8"))
    same(got, want, name)


@pytest.mark.parametrize("name", CASES)
def test_evaluate_csv_matches_release_0_1_0(name: str, tmp_path: Path) -> None:
    assert main(["evaluate", str(BASELINES / name / "case.yaml"), "--csv", str(tmp_path)]) == 0
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
