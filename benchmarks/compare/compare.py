"""Side by side, in one run: the PyTorch reference forward against the C# Explain (and against the
same graphs run bare on ONNX Runtime, with our settings and with ONNX Runtime's defaults).

Same weights (the reference modules rebuilt from the package's recipe, checked by comparing the
outputs), same input (one 5 s clip written here and read by both), same thread count. The C# side
is a long-lived process (`LmacTd.Benchmarks serve`) driven over stdin/stdout; every timing is taken
inside the process that does the work, and the measurements alternate round by round.

Run it through `benchmarks/compare/compare` (it builds the C# side); see benchmarks/README.md.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ARTIFACTS = os.path.join(REPO, "benchmarks", "artifacts")
sys.path.insert(0, os.path.join(REPO, "models"))

from lmactd_models.clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR  # noqa: E402
# --blas-check: a core type's outputs match the unset run's if they differ by at most this times their
# peak (other kernels sum in another order: float rounding, 1e-7 .. 1e-6 of the peak)
BLAS_MATCH = 1e-4

# --torch-malloc: the PyTorch side's memory allocator, preloaded into this process only. PyTorch's CPU allocator
# hands every large tensor back to the system and asks again on the next forward; where a page fault is dear (the
# 2-core KVM EPYC of 2 December 2026: 8.3 ms to first touch 2.5 MB, 13 us a 4 KB page) that dominates the full size:
# its forward took 21.3 s under glibc's malloc, 37.1 s under jemalloc and 6.7 s under tcmalloc, which keeps the
# memory (benchmarks/RESULTS.md).
MALLOCS = {"tcmalloc": ("libtcmalloc_minimal.so.4", "libtcmalloc-minimal4"), "jemalloc": ("libjemalloc.so.2", "libjemalloc2")}
PRELOADED = "LMACTD_TORCH_MALLOC"  # set (to the allocator's name) in the re-executed process that preloads it


def malloc_library(name):
    """The shared library of allocator `name` (MALLOCS: library, Debian package), searched in the system's library
    folders."""
    import glob
    lib, pkg = MALLOCS[name]
    hits = sorted(glob.glob(f"/usr/lib/*/{lib}") + glob.glob(f"/usr/lib64/{lib}") + glob.glob(f"/usr/lib/{lib}"))
    if not hits:
        raise SystemExit(f"compare: --torch-malloc {name}: {lib} not found (Debian: apt-get install {pkg})")
    return hits[0]


def csharp_env():
    """The environment for the C# processes: without the PyTorch side's preloaded allocator (the library runs with
    the system's, as in an app)."""
    env = dict(os.environ)
    if env.get(PRELOADED):
        env.pop("LD_PRELOAD", None)
    return env


def resolve(role):
    """Package folder and a note, by the same rules as the C# benchmarks (BenchmarkPackages.cs)."""
    if os.path.isfile(os.path.join(role, "manifest.json")):
        return os.path.abspath(role), "given as a path"
    if role == "default":
        for d, note in ((os.path.join(REPO, "models", "default"), "the bundled default"),
                        (os.path.join(ARTIFACTS, "packages", "default-random"),
                         "stand-in: default size, random weights (models/default not there yet)"),
                        (os.path.join(REPO, "tests", "data", "tiny-package"), "stand-in: the TINY test package")):
            if os.path.isfile(os.path.join(d, "manifest.json")):
                return d, note
        return None, "no default package"
    if role == "full":
        d = os.path.join(REPO, "models", "build", "full")
        if os.path.isfile(os.path.join(d, "manifest.json")):
            return d, "full size, random weights"
        return None, ("models/build/full is not built; build it with 'models/lmactd-models random-init "
                      "--size full --seed 1 --out models/build/full'")
    return None, f"unknown package role or folder '{role}'"


def clip_signal(seconds=5.0, seed=1):
    """The input: tone + harmonic + chirp + seeded noise bursts, peak about 0.8, float32."""
    t = np.arange(int(round(SR * seconds))) / SR
    rng = np.random.default_rng(seed)
    x = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 880 * t)
    x += 0.2 * np.sin(2 * np.pi * (200 * t + 300 * t * t))
    x += np.where((t % 1.0) < 0.2, 0.2 * rng.uniform(-1, 1, t.shape), 0.0)
    return x.astype(np.float32)


