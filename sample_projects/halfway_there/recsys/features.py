"""User/item side features and sparse interaction matrices."""
import logging

import numpy as np
import pandas as pd
import scipy.sparse as sp

logger = logging.getLogger(__name__)

EVENT_WEIGHTS = {"view": 1.0, "add_to_cart": 3.0, "purchase": 5.0}


def interaction_matrix(df: pd.DataFrame, user_index: dict, item_index: dict) -> sp.csr_matrix:
    """Weighted user x item matrix, weights from :data:`EVENT_WEIGHTS`."""
    rows = df["user_id"].map(user_index).to_numpy()
    cols = df["item_id"].map(item_index).to_numpy()
    vals = df["event"].map(EVENT_WEIGHTS).fillna(1.0).to_numpy()
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(user_index), len(item_index)))


def item_popularity(df, window_days=30):
    cutoff = df["ts"].max() - pd.Timedelta(days=window_days)
    recent = df[df["ts"] >= cutoff]
    return recent.groupby("item_id").size().sort_values(ascending=False)


def user_profile_features(df):
    """Per-user aggregates used by the cold-start heuristics."""
    profiles = {}
    for _, row in df.iterrows():
        p = profiles.setdefault(row["user_id"], {"n_events": 0, "n_purchases": 0, "last_ts": row["ts"]})
        p["n_events"] += 1
        if row["event"] == "purchase":
            p["n_purchases"] += 1
        if row["ts"] > p["last_ts"]:
            p["last_ts"] = row["ts"]
    out = pd.DataFrame.from_dict(profiles, orient="index")
    out["purchase_rate"] = out["n_purchases"] / out["n_events"]
    logger.info("built profiles for %d users", len(out))
    return out


def category_affinity(df: pd.DataFrame, item_categories: pd.Series) -> pd.DataFrame:
    """Share of each user's events per item category."""
    merged = df.join(item_categories.rename("category"), on="item_id")
    counts = merged.groupby(["user_id", "category"]).size().unstack(fill_value=0)
    return counts.div(counts.sum(axis=1), axis=0)


def normalize_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ m
