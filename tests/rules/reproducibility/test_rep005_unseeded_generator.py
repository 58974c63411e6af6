"""Tests of rule REP005 (`mlaudit/rules/reproducibility/rep005_unseeded_generator.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep005_default_rng_without_seed(tmp_path: Path) -> None:
    code = "import numpy as np\n\nrng = np.random.default_rng()\n\n\ndef make(rng=None):\n"
    code += "    return rng or np.random.default_rng()\n\n\nseeded = np.random.default_rng(3)\n"
    write_tree(tmp_path, {"run.py": code})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 3 and "numpy Generator" in hit.message


def test_rep005_a_fallback_for_a_generator_the_caller_did_not_pass_is_the_callers_choice(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n\n\n"
        "def solve(wave, np_random=None):\n"
        "    np_random = np.random.default_rng() if np_random is None else np_random\n"
        "    return np_random.permutation(wave)\n\n\n"
        "def pick(options, prng=None):\n"
        "    if prng is None:\n"
        "        prng = np.random.RandomState()\n"
        "    return prng.choice(options)\n\n\n"
        "class Road:\n"
        "    def __init__(self, lanes, np_random=None):\n"
        "        self.np_random = np_random or np.random.RandomState()\n"
        "        self.lanes = lanes\n\n"
        "    def make_track(self, size):\n"
        "        rng = np.random.default_rng()\n"
        "        return rng.uniform(size=size)\n\n\n"
        "def noisy(x, scale=None):\n"
        "    rng = np.random.default_rng() if scale is None else None\n"
        "    return x if rng is None else x + rng.normal(size=x.shape)\n"
    )
    write_tree(tmp_path, {"track/__init__.py": "", "track/build.py": code})
    assert sorted(hit.line or 0 for hit in findings(tmp_path, "REP005")) == [21, 26]


def test_rep005_generator_seeded_on_the_next_line_is_silent(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport torch\n\n\n"
        "class Sampler:\n"
        "    def __init__(self, seed):\n"
        "        self.rng = random.Random()\n"
        "        self.seed = seed\n\n"
        "    def __iter__(self):\n"
        "        g = torch.Generator()\n"
        "        g.manual_seed(self.seed)\n"
        "        self.rng = random.Random(self.seed)\n"
        "        return iter(torch.randperm(10, generator=g).tolist())\n\n\n"
        "def shuffled(n):\n"
        "    g = torch.Generator()\n"
        "    return torch.randperm(n, generator=g)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sampler.py": code})
    assert findings(tmp_path, "REP005") == []


def test_rep005_bare_torch_generator_starts_from_a_fixed_seed_but_numpy_default_rng_does_not(tmp_path: Path) -> None:
    code = (
        "import numpy as np\nimport torch\nfrom torch.utils.data import DataLoader\n\n\n"
        "def loader(dataset, batch_size):\n"
        "    return DataLoader(dataset, batch_size=batch_size, shuffle=True, generator=torch.Generator())\n\n\n"
        "def noisy(values):\n"
        "    rng = np.random.default_rng()\n"
        "    return values + rng.normal(size=values.shape)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/data.py": code})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 11 and "numpy Generator" in hit.message


def test_rep005_a_generator_reseeded_without_a_seed_draws_from_entropy(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport torch\n\n\n"
        "def loader_generator():\n"
        "    g = torch.Generator()\n"
        "    g.seed()\n"
        "    return g\n\n\n"
        "def fixed_generator(seed):\n"
        "    g = torch.Generator()\n"
        "    g.manual_seed(seed)\n"
        "    rng = random.Random(seed)\n"
        "    rng.seed(seed + 1)\n"
        "    return g, rng\n\n\n"
        "def fresh_rng():\n"
        "    rng = random.Random(3)\n"
        "    rng.seed(None)\n"
        "    return rng, random.Random().seed()\n\n\n"
        "def twice():\n"
        "    rng = random.Random()\n"
        "    rng.seed()\n"
        "    return rng\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/gen.py": code})
    assert [(h.line, h.message.split()[0]) for h in findings(tmp_path, "REP005")] == [
        (8, "g.seed()"),
        (22, "rng.seed(None)"),
        (23, "random.Random()"),
        (27, "random.Random()"),
    ]


def test_rep005_a_generator_given_a_saved_state_continues_it(tmp_path: Path) -> None:
    code = (
        "import random\n\nimport numpy as np\n\n\n"
        "def restore(checkpoint):\n"
        "    rs = np.random.RandomState()\n"
        "    rs.set_state(checkpoint['numpy_rng'])\n"
        "    py = random.Random()\n"
        "    py.setstate(checkpoint['python_rng'])\n"
        "    return rs, py\n\n\n"
        "def resume(checkpoint):\n"
        "    rs = np.random.RandomState()\n"
        "    np.random.set_state(checkpoint['numpy_rng'])\n"
        "    return rs.permutation(10)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/state.py": code})
    assert [h.line for h in findings(tmp_path, "REP005")] == [15]


MODULE_GENERATOR = """\
import random as _random

rng = _random.Random()


def seed_rng(seed):
    global rng
    rng = _random.Random(seed)


def pick(options):
    return rng.choice(options)
"""
# the same shape, but the function binds a local of the same name: the module's generator stays unseeded
LOCAL_SHADOW = """\
import random as _random

rng = _random.Random()


def seed_rng(seed):
    rng = _random.Random(seed)
    return rng


def pick(options):
    return rng.choice(options)
