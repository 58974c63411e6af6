"""Tests of rule PRF002 (`mlaudit/rules/performance/prf002_data_frame_row_loop.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_prf002_fires_on_iterrows_and_not_on_head(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "feats.py": (
                "import pandas as pd\n\n\n"
                "def profiles(df):\n"
                "    out = {}\n"
                "    for _, row in df.iterrows():\n"
                "        out[row['user']] = row['n'] * 2\n"
                "    for _, row in df.head(5).iterrows():\n"
                "        print(row)\n"
                "    rows = [r.a for r in df.itertuples()]\n"
                "    return out, rows\n"
            )
        },
    )
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(6, Severity.WARNING), (10, Severity.INFO)]
    assert "df.iterrows()" in hits[0].message


def test_prf002_row_loop_reading_a_file_per_row_is_info(tmp_path: Path) -> None:
    code = (
        "import os\n\nimport pandas as pd\nimport torchvision\n\n\n"
        "def read_manifest(data_dir):\n"
        "    labels = pd.read_csv(os.path.join(data_dir, 'label.csv'))\n"
        "    images, targets = [], []\n"
        "    for name, target in labels.iterrows():\n"
        "        images.append(torchvision.io.read_image(os.path.join(data_dir, name)))\n"
        "        targets.append(target.get('box'))\n"
        "    for _, row in labels.iterrows():\n"
        "        targets.append(row.get('score', 0) * 2)\n"
        "    return images, targets\n"
    )
    write_tree(tmp_path, {"data.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(10, Severity.INFO), (13, Severity.WARNING)]
    assert hits[0].message.endswith("(each row reads or checks a file)")


def test_a_row_loop_that_checks_each_rows_file_is_a_note_and_a_row_computation_is_not(tmp_path: Path) -> None:
    code = (
        "import os\n\nimport pandas as pd\n\n\n"
        "def verify(root):\n"
        "    df = pd.read_csv(os.path.join(root, 'index.csv'))\n"
        "    found = [os.path.exists(os.path.join(root, row['image'])) for _, row in df.iterrows()]\n"
        "    for _, row in df.iterrows():\n"
        "        found.append(os.path.isfile(os.path.join(root, row['mask'])))\n"
        "    for _, row in df.iterrows():\n"
        "        found.append(row['width'] * row['height'] > 0)\n"
        "    for _, row in df.iterrows():\n"
        "        found.append(download_clip(row['url'], root))\n"
        "    return all(found)\n"
    )
    write_tree(tmp_path, {"data.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [
        (8, Severity.INFO),
        (9, Severity.INFO),
        (11, Severity.WARNING),
        (13, Severity.INFO),
    ]


def test_row_loops_score_flat_every_one_counting_whatever_the_code_size() -> None:
    from mlaudit.rules.performance.prf002_data_frame_row_loop import DataFrameRowLoop

    assert DataFrameRowLoop.scoring == "flat"


def test_prf002_silent_on_a_frame_of_the_models_variables_but_fires_on_samples(tmp_path: Path) -> None:
    code = (
        "import pandas as pd\n\n\n"
        "class WorkbookExport:\n"
        "    def __init__(self, model):\n"
        "        self.variables = pd.DataFrame({'name': model.feature_names_in_, 'type': model.feature_types_})\n\n"
        "    def write_sheet(self, sheet):\n"
        "        for i, var in self.variables.iterrows():\n"
        "            sheet.write(i + 5, 0, var['name'])\n\n"
        "    def score_rows(self, model, samples):\n"
        "        out = []\n"
        "        for _, row in samples.iterrows():\n"
        "            out.append(model.predict([row.values])[0])\n"
        "        return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/export.py": code})
    assert [f.line for f in findings(tmp_path, "PRF002")] == [14]


def test_prf002_silent_in_a_function_that_draws_a_figure_but_not_in_its_data_helper(tmp_path: Path) -> None:
    code = (
        "import matplotlib.pyplot as plt\nimport pandas as pd\n\n\n"
        "def plot_topic_labels(points: pd.DataFrame):\n"
        "    fig, ax = plt.subplots()\n"
        "    for _, row in points.iterrows():\n"
        "        ax.annotate(row['label'], (row['x'], row['y']))\n"
        "    names = {row.topic: row.label for _, row in points.iterrows()}\n"
        "    return fig, names\n\n\n"
        "def topic_centres(points):\n"
        "    centres = {}\n"
        "    for _, row in points.iterrows():\n"
        "        centres[row['topic']] = (row['x'] + row['y']) / 2\n"
        "    return centres\n"
    )
    write_tree(tmp_path, {"topics/__init__.py": "", "topics/figures.py": code})
    assert [h.line for h in findings(tmp_path, "PRF002")] == [15]


def test_a_row_loop_that_only_places_a_mark_per_row_is_not_reported(tmp_path: Path) -> None:
    code = (
        "import folium\nimport matplotlib.pyplot as plt\nimport pandas as pd\n\n\n"
        "def report(stations: pd.DataFrame) -> None:\n"
        "    city = folium.Map(location=[48.85, 2.35], zoom_start=11)\n"
        "    for _, row in stations.iterrows():\n"
        "        if row['busy']:\n"
        "            folium.CircleMarker(location=[row['lat'], row['lon']], radius=3).add_to(city)\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.scatter(stations['lon'], stations['lat'])\n"
        "    for _, row in stations.iterrows():\n"
        "        ax.annotate(row['name'], (row['lon'], row['lat']))\n"
        "    city.save('stations.html')\n"
        "    fig.savefig('stations.png')\n"
    )
    write_tree(tmp_path, {"stations.py": code})
    assert findings(tmp_path, "PRF002") == []


def test_a_row_loop_that_draws_and_also_computes_per_row_is_still_reported(tmp_path: Path) -> None:
    code = (
        "import matplotlib.pyplot as plt\nimport pandas as pd\n\n\n"
        "def report(stations: pd.DataFrame) -> list[float]:\n"
        "    fig, ax = plt.subplots()\n"
        "    for i, row in stations.iterrows():\n"
        "        stations.loc[i, 'load'] = row['riders'] / row['docks']\n"
        "        ax.annotate(row['name'], (row['lon'], row['lat']))\n"
        "    loads = []\n"
        "    for _, row in stations.iterrows():\n"
        "        loads.append(row['riders'] / row['docks'])\n"
        "        ax.text(row['lon'], row['lat'], row['name'])\n"
        "    fig.savefig('stations.png')\n"
        "    return loads\n"
    )
    write_tree(tmp_path, {"stations.py": code})
    assert [h.line for h in findings(tmp_path, "PRF002")] == [7, 11]


def test_a_row_loop_that_turns_each_row_into_an_object_is_a_note_but_one_computing_per_row_is_not(
    tmp_path: Path,
) -> None:
    code = (
        "import pandas as pd\n\nfrom shop.model import Order\n\n\n"
        "def orders(df):\n"
        "    return [Order(order_id=row['id'], total=row['total']) for _, row in df.iterrows()]\n\n\n"
        "def orders_by_id(df):\n"
        "    found = {}\n"
        "    for index, row in df.iterrows():\n"
        "        order = Order(order_id=index, total=row['total'])\n"
        "        found[index] = order\n"
        "    return found\n\n\n"
        "def totals(df):\n"
        "    found = {}\n"
        "    for index, row in df.iterrows():\n"
        "        found[index] = float(row['price'] * row['quantity'])\n"
        "    return found\n\n\n"
        "def tensors(df):\n"
        "    return [torch.Tensor(row.values) for _, row in df.iterrows()]\n"
    )
    write_tree(tmp_path, {"shop/__init__.py": "", "shop/model.py": "class Order:\n    pass\n", "shop/load.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [
        (7, Severity.INFO),
        (12, Severity.INFO),
        (20, Severity.WARNING),
        (26, Severity.WARNING),
    ]
    assert "becomes an object" in hits[0].message


def test_prf002_silent_on_a_grid_of_points_to_evaluate_but_fires_on_a_gridded_sample_frame(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def partial_dependence(model, X, grid, features):\n"
        "    averaged = []\n"
        "    for _, point in grid.iterrows():\n"
        "        X_eval = X.copy()\n"
        "        for i, name in enumerate(features):\n"
        "            X_eval[name] = point.iloc[i]\n"
        "        averaged.append(np.mean(model.predict(X_eval)))\n"
        "    return averaged\n\n\n"
        "def cell_totals(gridded_cells):\n"
        "    out = []\n"
        "    for _, cell in gridded_cells.iterrows():\n"
        "        out.append(cell['rain'] * cell['area'])\n"
        "    return out\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/pdp.py": code})
    assert ["cell_totals" in f.message for f in findings(tmp_path, "PRF002")] == [True]


def test_prf002_a_loop_that_only_reports_each_row_is_info(tmp_path: Path) -> None:
    # the per-class table is printed and turned into metric names; the weighted-score loop computes per row
    code = (
        "import logging\n\nimport pandas as pd\n\nlogger = logging.getLogger(__name__)\n\n\n"
        "def report(per_class, metrics):\n"
        "    for _, row in per_class.iterrows():\n"
        "        logger.info(f\"{row['label']}: recall {row['recall']:.3f}\")\n"
        "        metrics['{}_recall'.format(row['label'])] = row['recall']\n"
        "    return metrics\n\n\n"
        "def weighted(per_class):\n"
        "    lines = []\n"
        "    for _, row in per_class.iterrows():\n"
        "        lines.append(f\"{row['label']}: {row['recall'] * row['support']:.1f}\")\n"
        "    return lines\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/report.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(9, Severity.INFO), (17, Severity.WARNING)]
    assert "a line of a report" in hits[0].message


def test_prf002_a_comprehension_that_only_formats_each_row_is_info_but_one_computing_per_row_is_not(
    tmp_path: Path,
) -> None:
    """An HTML cell per row is a line of a report; a ratio per row is column arithmetic done row by row."""
    code = (
        "import pandas as pd\n\n\n"
        "def header_cells(categories):\n"
        '    return "".join([f\'<td id="cat-{row.num}">{row.name}</td>\' for _, row in categories.iterrows()])\n\n\n'
        "def ratios(categories):\n"
        "    return [f'{row.hits / row.total:.2f}' for _, row in categories.iterrows()]\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/table.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(5, Severity.INFO), (9, Severity.WARNING)]
    assert "a line of a report" in hits[0].message


def test_a_row_loop_that_hands_each_row_to_a_concurrent_task_is_a_note_but_one_awaiting_inline_is_not(
    tmp_path: Path,
) -> None:
    code = (
        "import asyncio\n\nimport pandas as pd\n\n\n"
        "async def summarise_all(df, summarise):\n"
        "    tasks = [asyncio.to_thread(summarise, row) for _, row in df.iterrows()]\n"
        "    return await asyncio.gather(*tasks)\n\n\n"
        "def embed_all(df, pool, embed):\n"
        "    futures = []\n"
        "    for _, row in df.iterrows():\n"
        "        futures.append(pool.submit(embed, row['text']))\n"
        "    return [f.result() for f in futures]\n\n\n"
        "async def scores(df):\n"
        "    found = []\n"
        "    for _, row in df.iterrows():\n"
        "        found.append(row['hits'] / (row['total'] + 1))\n"
        "    return found\n"
    )
    write_tree(tmp_path, {"pipeline.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(7, Severity.INFO), (13, Severity.INFO), (20, Severity.WARNING)]
    assert "concurrent task" in hits[0].message


def test_prf002_a_loop_joining_each_rows_fields_into_text_is_info_but_one_summing_them_is_not(tmp_path: Path) -> None:
    code = (
        "import pandas as pd\n\n\n"
        "def rows_as_text(df):\n"
        "    headers = df.columns.tolist()\n"
        "    lines = []\n"
        "    for _, row in df.iterrows():\n"
        "        lines.append(', '.join([f'{h}: {row[h]!s}' for h in headers]))\n"
        "    return lines\n\n\n"
        "def rows_as_totals(df):\n"
        "    lines = []\n"
        "    for _, row in df.iterrows():\n"
        "        lines.append(', '.join([f'{row[h] * 2}' for h in df.columns]))\n"
        "    return lines\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/text.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(7, Severity.INFO), (14, Severity.WARNING)]


def test_prf002_a_generator_yielding_each_rows_example_is_a_note_but_a_running_total_is_not(tmp_path: Path) -> None:
    """A dataset builder streams one example per row: no column form exists for the stream. Look-alike: a
    generator yielding a running balance computes across rows, which a cumulative sum does at once."""
    code = (
        "import pandas as pd\n\n\n"
        "def generate_examples(path):\n"
        "    df = pd.read_csv(path)\n"
        "    for idx, row in df.iterrows():\n"
        "        label = int(row['label'])\n"
        "        yield idx, {'text': row['text'].strip(), 'label': label}\n\n\n"
        "def running_balance(df):\n"
        "    balance = 0.0\n"
        "    for _, row in df.iterrows():\n"
        "        balance += row['amount'] * row['rate']\n"
        "        yield balance\n"
    )
    write_tree(tmp_path, {"builders/__init__.py": "", "builders/reviews.py": code})
    hits = findings(tmp_path, "PRF002")
    assert [(h.line, h.severity) for h in hits] == [(6, Severity.INFO), (13, Severity.WARNING)]
    assert hits[0].message.endswith("(each row is yielded as one example of a stream; itertuples() is faster)")


def test_prf002_a_plotly_trace_per_row_or_a_figure_builder_is_not_reported_but_its_score_table_is(
    tmp_path: Path,
) -> None:
    code = (
        "import pandas as pd\nimport plotly.graph_objects as go\n\n\n"
        "def _add_difference_traces(diffs: pd.DataFrame, fig: go.Figure) -> None:\n"
        "    for _, row in diffs.iterrows():\n"
        "        color = 'red' if row['diff'] < 0 else 'green'\n"
        "        fig.add_trace(go.Scatter(x=[row['score'], row['base']], y=[row['group']] * 2, marker_color=color))\n\n\n"
        "def make_largest_difference_figure(groups: pd.DataFrame, data: pd.DataFrame) -> go.Figure:\n"
        "    fig = go.Figure()\n"
        "    for _, cat in groups.iterrows():\n"
        "        subset = data[data['group'] == cat['group']]\n"
        "        _add_difference_traces(subset, fig)\n"
        "    return fig\n\n\n"
        "def make_scores_table(scores: pd.DataFrame) -> pd.DataFrame:\n"
        "    rows = []\n"
        "    for _, row in scores.iterrows():\n"
        "        rows.append({'group': row['group'], 'diff': row['score'] - row['base']})\n"
        "    return pd.DataFrame(rows)\n"
    )
    write_tree(tmp_path, {"checks/__init__.py": "", "checks/bias.py": code})
    assert [h.line for h in findings(tmp_path, "PRF002")] == [21]
