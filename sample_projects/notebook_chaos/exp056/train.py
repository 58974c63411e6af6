# exp056: same as 055 but deeper trees + tenure bins
import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold

np.random.seed(42)

EXP = "exp056"
MAX_DEPTH = 6
LEARNING_RATE = 0.02
TENURE_BINS = True

DATA = "/kaggle/input/telco-churn/train.csv"
TEST = "/kaggle/input/telco-churn/test.csv"
OUT_DIR = f"/kaggle/working/{EXP}"
lr = 0.001
batch_size = 32
epochs = 10
N_FOLDS = 5


def prep(df):
    df = df.drop_duplicates()
    df["total_charges"] = pd.to_numeric(df["total_charges"], errors="coerce").fillna(0)
    df["charge_ratio"] = df["total_charges"] / (df["tenure"] + 1)
    df["long_contract"] = (df["contract"] != "Month-to-month").astype(int)
    if TENURE_BINS:
        df["tenure_bin"] = pd.cut(df["tenure"], bins=[0, 6, 12, 24, 48, 72], labels=False).fillna(0)
    for c in ["gender", "partner", "dependents", "internet_service", "payment_method"]:
        df[c] = df[c].astype("category").cat.codes
    return df


df = prep(pd.read_csv(DATA))
test = prep(pd.read_csv(TEST))
df["churn"] = (df["churn"] == "Yes").astype(int)
features = [c for c in df.columns if c not in ("customer_id", "churn", "contract")]
X = df[features].values
y = df["churn"].values
X_test = test[features].values

oof = np.zeros(len(df))
test_pred = np.zeros(len(test))
kf = KFold(n_splits=N_FOLDS, shuffle=True)
for fold, (tr, va) in enumerate(kf.split(X)):
    model = xgb.XGBClassifier(
        n_estimators=800,
        max_depth=MAX_DEPTH,
        learning_rate=LEARNING_RATE,
        subsample=0.9,
        colsample_bytree=0.7,
        min_child_weight=3,
    )
    model.fit(X[tr], y[tr], eval_set=[(X[va], y[va])], verbose=False)
    oof[va] = model.predict_proba(X[va])[:, 1]
    test_pred += model.predict_proba(X_test)[:, 1] / N_FOLDS
    print("fold", fold, "auc", roc_auc_score(y[va], oof[va]))
    model.save_model(f"{OUT_DIR}/model_fold{fold}.json")
    imp = sorted(zip(features, model.feature_importances_), key=lambda t: -t[1])
    for name, score in imp[:10]:
        print("   ", name, round(float(score), 4))

print("OOF AUC", roc_auc_score(y, oof))
np.save(f"{OUT_DIR}/oof.npy", oof)
pd.DataFrame({"customer_id": df["customer_id"], "oof": oof}).to_csv(f"{OUT_DIR}/oof.csv", index=False)
sub = pd.DataFrame({"customer_id": test["customer_id"], "churn": test_pred})
sub.to_csv(f"{OUT_DIR}/submission.csv", index=False)
print("done", EXP)
