"""Dataset IO: rendering the splits to WAV files with a CSV per split (in worker processes), and
reading a split back."""
from __future__ import annotations

import csv
import json
import os
import tempfile
import time
from multiprocessing import Pool

import numpy as np
import scipy.io.wavfile as wavfile

from ..clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR
from .recipe import CLASSES, DEFAULT_SIZES, SPLIT_SEEDS
from .plan import plan_clip
from .render import render_plans


def _name(split, index, label):
    return f"{split}/{index:05d}_{label}.wav"


def _render_chunk(args):
    split, indices, outdir, real_root, bell_share, pat_share = args
    with tempfile.TemporaryDirectory() as tmp:
        if real_root:  # the next recipe: real sources and augmentations (realplan)
            from .realplan import plan_real_clip, render_real
            plans = [plan_real_clip(split, i, real_root, bell_share, pat_share) for i in indices]
            clips = render_real(plans, real_root, tmp)
        else:
            plans = [plan_clip(split, i) for i in indices]
            clips = render_plans(plans, tmp)
    rows = []
    for i, p, x in zip(indices, plans, clips):
        name = _name(split, i, p["label"])
        path = os.path.join(outdir, name)
        tmpw = path + ".tmp"
        wavfile.write(tmpw, SR, (np.clip(x, -1, 1) * 32767).astype(np.int16))
        os.replace(tmpw, path)
        rows.append((i, name, p["label"]))
    return rows


def build_dataset(outdir, sizes=None, workers=2, chunk=40, log=print, real_root=None, labels=None, only_missing=False,
                  bell_share=0.0, pat_share=0.0):
    """Renders the splits into outdir/{split}/*.wav with outdir/{split}.csv (path,label); with
    `real_root` (where `sources.fetch` unpacked the packages) by the next recipe (`realplan`).
    With `labels`, re-renders only the clips whose target is one of them in splits already there
    (each clip is planned from its own seed, so they come out as a whole render makes them up to
    fluidsynth's: it renders a chunk's MIDI in 7 s slots, where a long release can reach the next
    slot; the other clips keep their files, interferers of those labels included). With `only_missing`, renders
    only the clips whose file is not there (a split grown to a larger size, or a render resumed).
    `bell_share` (real recipe only): that share of the bells from `bells.synth_bells`; `pat_share`
    (real recipe only): that share of the clips' MIDI parts on freepats (`timidity.py`)."""
    if bell_share and not real_root:
        raise ValueError("bell_share: the synthesised bells are part of the real-source recipe (real_root)")
    if pat_share and not real_root:
        raise ValueError("pat_share: freepats is one of the real-source recipe's sources (real_root)")
    sizes = dict(DEFAULT_SIZES if sizes is None else sizes)
    os.makedirs(outdir, exist_ok=True)
    t_all = time.time()
    for split, n in sizes.items():
        os.makedirs(os.path.join(outdir, split), exist_ok=True)
        t = time.time()
        wanted = list(range(n))
        if labels or only_missing:  # which clips: by the label each plan draws first (a whole render needs none)
            planned = [plan_clip(split, i)["label"] for i in range(n)]
            wanted = [i for i in wanted if not labels or planned[i] in labels]
        if only_missing:
            wanted = [i for i in wanted if not os.path.exists(os.path.join(outdir, _name(split, i, planned[i])))]
        jobs = [(split, wanted[s:s + chunk], outdir, real_root, bell_share, pat_share) for s in range(0, len(wanted), chunk)]
        rows = []
        with Pool(workers) as pool:
            for r in pool.imap(_render_chunk, jobs):
                rows += r
        if labels and not only_missing:
            rows = _merge_rows(outdir, split, n, rows)
        elif only_missing:
            rows = [(i, _name(split, i, lab), lab) for i, lab in enumerate(planned)]
        rows.sort()
        tmpc = os.path.join(outdir, f"{split}.csv.tmp")
        with open(tmpc, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["path", "label"])
            for _, name, lab in rows:
                w.writerow([name, lab])
        os.replace(tmpc, os.path.join(outdir, f"{split}.csv"))
        dt = time.time() - t
        log(f"{split}: {len(wanted)} clips in {dt:.1f} s ({dt / max(len(wanted), 1):.3f} s a clip, {workers} processes)")
    info = {"classes": CLASSES, "sizes": sizes, "recipe": "real" if real_root else "synthetic", "splitSeeds": SPLIT_SEEDS, "sampleRate": SR, "clipSamples": CLIP,
            "seconds": round(time.time() - t_all, 1), **({"rerendered": sorted(labels)} if labels else {}),
            **({"bellShare": bell_share} if bell_share else {}), **({"patShare": pat_share} if pat_share else {})}
    with open(os.path.join(outdir, "dataset.json"), "w") as f:
        json.dump(info, f, indent=1)
    return info


def _merge_rows(outdir, split, n, rows):
    """The split's CSV rows with `rows` (re-rendered clips) checked against them: same names, same
    labels; a split that is not there, or of another size, is an error."""
    path = os.path.join(outdir, f"{split}.csv")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: re-rendering some labels needs the whole split rendered first")
    with open(path) as f:
        old = [(r["path"], r["label"]) for r in csv.DictReader(f)]
    if len(old) != n:
        raise ValueError(f"{path}: {len(old)} clips, not {n}")
    for i, name, lab in rows:
        if old[i] != (name, lab):
            raise ValueError(f"{path}: row {i} is {old[i]}, the plan says {(name, lab)}")
    return [(i, name, lab) for i, (name, lab) in enumerate(old)]


def load_split(outdir, split):
    """Reads a split's CSV and WAVs: returns (float32 [n, CLIP] at file scale, int64 labels)."""
    xs, ys = [], []
    with open(os.path.join(outdir, f"{split}.csv")) as f:
        for row in csv.DictReader(f):
            sr, x = wavfile.read(os.path.join(outdir, row["path"]))
            assert sr == SR and len(x) == CLIP, row["path"]
            xs.append(x.astype(np.float32) / 32768.0)
            ys.append(CLASSES.index(row["label"]))
    return np.stack(xs), np.array(ys, dtype=np.int64)
