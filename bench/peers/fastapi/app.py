"""The server our users run today: FastAPI + scikit-learn, one model from a joblib file.

POST /predict {"features": [f1, f2, ...]} -> {"prediction": ..., "confidence": ...}, computed
with the estimator's predict and predict_proba, as the users' own servers do. Served by
uvicorn (bench/compare/run.sh starts it with 1 and 2 workers).

    MODEL_PATH=forest.joblib uvicorn app:app --app-dir bench/peers/fastapi --port 8000
"""

import os

import joblib
import numpy as np
from fastapi import FastAPI
from pydantic import BaseModel

model = joblib.load(os.environ["MODEL_PATH"])
app = FastAPI()


class Features(BaseModel):
    features: list[float]


@app.post("/predict")
def predict(body: Features) -> dict:
    x = np.asarray([body.features], dtype=np.float32)
    prediction = model.predict(x)[0]
    confidence = float(model.predict_proba(x)[0].max())
    return {"prediction": prediction.item(), "confidence": confidence}
