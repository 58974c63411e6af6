import numpy as np
import pandas as pd
import pytest

from recsys.model import MFRecommender, PopularityRecommender


def test_popularity_ranks_most_frequent_first():
    train = pd.DataFrame({"item_idx": [3, 3, 3, 1, 1, 0]})
    rec = PopularityRecommender().fit(train, n_users=2, n_items=5)
    out = rec.recommend(np.array([0, 1]), k=2)
    assert out.shape == (2, 2)
    assert list(out[0]) == [3, 1]


def test_popularity_requires_fit():
    with pytest.raises(RuntimeError):
        PopularityRecommender().recommend(np.array([0]), k=1)


def test_mf_recommend_shape():
    rec = MFRecommender(dim=8).fit(pd.DataFrame(), n_users=4, n_items=12)
    out = rec.recommend(np.array([0, 3]), k=5)
    assert out.shape == (2, 5)


def test_mf_save_load_roundtrip(tmp_path):
    rec = MFRecommender(dim=4).fit(pd.DataFrame(), n_users=3, n_items=6)
    rec.save(tmp_path / "mf.pt")
    loaded = MFRecommender.load(tmp_path / "mf.pt")
    loaded.recommend(np.array([0, 1, 2]), k=3)
