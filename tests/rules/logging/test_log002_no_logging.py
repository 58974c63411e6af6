"""Tests of rule LOG002 (`mlaudit/rules/logging/log002_no_logging.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_log002_fires_for_large_ml_codebase_without_logging(tmp_path: Path) -> None:
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(260))
    train = "def fit(model, optimizer, loss):\n    loss.backward()\n    optimizer.step()\n"
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/train.py": "import torch\n" + body + train})
    [hit] = findings(tmp_path, "LOG002")
    assert hit.severity is Severity.ERROR and hit.path is None


def test_log002_silent_with_logging_or_small_code(tmp_path: Path) -> None:
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(260))
    write_tree(
        tmp_path, {"pkg/__init__.py": "", "pkg/train.py": "import torch\n" + body, "pkg/log.py": "import logging\n"}
    )
    assert findings(tmp_path, "LOG002") == []
    small = tmp_path / "small"
    write_tree(small, {"pkg/__init__.py": "", "pkg/train.py": "import torch\n\ndef f(x):\n    return x\n"})
    assert findings(small, "LOG002") == []


BIG_BODY = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(260))


def test_log002_small_service_without_logging_is_a_warning(tmp_path: Path) -> None:
    api = (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.post('/predict')\ndef predict(text: str) -> dict:\n    return {'label': 1}\n"
    )
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": api})
    [hit] = findings(tmp_path, "LOG002")
    assert hit.severity is Severity.WARNING and hit.path == "svc/api.py"


def test_log002_experiment_logger_and_inference_library_lower_the_severity(tmp_path: Path) -> None:
    trainer = "import lightning as L\n\n\ndef run(model, data):\n    L.Trainer(logger=True).fit(model, data)\n"
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY, "pkg/t.py": trainer})
    [hit] = findings(tmp_path / "a", "LOG002")
    assert hit.severity is Severity.WARNING and "lightning" in hit.message
    decode = "def transcribe(model, audio, verbose=False):\n    if verbose:\n        print('decoding')\n"
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY, "pkg/d.py": decode})
    [hit] = findings(tmp_path / "b", "LOG002")
    assert hit.severity is Severity.INFO


LIBRARY_PYPROJECT = (
    '[project]\nname = "labelkit"\nversion = "1.0"\ndependencies = ["numpy>=1.24", "torch>=2.0"]\n'
    'classifiers = ["Programming Language :: Python :: 3"]\n'
)


def test_log002_a_published_library_that_trains_without_logging_is_a_warning(tmp_path: Path) -> None:
    train = "def fit(model, optimizer, loss):\n    loss.backward()\n    optimizer.step()\n"
    files = {"labelkit/__init__.py": "", "labelkit/train.py": "import torch\n" + BIG_BODY + train}
    write_tree(tmp_path, {**files, "pyproject.toml": LIBRARY_PYPROJECT})
    [hit] = findings(tmp_path, "LOG002")
    assert hit.severity is Severity.WARNING and "published library" in hit.message


def test_log002_a_library_whose_only_training_is_its_examples_trains_nothing_itself(tmp_path: Path) -> None:
    demo = (
        "import torch\nfrom torch.utils.tensorboard import SummaryWriter\n\nfrom labelkit import Lamb\n\n\n"
        "def main(model, loader):\n    opt = Lamb(model.parameters())\n    writer = SummaryWriter()\n"
        "    for x, y in loader:\n        loss = model(x).sub(y).pow(2).mean()\n        loss.backward()\n"
        "        opt.step()\n        writer.add_scalar('loss', loss.item())\n"
    )
    files = {
        "labelkit/__init__.py": "",
        "labelkit/lamb.py": "import torch\n" + BIG_BODY,
        "pyproject.toml": LIBRARY_PYPROJECT,
    }
    write_tree(tmp_path / "demo", {**files, "examples/mnist.py": demo})
    [hit] = findings(tmp_path / "demo", "LOG002")
    assert hit.severity is Severity.INFO and "a library that trains nothing itself" in hit.message
    # Look-alike: the same loop in the package's own trainer is the library's training, and it logs nothing.
    write_tree(tmp_path / "own", {**files, "labelkit/trainer.py": demo.replace("from labelkit import Lamb", "")})
    [hit] = findings(tmp_path / "own", "LOG002")
    assert hit.severity is Severity.WARNING


def test_log002_fix_for_a_library_never_asks_it_to_configure_logging(tmp_path: Path) -> None:
    trainer = (
        "from torch.utils.tensorboard import SummaryWriter\n\n\ndef fit(loss, optimizer, writer: SummaryWriter):\n"
    )
    trainer += "    loss.backward()\n    optimizer.step()\n    writer.add_scalar('loss', loss.item())\n"
    files = {"labelkit/__init__.py": "", "labelkit/f.py": "import torch\n" + BIG_BODY, "labelkit/t.py": trainer}
    write_tree(tmp_path / "lib", {**files, "pyproject.toml": LIBRARY_PYPROJECT})
    [hit] = findings(tmp_path / "lib", "LOG002")
    assert "tensorboard" in hit.message and "leave configuring logging to applications" in (hit.fix or "")
    write_tree(tmp_path / "app", files)
    [hit] = findings(tmp_path / "app", "LOG002")
    assert "configure logging in main()" in (hit.fix or "")


CLI_WITH_TELEMETRY = """import typer

