"""Micro-benchmark for batched inference throughput.

Usage::

    python benchmarks/bench_inference.py --batch-sizes 1 16 64 256 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Sequence

import numpy as np

from textclf.config import AppConfig, load_config
from textclf.features import LabelIndex, TextVectorizer
from textclf.model import build_classifier
from textclf.pipeline import TextPipeline
from textclf.seed import set_seed

WORDS = ("invoice", "refund", "crash", "password", "login", "export", "timeout", "charge", "account", "sync")


def synthetic_texts(n: int, rng: np.random.Generator) -> list[str]:
    lengths = rng.integers(5, 40, size=n)
    return [" ".join(rng.choice(WORDS, size=int(k))) for k in lengths]


def build_pipeline(cfg: AppConfig, rng: np.random.Generator) -> TextPipeline:
    labels = LabelIndex(classes=("account", "billing", "technical"))
    vectorizer = TextVectorizer(cfg.features)
    classifier = build_classifier(cfg.model, vectorizer.n_features, len(labels.classes), cfg.seed)
    texts = synthetic_texts(300, rng)
    classifier.fit(vectorizer.transform(texts), rng.integers(0, 3, size=300).astype(np.int64))
    return TextPipeline(vectorizer=vectorizer, classifier=classifier, labels=labels)


def time_batches(pipeline: TextPipeline, texts: Sequence[str], batch_size: int, repeats: int) -> float:
    """Median seconds per text over ``repeats`` passes."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        for i in range(0, len(texts), batch_size):
            pipeline.predict(texts[i : i + batch_size])
        timings.append((time.perf_counter() - start) / len(texts))
    return float(np.median(timings))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-texts", type=int, default=2_000)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 16, 64, 256])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the largest batch size")
    args = parser.parse_args(argv)

    cfg = load_config()
    rng = set_seed(cfg.seed)
    pipeline = build_pipeline(cfg, rng)
    texts = synthetic_texts(args.n_texts, rng)
    for batch_size in args.batch_sizes:
        per_text = time_batches(pipeline, texts, batch_size, args.repeats)
        print(f"batch={batch_size:>4}  {per_text * 1e6:8.1f} us/text  {1 / per_text:10.0f} texts/s")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(time_batches, pipeline, texts, max(args.batch_sizes), 1)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
