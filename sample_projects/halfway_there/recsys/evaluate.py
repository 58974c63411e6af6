"""Offline evaluation of recommenders on the held-out split."""
import logging

import numpy as np

from recsys.metrics import hits_matrix, ndcg_at_k, recall_at_k

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
logger = logging.getLogger(__name__)


def relevant_items(data):
    test = data.test.assign(
        user_idx=data.test["user_id"].map(data.user_index),
        item_idx=data.test["item_id"].map(data.item_index),
    )
    grouped = test.groupby("user_idx")["item_idx"].apply(set)
    return grouped.index.to_numpy(), list(grouped.values)


def evaluate(rec, data, ks=(10, 20)) -> dict:
    users, relevant = relevant_items(data)
    if len(users) == 0:
        raise ValueError("no test users to evaluate")
    max_k = max(ks)
    recommended = rec.recommend(users, max_k)
    hits = hits_matrix(recommended, relevant)
    n_rel = np.array([len(r) for r in relevant])
    results = {}
    for k in ks:
        results[f"recall@{k}"] = recall_at_k(hits, n_rel, k)
        results[f"ndcg@{k}"] = ndcg_at_k(hits, n_rel, k)
    logging.info("evaluated %d users", len(users))
    return results


def compare(models: dict, data, ks=(10, 20)) -> dict:
    table = {}
    for name, rec in models.items():
        table[name] = evaluate(rec, data, ks)
        print(name, table[name])
    return table
