"""Tests of rule SRV003 (`mlaudit/rules/production/srv003_assert_in_handler.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree
from tests.rules.production._helpers import _bad, _good


def test_srv003_assert_in_handler(tmp_path: Path) -> None:
    [hit] = findings(_bad(tmp_path), "SRV003")
    assert hit.line == 13 and "predict()" in hit.message
    assert findings(_good(tmp_path / "g"), "SRV003") == []


CHECKS = """\
from fastapi import Depends, FastAPI, Security
from sqlalchemy.pool import QueuePool

from svc.auth import authorize
from svc.store import engine, get_store, settings

app = FastAPI()


@app.get("/load")
def load_info(auth=Security(authorize)):
    pool = engine().pool
    assert isinstance(pool, QueuePool)
    token = auth.access_token
    assert token is not None
    assert settings().login_url is not None
    return {"idle": pool.checkedin(), "token": token}


@app.get("/items/{item_id}")
def get_item(item_id: int, store=Depends(get_store)):
    record = store.get_item(item_id)
    assert record.owner is not None
    return {"owner": record.owner}


@app.post("/score")
async def score(request, limit: int = 10):
    body = await request.json()
    texts = list(body["texts"])
    assert len(texts) <= limit
    return {"n": len(texts)}
"""


def test_srv003_flags_asserts_on_what_the_client_sent_not_on_the_servers_own_state(tmp_path: Path) -> None:
    """Asserts narrowing the server's pool, config, dependencies and stored records are invariants; the one
    testing the request body (read through a local) is request validation."""
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": CHECKS})
    assert [(hit.line, hit.message) for hit in findings(tmp_path, "SRV003")] == [
        (31, "assert len(texts) <= limit in handler score()")
    ]
