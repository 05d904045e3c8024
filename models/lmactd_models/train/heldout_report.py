"""The model card's held-out-source rows from `lmactd eval --json` reports of the held-out sets:
accuracy, mean p_c, clips with p_c < 0.3, both interpreters' FF / Fid-In, right/total per class and
the most common confusions. The true labels come from the set's CSV (path,label)."""
from __future__ import annotations

import collections
import csv
import json
import os


def _labels(csv_path: str) -> dict[str, str]:
    base = os.path.dirname(os.path.abspath(csv_path))
    with open(csv_path, newline="") as f:
        return {os.path.normpath(os.path.join(base, r["path"])): r["label"] for r in csv.DictReader(f)}


def summarise(report_path: str, csv_path: str) -> dict:
    rep = json.load(open(report_path))
    truth = _labels(csv_path)
    out = {}
    for key, interp in rep["interpreters"].items():
        clips = interp["clips"]
        pairs = [(truth[os.path.normpath(os.path.abspath(c["path"]))], c["predicted"]) for c in clips]
        out[key] = {"clips": len(clips), "accuracy": sum(t == p for t, p in pairs) / len(pairs),
                    "mean_pc": sum(c["p_c"] for c in clips) / len(clips),
                    "low_pc": sum(c["p_c"] < 0.3 for c in clips),
                    "FF": interp["aggregate"]["FF"], "FidIn": interp["aggregate"]["FidIn"],
                    "perClass": {}, "confusions": collections.Counter(f"{t} as {p}" for t, p in pairs if t != p)}
        for t, p in pairs:
            right, total = out[key]["perClass"].get(t, (0, 0))
            out[key]["perClass"][t] = (right + (t == p), total + 1)
    return out


def markdown_row(name: str, s: dict) -> str:
    td, lm = s["lmac-td"], s["lmac-stft"]
    return (f"| {name} | {100 * td['accuracy']:.1f} % | {td['mean_pc']:.3f} | {td['low_pc']} | "
            f"{td['FF']:.2f} / {td['FidIn']:.2f} | {lm['FF']:.2f} / {lm['FidIn']:.2f} |")


def main(a) -> None:
    print("| set | accuracy | mean p_c | p_c < 0.3 | LMAC-TD FF / Fid-In | L-MAC FF / Fid-In |")
    print("|---|---:|---:|---:|---:|---:|")
    summaries = []
    for name, report, csv_path in zip(a.names, a.reports, a.csvs):
        s = summarise(report, csv_path)
        summaries.append((name, s))
        print(markdown_row(name, s))
    for name, s in summaries:
        td = s["lmac-td"]
        print(f"\nPer class (right / total), {name}: " +
              ", ".join(f"{c} {r}/{n}" for c, (r, n) in td["perClass"].items()) + ".")
        print("Most common mistakes: " + ", ".join(f"{k} ({v})" for k, v in td["confusions"].most_common(5)) + ".")
