"""Command-line entry point (``textclf train|evaluate|serve``)."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from textclf.config import DEFAULT_CONFIG_PATH, load_config
from textclf.data import load_dataset
from textclf.evaluate import evaluate
from textclf.logging_setup import LOG_FORMAT, quiet_noisy_loggers, use_json_logs
from textclf.pipeline import load_pipeline
from textclf.seed import set_seed
from textclf.train import run_training

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="textclf", description=__doc__)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG_PATH)
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--json-logs", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train and save a pipeline")
    train.add_argument("data", type=Path)
    train.add_argument("--out", type=Path, default=Path("models/latest"))

    ev = sub.add_parser("evaluate", help="evaluate a saved pipeline")
    ev.add_argument("data", type=Path)
    ev.add_argument("--model-dir", type=Path, default=Path("models/latest"))

    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def _train(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    set_seed(cfg.seed)
    result = run_training(args.data, args.out, cfg)
    print(json.dumps(result.report.as_dict(), indent=2))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    set_seed(cfg.seed)
    pipeline = load_pipeline(args.model_dir, cfg)
    report = evaluate(pipeline, load_dataset(args.data, cfg.data))
    print(json.dumps(report.as_dict(), indent=2))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run("textclf.service:app", host=args.host, port=args.port, log_config=None)
    return 0


COMMANDS = {"train": _train, "evaluate": _evaluate, "serve": _serve}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, format=LOG_FORMAT)
    quiet_noisy_loggers()
    if args.json_logs:
        use_json_logs()
    logger.debug("running command %s", args.command)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
