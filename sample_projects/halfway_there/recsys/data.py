"""Loading and splitting of user-item interaction logs."""
import logging
import pickle
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from recsys import config
from recsys.utils import build_index

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("user_id", "item_id", "ts", "event")


@dataclass
class InteractionData:
    train: pd.DataFrame
    test: pd.DataFrame
    user_index: dict
    item_index: dict

    @property
    def n_users(self) -> int:
        return len(self.user_index)

    @property
    def n_items(self) -> int:
        return len(self.item_index)


def load_interactions(path: Path | None = None) -> pd.DataFrame:
    """Read the interactions parquet file and validate its columns."""
    path = path or config.DATA_DIR / "interactions.parquet"
    df = pd.read_parquet(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"interactions file is missing columns: {missing}")
    logger.info("loaded %d interactions from %s", len(df), path)
    return df


def filter_sparse(df: pd.DataFrame, min_user: int = 5, min_item: int = 10) -> pd.DataFrame:
    """Iteratively drop users and items with too few interactions."""
    while True:
        user_counts = df["user_id"].map(df["user_id"].value_counts())
        item_counts = df["item_id"].map(df["item_id"].value_counts())
        keep = (user_counts >= min_user) & (item_counts >= min_item)
        if keep.all():
            return df
        df = df[keep]


def temporal_split(df, test_fraction=0.1):
    """Hold out the latest ``test_fraction`` of each user's interactions."""
    df = df.sort_values(["user_id", "ts"])
    rank = df.groupby("user_id").cumcount(ascending=False)
    sizes = df.groupby("user_id")["item_id"].transform("size")
    is_test = rank < np.maximum(1, (sizes * test_fraction).astype(int))
    return df[~is_test], df[is_test]


def prepare(cfg: dict) -> InteractionData:
    df = load_interactions(Path(cfg["data"]["path"]))
    df = filter_sparse(df, cfg["data"]["min_user_interactions"], cfg["data"]["min_item_interactions"])
    train, test = temporal_split(df, cfg["data"]["test_fraction"])
    user_index = build_index(df["user_id"])
    item_index = build_index(df["item_id"])
    print(f"users={len(user_index)} items={len(item_index)} train={len(train)} test={len(test)}")
    return InteractionData(train, test, user_index, item_index)


def sample_negatives(positives, n_items, num_negatives=4):
    """Sample ``num_negatives`` unseen items per positive pair."""
    users, items = positives
    seen = set(zip(users.tolist(), items.tolist()))
    triples = []
    for u, i in zip(users.tolist(), items.tolist()):
        count = 0
        while count < num_negatives:
            j = np.random.randint(n_items)
            if (u, j) not in seen:
                triples.append((u, i, j))
                count += 1
    random.shuffle(triples)
    return np.array(triples, dtype=np.int64)


def load_cached_index(path: Path) -> dict | None:
    """Return the item index pickled by a previous run, if there is one."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:
        pass
    return None
