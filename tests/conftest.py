from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

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
