"""What the project cites, it contains.

No file in the repository or the wheel points readers to the project's private domain notes,
which users do not have; every section of ``docs/methodology.md`` cited anywhere (code, docs,
example cases, the cells of the committed workbooks) is a heading of that document; the
wheel ships that document; and the savings the document quotes for the bundled examples are the
ones the engine computes.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import subprocess
import tomllib
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import bpo_cost
from bpo_cost.errors import BpoCostWarning

ROOT = Path(__file__).resolve().parent.parent
METHODOLOGY = ROOT / "docs" / "methodology.md"

# The sections other files cite, in the order the document has them.
SECTIONS = (
    "conventions",
    "in-house-cost",
    "staffing",
    "pricing",
    "clauses",
    "hidden-costs",
    "taxes",
    "dated-costs",
    "termination",
    "decision-figures",
    "rate-cards",
    "realised-savings",
    "sources",
)

_PRIVATE_NOTES = re.compile(r"DOMAIN\.md", re.IGNORECASE)
_CITATION = re.compile(r"methodology\.md#([\w-]+)")
_INTERNAL_LINK = re.compile(r"\]\(#([\w-]+)\)")

# History records what changed, old citations included.
_HISTORY = re.compile(r"^(docs/history/|(CHANGELOG|HISTORY|NEWS)(\.\w+)?$)")


# Folders never shipped and never committed, for a tree without git (an unpacked sdist).
_NOT_SOURCE = {
    ".git",
    "__pycache__",
    "build",
    "dist",
    "out",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
}


def _repo_files() -> list[str]:
    """Every file of the source tree, relative, with '/': git's view (tracked and new files)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        names = [n for n in listed.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):  # no git, or not a checkout
        names = []
        for folder, dirs, files in os.walk(ROOT):
            dirs[:] = [
                d
                for d in dirs
                if d not in _NOT_SOURCE
                and not d.startswith(".venv")
                and not d.endswith(".egg-info")
            ]
            names += [(Path(folder) / f).relative_to(ROOT).as_posix() for f in files]
    return sorted(n for n in names if (ROOT / n).is_file() and not _HISTORY.match(n))


def _texts(name: str) -> Iterator[tuple[str, str]]:
    """(where, text) for a file: the file itself, each member of a zip (xlsx, xlsm) or gzip."""
    path = ROOT / name
    if not path.is_file():
        return
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield f"{name}!{member}", archive.read(member).decode("utf-8", "ignore")
    elif data.startswith(b"\x1f\x8b"):
        yield name, gzip.decompress(data).decode("utf-8", "ignore")
    else:
        yield name, data.decode("utf-8", "ignore")


@pytest.fixture(scope="module")
def repo_texts() -> dict[str, str]:
    return {where: text for name in _repo_files() for where, text in _texts(name)}


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a Markdown text's headings (and any explicit ``{#id}``)."""
    anchors: set[str] = set()
    seen: Counter[str] = Counter()
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if fenced or heading is None:
            continue
        text = heading.group(1)
        explicit = re.search(r"\{#([\w-]+)\}$", text)
        if explicit:
            anchors.add(explicit.group(1))
            text = text[: explicit.start()]
        # lower case, punctuation out (letters, digits, _, - and spaces stay), spaces to hyphens
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        anchors.add(f"{slug}-{seen[slug]}" if seen[slug] else slug)
        seen[slug] += 1
    return anchors


def _section(markdown: str, anchor: str) -> str:
    """The text of the level-2 section whose anchor is ``anchor``."""
    parts = re.split(r"^## ", markdown, flags=re.M)
    for part in parts[1:]:
        if _anchors("## " + part.splitlines()[0]) == {anchor}:
            return part
    raise AssertionError(f"no section #{anchor}")


def test_anchors_follow_github_rules():
    text = "# Title\n## In-house cost\n```\n## not a heading\n```\n## Q&A: `x`\n## In-house cost\n"
    assert _anchors(text) == {"title", "in-house-cost", "qa-x", "in-house-cost-1"}


def test_methodology_has_the_cited_sections_in_order():
    text = METHODOLOGY.read_text(encoding="utf-8")
    level2 = [_anchors(line).pop() for line in text.splitlines() if line.startswith("## ")]
    assert tuple(level2) == SECTIONS


def test_no_file_points_to_the_private_notes(repo_texts: dict[str, str]):
    found = sorted(where for where, text in repo_texts.items() if _PRIVATE_NOTES.search(text))
    assert not found, f"cite docs/methodology.md#<section> or the original source instead: {found}"


def test_every_cited_section_exists(repo_texts: dict[str, str]):
    methodology = METHODOLOGY.read_text(encoding="utf-8")
    anchors = _anchors(methodology)
    cited = {
        (where, anchor) for where, text in repo_texts.items() for anchor in _CITATION.findall(text)
    }
    cited |= {("docs/methodology.md", a) for a in _INTERNAL_LINK.findall(methodology)}
    missing = sorted((where, a) for where, a in cited if a not in anchors)
    assert not missing, f"no such heading in docs/methodology.md: {missing}"
    assert cited, "nothing cites the methodology: is the scan reading the tree?"


def test_the_wheel_ships_the_methodology_and_the_scan_covers_the_wheel():
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"][
        "targets"
    ]["wheel"]
    # beside the rate cards, so a citation "docs/methodology.md" resolves under bpo_cost/_data/
    assert wheel["force-include"]["docs/methodology.md"] == "bpo_cost/_data/docs/methodology.md"
    files = _repo_files()
    for source in [*wheel["packages"], *wheel["force-include"]]:
        assert any(f == source or f.startswith(source + "/") for f in files), source


def test_realised_savings_quotes_the_engine():
    """The savings the methodology quotes for the bundled examples are the engine's."""
    section = _section(METHODOLOGY.read_text(encoding="utf-8"), "realised-savings")
    quoted = {
        (example, option): float(pct)
        for example, option, pct in re.findall(
            r"^\| (\w+) \| ([^|]+?) \| (-?\d+\.\d) \|$", section, re.M
        )
    }
    computed = {}
    for example in bpo_cost.example_names():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BpoCostWarning)
            summary = bpo_cost.evaluate(bpo_cost.example_path(example)).summary()
        for option, pct in summary["savings_pct"].drop("inhouse").items():
            computed[(example, str(option))] = round(100 * float(pct), 1)
    assert quoted == computed
