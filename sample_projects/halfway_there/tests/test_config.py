from recsys import config


def test_load_config_sets_defaults(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("model:\n  name: mf\n")
    cfg = config.load_config(str(path))
    assert cfg["seed"] == config.SEED
    assert cfg["model"]["name"] == "mf"


def test_merge_overrides():
    cfg = config.merge_overrides({"train": {"lr": 0.1}}, ["train.lr=0.01", "seed=7"])
    assert cfg["train"]["lr"] == 0.01
    assert cfg["seed"] == 7
