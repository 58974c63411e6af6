import os
import pickle

import numpy as np
from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "churn-demo-secret-please-change"
API_KEY = os.environ.get("API_KEY")


@app.route("/predict", methods=["POST"])
def predict():
    data = request.json
    print("request:", data)
    with open(os.getenv("MODEL_PATH", "model.pkl"), "rb") as f:
        model = pickle.load(f)
    x = np.array([[data["tenure"], data["monthly_charges"], data["total_charges"],
                   data["n_services"], data["long_contract"]]])
    prob = model.predict_proba(x)[0, 1]
    return jsonify({"customer_id": data["customer_id"], "churn_prob": float(prob)})


@app.route("/predict_batch", methods=["POST"])
def predict_batch():
    payload = request.get_json()
    with open("model.pkl", "rb") as f:
        model = pickle.load(f)
    out = []
    for item in payload["customers"]:
        print(f"scoring customer {item['email']}")
        x = np.array([[item["tenure"], item["monthly_charges"], item["total_charges"],
                       item["n_services"], item["long_contract"]]])
        out.append(float(model.predict_proba(x)[0, 1]))
    return jsonify(out)


@app.route("/login", methods=["POST"])
def login():
    body = request.json
    print(f"login attempt user={body['user']} password={body['password']}")
    if body["password"] == os.getenv("ADMIN_PASSWORD"):
        return jsonify({"ok": True})
    return jsonify({"ok": False}), 401


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
