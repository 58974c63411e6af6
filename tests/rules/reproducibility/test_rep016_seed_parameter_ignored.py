"""Tests of rule REP016 (`mlaudit/rules/reproducibility/rep016_seed_parameter_ignored.py`)."""

from __future__ import annotations

from pathlib import Path

from mlaudit.model import Severity
from tests.helpers import findings, write_tree

PYPROJECT = (
    "[project]\nname = 'causaltools'\nversion = '1.0'\ndependencies = ['numpy>=1.24', 'torch>=2.1']\n"
    "classifiers = ['Programming Language :: Python :: 3']\n"
)

IGNORING = """import random

import numpy as np
import torch


class Bootstrap:
    def __init__(self, n_sampling=100, random_state=None):
        self.n_sampling = n_sampling
        self.random_state = random_state

    def resample(self, X):
        idx = np.random.randint(0, len(X), size=len(X))
        noise = np.random.normal(size=X.shape)
        return X[idx] + noise


def simulate(n, beta, seed=0):
    w = np.random.uniform(-1, 1, n)

    def outcome(t):
        return t * beta + np.random.normal(0, 1, n)

    return outcome(w)


def pick_mixture(priors, n, random_state=None):
    return torch.multinomial(priors, num_samples=n, replacement=True)


def split(items, seed=None):
    random.shuffle(items)
    return items
"""


def test_rep016_fires_on_global_draws_in_code_that_takes_a_seed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "causaltools/__init__.py": "", "causaltools/boot.py": IGNORING})
    hits = findings(tmp_path, "REP016")
    assert [(h.line, h.severity) for h in hits] == [
        (13, Severity.WARNING),  # one finding per function, at its first draw
        (19, Severity.WARNING),
        (22, Severity.WARNING),  # a nested helper of the function taking the seed
        (28, Severity.WARNING),
        (32, Severity.WARNING),
    ]
    assert hits[0].message == (
        "np.random.randint() in resample() draws from numpy's global generator although class Bootstrap takes "
        "`random_state`: the seed the caller passes does not reach this draw"
    )
    assert "outcome() draws" in hits[2].message and "although simulate() takes `seed`" in hits[2].message


def test_rep016_info_in_examples(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "causaltools/__init__.py": "", "examples/boot.py": IGNORING})
    assert {h.severity for h in findings(tmp_path, "REP016")} == {Severity.INFO}


HONOURING = """import random

import numpy as np
import torch
from sklearn.utils import check_random_state


class Bootstrap:
    def __init__(self, n_sampling=100, random_state=None):
        self.random_state = random_state

    def resample(self, X):
        rng = check_random_state(self.random_state)
        return X[rng.randint(0, len(X), size=len(X))]


class Shuffler:
    def __init__(self, n_splits=5):
        self.n_splits = n_splits

    def split(self, X):
        return np.random.permutation(len(X))


class Seeded:
    def __init__(self, seed=0):
        self.seed = seed

    def _reseed(self):
        np.random.seed(self.seed)

    def draw(self, n):
        return np.random.normal(size=n)


def noisy(x, random_state=None):
    if random_state is None:
        return x + np.random.normal(size=x.shape)
    rng = np.random.default_rng(random_state)
    return x + rng.normal(size=x.shape)


def sample_prior(priors, n, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.multinomial(priors, n, replacement=True, generator=g)


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)


def augment(batch, seed=1):
    torch.manual_seed(seed)
    return batch + torch.randn(batch.shape)


def jitter(x):
    return x + np.random.rand()


def continue_text(model, seed: str, length=100):
    text = seed
    for _ in range(length):
        text += np.random.choice(model.vocab, p=model.next_probs(text))
    return text


def random_walk(graph, seed=["root"]):
    return random.choice(graph[seed[0]])


class ShardedImages:
    def __init__(self, files, seed=0):
        self.files = np.random.RandomState(seed).permutation(files)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        flip = random.random() < 0.5
        return self.files[i], flip
"""


def test_rep016_silent_when_the_seed_drives_the_draws_or_none_is_taken(tmp_path: Path) -> None:
    # a generator made from the seed, a class that takes no seed, global seeding from the seed, a draw under a test
    # of the seed, a passed generator, a seeding helper, a function that takes no seed at all, a dataset's
    # per-item augmentation (its loader's workers reseed the global generators), and a `seed` that is a prompt or
    # the start nodes of a walk
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "causaltools/__init__.py": "", "causaltools/ok.py": HONOURING})
    assert findings(tmp_path, "REP016") == []


def test_rep016_silent_in_tests(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "causaltools/__init__.py": "", "tests/test_boot.py": IGNORING})
    assert findings(tmp_path, "REP016") == []


LOADER_BUILDER = """from functools import partial

import numpy as np
from torch.utils.data import DataLoader

from lab.samplers import InfiniteSampler


def worker_init_fn(worker_id, seed):
    np.random.seed(worker_id + seed)


def build_dataloader(dataset, batch_size, infinite=False, shuffle=True, seed=None):
    sampler = InfiniteSampler(dataset, seed=seed, shuffle=shuffle) if infinite else None
    init_fn = partial(worker_init_fn, seed=seed) if seed is not None else None
    return DataLoader(dataset, batch_size=batch_size, {given})
"""
SEEDED = "sampler=sampler, shuffle=shuffle if sampler is None else None, worker_init_fn=init_fn"


