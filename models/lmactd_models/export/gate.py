"""The faithfulness gate of a reduced-precision package (`models/lmactd-models quant-gate`).

An int8 package is offered only if, on the default model's test split and on every further set given
(`--heldout CSV`: the held-out sources of `lmactd-train heldout`), against its fp32 twin and run by the
C# runtime that serves it (ONNX Runtime's integer kernels exist nowhere else here):

| figure | limit |
|---|---|
| classifier accuracy | within 0.5 points |
| FF (each interpreter, mean) | within 0.02 |
| Fid-In (each interpreter, mean) | within 0.01 |
| AI (each interpreter, mean, in %) | within 2 points |
| explanation SI-SDR against the fp32 explanation (each interpreter, median over clips) | at least 30 dB |

The figures come from `lmactd eval` (accuracy, AI, FF, Fid-In: the runtime's own metrics) and
`lmactd explain` (the explanation WAVs, 32-bit float, compared clip by clip). The result is written
into the int8 manifest's `precision.gate` (`passed` and every figure), which the runtime reports:
`passed` only if every set passed; `figures` are the test split's, `sets` holds each set's own.
"""
import csv
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import scipy.io.wavfile as wavfile

from .package import sha256

LIMITS = {"accuracy": 0.5, "FF": 0.02, "FidIn": 0.01, "AI": 2.0, "siSdrDb": 30.0}
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CLI_DLL = os.path.join(REPO, "src", "LmacTd.Cli", "bin", "Release", "net10.0", "lmactd.dll")


def si_sdr(est, ref):
    """Scale-invariant SDR of `est` against `ref` in dB (means removed)."""
    est = np.asarray(est, np.float64) - np.mean(est)
    ref = np.asarray(ref, np.float64) - np.mean(ref)
    t = np.dot(est, ref) / (np.dot(ref, ref) + 1e-12) * ref
    return float(10 * np.log10((np.dot(t, t) + 1e-12) / (np.dot(est - t, est - t) + 1e-12)))


def lmactd_command(given=None):
    """How to run the CLI: `given` (split on spaces), else the Release build (built here if missing)."""
    if given:
        return given.split()
    if not os.path.exists(CLI_DLL):
        subprocess.run(["dotnet", "build", os.path.join(REPO, "src", "LmacTd.Cli"), "-c", "Release", "-v", "quiet",
                        "-nologo"], check=True)
    return ["dotnet", CLI_DLL]


def test_split(data, clips, work, log=print):
    """The test split's CSV (rendered into `data` when it is not there), or its first `clips` rows."""
    path = os.path.join(data, "test.csv")
    if not os.path.exists(path):
        from ..data import build_dataset
        from ..data.recipe import CLASSES
        n = 30 * len(CLASSES)  # the card's test split: 30 clips a class
        log(f"rendering the test split ({n} clips) into {data}")
        build_dataset(data, sizes={"test": n}, log=log)
    return clip_set(path, clips, work)


def clip_set(path, clips, work):
    """A `path,label` CSV (paths relative to its folder) as one with absolute paths in `work`, or its first
    `clips` rows; returns (that CSV, the clip paths)."""
    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such clip list (a CSV of path,label)")
    base = os.path.dirname(os.path.abspath(path))
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "path" not in rows[0] or "label" not in rows[0]:
        raise ValueError(f"{path}: not a clip list (needs a header path,label and at least one row)")
    if clips and clips < len(rows):  # the splits cycle through the classes, so a prefix stays balanced
        rows = rows[:clips]
    files = [os.path.join(base, r["path"]) for r in rows]
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "clips.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "label"])
        for p, r in zip(files, rows):
            w.writerow([p, r["label"]])
    return out, files


def _run(cmd, log):
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise ValueError(f"{' '.join(cmd[:4])} ... failed ({p.returncode}): {(p.stderr or p.stdout)[-2000:]}")
    log(f"  {' '.join(cmd[2:4])} ... {time.time() - t:.0f} s")


