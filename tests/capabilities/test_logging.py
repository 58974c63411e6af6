"""Tests of the logging capabilities: log calls, controllable output, named loggers, configuration, trackers."""

from __future__ import annotations

from pathlib import Path

from tests.capabilities.util import assess, earned_points
from tests.helpers import write_tree

LOGGED = """import logging

logger = logging.getLogger(__name__)


def train(epochs):
    logger.info("training for %d epochs", epochs)
    for epoch in range(epochs):
        logger.debug("epoch %d", epoch)
    if epochs > 100:
        logger.warning("long run: %d epochs", epochs)
    logger.info("done")
    logger.info("saved")
"""
PRINTED = """def train(epochs):
    print("training", epochs)
    for epoch in range(epochs):
        print("epoch", epoch)
"""
IMPORT_ONLY = "import logging\n\n\ndef train(epochs):\n    return epochs * 2\n"
MAIN = """import logging

from churn.train import train

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    train(3)
"""


def test_log_calls_earn(tmp_path: Path) -> None:
    result = assess(tmp_path, "logging", "logging_used", {"churn/__init__.py": "", "churn/train.py": LOGGED})
    assert result.share == 1
    assert "churn/train.py:7" in result.evidence


def test_import_logging_without_use_earns_nothing(tmp_path: Path) -> None:
    assert (
        assess(tmp_path, "logging", "logging_used", {"churn/__init__.py": "", "churn/train.py": IMPORT_ONLY}).share == 0
    )


def test_output_through_logs_is_controllable(tmp_path: Path) -> None:
    assert (
        assess(tmp_path, "logging", "output_controllable", {"churn/__init__.py": "", "churn/train.py": LOGGED}).share
        == 1
    )


def test_verbose_gated_prints_are_controllable(tmp_path: Path) -> None:
    gated = 'def train(epochs, verbose=False):\n    if verbose:\n        print("training", epochs)\n    return epochs\n'
    result = assess(tmp_path, "logging", "output_controllable", {"churn/__init__.py": "", "churn/train.py": gated})
    assert result.share == 1


def test_bare_prints_are_not_controllable(tmp_path: Path) -> None:
    result = assess(tmp_path, "logging", "output_controllable", {"churn/__init__.py": "", "churn/train.py": PRINTED})
    assert result.share == 0
    assert "bare prints" in result.evidence


def test_module_logger_earns(tmp_path: Path) -> None:
    result = assess(tmp_path, "logging", "module_loggers", {"churn/__init__.py": "", "churn/train.py": LOGGED})
    assert result.share == 1


def test_root_logger_calls_are_not_module_loggers(tmp_path: Path) -> None:
    root = 'import logging\n\n\ndef train(epochs):\n    logging.info("training %d", epochs)\n'
    assert assess(tmp_path, "logging", "module_loggers", {"churn/__init__.py": "", "churn/train.py": root}).share == 0


def test_a_logger_got_by_module_name_inside_a_function_or_on_self_is_named(tmp_path: Path) -> None:
    """`logging.getLogger(__name__)` called where it is needed is the module's named logger all the same; the root
    logger got inside a function (`logging.getLogger()`) is not."""
    checkpoint = (
        "import logging\n\n\nclass Checkpointer:\n    def __init__(self, model):\n"
        "        self.logger = logging.getLogger(__name__)\n        self.model = model\n\n"
        "    def load(self, path):\n        self.logger.info('loading %s', path)\n"
    )
    config = "import logging\n\n\ndef load(path):\n    logger = logging.getLogger(__name__)\n    logger.warning('unsafe %s', path)\n"
    root = "import logging\n\n\ndef run(n):\n    logger = logging.getLogger()\n    logger.info('steps %d', n)\n"
    files = {"vc/__init__.py": "", "vc/checkpoint.py": checkpoint, "vc/config.py": config, "vc/run.py": root}
    result = assess(tmp_path, "logging", "module_loggers", files)
    assert "2 of 3 (67%)" in result.evidence and "vc/checkpoint.py" in result.evidence


def test_absl_logging_is_a_named_logger_but_the_standard_root_functions_are_not(tmp_path: Path) -> None:
    absl = "from absl import logging\n\n\ndef check(x):\n    logging.warning('shape %s', x)\n    return x\n"
    root = "import logging\n\n\ndef run(n):\n    logging.info('steps %d', n)\n"
    files = {"ck/__init__.py": "", "ck/asserts.py": absl, "ck/run.py": root}
    result = assess(tmp_path, "logging", "module_loggers", files)
    assert "1 of 2 (50%)" in result.evidence and "ck/asserts.py" in result.evidence


