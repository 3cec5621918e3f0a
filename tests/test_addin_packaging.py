"""The add-in ships in the package: `bpo-cost addin DIR` copies it out (issue "Analyst
experience", item 5)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bpo_cost.cli import main
from bpo_cost.cli.reference import ADDIN_FILES

ROOT = Path(__file__).parent.parent


def test_addin_copies_the_workbook_and_lite_files(capsys, tmp_path):
    assert main(["addin", str(tmp_path / "xl")]) == 0
    out = capsys.readouterr().out
    for name in ADDIN_FILES:
        assert (tmp_path / "xl" / name).read_bytes() == (ROOT / "addin" / name).read_bytes()
    assert "xlwings==" in out and 'pip install "bpo-cost[excel]"' in out


def test_addin_will_not_overwrite_without_force(capsys, tmp_path):
    assert main(["addin", str(tmp_path)]) == 0
    assert main(["addin", str(tmp_path)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert main(["addin", str(tmp_path), "--force"]) == 0


def test_the_wheel_carries_every_addin_file():
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"][
        "targets"
    ]["wheel"]["force-include"]
    for name in ADDIN_FILES:
        assert include[f"addin/{name}"] == f"bpo_cost/_data/addin/{name}"


def test_readme_gives_a_route_from_a_clone_and_a_wheel():
    text = (ROOT / "addin" / "README.md").read_text()
    assert 'pip install ".[excel]"' in text and ".whl[excel]" in text
    assert "bpo-cost addin" in text and "releases/download" in text
    assert (ROOT / "RELEASING.md").is_file()
