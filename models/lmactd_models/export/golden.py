"""Golden files (`lmactd-golden/1`, models/README.md): fixed inputs through the PyTorch
reference, written as little-endian float32 tensors plus index.json.

The PyTorch weights come from the package's own recipe: a random-init package is rebuilt from
its manifest (sizes and seed), a package exported from checkpoints needs those checkpoint
folders. Either way the rebuilt models are exported again and must reproduce the package's
graphs: the same nodes, and every weight equal to the package's within WEIGHT_TOLERANCE
(`compare_graphs`). Not byte for byte: random-init measures BatchNorm statistics and output
scales by running the models, and those sums round differently with the CPU's kernels, the
OpenBLAS core type and the thread count (models/README.md, "Golden files").

When `out` already holds golden files, `write_golden` computes the cases again and checks them
against those files (`compare_golden`, GOLDEN_TOLERANCE) instead of rewriting them, so that any
machine can confirm the committed files; `rewrite=True` replaces them."""
import json
import os
import subprocess
import tempfile

import numpy as np
import torch

from .. import checkpoints as ckpt
from ..kinds import INTERPRETERS, kind
from .package import read_manifest, replaced_folder, snake, write_package
from ..randinit import random_models
from ..clip import SAMPLE_RATE as SR
from ..reference import run_clip
from ..sizes import Cnn14Size, Sizes

FORMAT = "lmactd-golden/1"
# Largest |rebuilt - package| of a graph's weight tensor, over that tensor's largest |value|.
# Measured on an Intel Xeon with AVX-512 (where tests/data/tiny-package was rebuilt byte-identical
# with 2 threads and OpenBLAS choosing its core type itself, until its re-export on an AMD EPYC for the
# classifier's symbolic frame axis: 3.4e-7 from the Xeon's); at most 1.4e-6 over 1, 2 and 4 threads, OpenBLAS
# core types SkylakeX/Haswell/Zen/Sandybridge/Prescott and ATen's default/AVX2 kernels (the
# kernels other x86-64 CPUs run; models/README.md, "Golden files").
WEIGHT_TOLERANCE = 1e-5
# Largest |recomputed - committed| of a golden tensor, over that tensor's largest |value| (taken as
# at least 1e-3, so near-silent tensors are not held to relative precision); also each metric's
# difference over max(1, |value|), or over 100 for the percentages AD and AG. Measured over the
# same settings: tensors at most 7.5e-6 (speech rep6, 1 thread), metrics 3.8e-6. Class, AI and
# FidIn must be equal.
GOLDEN_TOLERANCE = 5e-5
DISCRETE_METRICS = ("class", "AI", "FidIn")
PERCENT_METRICS = ("AD", "AG")                 # 0..100: their differences are taken over 100
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
    def arch(cls, d):
        return cls.from_dict(snake(d["architecture"])) if d else cls()
    kinds = [k for k in INTERPRETERS.values() if k.size_field]
    return Sizes(cnn14=arch(Cnn14Size, m["classifier"]), n_fft=m["frontEnd"]["nFft"],
                 **{k.size_field: arch(k.size_class, m["interpreters"].get(k.key)) for k in kinds})


def interpreter_kinds(m, where=""):
    """The kinds of the manifest's interpreters, in the table's order (unknown keys refused)."""
    for key in m["interpreters"]:
        kind(key, where)
    return [k for k in INTERPRETERS.values() if k.key in m["interpreters"]]


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


def _tensors(model):
    """name -> numpy array of every weight a graph holds: initialisers and Constant nodes'
    values (the traced export keeps some weights as Constants)."""
    from onnx import numpy_helper
    out = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for n in model.graph.node:
        for a in n.attribute:
            if a.HasField("t"):
                out[f"{n.output[0]}:{a.name}"] = numpy_helper.to_array(a.t)
    return out


