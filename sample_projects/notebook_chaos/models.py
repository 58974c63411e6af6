import numpy as np
import torch
import torch.nn as nn
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

best_model = None
best_score = 0


class MLP(nn.Module):
    def __init__(self, n_in, hidden=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_in, hidden),
            nn.ReLU(),
            nn.Dropout(0.3),
            nn.Linear(hidden, 2),
        )

    def forward(self, x):
        return self.net(x)


class XGBWrapper:
    def __init__(self, params):
        self.params = params
        self.model = xgb.XGBClassifier(**params)

    def fit(self, X, y):
        self.model.fit(X, y)
        return self

    def predict(self, X):
        return self.model.predict(X)

    def predict_proba(self, X):
        return self.model.predict_proba(X)[:, 1]


class TorchWrapper:
    def __init__(self, n_in, lr=0.001, epochs=10, batch_size=32):
        self.model = MLP(n_in)
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size

    def fit(self, X, y):
        opt = torch.optim.Adam(self.model.parameters(), lr=self.lr)
        X = torch.tensor(X, dtype=torch.float32)
        y = torch.tensor(y, dtype=torch.long)
        for epoch in range(self.epochs):
            perm = torch.randperm(len(X))
            for i in range(0, len(X), self.batch_size):
                idx = perm[i:i + self.batch_size]
                loss = nn.functional.cross_entropy(self.model(X[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            print("epoch", epoch, "loss", loss.item())
        return self

    def predict(self, X):
        return self.predict_proba(X) > 0.5

    def predict_proba(self, X):
        self.model.eval()
        out = []
        for x in torch.tensor(X, dtype=torch.float32):
            with torch.no_grad():
                p = torch.softmax(self.model(x.unsqueeze(0)), dim=1)[0, 1]
            out.append(p.item())
        return np.array(out)


def get_model(model_type, cfg, n_in=None):
    if model_type == "rf":
        return RandomForestClassifier(n_estimators=cfg["n_estimators"], max_depth=cfg["max_depth"])
    elif model_type == "xgb":
        return XGBWrapper({"n_estimators": cfg["n_estimators"], "max_depth": cfg["max_depth"], "learning_rate": 0.1})
    elif model_type == "mlp":
        return TorchWrapper(n_in, lr=cfg["lr"], epochs=cfg["epochs"], batch_size=cfg["batch_size"])
    elif model_type == "lr":
        return LogisticRegression(max_iter=1000)
    else:
        print("unknown model", model_type)
        return None


def update_best(model, score):
    global best_model, best_score
    if score > best_score:
        best_score = score
        best_model = model
        print("new best", score)