app = typer.Typer()


def tracked(command):
    def wrapped(*args, **kwargs):
        from servekit.telemetry.usage import record

        record(command.__name__)
        return command(*args, **kwargs)

    return wrapped


@app.command()
@tracked
def serve(port: int = 3000) -> None:
    typer.echo(f"serving on {port}")
"""


def test_log002_a_framework_helper_imported_inside_one_function_is_not_a_web_service(tmp_path: Path) -> None:
    """A CLI that lazily imports a serving framework's telemetry helper serves nothing; a lazy app factory does."""
    cli = CLI_WITH_TELEMETRY.replace("servekit.telemetry.usage", "bentoml._internal.usage")
    write_tree(tmp_path, {"mycli/__init__.py": "", "mycli/main.py": cli})
    assert findings(tmp_path, "LOG002") == []
    factory = (
        "def create_app():\n    from flask import Flask\n\n    app = Flask(__name__)\n\n"
        "    @app.post('/predict')\n    def predict():\n        return {'label': 1}\n\n    return app\n"
    )
    write_tree(tmp_path / "b", {"svc/__init__.py": "", "svc/factory.py": factory})
    [hit] = findings(tmp_path / "b", "LOG002")
    assert hit.severity is Severity.WARNING and hit.path == "svc/factory.py"


def test_log002_a_lightning_module_s_training_step_is_training_code(tmp_path: Path) -> None:
    task = (
        "import lightning.pytorch as pl\nimport torch.nn.functional as F\n\n\nclass SegmentationTask(pl.LightningModule):\n"
        "    def training_step(self, batch, batch_idx):\n        x, y = batch\n"
        "        return F.cross_entropy(self.model(x), y)\n"
    )
    files = {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY, "pkg/task.py": task}
    write_tree(tmp_path / "a", files)
    [hit] = findings(tmp_path / "a", "LOG002")
    assert hit.severity is Severity.WARNING and "training code" in hit.message
    # Look-alike: a module whose only step is a predict_step serves a trained model
    serving = task.replace("SegmentationTask", "Segmenter").replace("training_step", "predict_step")
    write_tree(tmp_path / "b", {**files, "pkg/task.py": serving})
    [hit] = findings(tmp_path / "b", "LOG002")
    assert hit.severity is Severity.INFO and "inference code" in hit.message


def test_log002_an_async_http_client_is_not_a_web_service(tmp_path: Path) -> None:
    """aiohttp is also the common async HTTP client: only its server half (aiohttp.web) makes a service."""
    client = (
        "import asyncio\n\nimport aiohttp\n\n\nasync def fetch_tile(session, url):\n"
        "    async with session.get(url) as resp:\n        return await resp.read()\n\n\n"
        "async def fetch_all(urls):\n    async with aiohttp.ClientSession() as session:\n"
        "        return await asyncio.gather(*(fetch_tile(session, u) for u in urls))\n"
    )
    write_tree(tmp_path, {"tiles/__init__.py": "", "tiles/download.py": client})
    assert findings(tmp_path, "LOG002") == []
    server = (
        "from aiohttp import web\n\n\nasync def predict(request):\n    return web.json_response({'label': 1})\n\n\n"
        "app = web.Application()\napp.add_routes([web.post('/predict', predict)])\n"
    )
    write_tree(tmp_path / "b", {"svc/__init__.py": "", "svc/server.py": server})
    [hit] = findings(tmp_path / "b", "LOG002")
    assert hit.severity is Severity.WARNING and hit.path == "svc/server.py"


