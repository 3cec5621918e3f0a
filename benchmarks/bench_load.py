"""Case loading: ``evaluate(path)`` and refusing a hostile YAML file, C parser against pure Python.

Run: ``python benchmarks/bench_load.py``. The baseline is the same code with the pure-Python
PyYAML parser (``yaml.SafeLoader``), measured in this run; prints medians and ratios.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from _timing import median_of

from bpo_cost import evaluate, example_path
from bpo_cost.case import reading
from bpo_cost.errors import InvalidCaseError


def timed(loader: type[yaml.SafeLoader], repeats: int, fn: object) -> float:
    saved = reading.SafeLoader
    reading.SafeLoader = loader
    try:
        return median_of(repeats, fn)  # type: ignore[arg-type]
    finally:
        reading.SafeLoader = saved


def refuse(path: Path) -> None:
    try:
        evaluate(path)
    except InvalidCaseError:
        return
    raise AssertionError(f"{path.name} was accepted")


def main() -> None:
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None:
        print("PyYAML has no C parser here (libyaml missing): nothing to compare")
        return
    claims = example_path("claims_back_office")
    folder = Path(tempfile.mkdtemp())
    hostile = folder / "hostile.yaml"  # ~2 MB of one flat list: a million nodes
    hostile.write_text("name: x\nlist: [" + "1," * 999_990 + "1]\n")
    rows = [
        ("evaluate(claims)", 50, lambda: evaluate(claims)),
        (f"refuse {hostile.stat().st_size / 1e6:.1f} MB YAML", 5, lambda: refuse(hostile)),
    ]
    print(f"{'':28} {'C parser':>10} {'pure Python':>12} {'ratio':>7}")
    for label, repeats, fn in rows:
        fast = timed(c_loader, repeats, fn)
        slow = timed(yaml.SafeLoader, repeats, fn)
        print(f"{label:28} {fast * 1e3:8.2f} ms {slow * 1e3:10.2f} ms {slow / fast:6.1f}x")


if __name__ == "__main__":
    main()
