"""Tests of rule REP011 (`mlaudit/rules/reproducibility/rep011_loose_config.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import run_audit, write_tree


def test_rep011_uppercase_config_module_and_metric(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": "LR = 3e-4\nBATCH_SIZE = 64\nEPOCHS = 10\n"})
    report = run_audit(tmp_path, select=("REP011",))
    [hit] = [f for f in report.findings if f.rule == "REP011"]
    assert "3 bare UPPERCASE globals" in hit.message
    assert report.practice("reproducibility").metrics["config_style"] == "loose"


def test_rep011_typed_config_is_silent(tmp_path: Path) -> None:
    code = "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass TrainConfig:\n    lr: float = 3e-4\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": code})
    report = run_audit(tmp_path, select=("REP011",))
    assert [f for f in report.findings if f.rule == "REP011"] == []
    assert report.practice("reproducibility").metrics["config_style"] == "typed"


LIBRARY_PYPROJECT = (
    '[project]\nname = "labelkit"\nversion = "1.0"\ndependencies = ["numpy>=1.24"]\n'
    'classifiers = ["Programming Language :: Python :: 3"]\n'
)
CONSTANTS = "EPSILON = 1e-6\nIOU_THRESHOLD = 0.5\nTEMPERATURE = 0.1\n"


def test_rep011_a_librarys_constants_module_is_its_defaults_not_a_runs_config(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"pyproject.toml": LIBRARY_PYPROJECT, "labelkit/__init__.py": "", "labelkit/constants.py": CONSTANTS},
    )
    [hit] = [f for f in run_audit(tmp_path, select=("REP011",)).findings if f.rule == "REP011"]
    assert hit.severity is Severity.INFO and "a library's algorithm defaults" in hit.message


def test_rep011_the_same_constants_in_a_training_project_stay_a_warning(tmp_path: Path) -> None:
    write_tree(tmp_path, {"labelkit/__init__.py": "", "labelkit/constants.py": CONSTANTS})
    [hit] = [f for f in run_audit(tmp_path, select=("REP011",)).findings if f.rule == "REP011"]
    assert hit.severity is Severity.WARNING


KWARGS_BUNDLE = """import pandas as pd
from sklearn.linear_model import Ridge

from fairness.audit import audit_model

frame = pd.read_csv("data/grades.csv")
config = {
    "df": frame,
    "estimator": Ridge,
    "protected": protected_columns,
    "features": feature_names,
    "target": "final_grade",
}
result = audit_model(**config)
"""
LITERAL_SETTINGS = """from fairness.audit import audit_model

config = {
    "target": "final_grade",
    "alpha": 0.5,
    "n_bootstrap": 200,
    "protected": ["sex", "region"],
    "estimator": Ridge,
}
result = audit_model(frame, **config)
"""


def test_rep011_a_dict_of_live_objects_is_a_calls_arguments_not_a_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {"analysis/run_audit.py": KWARGS_BUNDLE})
    assert [f for f in run_audit(tmp_path, select=("REP011",)).findings if f.rule == "REP011"] == []


def test_rep011_a_dict_of_mostly_literal_settings_is_still_a_loose_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {"analysis/run_audit.py": LITERAL_SETTINGS})
    [hit] = [f for f in run_audit(tmp_path, select=("REP011",)).findings if f.rule == "REP011"]
    assert hit.line == 3 and "dict config with 5 string keys" in hit.message


def test_rep011_a_table_of_layer_lists_per_variant_is_the_architecture_not_a_config(tmp_path: Path) -> None:
    variants = (
        "cfg = {\n"
        '    "A": [64, "M", 128, "M", 256, 256, "M"],\n'
        '    "B": [64, 64, "M", 128, 128, "M"],\n'
        '    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M"],\n'
        '    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M"],\n'
        "}\n"
    )
    run = 'cfg = {"lr": 3e-4, "batch_size": 64, "epochs": 10, "layers": [64, 128], "seed": 1}\n'
    write_tree(tmp_path, {"seg/__init__.py": "", "seg/vgg.py": variants, "seg/train.py": run})
    [hit] = [f for f in run_audit(tmp_path, select=("REP011",)).findings if f.rule == "REP011"]
    assert hit.path == "seg/train.py" and "dict cfg with 5 string keys" in hit.message


LOGGING_DICT = """\
import logging.config

CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(name)s %(levelname)s %(message)s"}},
    "handlers": {"out": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"trainer": {"handlers": ["out"], "level": "INFO"}},
}
logging.config.dictConfig(CONFIG)
"""
# the same keys' neighbours, but a run's settings that merely carry a version number
VERSIONED_RUN = """\
CONFIG = {
    "version": 1,
    "lr": 3e-4,
    "batch_size": 64,
    "epochs": 10,
    "handlers": "default",
}
"""


def test_rep011_a_logging_dict_config_configures_log_output_not_a_run(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs/__init__.py": "", "jobs/log_setup.py": LOGGING_DICT})
    assert [f for f in run_audit(tmp_path, select=("REP011",)).findings if f.rule == "REP011"] == []


def test_rep011_a_versioned_run_config_is_still_a_loose_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs/__init__.py": "", "jobs/train.py": VERSIONED_RUN})
    [hit] = [f for f in run_audit(tmp_path, select=("REP011",)).findings if f.rule == "REP011"]
    assert "dict CONFIG with 5 string keys" in hit.message
