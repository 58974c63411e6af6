import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def interactions():
    rng = np.random.default_rng(0)
    n = 400
    return pd.DataFrame({
        "user_id": rng.integers(0, 20, n),
        "item_id": rng.integers(0, 50, n),
        "ts": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        "event": rng.choice(["view", "add_to_cart", "purchase"], n, p=[0.7, 0.2, 0.1]),
    })
