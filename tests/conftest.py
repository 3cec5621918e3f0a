from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from bpo_cost.workbook.recalc import find_soffice, recalculate


@pytest.fixture(scope="session")
def recalc(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Sequence[Path]], list[Path]]:
    """Recalculate workbooks with headless LibreOffice. Missing LibreOffice fails under CI."""
    if find_soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed")
    counter = iter(range(10**6))

    def run(paths: Sequence[Path]) -> list[Path]:
        return recalculate(paths, tmp_path_factory.mktemp(f"recalc{next(counter)}"))

    return run


@pytest.fixture
def evaluate_at_80(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[[Mapping[str, Any]], str]:
    """``bpo-cost evaluate`` on a case (as its file's data) in an 80-column terminal: what it
    prints."""
    from bpo_cost.cli import main, tables

    monkeypatch.setattr(tables, "terminal_width", lambda: 80)

    def run(case: Mapping[str, Any]) -> str:
        path = tmp_path / "case.yaml"
        path.write_text(yaml.safe_dump(dict(case)), encoding="utf-8")
        assert main(["evaluate", str(path)]) == 0
        return capsys.readouterr().out

    return run