# ---------------------------------------------------------------- PyTorch reference

def load_reference(package_dir, kinds, checkpoints=None, log=print):
    """(classifier, lmactd or None, psi or None, n_fft) with the package's weights.

    A random-init package is rebuilt from its manifest's sizes and seed (models/README.md, `golden`),
    cached as state dicts under benchmarks/artifacts/torch-cache; an exported or trained one needs
    its checkpoints (`--checkpoints`, the .pt files of models/checkpoints)."""
    import torch
    from lmactd_models.modules.cnn14 import Classifier
    from lmactd_models.export.golden import sizes_from_manifest
    from lmactd_models.kinds import INTERPRETERS
    from lmactd_models.export.package import read_manifest
    from lmactd_models.sizes import Cnn14Size

    m = read_manifest(package_dir)
    n_fft = m["frontEnd"]["nFft"]
    sizes = sizes_from_manifest(m)
    models = {}
    if m["provenance"].get("data") == "random-init":
        seed = m["provenance"]["seed"]
        key = m["files"]["classifier.onnx"]["sha256"][:16]
        cache = os.path.join(ARTIFACTS, "torch-cache", f"{m['name']}-{key}.pt")
        present = [k for k in INTERPRETERS if k in m["interpreters"]]
        if os.path.isfile(cache):
            states = torch.load(cache)
            log(f"  reference weights: {cache} (cached rebuild of seed {seed})")
        else:
            from lmactd_models.randinit import random_models
            t = time.time()
            built = random_models(sizes, seed, present)
            log(f"  reference weights: rebuilt from the manifest (sizes, seed {seed}) in {time.time() - t:.0f} s")
            states = {k: (mod.state_dict() if mod is not None else None)
                      for k, mod in zip(("classifier",) + tuple(INTERPRETERS), built)}
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            torch.save(states, cache + ".tmp")
            os.replace(cache + ".tmp", cache)
        classifier = Classifier(sizes.cnn14)
        classifier.load_state_dict(states["classifier"])
        for k in kinds:
            if states.get(k) is not None:
                kd = INTERPRETERS[k]
                models[k] = kd.model_class(kd.size_of(sizes))
                models[k].load_state_dict(states[k])
    else:
        shipped = os.path.join(REPO, "models", "checkpoints")
        if not checkpoints and os.path.samefile(package_dir, os.path.join(REPO, "models", "default")) \
                and os.path.isdir(shipped):
            checkpoints = shipped  # the bundled default's weights, shipped next to it
        if not checkpoints:
            raise SystemExit(f"{package_dir}: not a random-init package; pass --checkpoints DIR "
                             "(classifier.pt, lmac-td.pt, lmac.pt as models/checkpoints holds them)")
        def load(name, cls, size_cls):
            c = torch.load(os.path.join(checkpoints, name))
            mod = cls(size_cls.from_dict(c["size"]))
            mod.load_state_dict(c["model"])
            return mod
        classifier = load("classifier.pt", Classifier, Cnn14Size)
        # the training recipe's file names (lmactd_models/train/export.py)
        for k, fname in (("lmac-td", "lmac-td.pt"), ("lmac-stft", "lmac.pt")):
            if k in kinds:
                models[k] = load(fname, INTERPRETERS[k].model_class, INTERPRETERS[k].size_class)
        log(f"  reference weights: checkpoints in {checkpoints}")
    lmactd, psi = models.get("lmac-td"), models.get("lmac-stft")
    for mod in (classifier, lmactd, psi):
        if mod is not None:
            mod.eval()
    return classifier, lmactd, psi, n_fft