"""


def test_rep005_a_module_generator_a_function_reseeds_through_global_is_seedable(tmp_path: Path) -> None:
    write_tree(tmp_path, {"sampler.py": MODULE_GENERATOR})
    assert findings(tmp_path, "REP005") == []


def test_rep005_a_local_of_the_same_name_does_not_seed_the_module_generator(tmp_path: Path) -> None:
    write_tree(tmp_path, {"sampler.py": LOCAL_SHADOW})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 3


SEEDED_IN_PLACE = """\
import numpy

np_random = numpy.random.RandomState()


def seed(seed=None):
    np_random.seed(seed)


def sample(low, high):
    return np_random.uniform(low, high)


seed(0)
"""
# look-alike: the function seeds its own generator of the same name, which it creates and returns
LOCAL_IN_PLACE = """\
import numpy

np_random = numpy.random.RandomState()


def seeded(seed):
    np_random = numpy.random.RandomState()
    np_random.seed(seed)
    return np_random


def sample(low, high):
    return np_random.uniform(low, high)
"""


def test_rep005_a_module_generator_a_function_seeds_in_place_is_seedable(tmp_path: Path) -> None:
    """`def seed(s): np_random.seed(s)` seeds the module's generator: the function never binds `np_random`; one
    that binds its own `np_random` seeds that local, and the module's stays unseeded."""
    write_tree(tmp_path, {"spaces/prng.py": SEEDED_IN_PLACE, "other/prng.py": LOCAL_IN_PLACE})
    assert [(h.path, h.line) for h in findings(tmp_path, "REP005")] == [("other/prng.py", 3)]


RUN_NAMER = """\
import random

ADJECTIVES = ("brave", "calm", "eager")
NOUNS = ("otter", "heron", "lynx")


def random_run_name():
    namer = random.Random()
    adjective = namer.choice(ADJECTIVES)
    return f"{adjective}-{namer.choice(NOUNS)}-{namer.randint(0, 99)}"
"""
# the same shape, but one draw also picks the validation rows: the generator changes a result
SPLIT_AND_NAME = """\
import random


def split_and_name(rows):
    rng = random.Random()
    rng.shuffle(rows)
    cut = rng.randint(1, len(rows) - 1)
    val = rows[:cut]
    return f"split-{cut}-{len(val)}"
"""


def test_rep005_a_generator_whose_draws_only_make_the_returned_name_changes_no_result(tmp_path: Path) -> None:
    write_tree(tmp_path, {"runs/__init__.py": "", "runs/names.py": RUN_NAMER})
    assert findings(tmp_path, "REP005") == []


def test_rep005_a_generator_that_also_shuffles_data_is_still_unseeded(tmp_path: Path) -> None:
    write_tree(tmp_path, {"runs/__init__.py": "", "runs/split.py": SPLIT_AND_NAME})
    [hit] = findings(tmp_path, "REP005")
    assert hit.line == 5


FINGERPRINTS = """\
import random

_fingerprint_rng = random.Random()


def new_fingerprint(nbits=64):
    return f"{_fingerprint_rng.getrandbits(nbits):0{nbits // 4}x}"


def temp_table_name(prefix):
    suffix = _fingerprint_rng.randint(0, 9999)
    return prefix + f"-{suffix}"
"""
# the same module generator, but one function also draws the rows it samples: it changes a result
FINGERPRINTS_AND_SAMPLE = FINGERPRINTS + "\n\ndef sample_rows(rows, k):\n    return _fingerprint_rng.sample(rows, k)\n"


def test_rep005_a_module_generator_whose_draws_only_make_returned_names_changes_no_result(tmp_path: Path) -> None:
    """Look-alike: the same generator also sampling rows is unseeded where it is made."""
    write_tree(tmp_path / "a", {"cache/__init__.py": "", "cache/fingerprint.py": FINGERPRINTS})
    assert findings(tmp_path / "a", "REP005") == []
    write_tree(tmp_path / "b", {"cache/__init__.py": "", "cache/fingerprint.py": FINGERPRINTS_AND_SAMPLE})
    assert [h.line for h in findings(tmp_path / "b", "REP005")] == [3]


def test_rep005_generator_made_when_the_estimators_seed_attribute_is_none(tmp_path: Path) -> None:
    """`RandomState() if self.random_state is None else check_random_state(self.random_state)`: whoever builds the
    estimator picks the seed. Look-alike: a random start when `self.init` is None is unseeded whatever is passed."""
    code = (
        "import numpy as np\n"
        "from sklearn.utils import check_random_state\n\n\n"
        "class Forest:\n"
        "    def fit(self, X, y):\n"
        "        rng = (np.random.RandomState() if self.random_state is None\n"
        "               else check_random_state(self.random_state))\n"
        "        if self.seed is None:\n"
        "            self.noise_ = np.random.default_rng().normal(size=len(y))\n"
        "        return rng.randint(10, size=len(y))\n\n"
        "    def start(self, n):\n"
        "        return np.random.default_rng().normal(size=n) if self.init is None else self.init\n"
    )
    write_tree(tmp_path, {"forest.py": code})
    assert [h.line for h in findings(tmp_path, "REP005")] == [14]


TELEMETRY = """\
import random


class Events:
    def __init__(self, version):
        self.metadata = {
            "version": version,
            "session_id": round(random.Random().random() * 1e15),
            "sample_rate": random.Random().random(),
        }
"""


def test_rep005_fires_on_an_inline_generator_drawing_a_value_that_is_no_identifier(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/events.py": TELEMETRY})
    assert [h.line for h in findings(tmp_path, "REP005")] == [9]


def test_rep005_silent_on_an_inline_generator_drawing_a_session_id(tmp_path: Path) -> None:
    telemetry = TELEMETRY.replace('            "sample_rate": random.Random().random(),\n', "")
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/events.py": telemetry})
    assert findings(tmp_path, "REP005") == []
