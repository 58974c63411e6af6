"""Tests of rule PRF003 (`mlaudit/rules/performance/prf003_row_wise_apply.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_prf003_row_apply_and_series_lambda(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "clean.py": (
                "import pandas as pd\n\n\n"
                "def add_ratio(df):\n"
                "    df['ratio'] = df.apply(lambda r: r['a'] / (r['b'] + 1), axis=1)\n"
                "    df['plan'] = df['plan'].apply(lambda p: p.lower())\n"
                "    df['top'] = df.groupby('user')['score'].apply(lambda s: s.max())\n"
                "    df['sum'] = df[['a', 'b']].apply(sum)\n"
                "    return df\n"
            ),
            "nets.py": "import torch\n\n\ndef init(model, fn):\n    model.apply(fn)\n",
        },
    )
    hits = findings(tmp_path, "PRF003")
    assert [(h.line, h.severity) for h in hits] == [(5, Severity.WARNING), (6, Severity.INFO)]


def test_prf003_silent_in_functions_that_draw_but_fires_on_the_data_they_come_from(tmp_path: Path) -> None:
    """`plot()` formats hover texts for the rows a reader sees; the same apply over the data computing the
    explanation still fires."""
    code = (
        "import pandas as pd\nimport plotly.express as px\n\n\n"
        "class Importance:\n"
        "    def fit(self, data):\n"
        "        data['drop'] = data.apply(lambda r: r['full'] - r['permuted'], axis=1)\n"
        "        self.result = data\n\n"
        "    def plot(self):\n"
        "        df = self.result.copy()\n"
        "        df['tooltip'] = df.apply(lambda r: f\"{r['variable']}: {r['drop']:.3f}\", axis=1)\n"
        "        return px.bar(df, x='drop', y='variable', hover_data=['tooltip'])\n"
    )
    write_tree(tmp_path, {"xai/importance.py": code})
    assert [h.line for h in findings(tmp_path, "PRF003")] == [7]


def test_prf003_silent_on_one_fit_per_row_but_fires_on_row_arithmetic(tmp_path: Path) -> None:
    code = (
        "import pandas as pd\nfrom scipy import stats\n\n\n"
        "def fit_distributions(samples):\n"
        "    params = samples.apply(lambda row: stats.norm.fit(row), axis=1, result_type='expand')\n"
        "    spread = samples.apply(lambda row: row.max() - row.min(), axis=1)\n"
        "    return params, spread\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/intervals.py": code})
    # each row's fit is a whole estimation; the spread is column arithmetic (samples.max(axis=1) - ...)
    assert [h.line for h in findings(tmp_path, "PRF003")] == [7]


def test_prf003_silent_on_a_field_of_the_objects_a_column_holds_but_fires_on_a_datetime_field(tmp_path: Path) -> None:
    """`df["segment"].apply(lambda s: s.start)` reads a field of the Python objects in the column: nothing in pandas
    does that per column. `lambda d: d.year` is `.dt.year`, and `lambda s: s.start * 2` computes: both fire."""
    code = (
        "import pandas as pd\n\n\n"
        "def spans(turns):\n"
        "    df = pd.DataFrame(turns, columns=['segment', 'speaker', 'when'])\n"
        "    df['start'] = df['segment'].apply(lambda s: s.start)\n"
        "    df['year'] = df['when'].apply(lambda d: d.year)\n"
        "    df['twice'] = df['segment'].apply(lambda s: s.start * 2)\n"
        "    return df\n"
    )
    write_tree(tmp_path, {"diarize.py": code})
    assert [h.line for h in findings(tmp_path, "PRF003")] == [7, 8]


def test_prf003_silent_on_wrapping_each_value_in_a_container_but_fires_on_arithmetic_inside_it(tmp_path: Path) -> None:
    """`df["score"].apply(lambda x: {"correctness": x})` makes one Python object per value, which no column operation
    builds. A container holding arithmetic (`lambda x: [x * 100]`) still computes per value: it fires."""
    code = (
        "import pandas as pd\n\n\n"
        "def evaluation_rows(df):\n"
        "    df['scores'] = df['score'].apply(lambda x: {'correctness': x})\n"
        "    df['tags'] = df['tag'].apply(lambda t: [t])\n"
        "    df['pct'] = df['score'].apply(lambda x: [x * 100])\n"
        "    return df.to_dict(orient='records')\n"
    )
    write_tree(tmp_path, {"evals.py": code})
    assert [h.line for h in findings(tmp_path, "PRF003")] == [7]


def test_prf003_silent_on_a_frame_with_one_row_per_variable_but_fires_on_the_data(tmp_path: Path) -> None:
    code = (
        "import pandas as pd\n\n\n"
        "def classify_columns(train):\n"
        "    var_df = pd.Series(dict(train.dtypes)).reset_index().rename(columns={0: 'dtype'})\n"
        "    var_df['binary'] = var_df.apply(lambda r: int(train[r['index']].nunique() == 2), axis=1)\n"
        "    var_df['kind'] = var_df['dtype'].apply(lambda t: str(t)[:3])\n"
        "    train['ratio'] = train.apply(lambda r: r['a'] / (r['b'] + 1), axis=1)\n"
        "    return var_df, train\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/columns.py": code})
    # the variables frame has one row per column of the data; the data itself has one per sample
    assert [h.line for h in findings(tmp_path, "PRF003")] == [8]
