"""Tests of rule LOG009 (`mlaudit/rules/logging/log009_all_warnings_silenced.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

SILENCED = """\
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def fit(x):
    warnings.simplefilter(action="ignore")
    return np.nanmean(x)
"""

# look-alikes: a named category, message or module, a positional category, and a blanket
# filter scoped by catch_warnings(), which restores the filters on exit
NARROWED = """\
import warnings

import numpy as np

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", message=".*weights_only.*")
warnings.simplefilter("ignore", DeprecationWarning)
warnings.filterwarnings("default")


def fit(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.nanmean(x)
"""


def test_blanket_ignore_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/fit.py": SILENCED})
    hits = findings(tmp_path, "LOG009")
    assert [(f.path, f.line) for f in hits] == [("pkg/fit.py", 5), ("pkg/fit.py", 9)]
    assert hits[1].message == "warnings.simplefilter('ignore') in fit() silences every warning of the process"


def test_narrowed_or_scoped_filters_stay_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/fit.py": NARROWED})
    assert findings(tmp_path, "LOG009") == []
