"""Meta tests of the capability catalogue: 100 points per practice, unique keys, documented."""

from __future__ import annotations

from mlaudit.capabilities import Capability, load_capabilities
from mlaudit.practices import PRACTICE_KEYS


def test_points_sum_to_100_per_practice() -> None:
    caps = load_capabilities()
    assert set(caps) == set(PRACTICE_KEYS)
    for practice, found in caps.items():
        assert sum(c.points for c in found) == 100, practice


def test_keys_unique_and_documented() -> None:
    for practice, found in load_capabilities().items():
        keys = [c.key for c in found]
        assert len(keys) == len(set(keys)), practice
        for cls in found:
            assert issubclass(cls, Capability)
            assert cls.practice == practice
            assert cls.points > 0
            assert cls.title and not cls.title.endswith(".")
            assert cls.description() and cls.description() != Capability.description(), cls.key
