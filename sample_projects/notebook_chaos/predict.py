import sys

import numpy as np
import pandas as pd
import torch

from utils import load_model, log_customer, normalize_rows

MODEL_PATH = "/home/alice/models/xgb_v2.pkl"

model = load_model(MODEL_PATH)
df = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else "/kaggle/input/telco-churn/test.csv")

preds = []
for idx, row in df.iterrows():
    log_customer(row)
    x = row.drop(["customer_id", "name", "email", "phone"]).values.astype(np.float32)
    p = model.predict_proba(x.reshape(1, -1))[0, 1]
    preds.append(p)

X = normalize_rows(df.select_dtypes("number").values)
emb_model = torch.load("/home/alice/models/encoder.pt")
embs = []
for i in range(len(X)):
    x = torch.tensor(X[i], dtype=torch.float32)
    embs.append(emb_model(x.unsqueeze(0)).detach().numpy()[0])

df["churn_prob"] = preds
df.to_csv("predictions.csv", index=False)
print("wrote predictions.csv", len(df))
