"""A classifier checkpoint alone on the held-out sets: accuracy, mean p_c, clips below p_c 0.3, right/total
per class and the most common mistakes, without exporting a package or training interpreters first.

A classifier trial is judged by these figures before anything else is spent on it (MODEL_CARD.md, "Classifier
trials"); the runtime gives the same accuracy on an exported package (`lmactd eval`), as the card's tables show.
"""
from __future__ import annotations

import collections
import json
import os

import numpy as np
import torch

from .. import data as D
from ..frontend import LogMel
from .heldout_mixtures import load_heldout
from .loop import load_classifier_file, normalise_np


def probabilities(model, waves: list[np.ndarray], batch: int = 32) -> torch.Tensor:
    """[clips, classes] softmax of the classifier over the clips, normalised as the runtime does."""
    fe = LogMel(1024)
    x = normalise_np(np.stack(waves).astype(np.float32))
    with torch.no_grad():
        return torch.cat([torch.softmax(model(fe(torch.from_numpy(x[s:s + batch])))[0], 1)
                          for s in range(0, len(x), batch)])


def summarise(p: torch.Tensor, labels: list[str]) -> dict:
    pred = [D.CLASSES[int(i)] for i in p.argmax(1)]
    pc = p.max(1).values
    per_class = {c: [0, 0] for c in D.CLASSES if c in labels}
    for t, q in zip(labels, pred):
        per_class[t][0] += t == q
        per_class[t][1] += 1
    mistakes = collections.Counter(f"{t} as {q}" for t, q in zip(labels, pred) if t != q)
    return {"clips": len(labels), "accuracy": sum(t == q for t, q in zip(labels, pred)) / len(labels),
            "mean_pc": float(pc.mean()), "low_pc": int((pc < 0.3).sum()),
            "perClass": {c: tuple(v) for c, v in per_class.items()}, "mistakes": dict(mistakes.most_common())}


def main(a) -> None:
    missing = [p for p in a.classifiers if not os.path.isfile(p)]
    missing += [os.path.join(f, "heldout.csv") for f in a.sets if not os.path.isfile(os.path.join(f, "heldout.csv"))]
    if missing:  # before minutes of loading: name every file that is not there
        raise SystemExit("heldout-accuracy: not found: " + ", ".join(missing) +
                         " (classifier checkpoints are written by 'train', held-out sets by 'heldout')")
    sets = {folder: load_heldout(folder) for folder in a.sets}
    results = {}
    print("| classifier | set | accuracy | mean p_c | p_c < 0.3 |")
    print("|---|---|---:|---:|---:|")
    for path in a.classifiers:
        model, _ = load_classifier_file(path)
        for folder, (waves, labels) in sets.items():
            s = summarise(probabilities(model, waves), labels)
            results.setdefault(path, {})[folder] = s
            print(f"| {path} | {folder} | {100 * s['accuracy']:.1f} % | {s['mean_pc']:.3f} | {s['low_pc']} |")
    for path, by_set in results.items():
        for folder, s in by_set.items():
            print(f"\n{path} on {folder}: " + ", ".join(f"{c} {r}/{n}" for c, (r, n) in s["perClass"].items()))
            print("  most common mistakes: " + ", ".join(f"{k} ({v})" for k, v in list(s["mistakes"].items())[:5]))
    if a.json:
        tmp = a.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1)
        os.replace(tmp, a.json)
