import numpy as np
import pandas as pd

from recsys.data import filter_sparse, load_interactions, sample_negatives, temporal_split


def test_filter_sparse_removes_rare_users(interactions):
    out = filter_sparse(interactions, min_user=15, min_item=1)
    assert out["user_id"].value_counts().min() >= 15


def test_temporal_split_holds_out_latest(interactions):
    train, test = temporal_split(interactions, test_fraction=0.2)
    assert len(train) + len(test) == len(interactions)
    for user, group in test.groupby("user_id"):
        assert group["ts"].min() >= train[train["user_id"] == user]["ts"].max()


def test_sample_negatives_shape():
    users = np.array([0, 0, 1])
    items = np.array([1, 2, 3])
    triples = sample_negatives((users, items), n_items=10, num_negatives=2)
    assert triples.shape == (6, 3)


def test_load_interactions_missing_columns(tmp_path):
    path = tmp_path / "bad.parquet"
    pd.DataFrame({"user_id": [1], "item_id": [2]}).to_parquet(path)
    try:
        load_interactions(path)
    except ValueError:
        assert True
    else:
        assert False