def make_forward(classifier, lmactd, psi, n_fft, device="cpu"):
    """The work of one C# Explain, in eager PyTorch: normalise, pad, log-mel, classifier,
    interpreter (L-MAC: mask, STFT masking, two inverse STFTs), classifier on the explanation and
    the masked-out signal in one batch, the metrics map. Returns the outputs for the parity check.
    On `device` "cuda" the modules and the input go to the GPU (the outputs come back)."""
    import torch
    from lmactd_models import frontend as fe
    from lmactd_models.reference import lmac_spectrograms, with_phase

    logmel_fn = fe.LogMel(n_fft)
    if device == "cuda":
        for mod in (classifier, lmactd, psi, logmel_fn):
            if mod is not None:
                mod.to("cuda")

    def forward(raw):
        raw = raw.to(device)
        with torch.inference_mode():
            n = raw.shape[0]
            norm, divisor = fe.normalise(raw)
            x = fe.pad_clip(norm).reshape(1, -1)
            logits, *reps = classifier(logmel_fn(x))
            if lmactd is not None:
                expl, masked_out, mask = lmactd(x, *reps)
                both = classifier(logmel_fn(torch.cat([expl, masked_out])))[0]
                smap = torch.log1p(fe.magnitude(fe.stft(expl, n_fft)))
            else:
                mask = psi(*reps)
                spec, mag_in, mag_out = lmac_spectrograms(mask, x)
                nf = spec.shape[2] * 2 - 2
                expl = fe.istft(with_phase(mag_in, spec), nf, x.shape[1])
                masked_out = fe.istft(with_phase(mag_out, spec), nf, x.shape[1])
                both = classifier(logmel_fn.from_magnitude(torch.cat([mag_in, mag_out])))[0]
                smap = mask
            if device == "cuda":
                torch.cuda.synchronize()
            return {"explanation": expl[0, :n].cpu().numpy() * float(divisor),
                    "masked_out": masked_out[0, :n].cpu().numpy() * float(divisor),
                    "logits": logits[0].cpu().numpy(), "logitsExplanation": both[0].cpu().numpy(),
                    "logitsMaskedOut": both[1].cpu().numpy(), "map": smap.shape}
    return forward


# ---------------------------------------------------------------- C# side

class Server:
    def __init__(self, dll, package_dir, threads, interpreter, sets, log, device="cpu"):
        cmd = ["dotnet", dll, "serve", "--package", package_dir, "--threads", str(threads),
               "--interpreter", interpreter, "--sets", sets, "--device", device]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
                                  env=csharp_env())
        self.ready = self._read()
        if not self.ready.get("ready"):
            self.p.wait()
            # --device cuda where it cannot run: the library's own reason (no GPU package, no CUDA/cuDNN, no device)
            raise SystemExit(f"compare: the C# side cannot start on device '{device}': {self.ready.get('error', self.ready)}")
        log(f"  C# server up in {self.ready['openMs'] / 1000:.1f} s (ONNX Runtime {self.ready['ortVersion']}, "
            f"{self.ready['dotnet']}, sets {','.join(self.ready['sets'])}, device {self.ready['device']}: "
            f"{self.ready['deviceReason']})")

    def _read(self):
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError(f"C# server exited (code {self.p.wait()})")
        return json.loads(line)

    def ask(self, command):
        self.p.stdin.write(command + "\n")
        self.p.stdin.flush()
        r = self._read()
        if "error" in r:
            raise RuntimeError(f"C# server: {command}: {r['error']}")
        return r

    def close(self):
        try:
            self.ask("quit")
        except Exception:
            pass
        try:
            self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()


# ---------------------------------------------------------------- the run

def median(xs):
    return statistics.median(xs) if xs else float("nan")


def output_diffs(work, a, b):
    """Largest |difference| of the explanation and the masked-out that two C# sides wrote into `work`."""
    return {t: float(np.abs(np.fromfile(os.path.join(work, f"{a}.{t}.f32"), dtype="<f4")
                            - np.fromfile(os.path.join(work, f"{b}.{t}.f32"), dtype="<f4")).max())
            for t in ("explanation", "masked_out")}


# (label, numerator set, denominator set) of every ratio printed when both sets ran
RATIOS = [
    ("PyTorch / C# Explain (target >= 3 at full size)", "torch", "explain"),
    ("C# Explain / its ORT session runs (target <= 1.05)", "explain", "tuned"),
    ("ORT-default runs / C# Explain (target >= 1.5)", "default", "explain"),
    ("ORT-default runs / ORT our-settings runs", "default", "tuned"),
    ("baseline ORT-default runs / C# Explain (target >= 1.5)", "baseline", "explain"),
    ("baseline ORT-default runs / ORT our-settings runs", "baseline", "tuned"),
    ("C# Explain / C# Explain on the variant", "explain", "variant"),
    ("ORT-default runs / C# Explain on the variant (target >= 1.5)", "default", "variant"),
    ("PyTorch / C# Explain on the variant (target >= 3 at full size)", "torch", "variant"),
]


