"""Failure-risk inference for the SageMaker scikit-learn container (SAGEMAKER_PROGRAM=inference.py).

Serves the same JSON artefact that `npm run train` writes and the local SageMaker runtime serves
(libs/local-aws/src/sagemaker-runtime): a standardised logistic regression, scored here with the
standard library only, so the answers match the local endpoint's number for number.
model.tar.gz holds model.json (the artefact) and code/inference.py (this file); SageMaker unpacks it
to /opt/ml/model. Handler contract:
https://sagemaker.readthedocs.io/en/stable/frameworks/sklearn/using_sklearn.html#deploy-a-scikit-learn-model
"""
import json
import math
import os

FORMAT = "plant.failure-risk.logistic-regression/1"


def model_fn(model_dir):
    with open(os.path.join(model_dir, "model.json"), encoding="utf-8") as f:
        artefact = json.load(f)
    if artefact.get("format") != FORMAT:
        raise ValueError("not a %s artefact" % FORMAT)
    return artefact


def _cell(raw, where):
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError("%s: %r is not a number" % (where, raw))
    if math.isnan(value) or math.isinf(value):
        raise ValueError("%s: %r is not a finite number" % (where, raw))
    return value


def input_fn(body, content_type, model=None):
    """CSV rows in the artefact's feature order (empty field = missing) or JSON {"instances": [...]}."""
    text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
    if content_type.startswith("text/csv"):
        lines = [line for line in text.splitlines() if line.strip()]
        return [[_cell(v.strip(), "row %d" % (i + 1)) for v in line.split(",")] for i, line in enumerate(lines)]
    if content_type.startswith("application/json"):
        instances = json.loads(text).get("instances")
        if not isinstance(instances, list) or not instances:
            raise ValueError('the JSON payload needs a non-empty "instances" list')
        return instances
    raise ValueError("Content-Type %s is not served: use text/csv or application/json" % content_type)


def predict_fn(rows, artefact):
    features = artefact["features"]
    mean, std, weights = artefact["scaler"]["mean"], artefact["scaler"]["std"], artefact["weights"]
    clip = artefact["scaler"].get("clip")
    predictions = []
    for i, row in enumerate(rows):
        if isinstance(row, dict):
            row = [_cell(row.get(name), "instance %d %s" % (i, name)) for name in features]
        else:
            row = [_cell(v, "instance %d" % i) for v in row]
        if len(row) != len(features):
            raise ValueError("row %d has %d values, the model takes %d" % (i + 1, len(row), len(features)))
        logit = artefact["intercept"]
        contributions = []
        for j, value in enumerate(row):
            z = 0.0 if value is None else (value - mean[j]) / std[j]
            if value is not None and clip is not None:
                z = max(-clip, min(clip, z))
            contribution = weights[j] * z
            logit += contribution
            contributions.append({"feature": features[j], "value": value, "contribution": contribution})
        probability = 1.0 / (1.0 + math.exp(-logit))
        predictions.append({"probability": probability, "label": 1 if probability >= artefact["threshold"] else 0, "contributions": contributions})
    return {"modelVersion": artefact["version"], "predictions": predictions}


def output_fn(prediction, accept):
    if accept.startswith("text/csv"):
        return "\n".join(repr(p["probability"]) for p in prediction["predictions"]), "text/csv"
    return json.dumps(prediction), "application/json"
