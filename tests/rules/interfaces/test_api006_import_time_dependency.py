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
