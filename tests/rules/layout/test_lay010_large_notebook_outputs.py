"""Tests of rule LAY010 (`mlaudit/rules/layout/lay010_large_notebook_outputs.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.layout._helpers import notebook


def test_lay010_fires_on_large_outputs(tmp_path: Path) -> None:
    write_tree(tmp_path, {"notebooks/eda.ipynb": notebook("print(df)\n", outputs="row,value\n" * 60_000)})
    [hit] = findings(tmp_path, "LAY010")
    assert "KB of committed outputs" in hit.message


def test_lay010_silent_on_small_outputs_and_long_code(tmp_path: Path) -> None:
    code = "".join(f"value_{i} = compute('{'x' * 60}', {i})\n" for i in range(3000))
    write_tree(tmp_path, {"notebooks/eda.ipynb": notebook(code, outputs="ok\n" * 100)})
    assert findings(tmp_path, "LAY010") == []


def test_lay010_silent_on_docs_notebooks_the_docs_build_shows_without_running(tmp_path: Path) -> None:
    big = notebook("plot(forecast)\n", outputs="row,value\n" * 60_000)
    conf = 'project = "churn"\nextensions = ["nbsphinx"]\nnbsphinx_execute = "never"\n'
    files = {"docs/source/conf.py": conf, "examples/01_forecasting.ipynb": big, "notebooks/eda.ipynb": big}
    write_tree(tmp_path, files)
    assert [h.path for h in findings(tmp_path, "LAY010")] == ["notebooks/eda.ipynb"]
    files["docs/source/conf.py"] = conf.replace('"never"', '"always"')
    write_tree(tmp_path / "runs", files)
    assert len(findings(tmp_path / "runs", "LAY010")) == 2
