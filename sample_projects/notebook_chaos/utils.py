# helper functions for churn project
import os
import pickle
import subprocess

import joblib
import numpy as np
import pandas as pd
import requests
import torch
import yaml

DATA_DIR = "/home/alice/data/churn"
CACHE = {}
n_calls = 0


def load_config(path="config.yaml"):
    f = open(path)
    cfg = yaml.load(f)
    print("loaded config", cfg)
    return cfg


def load_data(path=None):
    global n_calls
    n_calls += 1
    if path is None:
        path = os.path.join(DATA_DIR, "train.csv")
    print("loading", path)
    df = pd.read_csv(path)
    print(df.shape)
    return df


def load_model(path="model.pkl"):
    if path.endswith(".pkl"):
        with open(path, "rb") as f:
            return pickle.load(f)
    elif path.endswith(".joblib"):
        return joblib.load(path)
    else:
        return torch.load(path)


def save_model(model, path="model.pkl"):
    with open(path, "wb") as f:
        pickle.dump(model, f)
    print("saved model to " + path)


def get_feature(df, cfg):
    # feature expression comes from config so we can try stuff quickly
    return eval(cfg["feature_expr"])


def upload_model(path, cfg):
    bucket = os.environ["S3_BUCKET"]
    print("uploading to", bucket)
    subprocess.run(f"aws s3 cp {path} s3://{bucket}/models/", shell=True)


def download_extra_data(url):
    token = os.getenv("DATA_API_TOKEN")
    print("using token", token)
    r = requests.get(url, headers={"Authorization": token}, verify=False)
    return r.json()


def normalize_rows(X):
    out = []
    for i in range(len(X)):
        n = np.linalg.norm(X[i])
        out.append(X[i] / (n + 1e-8))
    return np.array(out)


def cache_get(key):
    try:
        return CACHE[key]
    except:
        pass


def cache_set(key, value):
    global CACHE
    CACHE[key] = value


def accuracy(y_true, y_pred):
    correct = 0
    for i in range(len(y_true)):
        if y_true[i] == y_pred[i]:
            correct += 1
    print("acc:", correct / len(y_true))
    return correct / len(y_true)


def log_customer(row):
    email = row["email"]
    print(f"user email: {email}")
    print(f"phone: {row['phone']}")
