"""Peer for bench/discovery/run.ts: scikit-learn TF-IDF + TruncatedSVD(100) + Normalizer + KMeans with the true k.

Usage: python3 peers.py DIR LANG K SEED
DIR holds unknown.jsonl ({"text"} per line); LANG is "zh" (char 1-3-grams) or "en" (word 1-2 + char_wb 2-5).
Writes DIR/peers.json: {"kmeans_true_k": {"fit_s": seconds (vectorizing included), "labels": [cluster per line]}}.
"""
import json
import os
import sys
import time

from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import Normalizer


def features(lang):
    if lang == "zh":
        return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def main():
    directory, lang, k, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(os.path.join(directory, "unknown.jsonl"), encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    start = time.perf_counter()
    x = features(lang).fit_transform(texts)
    dims = max(1, min(100, x.shape[1] - 1, x.shape[0] - 1))
    x = make_pipeline(TruncatedSVD(n_components=dims, random_state=seed), Normalizer(copy=False)).fit_transform(x)
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x)
    fit_s = time.perf_counter() - start
    with open(os.path.join(directory, "peers.json"), "w", encoding="utf-8") as f:
        json.dump({"kmeans_true_k": {"fit_s": fit_s, "labels": [int(v) for v in labels]}}, f)


if __name__ == "__main__":
    main()
