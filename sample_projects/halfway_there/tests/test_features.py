import pandas as pd

from recsys.features import interaction_matrix


def test_interaction_matrix_counts_each_pair():
    df = pd.DataFrame({"user_id": ["a", "a", "b"], "item_id": ["x", "y", "x"], "event": ["view", "purchase", "view"]})
    m = interaction_matrix(df, {"a": 0, "b": 1}, {"x": 0, "y": 1})
    assert m.shape == (2, 2)
    assert m.sum() == 7.0
