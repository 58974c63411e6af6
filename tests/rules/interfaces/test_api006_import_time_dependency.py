"""Tests of rule API006 (`mlaudit/rules/interfaces/api006_import_time_dependency.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.interfaces._helpers import _padded


def test_api006_function_using_a_model_loaded_at_import(tmp_path: Path) -> None:
    chat = (
        "import torch\n\nfrom bot.model import Net\n\n"
        "state = torch.load('bot.pt', weights_only=True)\n"
        "model = Net(state['size'])\nmodel.load_state_dict(state['weights'])\n"
        "logger = make_logger()\n\n\n"
        "def respond(text):\n    logger.info(text)\n    return model(text)\n\n\n"
        "def respond_with(net, text):\n    return net(text)\n"
    )
    clean = "def respond(model, text):\n    return model(text)\n"
    write_tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/model.py": "class Net:\n    pass\n",
            "bot/chat.py": chat,
            "bot/api.py": clean,
            "bot/util.py": _padded(""),
        },
    )
    [hit] = findings(tmp_path, "API006")
    assert hit.path == "bot/chat.py" and hit.line == 11 and "uses model loaded at import" in hit.message


def test_api006_silent_on_a_gallery_example_but_fires_on_the_same_script_in_the_package(tmp_path: Path) -> None:
    gallery = (
        "import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
        "df = pd.read_csv('porto.csv')\nrng = np.random.RandomState(42)\n\n\n"
        "def fit_and_score(X, y):\n    idx = rng.permutation(len(y))\n"
        "    return LogisticRegression().fit(X[idx], y[idx]).score(X, y)\n"
    )
    write_tree(
        tmp_path,
        {
            "examples/applications/plot_porto.py": gallery,
            "churn/__init__.py": "",
            "churn/score.py": gallery,
            "churn/util.py": _padded(""),
        },
    )
    [hit] = findings(tmp_path, "API006")
    assert hit.path == "churn/score.py" and "uses rng loaded at import time" in hit.message
