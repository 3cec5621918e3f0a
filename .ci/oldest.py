"""Print pip constraints pinning each runtime dependency to the oldest version pyproject allows."""

import re
import tomllib
from pathlib import Path

project = tomllib.loads(Path(__file__).parent.parent.joinpath("pyproject.toml").read_text())
for requirement in project["project"]["dependencies"]:
    name, lowest = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement).groups()
    print(f"{name}=={lowest}")
