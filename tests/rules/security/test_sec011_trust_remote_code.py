"""Tests of rule SEC011 (`mlaudit/rules/security/sec011_trust_remote_code.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC011", [12]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


def test_settings_modules_of_a_config_folder_are_still_checked(tmp_path: Path) -> None:
    remote = "model = dict(type='Captioner', llm=dict(name='lab/llm-7b', trust_remote_code=True))\n"
    local = "model = dict(type='Captioner', llm=dict(name='lab/llm-7b', trust_remote_code=False))\n"
    write_tree(tmp_path, {"configs/caption/remote.py": remote, "configs/caption/local.py": local})
    [hit] = findings(tmp_path, "SEC011")
    assert (hit.path, hit.line) == ("configs/caption/remote.py", 1)


def test_loads_of_one_source_in_one_function_are_one_trust_decision(tmp_path: Path) -> None:
    code = (
        "from transformers import AutoConfig, AutoModel, AutoTokenizer\n\n\n"
        "def load(name):\n"
        "    config = AutoConfig.from_pretrained(name, trust_remote_code=True)\n"
        "    tokenizer = AutoTokenizer.from_pretrained(name, trust_remote_code=True)\n"
        "    model = AutoModel.from_pretrained(name, config=config, trust_remote_code=True)\n"
        "    return tokenizer, model\n\n\n"
        "def load_pair(student, teacher):\n"
        "    small = AutoModel.from_pretrained(student, trust_remote_code=True)\n"
        "    large = AutoModel.from_pretrained(teacher, trust_remote_code=True)\n"
        "    return small, large\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/loading.py": code})
    hits = findings(tmp_path, "SEC011")
    assert [(f.line, f.message.endswith("(+2 more loads of `name`)")) for f in hits] == [
        (5, True),
        (12, False),
        (13, False),
    ]
