from __future__ import annotations

import pandas as pd
import pytest

from textclf.evaluate import evaluate
from textclf.pipeline import TextPipeline


def test_report_on_training_data_is_high(trained_pipeline: TextPipeline, tickets: pd.DataFrame) -> None:
    report = evaluate(trained_pipeline, tickets)
    assert report.n_examples == len(tickets)
    assert report.accuracy > 0.9
    assert report.macro_f1 > 0.9
    assert sum(map(sum, report.confusion)) == len(tickets)


def test_report_serialises(trained_pipeline: TextPipeline, tickets: pd.DataFrame) -> None:
    as_dict = evaluate(trained_pipeline, tickets.head(6)).as_dict()
    assert set(as_dict) == {"n_examples", "accuracy", "macro_f1", "confusion"}


def test_unknown_label_in_eval_set_fails(trained_pipeline: TextPipeline) -> None:
    df = pd.DataFrame({"text": ["where is my parcel"], "label": ["shipping"]})
    with pytest.raises(KeyError):
        evaluate(trained_pipeline, df)
