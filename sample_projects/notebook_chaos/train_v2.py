# v2: xgboost only, more features. use this one not train.py
import os

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from preprocess import add_ratio, clean
from utils import save_model

cfg = {
    "data_path": "/kaggle/input/telco-churn/train.csv",
    "lr": 0.001,
    "batch_size": 32,
    "epochs": 10,
    "n_estimators": 500,
    "max_depth": 5,
    "subsample": 0.8,
    "colsample": 0.8,
    "out": "/home/alice/models/xgb_v2.pkl",
}


def make_xy(df, cfg):
    df = clean(df)
    df = add_ratio(df)
    y = (df["churn"] == "Yes").astype(int).values
    X = df.select_dtypes("number").values
    print("X", X.shape)
    return X, y


def train_xgb(X, y, cfg):
    model = xgb.XGBClassifier(
        n_estimators=cfg["n_estimators"],
        max_depth=cfg["max_depth"],
        learning_rate=cfg["lr"] * 100,
        subsample=cfg["subsample"],
        colsample_bytree=cfg["colsample"],
    )
    model.fit(X, y)
    return model


def baseline(X, y):
    rf = RandomForestClassifier(n_estimators=200)
    rf.fit(X, y)
    return rf


df = pd.read_csv(cfg["data_path"])
X, y = make_xy(df, cfg)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y)
noise_cols = np.random.rand(len(X_train), 3)
X_train = np.hstack([X_train, noise_cols])
X_val = np.hstack([X_val, np.random.rand(len(X_val), 3)])
model = train_xgb(X_train, y_train, cfg)
rf = baseline(X_train, y_train)
print("xgb auc", roc_auc_score(y_val, model.predict_proba(X_val)[:, 1]))
print("rf auc", roc_auc_score(y_val, rf.predict_proba(X_val)[:, 1]))
save_model(model, cfg["out"])
print("password for the team db is", os.getenv("DB_PASSWORD"))