def _structure(model):
    """The graph without its tensors' values: nodes (type, inputs, outputs, attributes other than
    tensors), inputs, outputs, and each weight's name, type and shape."""
    import onnx

    def attr(a):
        if a.HasField("t"):
            return (a.name, "tensor", a.t.data_type, tuple(a.t.dims))
        return (a.name, onnx.helper.get_attribute_value(a))
    nodes = [(n.op_type, n.domain, tuple(n.input), tuple(n.output), tuple(attr(a) for a in n.attribute))
             for n in model.graph.node]
    weights = sorted((t.name, t.data_type, tuple(t.dims)) for t in model.graph.initializer)
    io = [(v.name, v.type.SerializeToString()) for v in list(model.graph.input) + list(model.graph.output)]
    return nodes, weights, io


def compare_graphs(package_dir, again_dir, files):
    """Check that each graph of `files` in `again_dir` is the package's graph: identical bytes, or the
    same structure with every weight tensor within WEIGHT_TOLERANCE of the package's (relative to
    its largest |value|; integer tensors exactly equal). Returns {file: largest relative difference}
    (0.0 for identical bytes); raises ValueError naming the file and the tensor otherwise."""
    import onnx
    from .package import sha256
    worst = {}
    for f in files:
        mine, theirs = os.path.join(package_dir, f), os.path.join(again_dir, f)
        if sha256(mine) == sha256(theirs):
            worst[f] = 0.0
            continue
        a, b = onnx.load(mine), onnx.load(theirs)
        if _structure(a) != _structure(b):
            raise ValueError(f"{mine}: the rebuilt PyTorch models export a different graph "
                             "(other sizes, export options or torch version)")
        wa, wb = _tensors(a), _tensors(b)
        worst[f] = 0.0
        for name, x in wa.items():
            y = wb[name]
            if x.dtype.kind != "f":
                if not np.array_equal(x, y):
                    raise ValueError(f"{mine}: tensor '{name}' differs from the rebuilt export")
                continue
            scale = float(np.abs(x).max()) if x.size else 0.0
            d = float(np.abs(x.astype(np.float64) - y).max()) / scale if scale > 0 else \
                float(np.abs(y).max(initial=0.0))
            if not d <= WEIGHT_TOLERANCE:
                raise ValueError(f"{mine}: weight '{name}' differs from the rebuilt PyTorch models' "
                                 f"by {d:.3g} of its largest value (tolerance {WEIGHT_TOLERANCE:g}): "
                                 "other weights or recipe")
            worst[f] = max(worst[f], d)
    return worst


def rebuild(package, checkpoint_dirs=(), log=lambda s: None):
    """PyTorch (classifier, then one model or None per kind of kinds.INTERPRETERS) whose export reproduces the package's graphs
    (`compare_graphs`), and the manifest."""
    m = read_manifest(package)
    kinds = interpreter_kinds(m, f"{package}/manifest.json")
    if checkpoint_dirs:
        # what a state dict cannot tell (heads, alpha) comes from the package's manifest
        sizes = sizes_from_manifest(m)
        options = {}
        for k in kinds:
            options.update(k.options(k.size_of(sizes)))
        loaded = dict(ckpt.load(d, **options) for d in checkpoint_dirs)
        models = (loaded.get("classifier"),) + tuple(loaded.get(key) for key in INTERPRETERS)
    elif m["provenance"].get("data") == "random-init":
        models = random_models(sizes_from_manifest(m), m["provenance"]["seed"], [k.key for k in kinds])
    else:
        raise ValueError(f"{package}: not a random-init package; pass its checkpoint folders")
    with tempfile.TemporaryDirectory() as d:
        again = write_package(os.path.join(d, "p"), *models, n_fft=m["frontEnd"]["nFft"],
                              labels=["x"] * m["labels"]["count"], log=lambda s: None,
                              optimise=optimised_export(m), split_convt=split_of(m))
        graphs = sorted(f for f in m["files"] if f.endswith(".onnx"))
        if sorted(f for f in again["files"] if f.endswith(".onnx")) != graphs:
            raise ValueError(f"{package}: the rebuilt models export other graphs than "
                             f"{', '.join(graphs)}")
        worst = compare_graphs(package, os.path.join(d, "p"), graphs)
    log("rebuilt the package's graphs: " + ", ".join(
        f"{f} " + ("byte-identical" if v == 0 else f"weights within {v:.2g} of their largest value")
        for f, v in worst.items()))
    return models, m


