"""Peer for bench/context/run.ts: scikit-learn LinearSVC on TF-IDF (word 1-2 + char_wb 2-5) of the utterance, and of
the utterance plus the bot prompt's word 1-2-grams (a FeatureUnion of its own), as issue #14 measured.

Usage: python3 peer.py DIR
DIR holds train.jsonl and test.jsonl ({"text", "prompt", "intent"} per line). For the word analyzers, CJK characters
are split by spaces and single-character tokens kept (else a whole Chinese run is one "word"); the char_wb analyzer
reads the raw text. Latin-only data keeps scikit-learn's default tokens. Writes DIR/peer.json: {"utterance": [pred...], "context": [pred...],
"fit_s": {...}}.
"""
import json
import os
import re
import sys
import time

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def spaced(text):
    return CJK.sub(r" \1 ", text)


def word_vectorizer(cjk):
    if cjk:
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=lambda t: spaced(t.lower()), token_pattern=r"(?u)\b\w+\b")
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)


def utterance_features(cjk):
    return FeatureUnion([
        ("word", word_vectorizer(cjk)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def main():
    directory = sys.argv[1]
    train = load(os.path.join(directory, "train.jsonl"))
    test = load(os.path.join(directory, "test.jsonl"))
    y = [r["intent"] for r in train]
    cjk = any(CJK.search(r["text"]) for r in train[:2000])
    out = {"fit_s": {}}
    start = time.perf_counter()
    u = utterance_features(cjk)
    xu = u.fit_transform([r["text"] for r in train])
    xut = u.transform([r["text"] for r in test])
    out["utterance"] = [str(p) for p in LinearSVC().fit(xu, y).predict(xut)]
    out["fit_s"]["utterance"] = time.perf_counter() - start
    start = time.perf_counter()
    p = word_vectorizer(cjk)
    xp = p.fit_transform([r["prompt"] for r in train])
    xpt = p.transform([r["prompt"] for r in test])
    clf = LinearSVC().fit(hstack([xu, xp]).tocsr(), y)
    out["context"] = [str(p) for p in clf.predict(hstack([xut, xpt]).tocsr())]
    out["fit_s"]["context"] = time.perf_counter() - start
    with open(os.path.join(directory, "peer.json"), "w", encoding="utf-8") as f:
        json.dump(out, f)


main()