def torch_device(device):
    """The PyTorch side's device for --device: the GPU for cuda (an error naming the cure when this PyTorch has
    none), else the CPU."""
    import torch
    if device != "cuda":
        return "cpu"
    if not torch.cuda.is_available():
        raise SystemExit("compare: --device cuda, but this PyTorch has no CUDA device (Debian's PyTorch is CPU-only): "
                         "install a CUDA build of PyTorch, or leave it out with --sets explain,tuned,default")
    return "cuda"


def compare_package(role, a, dll, log):
    import torch
    pkg, note = resolve(role)
    if pkg is None:
        log(f"\n== {role}: SKIPPED: {note}")
        return None
    with open(os.path.join(pkg, "manifest.json")) as f:
        manifest = json.load(f)
    log(f"\n== {role}: {pkg} ({note})")
    sets = [s for s in a.sets.split(",") if s]
    work = os.path.join(ARTIFACTS, "compare", role)
    os.makedirs(work, exist_ok=True)
    raw = clip_signal()
    clip_path = os.path.join(work, "clip.f32")
    raw.astype("<f4").tofile(clip_path)

    forward = None
    if "torch" in sets:
        t = time.time()
        models = load_reference(pkg, {a.interpreter}, a.checkpoints, log)
        forward = make_forward(*models, device=torch_device(a.device))
        log(f"  PyTorch reference ready in {time.time() - t:.0f} s")
    csharp_sets = ",".join(s for s in sets if s in ("explain", "tuned", "default", "lean")) or "explain"
    variant_dir = dict(v.split("=", 1) for v in a.variant).get(role) if a.variant else None
    server = Server(dll, pkg, a.threads, a.interpreter, csharp_sets, log, a.device)
    variant = Server(dll, variant_dir, a.threads, a.interpreter, "explain", log, a.device) if variant_dir else None
    if variant:
        sets.append("variant")
    baseline_dir = dict(v.split("=", 1) for v in a.baseline).get(role) if a.baseline else None
    baseline = Server(dll, baseline_dir, a.threads, a.interpreter, "explain,default", log, a.device) if baseline_dir else None
    if baseline:
        sets.append("baseline")
    result = {"role": role, "package": pkg, "note": note, "name": manifest["name"],
              "interpreter": a.interpreter, "threads": a.threads, "rounds": a.rounds,
              "server": server.ready}
    try:
        server.ask(f"clip {clip_path}")
        # One untimed warm-up of each, which also gives the parity check.
        xt = torch.from_numpy(raw)
        ref = forward(xt) if forward else None
        cs = server.ask(f"explain {os.path.join(work, 'csharp')}") if "explain" in sets else None
        for s in ("tuned", "default", "lean"):
            if s in sets:
                server.ask(f"run {s}")
        if variant:
            variant.ask(f"clip {clip_path}")
            variant.ask(f"explain {os.path.join(work, 'variant')}")
            if cs is not None:
                diffs = result["variantParity"] = output_diffs(work, "csharp", "variant")
                log(f"  variant {variant_dir} vs package: explanation max |diff| {diffs['explanation']:.3g}, "
                    f"masked-out {diffs['masked_out']:.3g}")
        if baseline:
            baseline.ask(f"clip {clip_path}")
            baseline.ask(f"explain {os.path.join(work, 'baseline')}")
            baseline.ask("run default")
            if cs is not None:
                diffs = result["baselineParity"] = output_diffs(work, "csharp", "baseline")
                log(f"  baseline {baseline_dir} vs package (C# Explain on each): explanation max |diff| "
                    f"{diffs['explanation']:.3g}, masked-out {diffs['masked_out']:.3g}")
        if ref is not None and cs is not None:
            ce = np.fromfile(os.path.join(work, "csharp.explanation.f32"), dtype="<f4")
            co = np.fromfile(os.path.join(work, "csharp.masked_out.f32"), dtype="<f4")
            peak = float(np.abs(ref["explanation"]).max()) or 1.0
            parity = {
                "explanationMaxAbs": float(np.abs(ce - ref["explanation"]).max()),
                "explanationPeak": peak,
                "maskedOutMaxAbs": float(np.abs(co - ref["masked_out"]).max()),
                "logitsMaxAbs": float(np.abs(np.array(cs["logits"]) - ref["logits"]).max()),
                "logitsExplanationMaxAbs": float(np.abs(np.array(cs["logitsExplanation"]) - ref["logitsExplanation"]).max()),
                "sameClass": int(np.argmax(cs["logits"])) == int(np.argmax(ref["logits"])),
            }
            parity["sameWeights"] = bool(parity["explanationMaxAbs"] <= 1e-3 * peak and parity["logitsMaxAbs"] <= 1e-3)
            result["parity"] = parity
            log("  same weights? C# vs PyTorch: explanation max |diff| {explanationMaxAbs:.3g} (peak {explanationPeak:.3g}), "
                "masked-out {maskedOutMaxAbs:.3g}, logits {logitsMaxAbs:.3g}, same class {sameClass}".format(**parity))
            if not parity["sameWeights"]:
                log("  WARNING: the outputs differ: PyTorch and C# do not hold the same weights, so the PyTorch ratio compares "
                    "different models (pass the package's checkpoints with --checkpoints)")

        times = {s: [] for s in sets}
        stages, allocs, runs = [], [], {}
        order = [s for s in ("torch", "explain", "tuned", "default", "lean", "variant", "baseline") if s in sets]
        for r in range(a.rounds):
            rot = order[r % len(order):] + order[:r % len(order)]
            for s in rot:
                time.sleep(a.pause)
                if s == "torch":
                    t = time.perf_counter()
                    forward(xt)
                    times[s].append((time.perf_counter() - t) * 1000)
                elif s == "variant":
                    times[s].append(variant.ask("explain")["ms"])
                elif s == "baseline":
                    rr = baseline.ask("run default")
                    times[s].append(rr["ms"])
                    runs.setdefault(s, []).append(rr)
                elif s == "explain":
                    e = server.ask("explain")
                    times[s].append(e["ms"])
                    stages.append(e["stages"])
                    allocs.append((e["allocatedBytes"], e["returnedBytes"]))
                else:
                    rr = server.ask(f"run {s}")
                    times[s].append(rr["ms"])
                    runs.setdefault(s, []).append(rr)
            log(f"  round {r + 1}/{a.rounds}: " + ", ".join(f"{s} {times[s][-1]:.0f} ms" for s in rot))
        result["times"] = times
        result["runMedians"] = {s: {k: median([x[k] for x in v]) for k in ("classifier", "interpreter", "evidence")}
                                for s, v in runs.items()}
        result["medians"] = {s: median(v) for s, v in times.items()}
        if stages:
            result["stageMedians"] = {k: median([st[k] for st in stages]) for k in stages[0]}
            result["allocatedBytes"] = median([x[0] for x in allocs])
            result["returnedBytes"] = allocs[-1][1]
        result["stats"] = server.ask("stats")
        if variant:
            result["variantStats"] = variant.ask("stats")
    finally:
        server.close()
        if variant:
            variant.close()
        if baseline:
            baseline.close()

    if a.memory:
        def explainer_only(package_dir):
            # A fresh process holding only the explainer: its peak working set after a few explains.
            mem = Server(dll, package_dir, a.threads, a.interpreter, "explain", log, a.device)
            try:
                mem.ask(f"clip {clip_path}")
                for _ in range(2):
                    mem.ask("explain")
                return mem.ask("stats")
            finally:
                mem.close()

        result["explainerOnly"] = explainer_only(pkg)
        if variant_dir:
            result["variantExplainerOnly"] = explainer_only(variant_dir)
    return result


