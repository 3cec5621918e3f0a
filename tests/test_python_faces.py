"""Python: labelled Monte Carlo results, datetime64 dates, grids with payback and IRR
(issue "Analyst experience", item 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from bpo_cost import evaluate, example_path, simulate
from bpo_cost.analysis import scenario_grid


def test_tidy_frame_dates_are_datetime64():
    result = evaluate(example_path("payroll"))
    tidy = result.monthly(tidy=True)
    assert pd.api.types.is_datetime64_any_dtype(tidy["date"])
    first = tidy[tidy["month"] == 1]["date"].unique()
    assert list(first) == [pd.Timestamp(result.case.start)]
    assert tidy["date"].max() == pd.Timestamp(result.dates[-1])


def test_scenario_grid_payback_and_irr_are_those_of_evaluate():
    path = example_path("claims_back_office")
    grid = scenario_grid(path, {"workload.volume_per_month": [9000, 15000]})
    data = yaml.safe_load(path.read_text())
    for volume in (9000, 15000):
        data["workload"]["volume_per_month"] = volume
        expected = evaluate(data).summary()  # the case evaluated on its own
        rows = grid[grid["workload.volume_per_month"] == volume].set_index("owner")
        for column in ("tco", "payback_month", "irr"):
            np.testing.assert_array_equal(
                rows[column].to_numpy(), expected[column].to_numpy(), err_msg=column
            )


def test_monte_carlo_results_are_labelled():
    sim = simulate(example_path("claims_back_office"), n=300, seed=3)
    tco = sim.frame("tco")
    assert tco.index.name == "draw" and tco.columns.name == "owner"
    assert list(tco.columns) == sim.owners
    np.testing.assert_array_equal(tco.to_numpy(), sim.tco)
    savings = sim.frame("npv_savings")
    np.testing.assert_array_equal(savings.to_numpy(), sim.npv_cost[:, :1] - sim.npv_cost)
    sampled = sim.sampled()
    assert list(sampled.columns) == sim.labels and sampled.shape == (300, len(sim.inputs))
    np.testing.assert_array_equal(sampled.to_numpy(), sim.draws)


def test_readme_python_example_runs(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    block = re.search(r"```python\n(import bpo_cost\n.*?)```", readme, re.S)
    assert block is not None
    monkeypatch.chdir(tmp_path)  # it writes claims.xlsx
    namespace: dict = {}
    exec(block.group(1).replace("n=100_000", "n=2_000"), namespace)
    said = re.search(r"be\.value, be\.exact  # \((\d+\.\d+)\.\.\., True\)", block.group(1))
    assert said is not None  # the README states the break-even it expects
    assert f"{namespace['be'].value:.3f}" == said.group(1) and namespace["be"].exact
    assert {"payback_month", "irr"} <= set(namespace["grid"].columns)
    assert (tmp_path / "claims.xlsx").is_file()
