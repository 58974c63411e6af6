"""Tests of rule API004 (`mlaudit/rules/interfaces/api004_global_mutable_state.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree
from tests.rules.interfaces._helpers import SMALL_REPO, _padded


def test_api004_global_rebound_and_lazy_singleton_is_info(tmp_path: Path) -> None:
    code = (
        "best = None\n_model = None\n\n\ndef update(m):\n    global best\n    best = m\n\n\n"
        "def get_model():\n    global _model\n    if _model is None:\n        _model = object()\n    return _model\n"
    )
    write_tree(tmp_path, {"state.py": code})
    hits = findings(tmp_path, "API004", **SMALL_REPO)
    assert [(h.message, h.severity) for h in hits] == [
        ("global best rebound in update()", Severity.WARNING),
        ("global _model rebound in get_model() (lazy initialisation)", Severity.INFO),
    ]


def test_api004_context_manager_flags_and_setters_are_not_warnings(tmp_path: Path) -> None:
    code = (
        "_FUSED = False\n_EXPORT = False\n_BEST = None\n\n\n"
        "class set_export:\n"
        "    def __init__(self, mode):\n        global _EXPORT\n        self.prev = _EXPORT\n        _EXPORT = mode\n\n"
        "    def __enter__(self):\n        return self\n\n"
        "    def __exit__(self, *args):\n        global _EXPORT\n        _EXPORT = self.prev\n\n\n"
        "def set_fused(enable=True):\n    global _FUSED\n    _FUSED = enable\n\n\n"
        "def update_best(model):\n    global _BEST\n    _BEST = model\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": code, "pkg/util.py": _padded("")})
    hits = findings(tmp_path, "API004")
    assert [(h.message.split()[1], h.severity) for h in hits] == [
        ("_FUSED", Severity.INFO),
        ("_BEST", Severity.WARNING),
    ]
