"""Tests for configuration: discovery, validation with precise messages, profiles, thresholds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mlaudit.config import ConfigError, load_config, parse_config
from tests.helpers import run_audit_rules_only, write_tree

FULL = """
[tool.mlaudit]
select = ["lay", "SEC"]
ignore = ["SEC016"]
exclude = ["legacy/*"]
profile = "research"
fail-under = 75
fail-on = "error"
placeholders = ["team-dummy"]

[tool.mlaudit.weights]
security = 2

[tool.mlaudit.thresholds]
annotation-target = 80
max_function_lines = 40

[tool.mlaudit.suppress]
"SEC009:legacy/*" = { reason = "old checkpoints", until = 2027-03-01 }
"""


def test_full_config_from_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n" + FULL})
    config = load_config(tmp_path)
    assert config.source == "pyproject.toml [tool.mlaudit]"
    assert config.select == ("LAY", "SEC") and config.ignore == ("SEC016",)
    assert config.fail_under == 75 and config.fail_on == "error"
    assert config.thresholds == {"annotation_target": 80.0, "max_function_lines": 40.0}
    weights = config.effective_weights()
    assert weights["security"] == 2 and weights["reproducibility"] == 1.5 and weights["production"] == 0.25
    [sup] = config.suppressions
    assert (sup.code, sup.path_glob, sup.until) == ("SEC009", "legacy/*", dt.date(2027, 3, 1))


def test_mlaudit_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": FULL, "mlaudit.toml": 'select = ["DEP"]\n'})
    config = load_config(tmp_path)
    assert config.source == "mlaudit.toml" and config.select == ("DEP",)


def test_tool_header_in_mlaudit_toml_says_where_the_keys_go(tmp_path: Path) -> None:
    write_tree(tmp_path, {"mlaudit.toml": FULL})
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert str(err.value).startswith("mlaudit.toml: unknown key 'tool'")
    assert "at the top level, without the [tool.mlaudit] header" in str(err.value)


def test_no_config_is_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path).source is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"selekt": []}, "unknown key 'selekt'; allowed:"),
        ({"select": "LOG"}, "'select' must be a list of rule codes"),
        ({"fail-under": 120}, "'fail-under' must be a number between 0 and 100"),
        ({"fail-on": "fatal"}, "'fail-on' must be one of: critical, error, warning, info"),
        ({"profile": "prod"}, "'profile' must be one of: default, production, research, prototype"),
        ({"weights": {"secrity": 2}}, "unknown practice 'secrity'"),
        ({"weights": {"security": True}}, "must be a number"),
        ({"thresholds": {"complexity-max": 3}}, "unknown threshold 'complexity-max'"),
        ({"suppress": {"SEC001:a/*": {"until": "2027-01-01"}}}, "needs a non-empty reason"),
        ({"suppress": {"SEC001:a/*": {"reason": "x", "until": "soon"}}}, "until must be a date"),
        ({"suppress": {"SEC001:a/*": {"reason": "x", "owner": "me"}}}, "unknown key 'owner'"),
    ],
)
def test_bad_config_names_key_and_allowed_values(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(table, "mlaudit.toml")
    assert str(err.value).startswith("mlaudit.toml:") and message in str(err.value)


def test_annotation_target_threshold_changes_typing_deduction(tmp_path: Path) -> None:
    half = "def a(x: int) -> int:\n    return x\n\ndef b(x):\n    return x\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": half})
    strict = run_audit_rules_only(tmp_path, select=("TYP001",)).practice("typing").score
    lenient = (
        run_audit_rules_only(tmp_path, select=("TYP001",), thresholds={"annotation_target": 50})
        .practice("typing")
        .score
    )
    assert strict is not None and lenient == 100 and strict < 100