def report(results, a, log):
    log("\n== Results (medians of {} rounds, ms; one run, alternating)".format(a.rounds))
    log(f"device {a.device}; threads {a.threads}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}; "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}; "
        f"PyTorch allocator {os.environ.get(PRELOADED) or 'system (glibc malloc)'}, C# allocator system; "
        f"load {os.getloadavg()}")
    names = {"torch": "PyTorch reference (eager, inference_mode)", "explain": "C# Explain",
             "tuned": "ORT session runs, our settings (sum)", "default": "ORT session runs, ORT default SessionOptions (sum)",
             "lean": "ORT session runs, our settings without memory arena and pattern (sum)",
             "variant": "C# Explain on the variant package (--variant)",
             "baseline": "ORT session runs of the baseline package (--baseline), ORT default SessionOptions (sum)"}
    for r in results:
        if r is None:
            continue
        med = r["medians"]
        log(f"\n{r['role']} ({r['name']}, {r['interpreter']}): {r['note']}")
        if "parity" in r:
            log("same weights: " + ("yes" if r["parity"]["sameWeights"] else "NO, the PyTorch ratio is not valid")
                + f" (explanation max |C# - PyTorch| {r['parity']['explanationMaxAbs']:.2g}, logits {r['parity']['logitsMaxAbs']:.2g})")
        log("| what | median ms | real-time factor (5 s clip) |")
        log("|---|---:|---:|")
        for s, v in med.items():
            log(f"| {names[s]} | {v:.0f} | {v / 5000:.3f} |")
        ratios = [(label, med[num] / med[den]) for label, num, den in RATIOS if num in med and den in med]
        for k, v in ratios:
            log(f"| ratio: {k} | {v:.3f} | |")
        if "baselineParity" in r:
            log(f"baseline vs package, C# Explain on each: explanation max |diff| {r['baselineParity']['explanation']:.2g}")
        if "stageMedians" in r:
            log("C# Explain stages (median ms): " + ", ".join(f"{k} {v:.0f}" for k, v in r["stageMedians"].items()))
            for s, v in r.get("runMedians", {}).items():
                log(f"bare ORT runs '{s}' (median ms): " + ", ".join(f"{k} {x:.0f}" for k, x in v.items()))
            log(f"managed allocation per Explain {r['allocatedBytes'] / 1e6:.2f} MB; returned buffers "
                f"{r['returnedBytes'] / 1e6:.2f} MB; ratio {r['allocatedBytes'] / r['returnedBytes']:.2f} (target <= 2)")
        log(f"C# process peak working set (all sets held) {r['stats']['peakWorkingSetBytes'] / 2**30:.2f} GiB")
        if "variantExplainerOnly" in r:
            log(f"variant explainer-only process peak working set {r['variantExplainerOnly']['peakWorkingSetBytes'] / 2**30:.2f} GiB")
        if "explainerOnly" in r:
            log(f"explainer-only process peak working set {r['explainerOnly']['peakWorkingSetBytes'] / 2**30:.2f} GiB (target <= 1.5 GB at full size)")