def measure(package, kinds, test_csv, files, work, cli, threads, log=print):
    """Runs `lmactd eval` and `lmactd explain` on `package`; returns (eval JSON, {kind: [explanation arrays]})."""
    tag = os.path.basename(os.path.normpath(package))
    report = os.path.join(work, f"{tag}.eval.json")
    _run(cli + ["eval", test_csv, "--model", package, "--interpreter", "both", "--threads", str(threads),
                "--json", report], log)
    with open(report, encoding="utf-8") as f:
        ev = json.load(f)
    waves = {}
    for k in kinds:
        out = os.path.join(work, tag, k)
        os.makedirs(out, exist_ok=True)
        _run(cli + ["explain", *files, "--model", package, "--interpreter", k, "--threads", str(threads),
                    "--out", out], log)
        waves[k] = [wavfile.read(os.path.join(out, os.path.splitext(os.path.basename(p))[0] + ".explanation.wav"))[1]
                    for p in files]
    return ev, waves


def figures(ev32, ev8, w32, w8):
    """The gate's table: per interpreter the fp32 and int8 means, their difference and the SI-SDR median."""
    rows = {}
    first = next(iter(ev32["interpreters"]))
    acc32 = ev32["interpreters"][first]["aggregate"]["accuracy"] * 100
    acc8 = ev8["interpreters"][first]["aggregate"]["accuracy"] * 100
    rows["classifier"] = {"accuracy": {"fp32": acc32, "int8": acc8, "delta": acc8 - acc32}}
    for k, run in ev32["interpreters"].items():
        a32, a8 = run["aggregate"], ev8["interpreters"][k]["aggregate"]
        r = {m: {"fp32": a32[m], "int8": a8[m], "delta": a8[m] - a32[m]} for m in ("AI", "FF", "FidIn")}
        sdr = [si_sdr(b, a) for a, b in zip(w32[k], w8[k])]
        r["siSdrDb"] = {"median": float(np.median(sdr)), "min": float(np.min(sdr)), "clips": len(sdr)}
        rows[k] = r
    return rows


def verdict(rows):
    """(passed, [what failed]) of the gate's table against LIMITS."""
    failed = []
    if abs(rows["classifier"]["accuracy"]["delta"]) > LIMITS["accuracy"]:
        failed.append(f"accuracy moved {rows['classifier']['accuracy']['delta']:+.2f} points")
    for k, r in rows.items():
        if k == "classifier":
            continue
        for m in ("AI", "FF", "FidIn"):
            if abs(r[m]["delta"]) > LIMITS[m]:
                failed.append(f"{k} {m} moved {r[m]['delta']:+.4g} (limit {LIMITS[m]})")
        if r["siSdrDb"]["median"] < LIMITS["siSdrDb"]:
            failed.append(f"{k} explanation SI-SDR median {r['siSdrDb']['median']:.1f} dB < {LIMITS['siSdrDb']}")
    return not failed, failed


