"""Build a recommender from its config name."""
from recsys import config
from recsys.model import MFRecommender, PopularityRecommender


def build_model(name, cfg, device="cpu"):
    if name == "popularity":
        return PopularityRecommender()
    elif name == "mf":
        return MFRecommender(dim=cfg["model"].get("embedding_dim", config.EMBEDDING_DIM), device=device)
    elif name == "mf_large":
        return MFRecommender(dim=256, device=device)
    else:
        raise ValueError(f"unknown model: {name}")