def blas_check(a, log):
    """The PyTorch forward under each OPENBLAS_CORETYPE this CPU can run (models/lmactd_models/blas.py),
    each in its own long-lived process (OpenBLAS reads the variable when it loads), timed round by round
    in alternation so that the machine's load falls on all alike: a table of median time and output
    difference against the unset run. Returns the fastest core type whose outputs match (None: unset).
    Every process holds the package's models at once: use it on the default size, not the full one."""
    from lmactd_models.blas import candidates
    workers = {}
    for coretype in candidates():
        env = dict(os.environ)
        env.pop("OPENBLAS_CORETYPE", None)
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        path = os.path.join(ARTIFACTS, "compare", f"blas-{coretype or 'unset'}.npz")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        cmd = [sys.executable, __file__, "--blas-worker", path, "--packages", a.packages.split(",")[0],
               "--threads", str(a.threads), "--interpreter", a.interpreter]
        if a.checkpoints:
            cmd += ["--checkpoints", a.checkpoints]
        w = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        if w.stdout.readline().strip() != "ready":
            w.wait()
            workers[coretype] = (None, f"failed (exit {w.returncode})")
            continue
        workers[coretype] = (w, np.load(path))
    times = {ct: [] for ct, (w, _) in workers.items() if w is not None}
    order = list(times)
    for r in range(a.blas_rounds):
        for ct in order[r % len(order):] + order[:r % len(order)]:
            time.sleep(a.pause)
            workers[ct][0].stdin.write("run\n")
            times[ct].append(float(workers[ct][0].stdout.readline()))
    for ct, (w, _) in workers.items():
        if w is not None:
            w.stdin.close()
            w.wait()
    rows, ref = [], workers.get(None, (None, None))[1]
    for ct, (w, r) in workers.items():
        if w is None or ref is None or isinstance(ref, str):
            rows.append((ct, None, None, None, None, r if w is None else "no unset run to compare"))
            continue
        de = float(np.abs(r["explanation"] - ref["explanation"]).max())
        dl = float(np.abs(r["logits"] - ref["logits"]).max())
        peak = float(np.abs(ref["explanation"]).max()) or 1.0
        match = de <= BLAS_MATCH * peak and dl <= BLAS_MATCH * max(1.0, float(np.abs(ref["logits"]).max()))
        rows.append((ct, str(r["corename"]), median(times[ct]), de, dl, "yes" if match else "NO"))
    log(f"| OPENBLAS_CORETYPE | OpenBLAS kernels | median ms ({a.blas_rounds} alternating runs) "
        f"| max abs diff explanation | max abs diff logits | outputs match (<= {BLAS_MATCH:g} x peak) |")
    log("|---|---|---:|---:|---:|---|")
    for ct, core, ms, de, dl, ok in rows:
        if ms is None:
            log(f"| {ct or '(unset)'} | - | - | - | - | {ok} |")
        else:
            log(f"| {ct or '(unset)'} | {core} | {ms:.0f} | {de:.2g} | {dl:.2g} | {ok} |")
    good = [r for r in rows if r[5] == "yes"]
    if not good:
        return None
    best = min(good, key=lambda r: r[2])
    log(f"  fastest with matching outputs: OPENBLAS_CORETYPE={best[0] or '(unset)'} ({best[2]:.0f} ms)")
    return best[0]