def test_a_package_logger_imported_relatively_is_a_named_logger(tmp_path: Path) -> None:
    """`from .logging import logger` (the package's `logging.getLogger("serve")`) is named; the module that
    imports only the logging library and logs through its root functions is not."""
    files = {
        "serve/__init__.py": "",
        "serve/logging.py": 'import logging\n\nlogger = logging.getLogger("serve")\n',
        "serve/grpc/__init__.py": "",
        "serve/grpc/server.py": 'from ..logging import logger\n\n\ndef start(port):\n    logger.info("port %d", port)\n',
        "serve/batch.py": 'import logging\n\n\ndef run(n):\n    logging.info("batch %d", n)\n',
    }
    result = assess(tmp_path, "logging", "module_loggers", files)
    assert "1 of 2 (50%)" in result.evidence and "serve/grpc/server.py" in result.evidence


def test_a_logger_from_the_package_logging_module_imported_relatively_is_named(tmp_path: Path) -> None:
    """`from ..utils import logging; logger = logging.get_logger(__name__)`: the package wraps the standard library,
    and each module still binds its own named logger; the root logging functions of another module are not."""
    files = {
        "gen/__init__.py": "",
        "gen/utils/__init__.py": "",
        "gen/utils/logging.py": "import logging\n\n\ndef get_logger(name):\n    return logging.getLogger(name)\n",
        "gen/models/__init__.py": "",
        "gen/models/unet.py": (
            "from ..utils import logging\n\nlogger = logging.get_logger(__name__)\n\n\n"
            "def build(depth):\n    logger.info('depth %d', depth)\n"
        ),
        "gen/sample.py": "import logging\n\n\ndef run(n):\n    logging.info('steps %d', n)\n",
    }
    result = assess(tmp_path, "logging", "module_loggers", files)
    assert "1 of 2 (50%)" in result.evidence and "gen/models/unet.py" in result.evidence


