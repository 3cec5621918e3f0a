"""Recalculate workbooks with headless LibreOffice, an independent spreadsheet engine.

openpyxl writes formulas without cached values; LibreOffice opens the file, recalculates every
formula (forced by a dedicated profile whose ``OOXMLRecalcMode`` is 0, "always") and saves the
values. Tests and benchmarks use it to prove that a workbook computes what the engine computes.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError

__all__ = ["find_soffice", "recalculate"]

_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """Path of the ``soffice`` executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(
    workbooks: Sequence[str | Path], outdir: str | Path, *, to: str = "xlsx", timeout: float = 300
) -> list[Path]:
    """Open each workbook in headless LibreOffice, recalculate, and save it as ``to`` in outdir.

    Returns the written paths in input order. Raises OutputError when LibreOffice is missing or a
    file did not come out (``soffice`` exits 0 even when a conversion fails).
    """
    soffice = find_soffice()
    if soffice is None:
        raise OutputError("LibreOffice (soffice) is not installed; install libreoffice-calc-nogui")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    sources = [Path(p).resolve() for p in workbooks]
    targets = [outdir / (p.stem + "." + to.split(":")[0]) for p in sources]
    if any(s.parent == outdir.resolve() for s in sources):
        raise OutputError("outdir must differ from the folder of the workbooks it recalculates")
    for t in targets:
        t.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="bpo-cost-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    missing = [str(t) for t in targets if not t.is_file()]
    if missing:
        raise OutputError(f"LibreOffice did not write {missing}: {done.stderr.strip()[:300]}")
    return targets