def run_gate(fp32, int8, data, clips=0, cli=None, threads=2, log=print, command=None, heldout=None):
    """Evaluates `int8` against `fp32` on the test split (and the `heldout` clip list, if given), writes the
    verdict into the int8 manifest's `precision.gate` (atomically, its files untouched) and returns it."""
    man8 = os.path.join(int8, "manifest.json")
    with open(man8, encoding="utf-8") as f:
        m8 = json.load(f)
    prec = m8.get("precision") or {}
    if prec.get("kind", "fp32") == "fp32":
        raise ValueError(f"{man8}: not a reduced-precision package (no precision.kind)")
    twin = sha256(os.path.join(fp32, "manifest.json"))
    if prec.get("fp32", {}).get("manifestSha256") not in (None, twin):
        raise ValueError(f"{fp32}: not the fp32 twin {man8} was quantised from (manifest sha256 differs)")
    kinds = list(m8["interpreters"])
    cli = lmactd_command(cli)
    t = time.time()
    sets = []
    with tempfile.TemporaryDirectory(prefix="quant-gate-") as work:
        # Every clip list first: a bad --heldout fails now, not after the test split's minutes of runs.
        plan = [("test split", os.path.join(data, "test.csv"), test_split(data, clips, os.path.join(work, "set0"), log))]
        if heldout:
            plan.append(("held-out sources", heldout, clip_set(heldout, clips, os.path.join(work, "set1"))))
        for i, (name, where, (clip_csv, files)) in enumerate(plan):
            sw = os.path.join(work, f"set{i}")
            log(f"gate on the {name} ({len(files)} clips): {fp32} (fp32) against {int8} ({prec['kind']})")
            ev32, w32 = measure(fp32, kinds, clip_csv, files, os.path.join(sw, "fp32"), cli, threads, log)
            ev8, w8 = measure(int8, kinds, clip_csv, files, os.path.join(sw, "int8"), cli, threads, log)
            rows = figures(ev32, ev8, w32, w8)
            ok, failed = verdict(rows)
            sets.append({"name": name, "data": os.path.relpath(os.path.abspath(where), REPO), "clips": len(files),
                         "passed": ok, "failed": failed, "figures": rows})
    gate = combine(sets)
    gate.update({"limits": LIMITS, "fp32ManifestSha256": twin, "command": command,
                 "seconds": round(time.time() - t)})
    prec["gate"] = gate
    m8["precision"] = prec
    tmp = man8 + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(m8, f, indent=2)
        f.write("\n")
    os.replace(tmp, man8)
    return gate


def combine(sets):
    """One verdict of several sets' gates: passed only if each passed; the first set's figures at the top
    (what earlier gates recorded), every set's under `sets`."""
    first = sets[0]
    return {"passed": all(s["passed"] for s in sets),
            "failed": [f"{s['name']}: {f}" for s in sets for f in s["failed"]],
            "figures": first["figures"], "clips": first["clips"], "data": first["data"], "sets": sets}


def table_md(gate):
    """The gate's tables in Markdown (benchmarks/RESULTS.md), one per set."""
    sets = gate.get("sets") or [{"name": "test split", "clips": gate["clips"], "figures": gate["figures"]}]
    out = []
    for s in sets:
        if len(sets) > 1:
            out += ["", f"{s['name']} ({s['clips']} clips):", ""]
        out += set_table(s["figures"])
    return "\n".join(out).strip("\n")


def set_table(figs):
    """One set's rows: accuracy, then per interpreter AI, FF, Fid-In and the SI-SDR median."""
    out = ["| figure | interpreter | fp32 | int8 | difference | limit | within |", "|---|---|---:|---:|---:|---:|---|"]
    a = figs["classifier"]["accuracy"]
    out.append(f"| accuracy (%) | classifier | {a['fp32']:.2f} | {a['int8']:.2f} | {a['delta']:+.2f} | 0.5 | "
               f"{'yes' if abs(a['delta']) <= LIMITS['accuracy'] else 'NO'} |")
    for k, r in figs.items():
        if k == "classifier":
            continue
        for m, fmt in (("AI", ".2f"), ("FF", ".4f"), ("FidIn", ".4f")):
            d = r[m]
            out.append(f"| {m} | {k} | {d['fp32']:{fmt}} | {d['int8']:{fmt}} | {d['delta']:+{fmt}} | {LIMITS[m]} | "
                       f"{'yes' if abs(d['delta']) <= LIMITS[m] else 'NO'} |")
        s = r["siSdrDb"]
        out.append(f"| explanation SI-SDR vs fp32, median (min) dB | {k} | - | {s['median']:.1f} ({s['min']:.1f}) | - | "
                   f">= 30 | {'yes' if s['median'] >= LIMITS['siSdrDb'] else 'NO'} |")
    return out
