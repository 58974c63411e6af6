"""Tests of rule SEC025 (`mlaudit/rules/security/sec025_upload_saved_under_client_name.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import findings, write_tree

FASTAPI_APP = """\
import os
import shutil
import uuid
from pathlib import Path

from fastapi import FastAPI, UploadFile

app = FastAPI()
UPLOADS = Path("uploads")


@app.post("/summarize")
async def summarize(file: UploadFile):
    location = os.path.join("data", file.filename)
    with open(location, "wb+") as out:
        out.write(file.file.read())
    return {"saved": file.filename}


@app.post("/images")
async def images(files: list[UploadFile]):
    for upload in files:
        (UPLOADS / upload.filename).write_bytes(await upload.read())


@app.post("/safe")
async def safe(file: UploadFile):
    target = UPLOADS / Path(file.filename or "").name
    target.write_bytes(await file.read())
    named = UPLOADS / f"{uuid.uuid4().hex}{Path(file.filename or '').suffix}"
    with open(named, "wb") as out:
        shutil.copyfileobj(file.file, out)
    return {"name": file.filename}


@app.post("/checked")
async def checked(file: UploadFile):
    target = (UPLOADS / file.filename).resolve()
    if not target.is_relative_to(UPLOADS.resolve()):
        raise ValueError("bad name")
    target.write_bytes(await file.read())
"""

FLASK_APP = """\
import io
import os

from flask import Flask, request
from PIL import Image
from werkzeug.utils import secure_filename

app = Flask(__name__)


@app.route("/upload", methods=["POST"])
def upload():
    image = request.files["image"]
    image.save(os.path.join(app.config["UPLOAD_FOLDER"], image.filename))
    return "ok"


@app.route("/upload-safe", methods=["POST"])
def upload_safe():
    image = request.files["image"]
    image.save(os.path.join(app.config["UPLOAD_FOLDER"], secure_filename(image.filename)))
    return "ok"


@app.route("/predict", methods=["POST"])
def predict():
    image = request.files["image"]
    name = image.filename or ""
    ext = name.rsplit(".", 1)[-1].lower()
    with Image.open(io.BytesIO(image.read())) as im:
        return {"ext": ext, "size": im.size}
"""


def test_sec025_fires_where_the_clients_file_name_builds_the_written_path(tmp_path: Path) -> None:
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": FASTAPI_APP, "svc/web.py": FLASK_APP})
    hits = sorted((f.path or "", f.line or 0, f.message.split(" in ")[0]) for f in findings(tmp_path, "SEC025"))
    assert hits == [
        ("svc/api.py", 15, "open() writes to a path built from the client's file name `location`"),
        ("svc/api.py", 23, "write_bytes() writes to a path built from the client's file name `upload.filename`"),
        ("svc/web.py", 14, "save() writes to a path built from the client's file name `image.filename`"),
    ]


def test_sec025_silent_on_names_reduced_to_their_last_part_checked_paths_and_in_memory_reads(tmp_path: Path) -> None:
    safe = FASTAPI_APP.split('@app.post("/safe")')[1]
    flask_safe = FLASK_APP.split('@app.route("/upload-safe"')[1]
    write_tree(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/api.py": FASTAPI_APP.split('@app.post("/summarize")', maxsplit=1)[0] + '@app.post("/safe")' + safe,
            "svc/web.py": FLASK_APP.split('@app.route("/upload"', maxsplit=1)[0]
            + '@app.route("/upload-safe"'
            + flask_safe,
        },
    )
    assert findings(tmp_path, "SEC025") == []


SPLIT_NAME_APP = """\
import os
import tempfile

from fastapi import FastAPI, UploadFile

app = FastAPI()
MASKS = "masks"


@app.post("/masks")
async def save_mask(file: UploadFile):
    stem, ext = os.path.splitext(file.filename)
    with open(os.path.join(MASKS, stem + "_mask" + ext), "wb") as out:
        out.write(await file.read())


@app.post("/segment")
async def segment(file: UploadFile):
    tmpdir = tempfile.mkdtemp()
    suffix = os.path.splitext(file.filename or "image.tif")[1] or ".tif"
    path = os.path.join(tmpdir, f"input{suffix}")
    with open(path, "wb") as out:
        out.write(await file.read())
    return {"path": path}
"""


def test_sec025_fires_on_the_stem_split_from_the_clients_file_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": SPLIT_NAME_APP})
    hits = [(f.line, f.message.split(" in ")[0]) for f in findings(tmp_path, "SEC025")]
    assert hits == [(13, "open() writes to a path built from the client's file name `stem`")]


def test_sec025_silent_on_a_path_named_by_the_server_with_only_the_clients_extension(tmp_path: Path) -> None:
    segment = SPLIT_NAME_APP.split('@app.post("/masks")', maxsplit=1)[0] + '@app.post("/segment")'
    segment += SPLIT_NAME_APP.split('@app.post("/segment")')[1]
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/api.py": segment})
    assert findings(tmp_path, "SEC025") == []
