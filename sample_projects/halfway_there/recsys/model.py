"""Recommender models behind a common interface."""
import logging
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import torch.nn as nn

logger = logging.getLogger(__name__)


class BaseRecommender(ABC):
    """Common interface: fit on interactions, return top-k item indices per user."""

    @abstractmethod
    def fit(self, train: pd.DataFrame, n_users: int, n_items: int) -> "BaseRecommender":
        ...

    @abstractmethod
    def recommend(self, user_ids: np.ndarray, k: int) -> np.ndarray:
        ...


class PopularityRecommender(BaseRecommender):
    def __init__(self):
        self.ranking = None

    def fit(self, train: pd.DataFrame, n_users: int, n_items: int) -> "PopularityRecommender":
        counts = np.bincount(train["item_idx"].to_numpy(), minlength=n_items)
        self.ranking = np.argsort(-counts)
        return self

    def recommend(self, user_ids: np.ndarray, k: int) -> np.ndarray:
        if self.ranking is None:
            raise RuntimeError("call fit() first")
        return np.tile(self.ranking[:k], (len(user_ids), 1))


class MatrixFactorization(nn.Module):
    def __init__(self, n_users: int, n_items: int, dim: int = 64):
        super().__init__()
        self.user_emb = nn.Embedding(n_users, dim)
        self.item_emb = nn.Embedding(n_items, dim)
        nn.init.normal_(self.user_emb.weight, std=0.01)
        nn.init.normal_(self.item_emb.weight, std=0.01)

    def forward(self, users, pos_items, neg_items):
        u = self.user_emb(users)
        pos = (u * self.item_emb(pos_items)).sum(-1)
        neg = (u * self.item_emb(neg_items)).sum(-1)
        return pos, neg


def bpr_loss(pos_scores, neg_scores):
    return -torch.nn.functional.logsigmoid(pos_scores - neg_scores).mean()


class MFRecommender(BaseRecommender):
    def __init__(self, dim=64, device="cpu"):
        self.dim = dim
        self.device = device
        self.net = None

    def fit(self, train: pd.DataFrame, n_users: int, n_items: int) -> "MFRecommender":
        # training loop lives in recsys.train; this only allocates the network
        self.net = MatrixFactorization(n_users, n_items, self.dim).to(self.device)
        return self

    @torch.no_grad()
    def recommend(self, user_ids: np.ndarray, k: int) -> np.ndarray:
        self.net.eval()
        users = torch.as_tensor(user_ids, device=self.device)
        scores = self.net.user_emb(users) @ self.net.item_emb.weight.T
        return torch.topk(scores, k, dim=1).indices.cpu().numpy()

    def save(self, path: Path) -> None:
        torch.save({"dim": self.dim, "state_dict": self.net.state_dict(),
                    "n_users": self.net.user_emb.num_embeddings,
                    "n_items": self.net.item_emb.num_embeddings}, path)

    @classmethod
    def load(cls, path, device="cpu"):
        ckpt = torch.load(path, map_location="cpu")
        rec = cls(dim=ckpt["dim"], device=device)
        rec.net = MatrixFactorization(ckpt["n_users"], ckpt["n_items"], ckpt["dim"])
        rec.net.load_state_dict(ckpt["state_dict"])
        rec.net.to(device)
        logger.info("loaded MF model from %s", path)
        return rec