def compute_cases(models, n_fft):
    """[(case entry without file names, {tensor name: float32 array})] for every case of CASES."""
    out = []
    for name, make in CASES:
        raw = torch.tensor(make(), dtype=torch.float32)
        divisor, tensors, metrics = run_clip(raw, *models, n_fft=n_fft)
        out.append(({"name": name, "sampleRate": SR, "samples": int(raw.shape[0]),
                     "normalisationDivisor": divisor, "metrics": metrics}, tensors))
    return out


def golden_differences(folder, computed):
    """Differences between golden files in `folder` and freshly `computed` cases: a list of
    (what, relative difference, tolerance), one for each case's tensor and metric, with
    discrete metrics (class, AI, FidIn) as 0 if equal and inf if not."""
    with open(os.path.join(folder, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    if index.get("format") != FORMAT:
        raise ValueError(f"{folder}/index.json: format {index.get('format')!r}, expected {FORMAT}")
    old = {c["name"]: c for c in index["cases"]}
    if sorted(old) != sorted(e["name"] for e, _ in computed):
        raise ValueError(f"{folder}: cases {sorted(old)}, this code computes "
                         f"{sorted(e['name'] for e, _ in computed)}")
    rows = []
    for entry, tensors in computed:
        case = old[entry["name"]]
        name = entry["name"]
        if case["samples"] != entry["samples"] or sorted(case["tensors"]) != sorted(tensors):
            raise ValueError(f"{folder}: case {name} has other samples or tensors than this code computes")
        d = abs(case["normalisationDivisor"] - entry["normalisationDivisor"]) / max(1.0, abs(entry["normalisationDivisor"]))
        rows.append((f"{name}.normalisationDivisor", d, GOLDEN_TOLERANCE))
        for tname, t in case["tensors"].items():
            want = np.fromfile(os.path.join(folder, t["file"]), dtype="<f4").reshape(t["shape"])
            got = tensors[tname]
            if want.shape != got.shape:
                raise ValueError(f"{folder}/{t['file']}: shape {want.shape}, computed {got.shape}")
            scale = max(float(np.abs(want).max(initial=0.0)), 1e-3)
            rows.append((f"{name}.{tname}", float(np.abs(want.astype(np.float64) - got).max()) / scale,
                         GOLDEN_TOLERANCE))
        rows.extend(_metric_rows(f"{name}.metrics", case["metrics"], entry["metrics"]))
    return rows


def _metric_rows(prefix, want, got):
    """(name, difference, tolerance) per metric of {kind: {metric: value}}: discrete ones exactly, percentages
    against 100, the rest against max(1, |value|)."""
    rows = []
    for kind, values in want.items():
        for k, v in values.items():
            g = got[kind][k]
            if k in DISCRETE_METRICS:
                rows.append((f"{prefix}.{kind}.{k}", 0.0 if g == v else float("inf"), 0.0))
            else:
                scale = 100.0 if k in PERCENT_METRICS else max(1.0, abs(v))
                rows.append((f"{prefix}.{kind}.{k}", abs(g - v) / scale, GOLDEN_TOLERANCE))
    return rows


def write_golden(package, out, checkpoint_dirs=(), command=None, log=print, rewrite=False):
    """Golden files of `package` into `out`. If `out` already holds golden files and not `rewrite`:
    check them instead (every difference within its tolerance, else ValueError) and leave them
    as they are. Returns the index."""
    models, m = rebuild(package, checkpoint_dirs, log)
    computed = compute_cases(models, m["frontEnd"]["nFft"])
    for entry, _ in computed:
        log(f"{entry['name']}: {entry['samples']} samples, divisor {entry['normalisationDivisor']:.6f}, "
            + "; ".join(f"{k} " + " ".join(f"{mk}={v:.4g}" for mk, v in mv.items() if mk != "class")
                        for k, mv in entry["metrics"].items()))
    if os.path.isfile(os.path.join(out, "index.json")) and not rewrite:
        rows = golden_differences(out, computed)
        bad = [r for r in rows if not r[1] <= r[2]]
        worst = max(rows, key=lambda r: r[1] if r[2] == GOLDEN_TOLERANCE else -1.0)
        if bad:
            raise ValueError(f"{out}: these golden files are not reproduced on this machine: "
                             + "; ".join(f"{w} differs by {d:.3g} (tolerance {t:g})" for w, d, t in bad[:5])
                             + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
                             + ". Pass --rewrite to replace them")
        log(f"{out}: reproduced: {len(rows)} tensors and metrics, largest relative difference "
            f"{worst[1]:.3g} ({worst[0]}), tolerance {GOLDEN_TOLERANCE:g}; discrete metrics equal. "
            "Files left as they are (--rewrite replaces them)")
        with open(os.path.join(out, "index.json"), encoding="utf-8") as f:
            return json.load(f)
    with replaced_folder(out, ".golden-") as tmp:
        cases = []
        for entry, tensors in computed:
            entry = {**entry, "tensors": {}}
            entry["metrics"] = entry.pop("metrics")
            for tname, arr in tensors.items():
                fname = f"{entry['name']}.{tname}.f32"
                arr.astype("<f4").tofile(os.path.join(tmp, fname))
                entry["tensors"][tname] = {"file": fname, "shape": list(arr.shape)}
            cases.append(entry)
        index = {"format": FORMAT, "package": package, "command": command,
                 "metricMap": {k.key: k.metric_map_doc for k in interpreter_kinds(m)},
                 "cases": cases}
        with open(os.path.join(tmp, "index.json"), "w", encoding="utf-8") as f:
            json.dump(index, f, indent=1)
            f.write("\n")
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    log(f"{out}: {len(os.listdir(out))} files, {total:,} bytes")
    return index


# ---------------------------------------------------------------- windowed golden files

WINDOWS_FORMAT = "lmactd-golden-windows/1"
WINDOW_OVERLAP = 0.5            # the runtime's default (ExplainerOptions.WindowOverlap)


def long_mix(seconds=12.3):
    """12.3 s (196,801 samples, odd): tone, then chirp, then noise bursts, each about 4 s, at
    different levels, so that windows differ in content, level and predicted class."""
    n = int(seconds * SR) + 1
    x = np.zeros(n)
    a, b = 4 * SR, 8 * SR
    x[:a] = tone(4.0, 330.0, 0.4)
    x[a:b] = chirp(4.0, 200.0, 6000.0, 0.9)
    rng = np.random.default_rng(11)
    m = n - b
    x[b:] = 0.25 * rng.standard_normal(m) * (0.55 + 0.45 * np.sin(2 * np.pi * 3.0 * np.arange(m) / SR))
    return x


WINDOW_CASES = [("long-mix", long_mix)]
RATE = 44100
# The reference's own resampling, independent of the runtime's Kaiser-windowed sinc (Resampler.cs):
RESAMPLING = ("scipy.signal.resample_poly, 160/441 down to 16 kHz and 441/160 back, Kaiser window beta 8.6 "
              "(scipy's FIR of 20 x max(up, down) + 1 taps at cutoff 1/max(up, down)), in double precision; "
              "the channels averaged first")


def stereo_44k(seconds=3.3):
    """3.3 s (145,530 frames) of 44.1 kHz stereo as int16: left a 523 Hz tone with vibrato, right
    a falling chirp 3000 -> 300 Hz, both under a slow fade; below 6 kHz, where both resamplers
    are flat."""
    t = np.arange(int(seconds * RATE)) / RATE
    fade = np.minimum(1.0, np.minimum(t / 0.2, (seconds - t) / 0.5))
    left = 0.5 * np.sin(2 * np.pi * 523.0 * t + 3.0 * np.sin(2 * np.pi * 5.0 * t))
    right = 0.4 * np.sin(2 * np.pi * (3000.0 * t - 2700.0 * t * t / (2 * seconds)))
    return (np.stack([left, right], axis=1) * fade[:, None] * 32767).round().astype(np.int16)


def to_model_rate(frames):
    import scipy.signal as sps
    mono = frames.astype(np.float64).mean(axis=1) / 32768.0
    return sps.resample_poly(mono, 160, 441, window=("kaiser", 8.6))


def to_input_rate(x, length):
    import scipy.signal as sps
    y = sps.resample_poly(np.asarray(x, dtype=np.float64), 441, 160, window=("kaiser", 8.6))
    return np.pad(y, (0, max(0, length - y.shape[0])))[:length]


RATE_CASES = [("stereo-44k", stereo_44k)]


def plan_windows(length, clip, overlap=WINDOW_OVERLAP):
    """Window starts and lengths as the runtime plans them (WindowPlanner.Plan, restated): audio
    no longer than a clip is one window; else clip-sized windows every clip - round(overlap clip)
    samples, the last one flush with the end."""
    if length <= clip:
        return [(0, length)]
    hop = max(1, clip - int(round(overlap * clip)))
    out, start = [], 0
    while start + clip < length:
        out.append((start, clip))
        start += hop
    out.append((length - clip, clip))
    return out


def overlap_weight(length):
    """The runtime's overlap-add weight: a raised cosine offset by half a sample (never zero)."""
    i = np.arange(length, dtype=np.float64)
    return 0.5 - 0.5 * np.cos(2 * np.pi * (i + 0.5) / length)


def run_windows(raw, models, n_fft, clip):
    """A long 16 kHz input through the reference window by window (run_clip on each), the waveforms
    overlap-added at the input's level in double precision: (window entries, {name: float32})."""
    plan = plan_windows(raw.shape[0], clip)
    n = raw.shape[0]
    acc, wsum, windows = {}, np.zeros(n), []
    for start, length in plan:
        divisor, tensors, metrics = run_clip(raw[start:start + length], *models, n_fft=n_fft)
        w = overlap_weight(length) if len(plan) > 1 else np.ones(length)
        wsum[start:start + length] += w
        for name, t in tensors.items():
            if name.endswith(".explanation") or name.endswith(".masked_out"):
                acc.setdefault(name, np.zeros(n))[start:start + length] += w * t.astype(np.float64) * divisor
        windows.append({"start": start, "length": length, "normalisationDivisor": divisor,
                        "logits": [float(v) for v in tensors["logits"]],
                        "class": int(np.argmax(tensors["logits"])), "metrics": metrics})
    return windows, {k: (v / wsum).astype(np.float32) for k, v in acc.items()}


def windowed_differences(folder, computed):
    """Like `golden_differences`, for windowed golden files: (what, relative difference, tolerance)
    rows for every waveform, every window's divisor, logits and continuous metrics; the windows'
    places, classes, AI and FidIn must be equal (0 or inf)."""
    with open(os.path.join(folder, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    if index.get("format") != WINDOWS_FORMAT:
        raise ValueError(f"{folder}/index.json: format {index.get('format')!r}, expected {WINDOWS_FORMAT}")
    old = {c["name"]: c for c in index["cases"]}
    rows = []
    for name, windows, tensors in computed:
        case = old.get(name)
        if case is None or [(w["start"], w["length"]) for w in case["windows"]] != \
                [(w["start"], w["length"]) for w in windows]:
            raise ValueError(f"{folder}: case {name} missing or windowed differently")
        if "wav" in case:
            import scipy.io.wavfile as wavfile
            rate, frames = wavfile.read(os.path.join(folder, case["wav"]))
            rows.append((f"{name}.wav", 0.0 if rate == case["sampleRate"] and np.array_equal(frames, tensors["frames"])
                         else float("inf"), 0.0))
        for tname, t in case["tensors"].items():
            want = np.fromfile(os.path.join(folder, t["file"]), dtype="<f4")
            scale = max(float(np.abs(want).max(initial=0.0)), 1e-3)
            rows.append((f"{name}.{tname}", float(np.abs(want.astype(np.float64) - tensors[tname]).max()) / scale,
                         GOLDEN_TOLERANCE))
        for i, (a, b) in enumerate(zip(case["windows"], windows)):
            rows.append((f"{name}.window{i}.normalisationDivisor",
                         abs(a["normalisationDivisor"] - b["normalisationDivisor"]), GOLDEN_TOLERANCE))
            la, lb = np.array(a["logits"]), np.array(b["logits"])
            rows.append((f"{name}.window{i}.logits", float(np.abs(la - lb).max()) / max(1.0, float(np.abs(la).max())),
                         GOLDEN_TOLERANCE))
            rows.append((f"{name}.window{i}.class", 0.0 if a["class"] == b["class"] else float("inf"), 0.0))
            rows.extend(_metric_rows(f"{name}.window{i}", a["metrics"], b["metrics"]))
    return rows


def compute_windowed(models, m, log=lambda s: None):
    """[(name, windows, tensors)] of WINDOW_CASES (16 kHz) and RATE_CASES (44.1 kHz stereo: tensors
    at that rate, "frames" the int16 input)."""
    computed = []
    for name, make in WINDOW_CASES:
        raw = torch.tensor(make(), dtype=torch.float32)
        windows, tensors = run_windows(raw, models, m["frontEnd"]["nFft"], m["clipSamples"])
        computed.append((name, windows, {"input": raw.numpy(), **tensors}))
    for name, make in RATE_CASES:
        frames = make()
        raw = torch.tensor(to_model_rate(frames), dtype=torch.float32)
        windows, tensors = run_windows(raw, models, m["frontEnd"]["nFft"], m["clipSamples"])
        computed.append((name, windows, {"frames": frames, **{
            k: to_input_rate(v, frames.shape[0]).astype(np.float32) for k, v in tensors.items()}}))
    for name, windows, _ in computed:
        log(f"{name}: {len(windows)} windows, classes {[w['class'] for w in windows]}, FidIn " + ", ".join(
            f"{k} {[w['metrics'][k]['FidIn'] for w in windows]}" for k in windows[0]["metrics"]))
    return computed


def write_windowed_golden(package, out, checkpoint_dirs=(), command=None, log=print, rewrite=False):
    """Golden files for inputs longer than a clip (WINDOW_CASES) and at another rate (RATE_CASES)
    into `out`: per window the start, divisor, logits, predicted class and metrics; the overlap-added
    explanation and masked-out waveforms at the input level, at 16 kHz (what
    Explanation.ModelRateExplanation holds) or, for RATE_CASES, resampled back to the input's rate
    by RESAMPLING (ExplanationWaveform), with the input as a WAV file. Like
    `write_golden`, files already in `out` are checked, not rewritten, unless `rewrite`."""
    models, m = rebuild(package, checkpoint_dirs, log)
    computed = compute_windowed(models, m, log)
    if os.path.isfile(os.path.join(out, "index.json")) and not rewrite:
        rows = windowed_differences(out, computed)
        bad = [r for r in rows if not r[1] <= r[2]]
        if bad:
            raise ValueError(f"{out}: these windowed golden files are not reproduced on this machine: "
                             + "; ".join(f"{w} differs by {d:.3g} (tolerance {t:g})" for w, d, t in bad[:5])
                             + ". Pass --rewrite to replace them")
        worst = max((r for r in rows if r[2] > 0), key=lambda r: r[1])
        log(f"{out}: reproduced: largest relative difference {worst[1]:.3g} ({worst[0]}), "
            f"tolerance {GOLDEN_TOLERANCE:g}. Files left as they are (--rewrite replaces them)")
        return computed
    with replaced_folder(out, ".golden-") as tmp:
        cases = []
        for name, windows, tensors in computed:
            entry = {"name": name, "sampleRate": SR, "samples": int(tensors["input"].shape[0]) if "input" in tensors
                     else int(tensors["frames"].shape[0]), "overlap": WINDOW_OVERLAP, "windows": windows, "tensors": {}}
            if "frames" in tensors:
                import scipy.io.wavfile as wavfile
                tensors = dict(tensors)
                frames = tensors.pop("frames")
                entry.update(sampleRate=RATE, channels=int(frames.shape[1]), wav=f"{name}.wav", resampling=RESAMPLING)
                wavfile.write(os.path.join(tmp, entry["wav"]), RATE, frames)
            for tname, arr in tensors.items():
                fname = f"{name}.{tname}.f32"
                arr.astype("<f4").tofile(os.path.join(tmp, fname))
                entry["tensors"][tname] = {"file": fname, "shape": list(arr.shape)}
            cases.append(entry)
        with open(os.path.join(tmp, "index.json"), "w", encoding="utf-8") as f:
            json.dump({"format": WINDOWS_FORMAT, "package": package, "command": command, "cases": cases}, f, indent=1)
            f.write("\n")
    return computed
