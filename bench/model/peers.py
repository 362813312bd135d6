"""Peer models for bench/model/run.ts: scikit-learn TF-IDF + LogisticRegression / LinearSVC and the fastText CLI.

Usage: python3 peers.py DIR LANG [PEER ...]
DIR holds train.jsonl and test.jsonl ({"text", "intent"} per line); LANG is "zh" or "en" (zh: characters are
split by spaces for fastText). Writes DIR/peers.json: per peer fit_s (seconds, vectorizing included), pred
(test labels) and conf (max probability; for LinearSVC the max decision score).
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC


def load(path):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], [r["intent"] for r in rows]


def features():
    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def run_sklearn(make_clf, train_x, train_y, test_x, probabilistic):
    start = time.perf_counter()
    vec = features()
    xtr = vec.fit_transform(train_x)
    clf = make_clf()
    clf.fit(xtr, train_y)
    fit_s = time.perf_counter() - start
    xte = vec.transform(test_x)
    scores = clf.predict_proba(xte) if probabilistic else clf.decision_function(xte)
    best = np.argmax(scores, axis=1)
    return {
        "fit_s": fit_s,
        "pred": [str(clf.classes_[i]) for i in best],
        "conf": [float(v) for v in scores[np.arange(len(best)), best]],
    }


def fasttext_text(text, lang):
    text = " ".join(text.lower().split())
    return " ".join(ch for ch in text if not ch.isspace()) if lang == "zh" else text


def run_fasttext(directory, train_x, train_y, test_x, lang):
    train_path = os.path.join(directory, "ft_train.txt")
    test_path = os.path.join(directory, "ft_test.txt")
    with open(train_path, "w", encoding="utf-8") as f:
        for text, label in zip(train_x, train_y):
            f.write(f"__label__{label} {fasttext_text(text, lang)}\n")
    with open(test_path, "w", encoding="utf-8") as f:
        for text in test_x:
            f.write(fasttext_text(text, lang) + "\n")
    model = os.path.join(directory, "ft_model")
    start = time.perf_counter()
    subprocess.run(
        ["fasttext", "supervised", "-input", train_path, "-output", model, "-wordNgrams", "2", "-minn", "2",
         "-maxn", "5", "-epoch", "50", "-thread", "2", "-verbose", "0"],
        check=True,
    )
    fit_s = time.perf_counter() - start
    out = subprocess.run(["fasttext", "predict-prob", model + ".bin", test_path, "1"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    pred, conf = [], []
    for line in out:
        parts = line.split()
        pred.append(parts[0][len("__label__"):] if parts else "")
        conf.append(min(1.0, float(parts[1])) if len(parts) > 1 else 0.0)
    return {"fit_s": fit_s, "pred": pred, "conf": conf}


def main():
    directory, lang = sys.argv[1], sys.argv[2]
    wanted = sys.argv[3:] or ["sklearn_lr", "sklearn_svm", "fasttext"]
    train_x, train_y = load(os.path.join(directory, "train.jsonl"))
    test_x, _ = load(os.path.join(directory, "test.jsonl"))
    result = {}
    for name in wanted:
        if name == "sklearn_lr":
            result[name] = run_sklearn(lambda: LogisticRegression(solver="saga", C=10, max_iter=1000, random_state=0), train_x, train_y, test_x, True)
        elif name == "sklearn_svm":
            result[name] = run_sklearn(lambda: LinearSVC(C=1.0, random_state=0), train_x, train_y, test_x, False)
        elif name == "fasttext":
            result[name] = run_fasttext(directory, train_x, train_y, test_x, lang)
        print(f"  {name}: fit {result[name]['fit_s']:.1f} s", file=sys.stderr, flush=True)
    with open(os.path.join(directory, "peers.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
