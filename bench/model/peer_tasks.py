"""Peer side of the label_errors, few_shot and active_learning benchmarks (bench/model/*.ts).

Usage: python3 peer_tasks.py TASK DIR [ARGS ...]
  label_errors DIR PEER   DIR/train.jsonl ({"text", "intent"}, noisy labels) and DIR/folds.json (fold id per row).
                          Out-of-fold probabilities of PEER (lr | svm_calibrated) with cross_val_predict over those
                          folds. Writes DIR/oof.f32 (rows x classes float32, classes in sorted label order) and
                          DIR/label_errors.json {"fit_s", "classes"}.
  few_shot DIR            DIR/samples.json {"test": [texts], "test_labels": [...], "samples": [{"name", "texts", "labels"}]}.
                          Trains the LogisticRegression peer on each sample; writes DIR/few_shot.json {name: {"acc", "fit_s"}}.
  active_learning DIR     DIR/al.json {"pool", "pool_labels", "test", "test_labels", "initial", "batch", "rounds", "strategies", "seed"}.
                          LinearSVC (C = 1) on TF-IDF fitted on the whole pool; margin = top-1 minus top-2 decision
                          score. Writes DIR/active_learning.json {strategy: {"labels": [...], "acc": [...]}, "full_acc", "seconds"}.
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import features  # noqa: E402


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], [r["intent"] for r in rows]


def make_lr():
    return LogisticRegression(solver="saga", C=10, max_iter=1000, random_state=0)


def make_classifier(peer):
    if peer == "lr":
        return make_lr()
    if peer == "svm_calibrated":
        return CalibratedClassifierCV(LinearSVC(C=1.0, random_state=0), method="sigmoid", cv=3)
    raise ValueError(peer)


def label_errors(directory, peer):
    texts, labels = load_jsonl(os.path.join(directory, "train.jsonl"))
    with open(os.path.join(directory, "folds.json"), encoding="utf-8") as f:
        folds = np.array(json.load(f))
    start = time.perf_counter()
    probs = cross_val_predict(make_pipeline(features(), make_classifier(peer)), texts, labels,
                              cv=PredefinedSplit(folds), method="predict_proba")
    fit_s = time.perf_counter() - start
    probs.astype("<f4").tofile(os.path.join(directory, "oof.f32"))
    with open(os.path.join(directory, "label_errors.json"), "w", encoding="utf-8") as f:
        json.dump({"fit_s": fit_s, "classes": sorted(set(labels))}, f)
    print(f"  peer {peer} 5-fold out-of-fold: {fit_s:.1f} s", file=sys.stderr, flush=True)


def few_shot(directory):
    with open(os.path.join(directory, "samples.json"), encoding="utf-8") as f:
        spec = json.load(f)
    truth = np.array(spec["test_labels"])
    out = {}
    for sample in spec["samples"]:
        start = time.perf_counter()
        model = make_pipeline(features(), make_lr()).fit(sample["texts"], sample["labels"])
        fit_s = time.perf_counter() - start
        acc = float(np.mean(model.predict(spec["test"]) == truth))
        out[sample["name"]] = {"acc": acc, "fit_s": fit_s}
        print(f"  peer lr {sample['name']}: {acc * 100:.2f}% ({fit_s:.1f} s)", file=sys.stderr, flush=True)
    with open(os.path.join(directory, "few_shot.json"), "w", encoding="utf-8") as f:
        json.dump(out, f)


def margins(scores):
    top = np.partition(scores, -2, axis=1)
    return top[:, -1] - top[:, -2]


def active_learning(directory):
    with open(os.path.join(directory, "al.json"), encoding="utf-8") as f:
        spec = json.load(f)
    start = time.perf_counter()
    vec = features()
    pool = vec.fit_transform(spec["pool"])
    test = vec.transform(spec["test"])
    pool_y = np.array(spec["pool_labels"])
    test_y = np.array(spec["test_labels"])
    full = LinearSVC(C=1.0, random_state=0).fit(pool, pool_y)
    out = {"full_acc": float(np.mean(full.predict(test) == test_y))}
    for strategy in spec["strategies"]:
        rng = np.random.default_rng(spec["seed"])
        labeled = np.zeros(pool.shape[0], dtype=bool)
        labeled[spec["initial"]] = True
        counts, accs = [], []
        for round_ in range(spec["rounds"] + 1):
            idx = np.flatnonzero(labeled)
            clf = LinearSVC(C=1.0, random_state=0).fit(pool[idx], pool_y[idx])
            counts.append(int(labeled.sum()))
            accs.append(float(np.mean(clf.predict(test) == test_y)))
            if round_ == spec["rounds"]:
                break
            rest = np.flatnonzero(~labeled)
            if strategy == "random":
                pick = rng.choice(rest, size=min(spec["batch"], rest.size), replace=False)
            else:
                pick = rest[np.argsort(margins(clf.decision_function(pool[rest])), kind="stable")[: spec["batch"]]]
            labeled[pick] = True
        out[strategy] = {"labels": counts, "acc": accs}
        print(f"  peer LinearSVC {strategy}: " + " ".join(f"{a * 100:.1f}" for a in accs), file=sys.stderr, flush=True)
    out["seconds"] = time.perf_counter() - start
    with open(os.path.join(directory, "active_learning.json"), "w", encoding="utf-8") as f:
        json.dump(out, f)


def main():
    task, directory = sys.argv[1], sys.argv[2]
    if task == "label_errors":
        label_errors(directory, sys.argv[3] if len(sys.argv) > 3 else "svm_calibrated")
    elif task == "few_shot":
        few_shot(directory)
    elif task == "active_learning":
        active_learning(directory)
    else:
        raise SystemExit(f"unknown task {task}")


if __name__ == "__main__":
    main()
