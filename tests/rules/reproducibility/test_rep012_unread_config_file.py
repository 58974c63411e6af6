"""Tests of rule REP012 (`mlaudit/rules/reproducibility/rep012_unread_config_file.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep012_config_file_never_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"configs/old.yaml": "lr: 0.1\n", "configs/train.yaml": "lr: 0.1\n"})
    write_tree(tmp_path, {"train.py": "from pathlib import Path\n\nCFG = Path('configs') / 'train.yaml'\n"})
    [hit] = findings(tmp_path, "REP012")
    assert hit.path == "configs/old.yaml"


def test_rep012_hydra_config_path_counts_as_read(tmp_path: Path) -> None:
    code = "import hydra\n\n\n@hydra.main(config_path='conf', config_name='config')\ndef main(cfg):\n    pass\n"
    write_tree(tmp_path, {"conf/config.yaml": "lr: 0.1\n", "conf/model/big.yaml": "x: 1\n", "train.py": code})
    assert findings(tmp_path, "REP012") == []


def test_rep012_hydra_config_path_resolved_against_the_decorated_file(tmp_path: Path) -> None:
    code = "import hydra\n\n\n@hydra.main(config_path='./configs', config_name='config')\ndef main(cfg):\n    pass\n"
    write_tree(
        tmp_path,
        {
            "lesson_3/train.py": code,
            "lesson_3/configs/config.yaml": "defaults:\n  - model: default\n",
            "lesson_3/configs/model/default.yaml": "name: bert\n",
            "lesson_4/configs/config.yaml": "lr: 0.1\n",
        },
    )
    hits = findings(tmp_path, "REP012")
    assert [h.path for h in hits] == ["lesson_4/configs/config.yaml"]
    assert "delete" not in (hits[0].fix or "") and "hydra" in (hits[0].fix or "")


def test_rep012_folder_named_in_readme_command_and_github_templates_ignored(tmp_path: Path) -> None:
    readme = "Train with\n\n    python main.py --base configs/vae/<config_spec>.yaml -t\n"
    write_tree(
        tmp_path,
        {
            "README.md": readme,
            "main.py": "import yaml\n\n\ndef load(path):\n    return yaml.safe_load(open(path))\n",
            "configs/vae/small.yaml": "z: 4\n",
            "configs/vae/large.yaml": "z: 16\n",
            "configs/gan/old.yaml": "z: 8\n",
            ".github/ISSUE_TEMPLATE/config.yml": "blank_issues_enabled: false\n",
        },
    )
    assert [h.path for h in findings(tmp_path, "REP012")] == ["configs/gan/old.yaml"]