def test_log002_a_library_that_warns_and_prints_behind_verbose_follows_sklearns_convention(tmp_path: Path) -> None:
    estimator = (
        "import warnings\n\n\nclass Resampler:\n"
        "    def fit(self, X, y, verbose=False):\n"
        "        if verbose:\n            print('resampling', len(X))\n"
        "        if len(set(y)) < 2:\n            warnings.warn('only one class')\n"
        "        return self\n"
    )
    train = "def fit(model, optimizer, loss):\n    loss.backward()\n    optimizer.step()\n"
    files = {"labelkit/__init__.py": "", "labelkit/train.py": "import torch\n" + BIG_BODY + train}
    write_tree(tmp_path / "sk", {**files, "labelkit/resample.py": estimator, "pyproject.toml": LIBRARY_PYPROJECT})
    [hit] = findings(tmp_path / "sk", "LOG002")
    assert hit.severity is Severity.INFO and "scikit-learn's convention" in hit.message
    bare = estimator.replace("        return self\n", "        print('done')\n        return self\n")
    write_tree(tmp_path / "bare", {**files, "labelkit/resample.py": bare, "pyproject.toml": LIBRARY_PYPROJECT})
    [hit] = findings(tmp_path / "bare", "LOG002")
    assert hit.severity is Severity.WARNING


def test_log002_silent_when_a_logger_comes_from_a_dependency(tmp_path: Path) -> None:
    train = (
        "import torch\nfrom diffusers.utils import logging\n\nlogger = logging.get_logger(__name__)\n\n\n"
        "def fit(model, optimizer, loss):\n    loss.backward()\n    optimizer.step()\n"
        "    logger.info('step done, loss %.3f', loss.item())\n"
    )
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY, "pkg/t.py": train})
    assert findings(tmp_path / "a", "LOG002") == []
    helper = (
        "from basekit.utils import get_root_logger\n\n\ndef load(path):\n"
        "    logger = get_root_logger()\n    logger.warning('retrying %s', path)\n"
    )
    fit = "def fit(model, optimizer, loss):\n    loss.backward()\n    optimizer.step()\n"
    write_tree(
        tmp_path / "b",
        {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY + fit, "pkg/d.py": helper},
    )
    assert findings(tmp_path / "b", "LOG002") == []


def test_log002_still_fires_when_only_a_tracker_logs_metrics(tmp_path: Path) -> None:
    # `wandb_logger.log({...})` and `self.log(...)` record metrics, not status messages through a logger
    train = (
        "import torch\nimport wandb\n\n\ndef fit(model, optimizer, loss, run_logger):\n    loss.backward()\n"
        "    optimizer.step()\n    run_logger.log({'loss': loss.item()})\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/f.py": "import torch\n" + BIG_BODY, "pkg/t.py": train})
    [hit] = findings(tmp_path, "LOG002")
    assert hit.severity is Severity.WARNING and "wandb" in hit.message


def test_log002_scikit_learn_contrib_lightning_is_no_experiment_logger(tmp_path: Path) -> None:
    """`from lightning import classification` imports scikit-learn-contrib's linear models, not
    PyTorch Lightning: a library explaining them that reports through warnings follows scikit-learn's
    convention. `import lightning as L` with `L.Trainer` routes metrics through Lightning's loggers."""
    explain = (
        "import warnings\n\nfrom lightning import classification\n\n\n"
        "def explain_weights_lightning(clf, X, y):\n"
        "    if not isinstance(clf, classification.CDClassifier):\n        warnings.warn('not a lightning classifier')\n"
        "    return clf.fit(X, y).coef_\n"
    )
    files = {
        "pyproject.toml": LIBRARY_PYPROJECT,
        "labelkit/__init__.py": "",
        "labelkit/f.py": "import sklearn\n" + BIG_BODY,
    }
    write_tree(tmp_path / "sk", {**files, "labelkit/lightning.py": explain})
    [hit] = findings(tmp_path / "sk", "LOG002")
    assert hit.severity is Severity.INFO and "scikit-learn's convention" in hit.message
    trainer = "import lightning as L\n\n\ndef run(model, data):\n    L.Trainer(logger=True).fit(model, data)\n"
    write_tree(tmp_path / "pl", {**files, "labelkit/lightning.py": explain, "labelkit/trainer.py": trainer})
    [hit] = findings(tmp_path / "pl", "LOG002")
    assert hit.severity is Severity.WARNING and "Metrics go through lightning" in hit.message
