import argparse
import os
import random

import numpy as np
import pandas as pd
import torch
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split

from models import TorchWrapper, XGBWrapper, update_best
from utils import get_feature, load_config, save_model, upload_model

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="/kaggle/input/telco-churn/train.csv")
parser.add_argument("--model", default="xgb")
parser.add_argument("--use_smote", type=bool, default=False)
parser.add_argument("--upload", type=bool, default=False)
args = parser.parse_args()

cfg = load_config("config.yaml")
wandb_key = os.environ["WANDB_API_KEY"]


def run_everything(data_path, model_type, lr, batch_size, epochs, n_estimators,
                   max_depth, threshold, use_smote, save_path, verbose, cfg):
    # load
    if data_path.endswith(".csv"):
        df = pd.read_csv(data_path)
    elif data_path.endswith(".parquet"):
        df = pd.read_parquet(data_path)
    else:
        print("bad path")
        return None
    if verbose:
        print("loaded", df.shape)

    # preprocess
    for col in df.columns:
        if df[col].dtype == object:
            if col == "customer_id":
                continue
            if df[col].nunique() < 10:
                if col == "churn":
                    df[col] = (df[col] == "Yes").astype(int)
                else:
                    dummies = pd.get_dummies(df[col], prefix=col)
                    df = pd.concat([df, dummies], axis=1)
                    df = df.drop(columns=[col])
            else:
                try:
                    df[col] = df[col].astype(float)
                except:
                    df = df.drop(columns=[col])
        else:
            if df[col].isna().sum() > 0:
                if df[col].isna().mean() > 0.5:
                    df = df.drop(columns=[col])
                else:
                    df[col] = df[col].fillna(df[col].median())
    df["charge_ratio"] = get_feature(df, cfg)
    y = df["churn"].values
    X = df.drop(columns=["churn", "customer_id"]).values.astype(np.float32)
    if verbose:
        print("X shape", X.shape, "pos rate", y.mean())

    # oversample
    if use_smote:
        pos = np.where(y == 1)[0]
        neg = np.where(y == 0)[0]
        extra = []
        for i in range(len(neg) - len(pos)):
            a = X[random.choice(pos)]
            b = X[random.choice(pos)]
            extra.append(a + np.random.rand() * (b - a))
        if len(extra) > 0:
            X = np.vstack([X, np.array(extra)])
            y = np.concatenate([y, np.ones(len(extra), dtype=int)])

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

    # train
    if model_type == "rf":
        model = RandomForestClassifier()
        model.fit(X_train, y_train)
        probs = model.predict_proba(X_test)[:, 1]
    elif model_type == "xgb":
        model = XGBWrapper({"n_estimators": n_estimators, "max_depth": max_depth, "learning_rate": 0.1})
        model.fit(X_train, y_train)
        probs = model.predict_proba(X_test)
    elif model_type == "mlp":
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0) + 1e-6
        X_train = (X_train - mean) / std
        X_test = (X_test - mean) / std
        model = TorchWrapper(X_train.shape[1], lr=lr, epochs=epochs, batch_size=batch_size)
        model.fit(X_train, y_train)
        probs = model.predict_proba(X_test)
    elif model_type == "lr":
        model = LogisticRegression(max_iter=500)
        model.fit(X_train, y_train)
        probs = model.predict_proba(X_test)[:, 1]
    else:
        print("unknown model type")
        return None

    # evaluate
    best_t = threshold
    best_f1 = 0
    for t in np.arange(0.1, 0.9, 0.05):
        preds = (probs > t).astype(int)
        f1 = f1_score(y_test, preds)
        if f1 > best_f1:
            best_f1 = f1
            best_t = t
            if verbose:
                print("new best threshold", t, f1)
    preds = (probs > best_t).astype(int)
    acc = accuracy_score(y_test, preds)
    auc = roc_auc_score(y_test, probs)
    print("ACC", acc)
    print("AUC", auc)
    print("F1", best_f1)
    results = {"acc": acc, "auc": auc, "f1": best_f1, "threshold": best_t}
    if auc > 0.85:
        print("good model!!")
        if save_path:
            save_model(model, save_path)
            if args.upload:
                upload_model(save_path, cfg)
    elif auc > 0.7:
        print("ok model")
        if save_path and model_type != "mlp":
            save_model(model, save_path)
    else:
        print("bad model, not saving")
    update_best(model, auc)
    with open("results.txt", "a") as f:
        f.write(str(results) + "\n")
    # per-segment analysis
    seg_results = {}
    for seg in ["Month-to-month", "One year", "Two year"]:
        col = "contract_" + seg
        if col in df.columns:
            mask = df[col].values[-len(y_test):] == 1
            if mask.sum() > 10:
                try:
                    seg_auc = roc_auc_score(y_test[mask], probs[mask])
                    seg_results[seg] = seg_auc
                    if verbose:
                        print("segment", seg, seg_auc)
                except ValueError:
                    pass
            else:
                if verbose:
                    print("segment too small", seg)
    results["segments"] = seg_results
    # quick sanity check of noise robustness
    noise = torch.randn(X_test.shape[0], X_test.shape[1]).numpy() * 0.01
    if model_type == "mlp":
        noisy_probs = model.predict_proba(X_test + noise)
    elif model_type in ("rf", "lr"):
        noisy_probs = model.predict_proba(X_test + noise)[:, 1]
    else:
        noisy_probs = model.predict_proba(X_test + noise)
    print("noise delta", np.abs(noisy_probs - probs).mean())
    return results


idx = list(range(100))
random.shuffle(idx)
print("shuffled idx head", idx[:5])

res = run_everything(args.data, args.model, 0.001, 32, 10, cfg["n_estimators"], cfg["max_depth"],
                     cfg["threshold"], args.use_smote, "model.pkl", True, cfg)
print(res)
