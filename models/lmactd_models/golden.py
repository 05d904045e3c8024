"""Golden files (`lmactd-golden/1`, models/README.md): fixed inputs through the PyTorch
reference, written as little-endian float32 tensors plus index.json.

The PyTorch weights come from the package's own recipe: a random-init package is rebuilt from
its manifest (sizes and seed), a package exported from checkpoints needs those checkpoint
folders. Either way the rebuilt models are exported again and must reproduce the package's
graphs byte for byte (sha256), so the golden numbers belong to exactly those graphs."""
import json
import os
import subprocess
import tempfile

import numpy as np
import torch

from . import checkpoints as ckpt
from .package import read_manifest, replaced_folder, snake, write_package
from .randinit import random_models
from .reference import run_clip
from .sizes import Cnn14Size, LmacSize, LmacTdSize, Sizes

FORMAT = "lmactd-golden/1"
SR = 16000
SPEECH_TEXT = "Please open the window."


def tone(seconds=1.0, hz=440.0, peak=0.5):
    t = np.arange(int(seconds * SR)) / SR
    return peak * np.sin(2 * np.pi * hz * t)


def chirp(seconds=1.5, f0=150.0, f1=5000.0, peak=0.8):
    t = np.arange(int(seconds * SR)) / SR
    return peak * np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds)))


def noise_bursts(seconds=1.25, seed=7):
    """Three Hann-shaped white-noise bursts of different levels over silence."""
    rng = np.random.default_rng(seed)
    x = np.zeros(int(seconds * SR))
    for start, length, level in ((0.05, 0.25, 0.3), (0.45, 0.2, 0.12), (0.8, 0.35, 0.2)):
        a, n = int(start * SR), int(length * SR)
        x[a:a + n] += level * rng.standard_normal(n) * np.hanning(n)
    return x


def speech(text=SPEECH_TEXT, max_seconds=2.0):
    """espeak-ng speech, resampled to 16 kHz by sox, at most `max_seconds`."""
    with tempfile.TemporaryDirectory() as d:
        wav = os.path.join(d, "speech.wav")
        subprocess.run(["espeak-ng", "-w", wav, text], check=True)
        raw = subprocess.run(["sox", wav, "-r", str(SR), "-c", "1", "-t", "raw", "-e",
                              "floating-point", "-b", "32", "-L", "-"], check=True,
                             capture_output=True).stdout
    return np.frombuffer(raw, dtype="<f4")[:int(max_seconds * SR)].astype(np.float64)


CASES = [("tone", tone), ("chirp", chirp), ("noise-bursts", noise_bursts), ("speech", speech)]


def sizes_from_manifest(m):
    """Sizes from the manifest's architecture objects (camelCase, as `package` writes them)."""
    it = m["interpreters"]
    arch = lambda cls, d: cls.from_dict(snake(d["architecture"])) if d else cls()
    return Sizes(cnn14=arch(Cnn14Size, m["classifier"]),
                 lmactd=arch(LmacTdSize, it.get("lmac-td")),
                 lmac=arch(LmacSize, it.get("lmac-stft")),
                 n_fft=m["frontEnd"]["nFft"])


def optimised_export(m):
    """Whether the package's graphs are the optimised export (packages from before it: plain)."""
    return any(e["architecture"].get("export", {}).get("optimised", False)
               for e in m["interpreters"].values())


def split_of(m):
    """The package's `--split-convt` settings, or None."""
    for e in m["interpreters"].values():
        s = e["architecture"].get("convTransposeSplit")
        if s:
            return s["chunks"], s["minColumnMiB"]
    return None


def rebuild(package, checkpoint_dirs=()):
    """PyTorch (classifier, lmactd, psi) whose export reproduces the package's graphs."""
    m = read_manifest(package)
    kinds = set(m["interpreters"])
    if checkpoint_dirs:
        # what a state dict cannot tell (heads, alpha) comes from the package's manifest
        td = sizes_from_manifest(m).lmactd
        loaded = dict(ckpt.load(d, heads=(td.intra_heads, td.inter_heads), alpha=td.alpha)
                      for d in checkpoint_dirs)
        models = (loaded.get("classifier"), loaded.get("lmac-td"), loaded.get("lmac-stft"))
    elif m["provenance"].get("data") == "random-init":
        models = random_models(sizes_from_manifest(m), m["provenance"]["seed"],
                               "lmac-td" in kinds, "lmac-stft" in kinds)
    else:
        raise ValueError(f"{package}: not a random-init package; pass its checkpoint folders")
    with tempfile.TemporaryDirectory() as d:
        again = write_package(os.path.join(d, "p"), *models, n_fft=m["frontEnd"]["nFft"],
                              labels=["x"] * m["labels"]["count"], log=lambda s: None,
                              optimise=optimised_export(m), split_convt=split_of(m))
    for f, meta in again["files"].items():
        if f.endswith(".onnx") and meta["sha256"] != m["files"].get(f, {}).get("sha256"):
            raise ValueError(f"{package}/{f}: the rebuilt PyTorch models do not reproduce this "
                             "graph (different weights, sizes or torch version)")
    return models, m


def write_golden(package, out, checkpoint_dirs=(), command=None, log=print):
    models, m = rebuild(package, checkpoint_dirs)
    n_fft = m["frontEnd"]["nFft"]
    with replaced_folder(out, ".golden-") as tmp:
        cases = []
        for name, make in CASES:
            raw = torch.tensor(make(), dtype=torch.float32)
            divisor, tensors, metrics = run_clip(raw, *models, n_fft=n_fft)
            entry = {"name": name, "sampleRate": SR, "samples": int(raw.shape[0]),
                     "normalisationDivisor": divisor, "tensors": {}, "metrics": metrics}
            for tname, arr in tensors.items():
                fname = f"{name}.{tname}.f32"
                arr.astype("<f4").tofile(os.path.join(tmp, fname))
                entry["tensors"][tname] = {"file": fname, "shape": list(arr.shape)}
            cases.append(entry)
            log(f"{name}: {raw.shape[0]} samples, divisor {divisor:.6f}, " + "; ".join(
                f"{k} " + " ".join(f"{mk}={v:.4g}" for mk, v in mv.items() if mk != "class")
                for k, mv in metrics.items()))
        index = {"format": FORMAT, "package": package, "command": command,
                 "metricMap": {"lmac-td": "log1p of the eps-magnitude STFT (front end, step 4) "
                               "of the whole padded explanation (clipSamples), double precision",
                               "lmac-stft": "the mask [maskFrames, maskBins]"},
                 "cases": cases}
        with open(os.path.join(tmp, "index.json"), "w", encoding="utf-8") as f:
            json.dump(index, f, indent=1)
            f.write("\n")
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    log(f"{out}: {len(os.listdir(out))} files, {total:,} bytes")
    return index
