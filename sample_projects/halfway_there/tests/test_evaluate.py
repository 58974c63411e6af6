import numpy as np
import pandas as pd

from recsys.data import InteractionData
from recsys.evaluate import evaluate


class FixedRecommender:
    def __init__(self, items):
        self.items = np.array(items)

    def recommend(self, user_ids, k):
        return np.tile(self.items[:k], (len(user_ids), 1))


def test_evaluate_perfect_recall():
    test = pd.DataFrame({"user_id": ["a", "b"], "item_id": ["x", "y"]})
    data = InteractionData(train=test, test=test, user_index={"a": 0, "b": 1}, item_index={"x": 0, "y": 1})
    res = evaluate(FixedRecommender([0, 1]), data, ks=[2])
    assert res["recall@2"] == 1.0
