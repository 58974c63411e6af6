"""Provides helpers shared by several test modules of the `security` rules."""

from __future__ import annotations

import json


def notebook(cells: list[dict[str, object]]) -> str:
    """Return a minimal nbformat-4 notebook with the given cells."""
    full = [{"metadata": {}, "execution_count": None, "outputs": [], **c} for c in cells]
    return json.dumps({"cells": full, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def code_cell(source: str, stdout: str = "") -> dict[str, object]:
    outputs = [{"output_type": "stream", "name": "stdout", "text": [stdout]}] if stdout else []
    return {"cell_type": "code", "source": [source], "outputs": outputs}


UNSAFE = """\
import os, pickle, subprocess
import joblib, numpy as np, pandas as pd, requests, torch, yaml
from transformers import AutoModel

def run(path, cfg, bucket, url):
    m = pickle.load(open(path, "rb"))
    j = joblib.load(path)
    d = pd.read_pickle(path)
    s = torch.load(path)
    u = torch.load(path, weights_only=False)
    c = yaml.load(open(cfg))
    a = AutoModel.from_pretrained("org/model", trust_remote_code=True)
    h = torch.hub.load("ultralytics/yolov5", "yolov5s")
    v = eval(cfg["feature_expr"])
    os.system(f"aws s3 cp {path} s3://{bucket}/")
    subprocess.run("tar czf %s out/" % path, shell=True)
    r = requests.get(url, verify=False, timeout=5)
    t = requests.post(url, json={})
    n = np.load(path, allow_pickle=True)
"""


SAFE = """\
import subprocess
import numpy as np, requests, torch, yaml
from transformers import AutoModel

def run(path, cfg, model, url):
    s = torch.load(path, map_location="cpu", weights_only=True)
    c = yaml.safe_load(open(cfg))
    c2 = yaml.load(open(cfg), Loader=yaml.SafeLoader)
    a = AutoModel.from_pretrained("org/model", trust_remote_code=True, revision="3f2a9b1c")
    h = torch.hub.load("pytorch/vision:v0.10.0", "resnet18")
    model.eval()
    v = eval("1 + 1")
    subprocess.run(["aws", "s3", "cp", path, "s3://b/"], check=True)
    subprocess.run("make data", shell=True)
    r = requests.get(url, timeout=5)
    n = np.load(path)
"""
