"""Sphinx configuration of the bpo-cost documentation (MyST Markdown, executed with myst-nb).

Build: ``pip install -e ".[docs]"``, then
``sphinx-build -W --keep-going -b html docs docs/_build/html``. The reference pages are generated
from the code when the build starts (``_ext/bpo_reference.py``), and the build fails when a
case-file field, cost component, Excel function or command is missing from the built site.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import bpo_cost

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
# the executed pages run in a kernel started here: rich tables as wide as the page, no colour
os.environ.setdefault("COLUMNS", "100")
os.environ.setdefault("NO_COLOR", "1")

project = "bpo-cost"
author = "bpo-cost contributors"
copyright = "bpo-cost contributors"
version = release = bpo_cost.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "bpo_reference",
]
exclude_patterns = [
    "reference/generated/rate-coverage.md",
    "_build",
    "Thumbs.db",
    ".DS_Store",
    ".jupyter_cache",
    "jupyter_execute",
]

# MyST: GitHub-style heading anchors, so methodology.md#staffing works here as on GitHub
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath", "colon_fence"]

# myst-nb: run every page with code cells at build time; a failing cell fails the build
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_merge_streams = True

# autodoc: numpydoc docstrings, members in source order, types from the signatures
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True

html_theme = "furo"
html_title = f"bpo-cost {release}"
