"""Tests of rule REP015 (`mlaudit/rules/reproducibility/rep015_working_directory_relative_path.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree


def test_rep015_config_and_checkpoint_paths_relative_to_the_working_directory(tmp_path: Path) -> None:
    code = (
        "import json\n\nimport torch\nfrom omegaconf import OmegaConf\n\n\n"
        "def load(args):\n"
        "    config = OmegaConf.load('models/big/config.yaml')\n"
        "    state = torch.load('models/big/last.ckpt')\n"
        "    other = OmegaConf.load(args.config)\n"
        "    with open('predictions.json', 'w') as fh:\n"
        "        json.dump({}, fh)\n"
        "    return config, state, other\n"
    )
    write_tree(tmp_path, {"scripts/sample.py": code})
    [hit] = findings(tmp_path, "REP015")
    assert hit.line == 8 and "(+1 more)" in hit.message
