"""FastAPI service exposing the trained pipeline."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request, status
from pydantic import BaseModel, Field

from textclf import __version__
from textclf.config import ServiceSettings, get_settings, load_config
from textclf.pipeline import TextPipeline, load_pipeline

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 5_000


class PredictRequest(BaseModel):
    texts: list[Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]] = Field(
        min_length=1, description="Texts to classify, in order."
    )


class PredictionOut(BaseModel):
    label: str
    score: float = Field(ge=0.0, le=1.0)


class PredictResponse(BaseModel):
    predictions: list[PredictionOut]
    model_version: str


class HealthResponse(BaseModel):
    status: str
    model_loaded: bool
    version: str


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """Application factory; the pipeline is loaded once, at startup."""
    resolved = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        cfg = load_config(resolved.config_path)
        app.state.pipeline = load_pipeline(resolved.artifact_dir, cfg)
        logger.info("pipeline loaded from %s", resolved.artifact_dir)
        yield
        app.state.pipeline = None

    app = FastAPI(title="textclf", version=__version__, lifespan=lifespan)
    app.state.settings = resolved
    _register_routes(app)
    return app


def get_pipeline(request: Request) -> TextPipeline:
    pipeline: TextPipeline | None = getattr(request.app.state, "pipeline", None)
    if pipeline is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "model not loaded")
    return pipeline


def check_api_key(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> None:
    expected = request.app.state.settings.api_key
    if expected is None:
        return
    if x_api_key is None or not secrets.compare_digest(x_api_key, expected.get_secret_value()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid API key")


def _register_routes(app: FastAPI) -> None:
    @app.get("/health", response_model=HealthResponse)
    def health(request: Request) -> HealthResponse:
        loaded = getattr(request.app.state, "pipeline", None) is not None
        return HealthResponse(status="ok" if loaded else "starting", model_loaded=loaded, version=__version__)

    @app.post("/predict", response_model=PredictResponse, dependencies=[Depends(check_api_key)])
    def predict(
        body: PredictRequest, pipeline: Annotated[TextPipeline, Depends(get_pipeline)]
    ) -> PredictResponse:
        # Sync handler: FastAPI runs it in the threadpool, so inference never blocks the loop.
        if len(body.texts) > app.state.settings.max_batch_size:
            raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "batch too large")
        preds = pipeline.predict(body.texts)
        logger.info("served %d predictions", len(preds))
        return PredictResponse(
            predictions=[PredictionOut(label=p.label, score=p.score) for p in preds],
            model_version=__version__,
        )


app = create_app()
