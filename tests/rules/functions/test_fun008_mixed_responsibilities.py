"""Tests of rule FUN008 (`mlaudit/rules/functions/fun008_mixed_responsibilities.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

MIXED = """
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score


def run(path):
    df = pd.read_csv(path)
    df = df.fillna(0)
    df = df[df.a > 0]
    x = df[["a", "b"]]
    y = df.y
    x = x * 2
    model = LogisticRegression()
    model.fit(x, y)
    pred = model.predict(x)
    acc = accuracy_score(y, pred)
    extra = acc * 2
    extra = extra + 1
    extra = extra - 1
    extra = extra * 1
    result = {"acc": acc}
    return result
"""


ORCHESTRATOR = """
from pkg.data import load_data
from .features import preprocess


def train(df): ...
def evaluate(model, df): ...


def main(path):
    df = load_data(path)
    df = preprocess(df)
    model = train(df)
    score = evaluate(model, df)
    a = 1
    b = 2
    c = 3
    d = 4
    e = 5
    f = 6
    g = 7
    h = 8
    i = 9
    j = 10
    return score
"""


def test_fun008_fires_on_load_preprocess_train_evaluate(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/run.py": MIXED})
    [hit] = findings(tmp_path, "FUN008")
    assert hit.message == (
        "run() loads (read_csv), preprocesses (fillna), trains (fit), evaluates (predict) in one body"
    )


def test_fun008_silent_for_orchestrating_main(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": "", "pkg/cli.py": ORCHESTRATOR})
    assert findings(tmp_path, "FUN008") == []


def test_fun008_ignores_mode_switches_and_checkpoint_handling(tmp_path: Path) -> None:
    body = "".join(f"    step_{i} = {i}\n" for i in range(12))
    write_tree(
        tmp_path,
        {
            "pkg/export.py": (
                "import torch\n\n\n"
                "def export(model, path, example):\n"
                "    model.train()\n"
                "    model.eval()\n"
                "    state = torch.load(path + '.pt')\n"
                "    model.load_state_dict(state)\n"
                "    torch.onnx.export(model, example, path)\n" + body
            ),
            "pkg/run.py": (
                "from catalyst import dl\nfrom pytorch_toolbelt.utils import load_checkpoint, clean_checkpoint\n\n\n"
                "def main(model, loaders, runner):\n"
                "    checkpoint = load_checkpoint('best.pth')\n"
                "    runner.train(model=model, loaders=loaders, num_epochs=10)\n"
                "    clean_checkpoint('best.pth', 'clean.pth')\n" + body
            ),
        },
    )
    assert findings(tmp_path, "FUN008") == []


def test_stage_of_a_label_is_remembered_only_where_the_call_cannot_change_it() -> None:
    """`train`, `eval` and `step` depend on the call (a mode switch, the optimizer receiver); every other
    label has one stage whatever the call looks like."""
    import ast

    from mlaudit.rules.functions.fun008_mixed_responsibilities import stage_of

    def call(source: str) -> ast.Call:
        node = ast.parse(source, mode="eval").body
        assert isinstance(node, ast.Call)
        return node

    assert stage_of("train", call("model.train()")) is None  # a mode switch
    assert stage_of("train", call("runner.train(loader)")) == "train"
    assert stage_of("step", call("optimizer.step()")) == "train"
    assert stage_of("step", call("scheduler.step()")) is None
    assert stage_of("eval", call("model.eval()")) is None
    assert stage_of("eval", call("model.eval(loader)")) == "evaluate"
    for source in ("pd.read_csv(path)", "read_csv(path)", "self.read_csv(a, b=1)"):
        assert stage_of("read_csv", call(source)) == "load"
    for source in ("model.fit(X, y)", "fit()"):
        assert stage_of("fit", call(source)) == "train"
    assert stage_of("load_checkpoint", call("load_checkpoint(path)")) is None


def test_fun008_silent_for_an_asserting_estimator_check_but_fires_when_a_check_only_runs(tmp_path: Path) -> None:
    check = MIXED.replace("def run(path):", "def check_classifier_on_encoded_labels(path):").replace(
        "    return result\n", "    assert acc > 0.5\n    return result\n"
    )
    runs = MIXED.replace("def run(path):", "def check_and_report(path):")
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/estimator_checks.py": check, "pkg/report.py": runs})
    [hit] = findings(tmp_path, "FUN008")
    assert hit.path == "pkg/report.py" and hit.message.startswith("check_and_report() loads")


FORECAST = """from sklearn.preprocessing import StandardScaler


def direct_forecast(estimator_class, series, horizon, n_lags=10):
    scaler = StandardScaler()
    lagged = scaler.fit_transform(series.reshape(-1, 1))
    forecasts = []
    for step in range(1, horizon + 1):
        features = lagged[:-step]
        target = lagged[step:, 0]
        model = estimator_class()
        model.fit(features[-n_lags:], target[-n_lags:])
        next_value = model.predict(lagged[-1:])[0]
        forecasts.append(next_value)
    forecasts = [float(v) for v in forecasts]
    forecasts = forecasts[:horizon]
    width = len(forecasts)
    assert width == horizon
    return scaler.inverse_transform([[v] for v in forecasts])
"""


def test_fun008_fitting_and_returning_predictions_is_one_job_but_scoring_them_is_another(tmp_path: Path) -> None:
    write_tree(tmp_path, {"fc/__init__.py": "", "fc/horizon.py": FORECAST})
    assert findings(tmp_path, "FUN008") == []
    # Look-alike: the same body scoring its predictions evaluates too
    scored = FORECAST.replace(
        "    width = len(forecasts)\n", "    width = len(forecasts)\n    mean_absolute_error(target, forecasts)\n"
    )
    scored = "from sklearn.metrics import mean_absolute_error\n" + scored
    write_tree(tmp_path, {"fc/horizon.py": scored})
    [hit] = findings(tmp_path, "FUN008")
    assert hit.message == (
        "direct_forecast() preprocesses (fit_transform), trains (fit), evaluates (predict) in one body"
    )
