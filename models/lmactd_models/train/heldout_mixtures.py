"""Mixtures of held-out-source clips (issue "A default model that holds up on real recordings",
item 3): two clips of different classes from the held-out set (`lmactd-train heldout`), mixed at
the paper's weights (0.8 s/||s|| + 0.2 n/||n||) and at equal level (0.5/0.5), then /max.

A pair is *decided* when the classifier's decision on the mixture is the class of one of its two
parts (the predicted part). Margin = SI-SDR(x, predicted part) - SI-SDR(x, other part), for the
unprocessed mixture and for each interpreter's explanation x; an explanation *beats* the mixture
when its margin is larger. At paper mixing the predicted part is usually the 0.8 one, but a
decision for the 0.2 part counts the same way (the explanation should then bring that part out).

PyTorch models from the training checkpoints (`--work`); the C# runtime matches them to float
precision (the package's parity tests).
"""
from __future__ import annotations

import csv
import json
import os

import numpy as np
import scipy.io.wavfile as wavfile
import torch

from .evaluate import Explainers, lmac_waveforms, si_sdr

MIX_SEED = 9_000_001
KINDS = {"paper": 0.8, "equal": 0.5}


def load_heldout(folder: str) -> tuple[list[np.ndarray], list[str]]:
    """The held-out set's clips (float64, as written) and labels, from `heldout.csv` in `folder`."""
    waves, labels = [], []
    with open(os.path.join(folder, "heldout.csv"), newline="") as f:
        for row in csv.DictReader(f):
            _, x = wavfile.read(os.path.join(folder, row["path"]))
            waves.append(x.astype(np.float64) / (32768.0 if x.dtype == np.int16 else 1.0))
            labels.append(row["label"])
    return waves, labels


def pairs(labels: list[str], count: int, seed: int = MIX_SEED) -> list[tuple[int, int]]:
    """`count` ordered pairs (first part, second part) of clips of different classes, drawn once."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        i, j = (int(v) for v in rng.integers(len(labels), size=2))
        if labels[i] != labels[j]:
            out.append((i, j))
    return out


def mix(s: np.ndarray, n: np.ndarray, ws: float) -> np.ndarray:
    m = ws * s / (np.linalg.norm(s) + 1e-12) + (1 - ws) * n / (np.linalg.norm(n) + 1e-12)
    return m / max(float(np.max(m)), 1e-9)


def evaluate(folder: str, work: str, classes: list[str], count: int = 100, batch: int = 8, log=print) -> dict:
    waves, labels = load_heldout(folder)
    ex = Explainers(work)
    ps = pairs(labels, count)
    res = {"pairs": count, "heldout": folder, "seed": MIX_SEED}
    for kind, ws in KINDS.items():
        rows = []
        for s in range(0, count, batch):
            chunk = ps[s:s + batch]
            m = np.stack([mix(waves[i], waves[j], ws) for i, j in chunk])
            x = torch.from_numpy(m).float()
            r = ex.run(x)
            lw = lmac_waveforms(x, r["lmac_mask"])
            pred = r["logits"].argmax(1).numpy()
            for b, (i, j) in enumerate(chunk):
                name = classes[int(pred[b])]
                row = {"first": labels[i], "second": labels[j], "predicted": name}
                if name in (labels[i], labels[j]):
                    hit, other = (waves[i], waves[j]) if name == labels[i] else (waves[j], waves[i])
                    for key, w in (("mixture", m[b]), ("lmac-td", r["td_expl"][b].double().numpy()),
                                   ("lmac", lw[b].double().numpy())):
                        row[key] = si_sdr(w, hit) - si_sdr(w, other)
                rows.append(row)
        dec = [r for r in rows if "mixture" in r]
        summary = {"decided": len(dec), "firstDecided": sum(r["predicted"] == r["first"] for r in rows),
                   "neither": len(rows) - len(dec)}
        for key in ("mixture", "lmac-td", "lmac"):
            v = np.array([r[key] for r in dec]) if dec else np.zeros(0)
            summary[key] = {"meanMargin": float(v.mean()) if v.size else None,
                            "medianMargin": float(np.median(v)) if v.size else None}
        for key in ("lmac-td", "lmac"):
            summary[key]["beatsMixture"] = float(np.mean([r[key] > r["mixture"] for r in dec])) if dec else None
        res[kind] = summary
        log(f"held-out mixtures, {kind}: decided {len(dec)}/{count}; margin mixture "
            f"{_db(summary['mixture']['meanMargin'])}, LMAC-TD {_db(summary['lmac-td']['meanMargin'])} "
            f"(beats {_pct(summary['lmac-td']['beatsMixture'])}), L-MAC {_db(summary['lmac']['meanMargin'])} "
            f"(beats {_pct(summary['lmac']['beatsMixture'])})")
    return res


def _db(v) -> str:
    return "-" if v is None else f"{v:.2f} dB"


def _pct(v) -> str:
    return "-" if v is None else f"{100 * v:.0f} %"


def main(a) -> None:
    from .. import data as D
    res = evaluate(a.heldout, a.work, list(D.CLASSES), count=a.count)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(res, f, indent=1)
    os.replace(tmp, a.out)
    print(f"wrote {a.out}")