def test_rep016_silent_when_the_seed_reaches_the_loader_through_its_sampler_and_worker_init(tmp_path: Path) -> None:
    """A loader handed a sampler and worker initialiser built from the seed takes that seed; one handed neither
    shuffles with torch's global generator, whatever seed its builder was given."""
    write_tree(tmp_path / "a", {"lab/__init__.py": "", "lab/builder.py": LOADER_BUILDER.format(given=SEEDED)})
    assert findings(tmp_path / "a", "REP016") == []
    write_tree(
        tmp_path / "b", {"lab/__init__.py": "", "lab/builder.py": LOADER_BUILDER.format(given="shuffle=shuffle")}
    )
    assert [f.line for f in findings(tmp_path / "b", "REP016")] == [16]


INSTALLED = """import contextlib

import numpy as np
import torch

from marginals.utils import random_state, rng_scope


def toy_dataset(size=100, seed=7):
    with {scope}(np.random.RandomState(seed)):
        return np.random.normal(size=size)


class Copula:
    def __init__(self, random_state=None):
        self.random_state = random_state

    @{decorator}
    def sample(self, n):
        return self._draw(n) + np.random.uniform(size=n)

    def _draw(self, n):
        return np.random.normal(size=n)


class Bench:
    def __init__(self, random_seed=None):
        {base_init}
        self.random_seed = random_seed


class LinearBench(Bench):
    def __init__(self, batch_size, random_seed=None):
        super().__init__(random_seed=random_seed)
        self.inputs = torch.randn(batch_size, 4)


class SeqBench(LinearBench):
    def __init__(self, batch_size, random_seed=None):
        super().__init__(batch_size, random_seed=random_seed)
        self.state = torch.randn(batch_size, 2)
"""
SEED_INSTALLED = {"scope": "rng_scope", "decorator": "random_state", "base_init": "torch.manual_seed(random_seed)"}
SEED_NOT_INSTALLED = {"scope": "contextlib.nullcontext", "decorator": "staticmethod", "base_init": "pass"}


def test_rep016_silent_when_the_seed_is_installed_around_the_draws(tmp_path: Path) -> None:
    """A context manager given the seed, a seed-named decorator (and the private helper only it calls) and a
    seeding base `__init__` (directly or through its own base) put the seed in the global source before the draws; a context manager not given the
    seed, another decorator and a base that only stores the seed leave the draws unseeded."""
    files = {"pyproject.toml": PYPROJECT, "marginals/__init__.py": "", "marginals/utils.py": ""}
    write_tree(tmp_path / "a", {**files, "marginals/copula.py": INSTALLED.format(**SEED_INSTALLED)})
    assert findings(tmp_path / "a", "REP016") == []
    text = INSTALLED.format(**SEED_NOT_INSTALLED).replace("nullcontext(np.random.RandomState(seed))", "nullcontext()")
    write_tree(tmp_path / "b", {**files, "marginals/copula.py": text})
    assert [f.line for f in findings(tmp_path / "b", "REP016")] == [11, 20, 23, 35, 41]


PICKS_THE_SEED = """import random


def imagine(text, seed=0, random_seed=False):
    if random_seed:
        seed = random.randint(0, 10**6)
    return render(text, seed=seed)


class Dreamer:
    def __init__(self, seed=0, pick_seed=False):
        self.seed: int = random.randint(0, 2**31) if pick_seed else seed


def jitter(text, seed=0, pick_seed=False):
    if pick_seed:
        seed = random.randint(0, 10**6)
    offset = random.random()
    return render(text, seed=seed) + offset
"""


def test_rep016_silent_on_the_draw_that_picks_the_seed_and_fires_on_a_later_draw(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "dreams/__init__.py": "", "dreams/cli.py": PICKS_THE_SEED})
    assert [h.line for h in findings(tmp_path, "REP016")] == [18]  # `offset = random.random()` ignores the seed


SAMPLERS = """import torch


class Sampler:
    def __init__(self, net):
        self.net = net

    def generate(self, length, seed=None, condition=None, temperature=1.0):
        prefix = [*filter(lambda t: t is not None, (seed, condition))]
        seq = torch.cat(prefix, dim=-1)
        for _ in range(length):
            probs = (self.net(seq)[:, -1] / temperature).softmax(dim=-1)
            seq = torch.cat((seq, torch.multinomial(probs, 1)), dim=-1)
        return seq

    def continue_tokens(self, start, length, seed=0):
        seq = torch.cat((start, start[:, -1:]), dim=-1)
        for _ in range(length):
            probs = self.net(seq)[:, -1].softmax(dim=-1)
            seq = torch.cat((seq, torch.multinomial(probs, 1)), dim=-1)
        return seq
"""


def test_rep016_fires_on_a_sampler_whose_seed_is_a_number_beside_the_tokens_it_joins(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "causaltools/__init__.py": "", "causaltools/gen.py": SAMPLERS})
    assert [(h.line, h.message.split(" although ")[1][:31]) for h in findings(tmp_path, "REP016")] == [
        (20, "continue_tokens() takes `seed`:")
    ]


def test_rep016_silent_on_a_seed_sequence_joined_into_the_tokens_a_sampler_continues(tmp_path: Path) -> None:
    generate = SAMPLERS.split("    def continue_tokens", maxsplit=1)[0]
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "causaltools/__init__.py": "", "causaltools/gen.py": generate})
    assert findings(tmp_path, "REP016") == []
