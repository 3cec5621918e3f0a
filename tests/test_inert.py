"""Outside text cannot act on the terminal (issue "Reliability round 2", item 4)."""

from __future__ import annotations

import pytest
import yaml
from rich.console import Console

from bpo_cost import example_path
from bpo_cost.cli import main
from bpo_cost.core.text import inert

HOSTILE = [
    "\x1b[2J\x1b]0;owned\x07",  # clear screen, retitle
    "\x9b31m",  # C1 CSI
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "[link=https://evil.example]click[/link]",
    "[/x]",
    "[bold red]loud",
    "tail\\",
    "\u202eoverride\ufffe",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_inert_leaves_no_control_and_prints_as_written(text):
    safe = inert(text)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in safe)
    assert "\u202e" not in safe and "\ufffe" not in safe
    console = Console(width=200, record=True, force_terminal=False)
    console.print(safe)  # markup escaped: rich neither fails nor acts on it
    shown = console.export_text().rstrip("\n")
    expected = inert(text, markup=False)
    assert shown == expected


def test_cli_shows_hostile_case_text_inert(capsys, tmp_path):
    data = yaml.safe_load(example_path().read_text())
    data["name"] = "Desk \x1b[2J[link=https://evil.example]x[/link]"
    data["workload"]["unit"] = "[/x]call\x1b]0;t\x07"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "[link=https://evil.example]x[/link]" in out


def test_cli_errors_are_inert(capsys, tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("name: x\n\x1b[2Jbogus_key\x1b]0;t: 1\n".replace("\x1b", "\\e"))
    data = yaml.safe_load(example_path().read_text())
    data["inhouse"]["\x1b[2Jkey"] = 1
    path.write_text(yaml.safe_dump(data))
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "[2Jkey" in err