def blas_worker(a):
    """Writes the forward's outputs and the kernels OpenBLAS chose to a.blas_worker, says "ready",
    then times one forward for each "run" line on stdin (prints the milliseconds)."""
    import ctypes
    import torch
    torch.set_num_threads(a.threads)
    core = "unknown"
    for lib in ("libblas.so.3", "libopenblas.so.0"):     # what torch links, then OpenBLAS by name
        try:
            f = ctypes.CDLL(lib).openblas_get_corename
            f.restype = ctypes.c_char_p
            core = f().decode()
            break
        except (OSError, AttributeError):
            continue
    pkg, _ = resolve(a.packages.split(",")[0])
    forward = make_forward(*load_reference(pkg, {a.interpreter}, a.checkpoints, log=lambda s: None))
    x = torch.from_numpy(clip_signal())
    r = forward(x)
    forward(x)                                           # warm-up
    np.savez(a.blas_worker, explanation=r["explanation"], logits=r["logits"], corename=core)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        t = time.perf_counter()
        forward(x)
        print((time.perf_counter() - t) * 1000, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--packages", default="default,full", help="roles (default, full) or package folders, comma-separated")
    p.add_argument("--rounds", "-n", type=int, default=5, help="timed runs of each, alternating (default 5)")
    p.add_argument("--threads", type=int, default=2, help="threads for PyTorch and ONNX Runtime (default 2)")
    p.add_argument("--interpreter", default="lmac-td", choices=("lmac-td", "lmac-stft"),
                   help="the interpreter whose Explain is timed (make_forward mirrors these two)")
    p.add_argument("--sets", default="torch,explain,tuned,default",
                   help="what to alternate: torch, explain, tuned (bare ORT runs, our settings), default (bare ORT runs, ORT defaults), "
                        "lean (bare ORT runs, our settings without the CPU memory arena and memory pattern)")
    p.add_argument("--device", default="cpu", choices=("cpu", "cuda", "auto"),
                   help="where the graphs run (default cpu); cuda needs the GPU build of the C# side, which the wrapper "
                        "makes (-p:OnnxRuntimeGpu=true), and fails naming what is missing where CUDA cannot run; auto falls "
                        "back to the CPU and says why (benchmarks/README.md, 'On a GPU')")
    p.add_argument("--memory", action="store_true", help="also measure an explainer-only process's peak working set")
    p.add_argument("--checkpoints", help="checkpoint folder for a package that is not random-init (models/default: models/checkpoints unless given)")
    p.add_argument("--pause", type=float, default=0.2, help="seconds between timed items (lets spinning threads sleep)")
    p.add_argument("--blas-check", action="store_true",
                   help="first time the PyTorch forward under each OPENBLAS_CORETYPE this CPU can run (and unset), "
                        "print a table, and go on with the fastest whose outputs match")
    p.add_argument("--blas-rounds", type=int, default=5, help="timed runs of each core type, alternating (default 5)")
    p.add_argument("--blas-only", action="store_true", help="only the BLAS check (on the first package), then stop")
    p.add_argument("--blas-worker", help=argparse.SUPPRESS)
    p.add_argument("--variant", action="append", metavar="ROLE=DIR",
                   help="also alternate Explain on another package standing for ROLE (e.g. full=benchmarks/artifacts/packages/full-split), "
                        "checking its outputs against the package's")
    p.add_argument("--baseline", action="append", metavar="ROLE=DIR",
                   help="also time bare ONNX Runtime runs with ORT's default SessionOptions on this package for ROLE "
                        "(the same weights exported with --plain-graphs: the straightforward export), alternating "
                        "with the rest; repeatable")
    p.add_argument("--torch-malloc", choices=("system", *MALLOCS), default="system",
                   help="the PyTorch side's memory allocator (preloaded into it alone; the C# processes keep the "
                        "system's): tcmalloc keeps memory between forwards, which pays where page faults are dear")
    p.add_argument("--json", help="write the results here too")
    a = p.parse_args()
    if a.torch_malloc != "system" and os.environ.get(PRELOADED) != a.torch_malloc:
        # The allocator must be loaded before Python's first malloc: run again with it preloaded.
        env = dict(os.environ, LD_PRELOAD=malloc_library(a.torch_malloc), **{PRELOADED: a.torch_malloc})
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)
    if a.blas_worker:
        return blas_worker(a)

    import torch
    from lmactd_models.blas import cpu_flags
    torch.set_num_threads(a.threads)
    log = lambda s: print(s, flush=True)
    dll = os.environ.get("LMACTD_BENCH_DLL", os.path.join(
        REPO, "benchmarks", "LmacTd.Benchmarks", "bin", "Release", "net10.0", "LmacTd.Benchmarks.dll"))
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--", "src", "benchmarks"],
                           capture_output=True, text=True).stdout.strip()
    log(f"benchmarks/compare: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, commit {commit}"
        f"{' (src/benchmarks modified)' if dirty else ''}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()}")
    log(f"torch {torch.__version__}, torch threads {torch.get_num_threads()}, numpy {np.__version__}")
    if a.blas_check:
        log("\n== BLAS check (PyTorch reference, first package; CPU flags: "
            + ", ".join(f for f in ("avx512f", "avx512_bf16", "avx2", "fma", "avx") if f in cpu_flags()[1]) + ")")
        best = blas_check(a, log)
        if a.blas_only:
            return 0
        if best != (os.environ.get("OPENBLAS_CORETYPE") or None):
            # OpenBLAS reads the variable once, when it loads: run the rest in a fresh process
            env = dict(os.environ)
            env.pop("OPENBLAS_CORETYPE", None)
            if best:
                env["OPENBLAS_CORETYPE"] = best
            log(f"  continuing with OPENBLAS_CORETYPE={best or '(unset)'}")
            argv = [x for x in sys.argv[1:] if x != "--blas-check"]
            os.execve(sys.executable, [sys.executable, __file__] + argv, env)
    results = [compare_package(role, a, dll, log) for role in a.packages.split(",")]
    report(results, a, log)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"commit": commit, "date": time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
                       "load": os.getloadavg(), "env": {k: os.environ.get(k) for k in
                       ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", PRELOADED)},
                       "results": results}, f, indent=1, default=str)


if __name__ == "__main__":
    sys.exit(main())
