"""Tests of rule REP003 (`mlaudit/rules/reproducibility/rep003_estimator_without_random_state.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_rep003_train_test_split_without_random_state(tmp_path: Path) -> None:
    code = "from sklearn.model_selection import KFold, train_test_split\n\n\ndef split(X, y):\n"
    code += "    KFold(5, shuffle=True)\n    return train_test_split(X, y, test_size=0.2)\n"
    write_tree(tmp_path, {"data.py": code})
    hits = findings(tmp_path, "REP003")
    assert sorted(h.message.split("(")[0] for h in hits) == ["KFold", "train_test_split"]
    assert all(h.severity is Severity.WARNING for h in hits)


def test_rep003_silent_with_random_state_or_no_shuffle(tmp_path: Path) -> None:
    code = "from sklearn.model_selection import KFold, train_test_split\nfrom sklearn.decomposition import PCA\n\n\n"
    code += "def split(X, y, seed):\n    KFold(5)\n    PCA(3)\n"
    code += "    return train_test_split(X, y, random_state=seed), train_test_split(X, shuffle=False)\n"
    write_tree(tmp_path, {"data.py": code})
    assert findings(tmp_path, "REP003") == []


def test_rep003_booster_is_info(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"m.py": "import xgboost as xgb\n\n\ndef build():\n    return xgb.XGBClassifier(max_depth=3)\n"}
    )
    [hit] = findings(tmp_path, "REP003")
    assert hit.severity is Severity.INFO


def test_rep003_estimator_restored_from_a_file_needs_no_random_state(tmp_path: Path) -> None:
    code = (
        "from catboost import CatBoostClassifier\n\n\n"
        "def predict(path, X):\n    model = CatBoostClassifier()\n    model.load_model(path)\n    return model.predict(X)\n\n\n"
        "def fit(X, y):\n    model = CatBoostClassifier()\n    return model.fit(X, y)\n"
    )
    write_tree(tmp_path, {"boost.py": code})
    assert [h.line for h in findings(tmp_path, "REP003")] == [11]


def test_rep003_in_an_example_is_info_and_in_the_projects_notebooks_a_warning(tmp_path: Path) -> None:
    code = (
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def fit(X, y):\n    return RandomForestClassifier(n_estimators=50).fit(X, y)\n"
    )
    write_tree(tmp_path, {"docs/examples/forest.py": code, "notebooks/fit.py": code, "churn/model.py": code})
    severities = {h.path: h.severity for h in findings(tmp_path, "REP003")}
    assert severities == {
        "docs/examples/forest.py": Severity.INFO,  # the reader's run, not the project's
        "notebooks/fit.py": Severity.WARNING,  # the project's own analysis
        "churn/model.py": Severity.WARNING,
    }
