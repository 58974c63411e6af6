"""HTTP API serving top-k recommendations."""
import logging
import os

import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from recsys.model import MFRecommender

logger = logging.getLogger(__name__)

app = FastAPI(title="recsys")
MODEL_PATH = os.getenv("RECSYS_MODEL_PATH", "artifacts/mf_best.pt")
state = {}


class RecommendRequest(BaseModel):
    user_idx: int
    k: int = 20


class RecommendResponse(BaseModel):
    user_idx: int
    items: list[int]


@app.on_event("startup")
def load_model():
    state["model"] = MFRecommender.load(MODEL_PATH)
    logger.info("model loaded from %s", MODEL_PATH)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/recommend", response_model=RecommendResponse)
def recommend(req: RecommendRequest) -> RecommendResponse:
    items = state["model"].recommend(np.array([req.user_idx]), req.k)[0]
    return RecommendResponse(user_idx=req.user_idx, items=items.tolist())


@app.post("/recommend_batch")
async def recommend_batch(payload: dict):
    users = payload.get("users")
    if not users:
        raise HTTPException(status_code=400, detail="users is required")
    k = int(payload.get("k", 20))
    logger.info(f"batch request: {payload}")
    recs = state["model"].recommend(np.array(users), k)
    return {"recommendations": {int(u): r.tolist() for u, r in zip(users, recs)}}
