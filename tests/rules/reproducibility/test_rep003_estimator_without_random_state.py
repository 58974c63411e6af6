"""Tests of rule REP003 (`mlaudit/rules/reproducibility/rep003_estimator_without_random_state.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree


def test_rep003_train_test_split_without_random_state(tmp_path: Path) -> None:
    code = "from sklearn.model_selection import KFold, train_test_split\n\n\ndef split(X, y):\n"
    code += "    KFold(5, shuffle=True)\n    return train_test_split(X, y, test_size=0.2)\n"
    write_tree(tmp_path, {"data.py": code})
    hits = findings(tmp_path, "REP003")
    assert sorted(h.message.split("(")[0] for h in hits) == ["KFold", "train_test_split"]
    assert all(h.severity is Severity.WARNING for h in hits)


def test_rep003_silent_with_random_state_or_no_shuffle(tmp_path: Path) -> None:
    code = "from sklearn.model_selection import KFold, train_test_split\nfrom sklearn.decomposition import PCA\n\n\n"
    code += "def split(X, y, seed):\n    KFold(5)\n    PCA(3)\n"
    code += "    return train_test_split(X, y, random_state=seed), train_test_split(X, shuffle=False)\n"
    write_tree(tmp_path, {"data.py": code})
    assert findings(tmp_path, "REP003") == []


def test_rep003_booster_is_info(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"m.py": "import xgboost as xgb\n\n\ndef build():\n    return xgb.XGBClassifier(max_depth=3)\n"}
    )
    [hit] = findings(tmp_path, "REP003")
    assert hit.severity is Severity.INFO


def test_rep003_estimator_restored_from_a_file_needs_no_random_state(tmp_path: Path) -> None:
    code = (
        "from catboost import CatBoostClassifier\n\n\n"
        "def predict(path, X):\n    model = CatBoostClassifier()\n    model.load_model(path)\n    return model.predict(X)\n\n\n"
        "def fit(X, y):\n    model = CatBoostClassifier()\n    return model.fit(X, y)\n"
    )
    write_tree(tmp_path, {"boost.py": code})
    assert [h.line for h in findings(tmp_path, "REP003")] == [11]


def test_rep003_in_an_example_is_info_and_in_the_projects_notebooks_a_warning(tmp_path: Path) -> None:
    code = (
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "def fit(X, y):\n    return RandomForestClassifier(n_estimators=50).fit(X, y)\n"
    )
    write_tree(tmp_path, {"docs/examples/forest.py": code, "notebooks/fit.py": code, "churn/model.py": code})
    severities = {h.path: h.severity for h in findings(tmp_path, "REP003")}
    assert severities == {
        "docs/examples/forest.py": Severity.INFO,  # the reader's run, not the project's
        "notebooks/fit.py": Severity.WARNING,  # the project's own analysis
        "churn/model.py": Severity.WARNING,
    }


def test_rep003_a_pandas_shuffle_without_random_state_fires_unless_seeded(tmp_path: Path) -> None:
    folds = (
        "import pandas as pd\n\n"
        "if __name__ == '__main__':\n"
        "    df = pd.read_csv('train.csv')\n"
        "    df = df.sample(frac=1).reset_index(drop=True)\n"
        "    holdout = df.sample(frac=0.1, random_state=42)\n"
        "    df.to_csv('train_folds.csv', index=False)\n"
    )
    # Look-alikes: a torch distribution's sample(), the stdlib's random.sample and a shuffle seeded
    # through numpy's global RNG (which pandas uses without random_state) are not an unseeded pandas shuffle.
    others = (
        "import random\n\nimport numpy as np\nimport torch\n\n\n"
        "def draw(logits, items, df):\n"
        "    np.random.seed(0)\n"
        "    token = torch.distributions.Categorical(logits=logits).sample()\n"
        "    return token, random.sample(items, 3), df.sample(frac=0.5)\n"
    )
    write_tree(tmp_path, {"create_folds.py": folds, "lab/__init__.py": "", "lab/draw.py": others})
    hits = findings(tmp_path, "REP003")
    assert [(h.path, h.line, h.severity) for h in hits] == [
        ("create_folds.py", 5, Severity.WARNING),
        ("lab/draw.py", 10, Severity.INFO),
    ]
    assert hits[0].message == "df.sample() without random_state in create_folds.py"


def test_rep003_fallback_for_an_estimator_the_caller_may_pass_is_the_callers_to_seed(tmp_path: Path) -> None:
    code = (
        "import optuna\nfrom sklearn.cluster import KMeans\nfrom sklearn.ensemble import RandomForestClassifier\n\n\n"
        "class Tuner:\n"
        "    def __init__(self, sampler=None, clusterer=None):\n"
        "        self.sampler = sampler or optuna.samplers.TPESampler()\n"
        "        if clusterer is None:\n"
        "            clusterer = KMeans(n_clusters=4)\n"
        "        self.clusterer = clusterer\n\n\n"
        "def fit(X, y, model=None, n_trees=100):\n"
        "    model = RandomForestClassifier(n_trees) if model is None else model\n"
        "    baseline = n_trees and RandomForestClassifier(10)\n"
        "    return model.fit(X, y), baseline\n\n\n"
        "def tune():\n"
        "    sampler = None\n"
        "    return sampler or optuna.samplers.RandomSampler()\n"
    )
    write_tree(tmp_path, {"tune.py": code})
    hits = findings(tmp_path, "REP003")
    assert sorted((h.line, h.message.split("(")[0]) for h in hits) == [
        (16, "RandomForestClassifier"),
        (22, "optuna.samplers.RandomSampler"),
    ]


def test_rep003_umap_and_mixture_models_need_a_seed_but_deterministic_look_alikes_do_not(tmp_path: Path) -> None:
    code = (
        "import numpy as np\nfrom hdbscan import HDBSCAN\nfrom sklearn.cluster import AgglomerativeClustering\n"
        "from sklearn.mixture import GaussianMixture\nfrom umap import UMAP\n\n"
        "np.random.seed(0)\n\n\n"
        "def cluster(embeddings, seed):\n"
        "    reduced = UMAP(n_neighbors=15, n_components=5, metric='cosine').fit_transform(embeddings)\n"
        "    seeded = UMAP(n_components=2, random_state=seed).fit_transform(embeddings)\n"
        "    labels = HDBSCAN(min_cluster_size=10).fit_predict(reduced)\n"
        "    tree = AgglomerativeClustering(n_clusters=8).fit_predict(seeded)\n"
        "    mixture = GaussianMixture(n_components=4, random_state=seed).fit(reduced)\n"
        "    return labels, tree, mixture, GaussianMixture(n_components=4).fit(seeded)\n"
    )
    write_tree(tmp_path, {"topics/__init__.py": "", "topics/cluster.py": code})
    hits = findings(tmp_path, "REP003")
    assert [(h.line, h.message.split("(")[0], h.severity) for h in hits] == [
        (11, "UMAP", Severity.WARNING),  # parallel optimisation: numpy's global seed does not make it reproducible
        (16, "GaussianMixture", Severity.INFO),  # draws from numpy's global RNG, which the file seeds
    ]


def test_rep003_a_default_component_stored_on_the_object_is_the_callers_to_seed(tmp_path: Path) -> None:
    code = (
        "from sklearn.cluster import KMeans\nfrom sklearn.decomposition import PCA\n\n\n"
        "class TopicModel:\n"
        "    def __init__(self, reducer=None, clusterer=None, data=None):\n"
        "        if reducer is not None:\n            self.reducer = reducer\n"
        "        else:\n"
        "            try:\n                from umap import UMAP\n\n"
        "                self.reducer = UMAP(n_components=5, metric='cosine')\n"
        "            except ImportError:\n                self.reducer = PCA(n_components=5)\n"
        "        if data is None:\n"
        "            data = []\n"
        "            self.clusterer = KMeans(n_clusters=8)\n"
        "        if clusterer is not None:\n"
        "            self.clusterer = KMeans(n_clusters=4)\n"
    )
    write_tree(tmp_path, {"topics/__init__.py": "", "topics/model.py": code})
    hits = findings(tmp_path, "REP003")
    assert [(h.line, h.message.split("(")[0]) for h in hits] == [(18, "KMeans"), (20, "KMeans")]


def test_rep003_an_estimator_built_only_to_read_its_parameter_names_is_not_reported(tmp_path: Path) -> None:
    code = (
        "from sklearn.manifold import TSNE\n\n\n"
        "class Embedder:\n"
        "    def __init__(self, random_state=None, **kwargs):\n"
        "        self.tsne_kwargs = {k: kwargs.pop(k) for k in TSNE().get_params() if k in kwargs}\n"
        "        self.random_state = random_state\n\n"
        "    def fit(self, X):\n"
        "        self.embedding_ = TSNE(perplexity=30.0).fit_transform(X)\n"
        "        return self\n"
    )
    write_tree(tmp_path, {"embed.py": code})
    [hit] = findings(tmp_path, "REP003")
    assert hit.line == 10 and hit.severity is Severity.WARNING


def test_rep003_a_template_estimator_seeded_when_cloned_is_not_reported(tmp_path: Path) -> None:
    code = (
        "from sklearn.base import clone\n"
        "from sklearn.ensemble import RandomForestClassifier\n"
        "from sklearn.tree import DecisionTreeClassifier\n\n\n"
        "def _clone_estimator(base, random_state=None):\n"
        "    est = clone(base)\n"
        "    est.set_params(random_state=random_state)\n"
        "    return est\n\n\n"
        "class FeatureClassifier:\n"
        "    def __init__(self, estimator=None, random_state=None):\n"
        "        self.estimator = estimator\n"
        "        self.random_state = random_state\n\n"
        "    def fit(self, X, y):\n"
        "        self.estimator_ = _clone_estimator(\n"
        "            RandomForestClassifier(n_estimators=200) if self.estimator is None else self.estimator,\n"
        "            self.random_state,\n"
        "        )\n"
        "        self._tree = DecisionTreeClassifier(criterion='entropy')\n"
        "        self.scorer_ = RandomForestClassifier(n_estimators=50)\n"
        "        return self.estimator_.fit(X, y)\n\n"
        "    def _fit_member(self, X, y, seed):\n"
        "        return _clone_estimator(self._tree, random_state=seed).fit(X, y)\n\n"
        "    def baseline(self, X, y):\n"
        "        model = RandomForestClassifier(n_estimators=10)\n"
        "        model.set_params(random_state=self.random_state)\n"
        "        other = RandomForestClassifier(n_estimators=10)\n"
        "        other.set_params(n_jobs=2)\n"
        "        return model.fit(X, y), other.fit(X, y)\n"
    )
    write_tree(tmp_path, {"tsc/__init__.py": "", "tsc/feature.py": code})
    # seeded at the clone, in another method, or by set_params; the scorer and `other` never get a seed
    assert [h.line for h in findings(tmp_path, "REP003")] == [23, 32]


def test_rep003_estimators_handed_to_the_test_suite_as_parameters_are_fixtures(tmp_path: Path) -> None:
    code = (
        "from sklearn.ensemble import RandomForestClassifier\n\n\n"
        "class FeatureClassifier:\n"
        "    @classmethod\n"
        "    def _get_test_params(cls, parameter_set='default'):\n"
        "        return {'estimator': RandomForestClassifier(n_estimators=2)}\n\n"
        "    def get_test_loader(self, X):\n"
        "        return RandomForestClassifier(n_estimators=2).fit(X, X[:, 0])\n"
    )
    write_tree(tmp_path, {"tsc/__init__.py": "", "tsc/feature.py": code})
    # get_test_loader works on the test split: not parameters for the test suite
    assert [h.line for h in findings(tmp_path, "REP003")] == [10]


def test_rep003_the_branch_taken_when_the_caller_passed_no_seed_is_the_callers_choice(tmp_path: Path) -> None:
    code = (
        "from sklearn.model_selection import train_test_split\n\n\n"
        "def subsample(data, fraction, random_state=None):\n"
        "    if random_state is None:\n"
        "        return data.sample(frac=fraction)\n"
        "    return data.sample(frac=fraction, random_state=random_state)\n\n\n"
        "def split(X, y, seed=None):\n"
        "    return train_test_split(X, y) if seed is None else train_test_split(X, y, random_state=seed)\n\n\n"
        "def holdout(X, y, seed=None):\n"
        "    if seed is not None:\n"
        "        return train_test_split(X, y)\n"
        "    return X, y\n\n\n"
        "def bootstrap(data, fraction, model=None, random_state=0):\n"
        "    if model is None:\n"
        "        return data.sample(frac=fraction)\n"
        "    return model\n"
    )
    write_tree(tmp_path, {"lab/__init__.py": "", "lab/resample.py": code})
    # the seedless branch of a seed test is the caller's choice; the seeded branch, or a test of another
    # parameter, still ignores the seed the caller gave
    assert [h.line for h in findings(tmp_path, "REP003")] == [16, 22]


CANDIDATES = """from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier


def candidates():
    return [DecisionTreeClassifier(max_depth=3), RandomForestClassifier(n_estimators=50)]
"""
SEARCH = """from sklearn.utils import set_random_state

from autofit.portfolio import candidates


class Search:
    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y):
        for est in candidates():
            set_random_state(est, self.random_state)
            est.fit(X, y)
        return self
"""


def test_rep003_a_portfolio_seeded_candidate_by_candidate_where_it_is_fitted_is_seeded(tmp_path: Path) -> None:
    write_tree(tmp_path, {"autofit/__init__.py": "", "autofit/portfolio.py": CANDIDATES, "autofit/search.py": SEARCH})
    assert findings(tmp_path, "REP003") == []
    # Look-alikes: the same portfolio fitted without seeding each candidate, and an estimator fitted on the spot
    unseeded = SEARCH.replace("            set_random_state(est, self.random_state)\n", "")
    fitted = "from sklearn.tree import DecisionTreeClassifier\n\n\ndef fit(X, y):\n    return DecisionTreeClassifier().fit(X, y)\n"
    write_tree(tmp_path, {"autofit/search.py": unseeded, "autofit/direct.py": fitted})
    assert {(h.path, h.line) for h in findings(tmp_path, "REP003")} == {
        ("autofit/portfolio.py", 6),
        ("autofit/direct.py", 5),
    }
    write_tree(tmp_path, {"autofit/search.py": SEARCH})
    assert {(h.path, h.line) for h in findings(tmp_path, "REP003")} == {("autofit/direct.py", 5)}


def test_rep003_estimator_rebuilt_from_fitted_state_needs_no_random_state(tmp_path: Path) -> None:
    """A tree whose fitted state is set directly (`est.tree_ = ...`, `__setstate__`) and never fit draws nothing.
    Look-alike: setting a fitted attribute and then fitting anyway trains it, so the seed matters again."""
    code = (
        "from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor\n\n\n"
        "def to_sklearn(tree, n_features, is_clf):\n"
        "    est = DecisionTreeClassifier() if is_clf else DecisionTreeRegressor()\n"
        "    est.tree_ = tree\n"
        "    est.n_features_in_ = n_features\n"
        "    return est\n\n\n"
        "def from_state(state):\n"
        "    dt = DecisionTreeRegressor(max_depth=3)\n"
        "    dt.__setstate__(state)\n"
        "    return dt\n\n\n"
        "def refit(X, y, classes):\n"
        "    est = DecisionTreeClassifier(max_depth=3)\n"
        "    est.classes_ = classes\n"
        "    return est.fit(X, y)\n"
    )
    write_tree(tmp_path, {"export.py": code})
    assert [h.line for h in findings(tmp_path, "REP003")] == [18]


def test_rep003_estimator_as_a_parameter_default_is_the_callers_to_seed(tmp_path: Path) -> None:
    """`estimator=DecisionTreeClassifier(max_depth=1)` in a signature is `estimator or Tree()` spelled there: only
    a caller passing none gets it (a boosting ensemble clones and seeds it). Look-alike: the same tree built in
    the body is the function's own, unseeded."""
    code = (
        "from sklearn.ensemble import AdaBoostClassifier\n"
        "from sklearn.tree import DecisionTreeClassifier\n\n\n"
        "class BoostedStumps(AdaBoostClassifier):\n"
        "    def __init__(self, estimator=DecisionTreeClassifier(max_depth=1), *, n_estimators=15, random_state=None):\n"
        "        super().__init__(estimator=estimator, n_estimators=n_estimators, random_state=random_state)\n\n\n"
        "def stump(X, y):\n"
        "    return DecisionTreeClassifier(max_depth=1).fit(X, y)\n"
    )
    write_tree(tmp_path, {"boost.py": code})
    assert [h.line for h in findings(tmp_path, "REP003")] == [11]