def test_basic_config_in_main_configures(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/train.py": LOGGED, "train.py": MAIN}
    result = assess(tmp_path, "logging", "logging_configured", files)
    assert result.share == 1
    assert "train.py:6" in result.evidence


def test_unconfigured_logging(tmp_path: Path) -> None:
    assert assess(tmp_path, "logging", "logging_configured", {"churn/train.py": LOGGED}).share == 0


def test_levels_used(tmp_path: Path) -> None:
    assert assess(tmp_path, "logging", "levels_used", {"churn/train.py": LOGGED}).share == 1
    single = LOGGED.replace("logger.debug", "logger.info").replace("logger.warning", "logger.info")
    assert assess(tmp_path / "b", "logging", "levels_used", {"churn/train.py": single}).share == 0.5


def test_tracker_import_earns(tmp_path: Path) -> None:
    code = "import wandb\n\n\ndef log_metrics(loss):\n    wandb.log({'loss': loss})\n"
    result = assess(tmp_path, "logging", "experiment_tracker", {"churn/track.py": code})
    assert result.share == 1
    assert "churn/track.py:1" in result.evidence


def test_tracker_named_in_a_docstring_does_not_earn(tmp_path: Path) -> None:
    code = '"""We could log to W&B (wandb) here one day."""\n\n\ndef log_metrics(loss):\n    return loss\n'
    assert assess(tmp_path, "logging", "experiment_tracker", {"churn/track.py": code}).share == 0


def test_print_only_repository_earns_at_most_10(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/train.py": PRINTED, "train.py": "import logging\n"})
    assert earned_points(tmp_path, "logging") <= 10


def test_logged_repository_earns_most(tmp_path: Path) -> None:
    write_tree(tmp_path, {"churn/__init__.py": "", "churn/train.py": LOGGED, "train.py": MAIN})
    assert earned_points(tmp_path, "logging") >= 85


LIBRARY_META = """[project]
name = "churn"
version = "1.0"
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["numpy>=1.24"]
"""
WARNS = (
    "import warnings\n\n\ndef fit(x, verbose=False):\n"
    "    if verbose:\n        print('fitting', len(x))\n"
    "    if not x:\n        warnings.warn('empty input')\n    return x\n"
)


def test_library_leaves_configuration_to_its_users(tmp_path: Path) -> None:
    files = {"pyproject.toml": LIBRARY_META, "churn/__init__.py": "", "churn/fit.py": WARNS}
    result = assess(tmp_path, "logging", "logging_configured", files)
    assert result.share == 1
    assert "its output (1 verbose-gated print) is left for the application to configure" in result.evidence


def test_library_with_only_bare_prints_earns_no_configuration_credit(tmp_path: Path) -> None:
    files = {"pyproject.toml": LIBRARY_META, "churn/__init__.py": "", "churn/train.py": PRINTED}
    assert assess(tmp_path, "logging", "logging_configured", files).share == 0


def test_library_that_only_warns_has_nothing_to_configure(tmp_path: Path) -> None:
    warns_only = "import warnings\n\n\ndef fit(x):\n    warnings.warn('deprecated')\n    return x\n"
    files = {"pyproject.toml": LIBRARY_META, "churn/__init__.py": "", "churn/fit.py": warns_only}
    assert assess(tmp_path, "logging", "logging_configured", files).share == 0


def test_application_that_never_configures_logging_earns_nothing(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/fit.py": WARNS, "churn/train.py": LOGGED}
    assert assess(tmp_path, "logging", "logging_configured", files).share == 0


def test_library_that_never_prints_earns_quiet_code(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/model.py": IMPORT_ONLY, "churn/train.py": LOGGED}
    result = assess(tmp_path, "logging", "library_quiet", files)
    assert result.share == 1
    assert "2 of 2 (100%) library modules print nothing bare" in result.evidence


def test_library_printing_in_half_its_modules_earns_no_quiet_code(tmp_path: Path) -> None:
    files = {"churn/__init__.py": "", "churn/model.py": IMPORT_ONLY, "churn/train.py": PRINTED}
    result = assess(tmp_path, "logging", "library_quiet", files)
    assert result.share == 0
    assert "prints in churn/train.py" in result.evidence


def test_quiet_service_without_any_logging_still_earns_at_most_10(tmp_path: Path) -> None:
    api = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.post('/predict')\ndef predict(x: int) -> int:\n    return x\n"
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api, "svc/model.py": IMPORT_ONLY})
    assert earned_points(tmp_path, "logging") == 10


SOLVER = """import flashy


class Solver(flashy.BaseSolver):
    def __init__(self, cfg):
        super().__init__()
        if cfg.log_{tracker}:
            self.{call}(**cfg.{tracker})
"""


def test_a_tracker_started_through_a_framework_wrapper_earns(tmp_path: Path) -> None:
    code = SOLVER.format(tracker="wandb", call="init_wandb")
    result = assess(tmp_path / "a", "logging", "experiment_tracker", {"lab/solver.py": code})
    assert (
        result.share == 1 and "lab/solver.py:8 configures the logger wandb through self.init_wandb()" in result.evidence
    )
    # Look-alike: the same solver calling another set-up method (init_weights) starts no tracker.
    other = SOLVER.format(tracker="wandb", call="init_weights")
    assert assess(tmp_path / "b", "logging", "experiment_tracker", {"lab/solver.py": other}).share == 0


def test_library_that_warns_instead_of_printing_has_controllable_output(tmp_path: Path) -> None:
    warns = (
        "import warnings\n\n\ndef crop(image, box):\n    if box is None:\n"
        "        warnings.warn('no box given: returning the whole image')\n        return image\n"
        "    return image[box]\n\n\ndef resize(image, size):\n    if size < 8:\n"
        "        warnings.warn(f'size {size} is tiny')\n    return image\n"
    )
    debug = 'def export(rows, path):\n    print("exported", len(rows), path)\n'
    files = {"lab/__init__.py": "", "lab/ops.py": warns, "lab/export.py": debug}
    result = assess(tmp_path, "logging", "output_controllable", files)
    assert 0.5 < result.share < 1
    assert result.evidence == (
        "2 of 3 (67%) output statements are log calls, warnings or verbose-gated prints; "
        "bare prints in library code remain, e.g. lab/export.py:2"
    )


def test_library_whose_only_output_is_bare_prints_has_no_controllable_output(tmp_path: Path) -> None:
    files = {"lab/__init__.py": "", "lab/debug.py": PRINTED, "lab/model.py": IMPORT_ONLY}
    result = assess(tmp_path, "logging", "output_controllable", files)
    assert result.share == 0
    assert result.evidence == "No log calls, warnings or verbose-gated output; 2 bare prints, e.g. lab/debug.py:2"


VERBOSITY_HELPER = '''import contextvars

import rich

VERBOSITY = contextvars.ContextVar("verbosity", default=0)


def say(message: str, level: int = 0) -> None:
    """Show a message when the verbosity asks for it."""
    if level > VERBOSITY.get():
        return
    rich.print(message)
'''

COMMANDS = """from toolkit.console import say


def pull(repo: str) -> None:
    say(f"pulling {repo}")
    say("resolved 3 layers", level=20)
"""


def test_output_through_a_verbosity_gated_helper_is_controllable(tmp_path: Path) -> None:
    """A CLI whose every message goes through one helper that returns early below its verbosity level can be silenced."""
    files = {"toolkit/__init__.py": "", "toolkit/console.py": VERBOSITY_HELPER, "toolkit/pull.py": COMMANDS}
    result = assess(tmp_path, "logging", "output_controllable", files)
    assert result.share == 1 and "2 of 2" in result.evidence
    # the same helper that always prints gates nothing
    ungated = VERBOSITY_HELPER.replace("    if level > VERBOSITY.get():\n        return\n", "")
    files["toolkit/console.py"] = ungated
    assert assess(tmp_path / "b", "logging", "output_controllable", files).share == 0


def test_command_line_scripts_without_library_code_have_no_library_to_keep_quiet(tmp_path: Path) -> None:
    script = "import sys\n\n\ndef main():\n    print(sys.argv[1].upper())\n\n\nif __name__ == '__main__':\n    main()\n"
    result = assess(tmp_path / "cli", "logging", "library_quiet", {"shout.py": script, "scripts/echo.py": script})
    assert (result.share, result.evidence) == (
        1,
        "No library modules: every module is a command-line script, whose prints are its output",
    )
    # Look-alike: a loose module without a main guard is library code, and its print counts.
    loose = "def shout(text):\n    print(text.upper())\n"
    assert assess(tmp_path / "lib", "logging", "library_quiet", {"shout.py": loose}).share == 0


LIT_MODULE = """\
import torch
from torch import nn
import pytorch_lightning as pl


class Classifier({base}):
    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def log(self, name, value):
        print(name, value)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self.net(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss
"""


def test_a_lightning_module_logging_its_metrics_earns(tmp_path: Path) -> None:
    code = LIT_MODULE.format(base="pl.LightningModule").replace(
        "    def log(self, name, value):\n        print(name, value)\n\n", ""
    )
    result = assess(tmp_path / "a", "logging", "experiment_tracker", {"lit/model.py": code})
    assert result.share == 1
    assert "lit/model.py:14 records metrics with self.log() in LightningModule Classifier" in result.evidence
    # Look-alike: a plain nn.Module whose own log() method prints, in a module importing Lightning.
    plain = LIT_MODULE.format(base="nn.Module")
    assert assess(tmp_path / "b", "logging", "experiment_tracker", {"lit/model.py": plain}).share == 0


def test_a_tracker_imported_by_name_at_run_time_earns(tmp_path: Path) -> None:
    code = (
        "from lab.utils import import_or_print_error\n\n\nclass WandbTracker:\n    def __init__(self, project):\n"
        "        self.wandb = import_or_print_error('wandb', 'pip install wandb to use the wandb tracker')\n"
        "        self.wandb.init(project=project)\n"
    )
    result = assess(tmp_path / "a", "logging", "experiment_tracker", {"lab/trackers.py": code})
    assert result.evidence == "lab/trackers.py:6 imports wandb"
    # Look-alike: the same helper importing a plotting library starts no tracker.
    other = code.replace("'wandb'", "'matplotlib'")
    assert assess(tmp_path / "b", "logging", "experiment_tracker", {"lab/trackers.py": other}).share == 0


INFERENCE = """import logging

import torch

logger = logging.getLogger(__name__)


def predict(model: torch.nn.Module, batch: torch.Tensor) -> torch.Tensor:
    logger.info("predicting %d rows", len(batch))
    with torch.inference_mode():
        return model(batch)
"""
TRAINING_LOOP = """

def fit(model, loader, optimizer):
    for batch, target in loader:
        loss = torch.nn.functional.mse_loss(model(batch), target)
        loss.backward()
        optimizer.step()
        logger.info("loss %.3f", loss.item())
"""


LAYERS = "import torch\nfrom torch import nn\n\n\nclass Gate(nn.Module):\n    def forward(self, x):\n        return torch.sigmoid(x) * x\n"


def test_a_published_library_with_no_output_at_all_prints_nothing_a_caller_cannot_silence(tmp_path: Path) -> None:
    files = {"pyproject.toml": LIBRARY_META, "churn/__init__.py": "", "churn/layers.py": LAYERS}
    result = assess(tmp_path / "lib", "logging", "output_controllable", files)
    assert result.share == 1
    assert result.evidence.startswith("Published library with no output statement")
    assert assess(tmp_path / "tracker", "logging", "experiment_tracker", files).stands_in
    write_tree(tmp_path / "score", files)
    assert earned_points(tmp_path / "score", "logging") == 50
    # Look-alikes: one bare print is output a caller cannot silence; unpublished code has runs and users of its own.
    printing = {**files, "churn/scale.py": "def scale(x):\n    print('scaling', x)\n    return x * 2\n"}
    assert assess(tmp_path / "print", "logging", "output_controllable", printing).share == 0
    unpublished = {"churn/__init__.py": "", "churn/layers.py": LAYERS}
    assert assess(tmp_path / "app", "logging", "output_controllable", unpublished).share == 0
    write_tree(tmp_path / "app-score", unpublished)
    assert earned_points(tmp_path / "app-score", "logging") <= 10


def test_code_that_trains_nothing_has_no_run_for_a_tracker(tmp_path: Path) -> None:
    result = assess(tmp_path, "logging", "experiment_tracker", {"churn/predict.py": INFERENCE})
    assert result.share == 1 and result.stands_in
    assert "no run's metrics to track" in result.evidence


PUBLISHED = """[project]
name = "churn"
version = "1.2.0"
classifiers = ["Programming Language :: Python :: 3"]
dependencies = ["torch>=2.0"]
"""


def test_a_library_whose_fit_trains_says_its_users_own_the_runs(tmp_path: Path) -> None:
    library = {"pyproject.toml": PUBLISHED, "churn/__init__.py": "", "churn/predict.py": INFERENCE + TRAINING_LOOP}
    result = assess(tmp_path / "a", "logging", "experiment_tracker", library)
    assert result.share == 1 and result.stands_in
    assert "users' programs" in result.evidence and "No code trains" not in result.evidence
    # Look-alike: the same training loop in unpublished code is a run of the project's own, with nothing tracking it.
    unpublished = {"churn/__init__.py": "", "churn/predict.py": INFERENCE + TRAINING_LOOP}
    assert assess(tmp_path / "b", "logging", "experiment_tracker", unpublished).share == 0


def test_a_library_whose_modules_train_for_its_users_says_so(tmp_path: Path) -> None:
    """A published library's training loop runs in its users' programs: the tracker does not apply, and the
    evidence says whose runs they are instead of claiming that nothing trains."""
    files = {"pyproject.toml": LIBRARY_META, "churn/__init__.py": "", "churn/fit.py": INFERENCE + TRAINING_LOOP}
    result = assess(tmp_path, "logging", "experiment_tracker", files)
    assert result.share == 1 and result.stands_in
    assert result.evidence.startswith("A published library whose own scripts")


def test_training_code_without_a_tracker_still_misses_it(tmp_path: Path) -> None:
    files = {"churn/predict.py": INFERENCE + TRAINING_LOOP}
    result = assess(tmp_path, "logging", "experiment_tracker", files)
    assert result.share == 0 and "No experiment tracker" in result.evidence


def test_a_trainer_library_is_not_said_to_train_nothing(tmp_path: Path) -> None:
    """A published library's training loop is its API: the tracker does not apply, and the evidence says why
    instead of claiming no code trains; the same loop in an application's own code still needs a tracker."""
    loop = {"churn/__init__.py": "", "churn/trainer.py": INFERENCE + TRAINING_LOOP}
    result = assess(tmp_path / "lib", "logging", "experiment_tracker", {"pyproject.toml": LIBRARY_META, **loop})
    assert result.share == 1 and result.stands_in
    assert result.evidence.startswith("A published library whose own scripts, notebooks and commands train nothing")
    # Look-alike: an application (no published metadata) running that loop misses the tracker.
    result = assess(tmp_path / "app", "logging", "experiment_tracker", loop)
    assert result.share == 0 and "No experiment tracker" in result.evidence


def test_a_service_with_no_logging_gets_no_tracker_stand_in(tmp_path: Path) -> None:
    silent = INFERENCE.replace('    logger.info("predicting %d rows", len(batch))\n', "")
    app = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/health')\ndef health() -> dict[str, str]:\n    return {'ok': 'yes'}\n"
    files = {"churn/predict.py": silent, "churn/app.py": app}
    assert assess(tmp_path / "a", "logging", "experiment_tracker", files).share == 0
    write_tree(tmp_path / "b", files)
    assert earned_points(tmp_path / "b", "logging") <= 10  # an absent practice stays absent


TRAIN_SCRIPT = """import torch

from model import Net

net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(10):
    optimizer.step()
    print("epoch", epoch, "loss", 0.1)
"""
NET = "from torch import nn\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n"


def test_a_root_training_script_nothing_imports_is_not_library_code(tmp_path: Path) -> None:
    result = assess(tmp_path / "a", "logging", "library_quiet", {"train.py": TRAIN_SCRIPT, "model.py": NET})
    assert (result.share, result.evidence) == (1, "1 of 1 (100%) library modules print nothing bare")
    # Look-alike: once another module imports it, its top level runs on import and its prints are a library's.
    files = {"train.py": TRAIN_SCRIPT, "model.py": NET, "evaluate.py": "import train\n"}
    imported = assess(tmp_path / "b", "logging", "library_quiet", files)
    assert imported.share < 1 and imported.evidence.endswith("prints in train.py")
    # Look-alike: a root module nothing imports that only defines functions is a helper module, not a script.
    helper = "def step(loss):\n    print('loss', loss)\n"
    assert assess(tmp_path / "c", "logging", "library_quiet", {"helpers.py": helper, "model.py": NET}).share == 0


def test_a_tracker_carries_a_print_only_training_project_above_absent(tmp_path: Path) -> None:
    tracked = TRAIN_SCRIPT.replace("import torch\n", "import torch\nimport wandb\n").replace(
        '    print("epoch", epoch, "loss", 0.1)\n', '    print("epoch", epoch)\n    wandb.log({"loss": 0.1})\n'
    )
    write_tree(tmp_path / "tracked", {"train.py": tracked, "model.py": NET})
    write_tree(tmp_path / "printed", {"train.py": TRAIN_SCRIPT, "model.py": NET})
    assert earned_points(tmp_path / "printed", "logging") <= 10  # printing only: the practice is absent
    assert 20 <= earned_points(tmp_path / "tracked", "logging") <= 30  # metrics logged, status still printed


LIGHTNING_CALLBACK = """from pytorch_lightning import Callback
from pytorch_lightning.utilities import rank_zero_info, rank_zero_warn


class PrintTableMetrics(Callback):
    def on_train_epoch_end(self, trainer, pl_module):
        rank_zero_info("epoch %d done", trainer.current_epoch)
        rank_zero_info("lr %.4f", trainer.optimizers[0].param_groups[0]["lr"])
        if trainer.current_epoch == 0:
            rank_zero_warn("first epoch metrics are noisy")
"""


def test_lightning_rank_zero_helpers_are_log_calls_through_a_named_logger(tmp_path: Path) -> None:
    """`rank_zero_info` logs through Lightning's named logger on the main process; `rank_zero_warn` warns.
    Look-alike: a project's own helper of the same name that prints is neither."""
    files = {"bolts/__init__.py": "", "bolts/callbacks.py": LIGHTNING_CALLBACK}
    used = assess(tmp_path / "pl", "logging", "logging_used", files)
    assert (used.share, used.evidence) == (0.4, "2 log calls in 1 modules, e.g. bolts/callbacks.py:7")
    assert assess(tmp_path / "pl", "logging", "module_loggers").share == 1
    own = LIGHTNING_CALLBACK.replace(
        "from pytorch_lightning.utilities import rank_zero_info, rank_zero_warn",
        "from bolts.utils import rank_zero_info, rank_zero_warn",
    )
    helpers = "def rank_zero_info(*args):\n    print(*args)\n\n\ndef rank_zero_warn(*args):\n    print(*args)\n"
    files = {"bolts/__init__.py": "", "bolts/callbacks.py": own, "bolts/utils.py": helpers}
    assert assess(tmp_path / "own", "logging", "logging_used", files).share == 0


METRIC_LOGGER = """class MetricLogger:
    def __init__(self):
        self.values = {}

    def log(self, key, value, step):
        self.values.setdefault(key, []).append((step, value))
        for sink in self.sinks:
            sink.log(key, value, step)
"""
TRAINER = """from seg.metric_logger import MetricLogger


class Trainer:
    def __init__(self):
        self.logger = MetricLogger()

    def end_epoch(self, loss, dice, lr, epoch):
        self.logger.log("train_loss", loss, epoch)
        self.logger.log("mean_dice", dice, epoch)
        self.logger.log("lr", lr, epoch)
        for i, d in enumerate(dice):
            self.logger.log(f"dice/class_{i}", d, epoch)
        self.logger.log({"loss": loss, "dice": dice})
"""


def test_a_metric_logger_recording_values_by_key_is_not_logging(tmp_path: Path) -> None:
    """`logger.log("train_loss", loss, epoch)` stores a metric; it leaves no message a handler could route."""
    files = {"seg/__init__.py": "", "seg/metric_logger.py": METRIC_LOGGER, "seg/trainer.py": TRAINER}
    result = assess(tmp_path, "logging", "logging_used", files)
    assert result.share == 0


def test_stdlib_and_loguru_log_calls_with_a_level_still_count(tmp_path: Path) -> None:
    leveled = """import logging

from loguru import logger as loguru_logger

logger = logging.getLogger(__name__)


def fit(epochs, level=logging.INFO):
    logger.log(level, "training for %d epochs", epochs)
    logger.log(logging.DEBUG, "config loaded")
    loguru_logger.log("SUCCESS", "model saved")
    logger.log(logging.INFO, "epoch %d", epochs)
    logger.log(level, "done")
"""
    result = assess(tmp_path, "logging", "logging_used", {"seg/__init__.py": "", "seg/fit.py": leveled})
    assert result.share == 1


def test_absl_logging_calls_are_log_calls_but_a_module_named_logging_of_the_project_is_not(tmp_path: Path) -> None:
    """`from absl import logging; logging.info(...)` logs through absl's handler; a project's own `logging`
    module whose `info` builds a report logs nothing."""
    scorer = "from absl import logging\n\n\ndef score(pairs):\n    logging.info('scoring %d pairs', len(pairs))\n"
    files = {"metric/__init__.py": "", "metric/scorer.py": scorer}
    result = assess(tmp_path / "a", "logging", "logging_used", files)
    assert result.share > 0 and "metric/scorer.py:5" in result.evidence
    own = scorer.replace("from absl import logging", "from metric import logging")
    files = {
        "metric/__init__.py": "",
        "metric/logging.py": "def info(*parts):\n    return parts\n",
        "metric/scorer.py": own,
    }
    assert assess(tmp_path / "b", "logging", "logging_used", files).share == 0


def test_a_library_whose_modules_train_says_its_users_own_the_runs(tmp_path: Path) -> None:
    """A published library's training loop runs in its users' programs: the stand-in says so rather than
    claiming no code trains; the same loop in an application still misses a tracker."""
    files = {"pyproject.toml": LIBRARY_META, "churn/__init__.py": "", "churn/predict.py": INFERENCE + TRAINING_LOOP}
    result = assess(tmp_path / "a", "logging", "experiment_tracker", files)
    assert result.share == 1 and result.stands_in
    assert "published library" in result.evidence and "No code trains" not in result.evidence
    application = {"churn/predict.py": INFERENCE + TRAINING_LOOP}
    assert assess(tmp_path / "b", "logging", "experiment_tracker", application).share == 0


OPENMMLAB_HOOK = """import logging

from mmengine.logging import print_log


def report_epoch(epoch, loss):
    print_log(f"epoch {epoch} loss {loss:.4f}", logger="current")
    if loss > 10:
        print_log("loss diverging", logger="current", level=logging.WARNING)
    print_log("done")
"""


def test_openmmlab_print_log_given_a_logger_is_a_log_call(tmp_path: Path) -> None:
    """OpenMMLab's `print_log(msg, logger="current")` logs through the framework's named logger (at `level`).
    Look-alikes: `print_log(msg)` without a logger prints, and a project's own `print_log` is its own helper."""
    files = {"det/__init__.py": "", "det/hooks.py": OPENMMLAB_HOOK}
    used = assess(tmp_path / "mm", "logging", "logging_used", files)
    assert used.evidence == "2 log calls in 1 modules, e.g. det/hooks.py:7"
    assert assess(tmp_path / "mm", "logging", "levels_used").evidence.startswith("log levels used: info x1, warning x1")
    own = OPENMMLAB_HOOK.replace("from mmengine.logging import print_log", "from det.utils import print_log")
    files = {
        "det/__init__.py": "",
        "det/hooks.py": own,
        "det/utils.py": "def print_log(msg, logger=None):\n    print(msg)\n",
    }
    assert assess(tmp_path / "own", "logging", "logging_used", files).share == 0


def test_a_level_function_imported_from_logging_by_name_is_a_log_call(tmp_path: Path) -> None:
    """`from logging import warning; warning("...")` logs to the root logger, as `logging.warning` does (LOG003
    says so). Look-alike: `from warnings import warn; warn("...")` raises a warning, it logs nothing."""
    code = (
        "from logging import warning\n\n\n"
        "def validate(boxes):\n"
        "    if not boxes:\n"
        "        warning('no boxes to match')\n"
        "    return boxes\n"
    )
    files = {"trk/__init__.py": "", "trk/match.py": code}
    used = assess(tmp_path / "a", "logging", "logging_used", files)
    assert used.evidence == "1 log calls in 1 modules, e.g. trk/match.py:6"
    warned = code.replace("from logging import warning", "from warnings import warn").replace("warning(", "warn(")
    files = {"trk/__init__.py": "", "trk/match.py": warned}
    assert assess(tmp_path / "b", "logging", "logging_used", files).share == 0


RUNTIME_CONFIG = """default_scope = 'lab'
log_config = dict(
    interval=50,
    hooks=[
        dict(type='TextLoggerHook'),
        {hook}
    ])
work_dir = './work_dirs/run'
"""
TOOL_TRAIN = """import argparse

from mmengine.config import Config
from mmengine.runner import Runner


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('config')
    cfg = Config.fromfile(parser.parse_args().config)
    Runner.from_cfg(cfg).train()


if __name__ == '__main__':
    main()
"""


def test_a_tracker_hook_declared_in_a_python_config_earns(tmp_path: Path) -> None:
    """OpenMMLab-style settings name the tracker as a registry-built component (`dict(type='TensorboardLoggerHook')`)
    in a config module: the runner builds it and it records the run."""
    files = {
        "lab/__init__.py": "",
        "tools/train.py": TOOL_TRAIN,
        "configs/_base_/default_runtime.py": RUNTIME_CONFIG.format(hook="dict(type='TensorboardLoggerHook')"),
    }
    result = assess(tmp_path / "a", "logging", "experiment_tracker", files)
    assert result.share == 1
    assert result.evidence.startswith("configs/_base_/default_runtime.py:6 configures the tracker component")
    # Look-alike: the tracker hook commented out, the live hooks only print text: nothing records the run.
    commented = RUNTIME_CONFIG.format(hook="# dict(type='TensorboardLoggerHook')")
    plain = {**files, "configs/_base_/default_runtime.py": commented}
    assert assess(tmp_path / "b", "logging", "experiment_tracker", plain).share == 0


def test_a_visualisation_backend_for_wandb_in_a_settings_dict_earns(tmp_path: Path) -> None:
    backends = "vis_backends = [dict(type='LocalVisBackend'), {vis}]\nvisualizer = dict(vis_backends=vis_backends)\n"
    files = {"lab/__init__.py": "", "tools/train.py": TOOL_TRAIN}
    wandb = {**files, "configs/default_runtime.py": backends.format(vis="{'type': 'WandbVisBackend'}")}
    assert assess(tmp_path / "a", "logging", "experiment_tracker", wandb).share == 1
    # Look-alike: local backends only write images and scalars to the work dir, no tracker.
    local = {**files, "configs/default_runtime.py": backends.format(vis="dict(type='LocalVisBackend')")}
    assert assess(tmp_path / "b", "logging", "experiment_tracker", local).share == 0


DETECTRON_TRAIN = """from detectron2.config import get_cfg
from detectron2.engine import {trainer}


def main(config_file):
    cfg = get_cfg()
    cfg.merge_from_file(config_file)
    trainer = {trainer}(cfg)
    trainer.resume_or_load(resume=False)
    return trainer.train()
"""


def test_detectron2_default_trainer_records_to_tensorboard(tmp_path: Path) -> None:
    files = {"lab/__init__.py": "", "lab/train_net.py": DETECTRON_TRAIN.format(trainer="DefaultTrainer")}
    result = assess(tmp_path / "a", "logging", "experiment_tracker", files)
    assert result.share == 1 and "detectron2.engine.DefaultTrainer" in result.evidence
    # Look-alike: the predictor runs inference through the same package and records nothing.
    other = {"lab/__init__.py": "", "lab/train_net.py": DETECTRON_TRAIN.format(trainer="DefaultPredictor")}
    assert "DefaultTrainer" not in assess(tmp_path / "b", "logging", "experiment_tracker", other).evidence


HOOK_SUBCLASS = """from mmcv.runner import HOOKS
from mmcv.runner.hooks.logger import {base}


@HOOKS.register_module()
class LabHook({base}):
    def after_train_epoch(self, runner):
        super().after_train_epoch(runner)
"""


def test_a_framework_tracker_hook_imported_earns(tmp_path: Path) -> None:
    """A training framework's tracker hook (`WandbLoggerHook`, `TensorboardVisBackend`, detectron2's
    `TensorboardXWriter`) records the run as the tracker's own logger would."""
    files = {"lab/__init__.py": "", "lab/hooks.py": HOOK_SUBCLASS.format(base="WandbLoggerHook")}
    result = assess(tmp_path / "a", "logging", "experiment_tracker", files)
    assert result.share == 1 and result.evidence == "lab/hooks.py:2 imports mmcv.runner.hooks.logger.WandbLoggerHook"
    # Look-alike: a hook built on the plain-text logger writes log lines, not a tracked run.
    text = {"lab/__init__.py": "", "lab/hooks.py": HOOK_SUBCLASS.format(base="TextLoggerHook")}
    assert "imports" not in assess(tmp_path / "b", "logging", "experiment_tracker", text).evidence


PROJECT_LOG = """from logging import INFO, WARNING

from fedlab.common.logger import log


def aggregate(results, round_number):
    log(INFO, "round %s: aggregating %s results", round_number, len(results))
    if not results:
        log(WARNING, "round %s: no results", round_number)
    return sum(results)
"""
PROJECT_LOGGER = 'import logging\n\nLOGGER = logging.getLogger("fedlab")\nlog = LOGGER.log\n'


def test_a_project_log_alias_called_with_a_level_constant_logs(tmp_path: Path) -> None:
    """`log(INFO, "...")`, a `Logger.log` the project imports from its own logging module, is a log call through
    its named logger. Look-alike: a project's `log` given a metric name first records a metric, not a log."""
    files = {
        "fedlab/__init__.py": "",
        "fedlab/common/__init__.py": "",
        "fedlab/common/logger.py": PROJECT_LOGGER,
        "fedlab/strategy.py": PROJECT_LOG,
    }
    used = assess(tmp_path / "lvl", "logging", "logging_used", files)
    assert (used.share, used.evidence) == (0.4, "2 log calls in 1 modules, e.g. fedlab/strategy.py:7")
    assert assess(tmp_path / "lvl", "logging", "module_loggers").share == 1
    metric = PROJECT_LOG.replace("from logging import INFO, WARNING\n", 'INFO, WARNING = "loss", "acc"\n')
    assert assess(tmp_path / "metric", "logging", "logging_used", {**files, "fedlab/strategy.py": metric}).share == 0


ABSL_MAIN = """from absl import app, flags, logging

flags.DEFINE_integer("steps", 100, "training steps")


def main(argv):
    logging.info("training for %d steps", flags.FLAGS.steps)


if __name__ == "__main__":
    {runner}
"""


def test_absl_app_run_configures_logging(tmp_path: Path) -> None:
    """`app.run(main)` installs absl's log handler and reads --verbosity/--log_dir before main runs; look-alike:
    the same module calling main() directly leaves logging unconfigured."""
    files = {"trainer/__init__.py": "", "trainer/main.py": ABSL_MAIN.format(runner="app.run(main)")}
    result = assess(tmp_path / "a", "logging", "logging_configured", files)
    assert result.share == 1 and result.evidence == "trainer/main.py:11 configures logging (absl.app.run)"
    plain = {**files, "trainer/main.py": ABSL_MAIN.format(runner="main(None)")}
    assert assess(tmp_path / "b", "logging", "logging_configured", plain).share == 0
