"""Meta tests of the capability catalogue: 100 points per practice, unique keys, documented."""

from __future__ import annotations

from pathlib import Path

from mlaudit.capabilities import Capability, load_capabilities
from mlaudit.practices import PRACTICE_KEYS
from tests.helpers import project_of, write_tree


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


def test_every_capability_survives_broken_and_empty_input(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project\nname = ",
        "setup.cfg": "[metadata\n",
        "requirements.txt": "-r missing.txt\n==\n",
        "environment.yml": "dependencies: [\n",
        "nb.ipynb": "{not json",
        "pkg/__init__.py": "",
        "pkg/bad.py": "def broken(:\n",
        "pkg/ok.py": "x = 1\n",
        ".github/workflows/ci.yml": ":\n  - [",
        "Dockerfile": "",
    }
    for root, tree in ((tmp_path / "broken", files), (tmp_path / "empty", {"README.md": ""})):
        write_tree(root, tree)
        project = project_of(root)
        for found in load_capabilities().values():
            for cls in found:
                result = cls().assess(project)
                assert 0.0 <= result.share <= 1.0
                assert result.evidence.strip(), cls.key
