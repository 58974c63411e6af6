import os

import cv2
import numpy as np
import pandas as pd

from utils import load_data

RAW_PATH = "/kaggle/input/telco-churn/train.csv"
OUT_PATH = "/home/alice/data/churn/processed.csv"


def clean(df):
    print("cleaning...")
    df = df.drop_duplicates()
    try:
        df["total_charges"] = df["total_charges"].astype(float)
    except Exception:
        pass
    df = df.fillna(0)
    print("after clean", df.shape)
    return df


def build_features(df):
    feats = pd.DataFrame()
    for idx, row in df.iterrows():
        new_row = pd.DataFrame([{
            "customer_id": row["customer_id"],
            "charge_per_month": row["total_charges"] / (row["tenure"] + 1),
            "is_long_term": 1 if row["contract"] != "Month-to-month" else 0,
            "n_services": int(row["phone_service"] == "Yes") + int(row["internet_service"] != "No"),
        }])
        feats = pd.concat([feats, new_row])
    print("built features", feats.shape)
    return feats


def add_ratio(df):
    df["ratio"] = df.apply(lambda r: r["monthly_charges"] / (r["total_charges"] + 1), axis=1)
    return df


def collect_scores(scores):
    arr = np.array([])
    for s in scores:
        arr = np.append(arr, s * 100)
    return arr


def load_avatar(path):
    # experiment: profile pictures as feature (didn't help)
    img = cv2.imread(path)
    img = cv2.resize(img, (64, 64))
    print("avatar", img.shape)
    return img


# ---- run preprocessing ----
api_key = os.getenv("OPENAI_API_KEY")
df = load_data(RAW_PATH)
df = clean(df)
df = add_ratio(df)
feats = build_features(df)
df = df.merge(feats, on="customer_id")
df.to_csv(OUT_PATH, index=False)
print("done, wrote", OUT_PATH)
