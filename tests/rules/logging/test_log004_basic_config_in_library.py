"""Tests of rule LOG004 (`mlaudit/rules/logging/log004_basic_config_in_library.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.logging._helpers import ROOT_LOGGER


def test_log004_flags_basic_config_outside_entry_point(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": ROOT_LOGGER})
    assert [h.line for h in findings(tmp_path, "LOG004")] == [4]


LOGGER_SETUP = """import logging


def setup_logger(output_dir, level=logging.INFO):
    logging.basicConfig(level=level, filename=f"{output_dir}/train.log")
    return logging.getLogger("lab")


def init_model_and_log(model):
    logging.basicConfig(level=logging.DEBUG)
    return model


def load_data(path):
    logging.basicConfig(level=logging.INFO)
    return open(path).read()


def set_default_log_config():
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)


def set_seed_and_log(seed):
    logging.basicConfig(level=logging.INFO)
    return seed
"""


def test_log004_a_helper_whose_job_is_configuring_logging_is_opted_into(tmp_path: Path) -> None:
    write_tree(tmp_path, {"lab/__init__.py": "", "lab/common.py": LOGGER_SETUP})
    assert sorted(f.line or 0 for f in findings(tmp_path, "LOG004")) == [10, 15, 24]


def test_log004_the_module_building_the_web_app_is_the_services_entry_point(tmp_path: Path) -> None:
    service = (
        "import logging\n\nfrom fastapi import FastAPI\n\n"
        "logging.basicConfig(level=logging.INFO)\napp = FastAPI()\n\n\n"
        "@app.get('/health')\ndef health():\n    return {'status': 'ok'}\n"
    )
    # Look-alike: a router module is part of the app, built in library code; it must not configure logging.
    router = (
        "import logging\n\nfrom fastapi import APIRouter\n\n"
        "logging.basicConfig(level=logging.DEBUG)\nrouter = APIRouter()\n\n\n"
        "@router.get('/items')\ndef items():\n    return []\n"
    )
    write_tree(tmp_path, {"api/__init__.py": "", "api/main.py": service, "api/items.py": router})
    assert [(f.path, f.line) for f in findings(tmp_path, "LOG004")] == [("api/items.py", 5)]


def test_log004_the_module_building_a_dashboard_app_is_its_entry_point(tmp_path: Path) -> None:
    server = (
        "import logging\n\nimport dash\nfrom dash import html\n\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "app = dash.Dash(__name__, title='Forecast dashboard')\napp.layout = html.Div([])\n"
    )
    # Look-alike: a page module imports dash to build components only; configuring logging there is a library's
    page = (
        "import logging\n\nfrom dash import html\n\n"
        "logging.basicConfig(level=logging.DEBUG)\n\n\n"
        "def create_layout():\n    return html.Div([])\n"
    )
    write_tree(tmp_path, {"tsdash/__init__.py": "", "tsdash/server.py": server, "tsdash/pages.py": page})
    assert [(f.path, f.line) for f in findings(tmp_path, "LOG004")] == [("tsdash/pages.py", 5)]


OPT_IN = """import logging


class Trainer:
    def __init__(self, model, log_level=None, debug=False):
        self.model = model
        self.log_level = log_level
        if self.log_level is not None:
            logging.basicConfig(level=self.log_level.upper())
        if debug:
            logging.basicConfig(level=logging.DEBUG)


def load_table(path, strict=True):
    if strict:
        logging.basicConfig(level=logging.INFO)
    return open(path).read()


def fit(model, data):
    if data:
        logging.basicConfig(level=logging.INFO)
    return model
"""


def test_log004_basic_config_the_caller_asks_for_is_opted_into(tmp_path: Path) -> None:
    """`Trainer(log_level="info")` configures logging because its caller asked (an option off by default);
    look-alikes: an option on by default (`strict=True`) or a required argument (`data`) asks for nothing."""
    write_tree(tmp_path, {"lab/__init__.py": "", "lab/trainer.py": OPT_IN})
    assert sorted(f.line or 0 for f in findings(tmp_path, "LOG004")) == [16, 22]
