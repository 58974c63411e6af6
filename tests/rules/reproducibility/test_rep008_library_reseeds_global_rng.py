"""Tests of rule REP008 (`mlaudit/rules/reproducibility/rep008_library_reseeds_global_rng.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

PYPROJECT = (
    "[project]\nname = 'imgtools'\nversion = '1.0'\ndependencies = ['numpy>=1.24', 'torch>=2.1']\n"
    "classifiers = ['Programming Language :: Python :: 3']\n"
)


def test_rep008_fires_on_a_fixed_seed_in_published_library_code(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport numpy as np\n\n\n"
        "def split_images(images, train_rate=0.8, seed=0):\n"
        "    random.seed(seed)\n    random.shuffle(images)\n"
        "    return images[: int(len(images) * train_rate)]\n\n\n"
        "def generate(n, *, seed: int = 42):\n"
        "    np.random.seed(seed)\n    return np.random.normal(size=n)\n\n\n"
        "def jitter(x):\n    np.random.seed(1234)\n    return x + np.random.rand()\n"
    )
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/split.py": code})
    hits = findings(tmp_path, "REP008")
    assert [(h.line, h.severity) for h in hits] == [
        (7, Severity.WARNING),
        (13, Severity.WARNING),
        (18, Severity.WARNING),
    ]
    assert (
        hits[0].message
        == "random.seed(seed=0) in split_images() of imgtools/split.py reseeds the global generator on every call"
    )


def test_rep008_silent_on_opt_in_seeds_helpers_worker_init_and_restored_state(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport numpy as np\nimport torch\nimport tyro\n\n\n"
        "def fit(x, seed=None):\n"
        "    if seed is not None:\n        np.random.seed(seed)\n    return x\n\n\n"
        "def train(model, args):\n    torch.manual_seed(args.seed)\n    return model\n\n\n"
        "def set_seed(seed=0):\n    random.seed(seed)\n    np.random.seed(seed)\n\n\n"
        "def _init_fn(worker_id, base=7):\n    np.random.seed(base + worker_id)\n\n\n"
        "def sample_with(n, seed=3):\n"
        "    state = torch.get_rng_state()\n    torch.manual_seed(seed)\n"
        "    try:\n        return torch.rand(n)\n    finally:\n        torch.set_rng_state(state)\n\n\n"
        "def render(prompt, seed: int = 0):\n    torch.manual_seed(seed)\n    return prompt\n\n\n"
        "if __name__ == '__main__':\n    np.random.seed(0)\n    tyro.cli(render)\n"
    )
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/fit.py": code})
    assert findings(tmp_path, "REP008") == []


def test_rep008_a_function_that_only_seeds_several_generators_is_a_seeding_helper(tmp_path: Path) -> None:
    """`make_deterministic(seed=19260817)` seeds random, NumPy and torch and sets cuDNN's switches: whatever its
    name, callers call it to reseed. Look-alike: a function that seeds two generators with its default seed and
    then does its work (an augmentation) still resets every caller's stream."""
    helper = (
        "import os\nimport random\n\nimport numpy as np\nimport torch\n\n\n"
        "def make_deterministic(seed: int = 19260817, cudnn_deterministic: bool = False) -> None:\n"
        '    """Seed every framework."""\n'
        "    import random\n\n"
        "    random.seed(seed)\n    np.random.seed(seed)\n    torch.manual_seed(seed)\n"
        "    os.environ['PYTHONHASHSEED'] = str(seed)\n"
        "    if cudnn_deterministic:\n        torch.backends.cudnn.deterministic = True\n"
        "        torch.backends.cudnn.benchmark = False\n"
    )
    write_tree(tmp_path / "a", {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/run.py": helper})
    assert findings(tmp_path / "a", "REP008") == []
    worker = (
        "import random\n\nimport numpy as np\n\n\n"
        "def augment(images, seed=0):\n"
        "    random.seed(seed)\n    np.random.seed(seed)\n"
        "    return [np.flip(im) if random.random() < 0.5 else im for im in images]\n"
    )
    write_tree(tmp_path / "b", {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/aug.py": worker})
    assert len(findings(tmp_path / "b", "REP008")) == 2


ESTIMATOR = """import random

import numpy as np


class Estimator:
    def __init__(self, dimensions=128, seed=42):
        self.dimensions = dimensions
        self.seed = seed

    def _set_seed(self):
        random.seed(self.seed)
        np.random.seed(self.seed)

    def fit(self, graph):
        self._set_seed()
        return np.random.normal(size=(len(graph), self.dimensions))
"""


def test_rep008_fires_on_a_private_helper_reseeding_from_the_objects_seed_but_not_when_it_is_opted_into(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path / "a", {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/embed.py": ESTIMATOR}
    )
    hits = findings(tmp_path / "a", "REP008")
    assert [h.line for h in hits] == [12, 13]
    assert hits[1].message == (
        "np.random.seed(self.seed) in _set_seed() of imgtools/embed.py reseeds the global generator on every call"
    )
    guarded = ESTIMATOR.replace(
        "        random.seed(self.seed)\n        np.random.seed(self.seed)\n",
        "        if self.seed is not None:\n            random.seed(self.seed)\n            np.random.seed(self.seed)\n",
    )
    # a public seeding method is the user's to call: `est.set_seed()` seeds the run they chose to seed
    public = ESTIMATOR.replace("        self._set_seed()\n", "").replace("_set_seed", "set_seed")
    for name, code in (("b", guarded), ("c", public)):
        write_tree(
            tmp_path / name, {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/embed.py": code}
        )
        assert findings(tmp_path / name, "REP008") == []


def test_rep008_silent_in_research_code_whose_scripts_are_the_callers(tmp_path: Path) -> None:
    code = "import numpy as np\n\n\ndef make_splits(n, seed=0):\n    np.random.seed(seed)\n    return np.random.permutation(n)\n"
    train = "import numpy as np\nfrom lab.data import make_splits\n\nnp.random.seed(42)\nsplits = make_splits(100)\n"
    write_tree(tmp_path, {"lab/__init__.py": "", "lab/data.py": code, "exp1/train.py": train})
    assert findings(tmp_path, "REP008") == []


def test_rep008_silent_in_checks_a_library_ships_for_its_users_test_suites(tmp_path: Path) -> None:
    # `check_sampler_fit` is a test of the users' samplers: fixing its data is what a test does.
    # `check_inputs` validates arguments and asserts nothing on results: a library function like any other.
    code = (
        "import numpy as np\n\n\n"
        "def check_sampler_fit(sampler):\n"
        "    np.random.seed(42)\n    x = np.random.rand(20, 2)\n"
        "    assert sampler.fit(x) is sampler\n\n\n"
        "def check_inputs(x):\n"
        "    np.random.seed(0)\n    if x.ndim != 2:\n        raise ValueError('expected 2-D input')\n"
        "    return x[np.random.permutation(len(x))]\n"
    )
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/checks.py": code})
    assert [h.line for h in findings(tmp_path, "REP008")] == [11]


def test_rep008_a_library_seeding_at_import_reseeds_every_program_that_imports_it(tmp_path: Path) -> None:
    """`set_seed(42)` in a library's `__init__.py` runs on `import`; look-alikes: the same call under the
    `__main__` guard, a seed the module only stores, and a research project's own script seeding its run."""
    init = (
        "import logging\n\nfrom accelerate.utils import set_seed\n\n"
        "logger = logging.getLogger(__name__)\nset_seed(42)\nDEFAULT_SEED = 42\n"
    )
    demo = "import torch\n\n\ndef run():\n    return torch.rand(2)\n\n\nif __name__ == '__main__':\n    torch.manual_seed(0)\n    run()\n"
    files = {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": init, "imgtools/demo.py": demo}
    write_tree(tmp_path / "lib", files)
    [hit] = findings(tmp_path / "lib", "REP008")
    assert (hit.path, hit.line) == ("imgtools/__init__.py", 6)
    assert hit.message == (
        "set_seed(42) at the top level of imgtools/__init__.py reseeds the global generator of every program "
        "that imports it"
    )
    research = {"imgtools/__init__.py": "", "imgtools/train.py": init}
    write_tree(tmp_path / "research", research)
    assert findings(tmp_path / "research", "REP008") == []


def test_rep008_silent_in_a_demo_the_module_ships_but_not_in_look_alike_names(tmp_path: Path) -> None:
    """`names_demo()` is a runnable example: its seed fixes the output it prints. `demographic_split()` and
    `shuffle_examples()` are library functions handling the caller's data."""
    code = (
        "import random\n\n\n"
        "def names_demo(classifier):\n"
        "    random.seed(123456)\n    rows = random.sample(NAMES, 50)\n    print(classifier.accuracy(rows))\n\n\n"
        "def demographic_split(rows):\n"
        "    random.seed(7)\n    random.shuffle(rows)\n    return rows[:10], rows[10:]\n\n\n"
        "def shuffle_examples(examples, seed=0):\n"
        "    random.seed(seed)\n    random.shuffle(examples)\n    return examples\n"
    )
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/classify.py": code})
    assert [h.line for h in findings(tmp_path, "REP008")] == [11, 17]


def test_rep008_silent_in_the_fixtures_of_a_test_case_base_a_library_ships(tmp_path: Path) -> None:
    """A `unittest.TestCase` subclass shipped in the package (a base the suites extend) runs under a test runner:
    seeding in its `setUp` makes each test repeatable. Look-alike: a plain class of the package seeding in its
    `setUp` (a pipeline's preparation step) reseeds its caller's stream."""
    base = (
        "import time\nimport unittest\n\nimport numpy as np\n\n\n"
        "class ImgToolsTest(unittest.TestCase):\n"
        "    def setUp(self):\n        self.start = time.time()\n        np.random.seed(1234)\n\n"
        "    def assertClose(self, x, y):\n        assert np.allclose(x, y)\n\n\n"
        "class Pipeline:\n"
        "    def setUp(self):\n        np.random.seed(1234)\n        return self\n"
    )
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/checks.py": base})
    assert [h.line for h in findings(tmp_path, "REP008")] == [18]


XOR_SCRIPT = """import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

np.random.seed(42)
tf.random.set_seed(42)
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([0, 1, 1, 0])
model = Sequential([Dense(4, activation="relu"), Dense(1, activation="sigmoid")])
model.compile(optimizer="sgd", loss="binary_crossentropy")
model.fit(X, y, epochs=500, verbose=0)
print(model.predict(X))
"""


def test_rep008_a_module_that_trains_at_its_top_level_is_a_script_whose_seed_is_the_runs(tmp_path: Path) -> None:
    """A practice script shipped in the package trains when run: nothing imports it, so its seed is the run's."""
    files = {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/labs/xor_mlp.py": XOR_SCRIPT}
    write_tree(tmp_path, files)
    assert findings(tmp_path, "REP008") == []


def test_rep008_a_library_module_seeding_at_import_beside_training_functions_still_fires(tmp_path: Path) -> None:
    """Look-alike: the same seeds at the top of a module that only defines its training, which callers import."""
    body = XOR_SCRIPT.split("X = np.array", maxsplit=1)[0]
    code = body + "\n\ndef train(model, X, y):\n    model.fit(X, y, epochs=500, verbose=0)\n    return model\n"
    files = {"pyproject.toml": PYPROJECT, "imgtools/__init__.py": "", "imgtools/training.py": code}
    write_tree(tmp_path, files)
    assert [(h.path, h.line) for h in findings(tmp_path, "REP008")] == [
        ("imgtools/training.py", 6),
        ("imgtools/training.py", 7),
    ]
