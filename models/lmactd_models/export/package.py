"""Model packages (`lmactd-package/1`, models/README.md): ONNX export of the three graphs and
the manifest. `write_package` writes into a temporary sibling folder and renames it into place,
so a failed export leaves nothing half-written."""
import contextlib
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import warnings

import torch

from .convt_phase import rewrite as rewrite_phases
from .convt_split import rewrite as rewrite_convt
from .. import frontend as fe
from ..interpreter import REP_NAMES, parameters  # noqa: F401  (parameters: re-exported)
from ..kinds import INTERPRETERS, kind_of
from ..modules.lmactd import LmacTd
from ..modules.masknet import Attention, MaskNet

FORMAT = "lmactd-package/1"
OPSET = 17
CLASSIFIER_GRAPH = ("classifier.onnx", ["logmel"], ["logits"] + list(REP_NAMES))
# The classifier's symbolic frame axis (models/README.md, "Shapes"): the log-mel's dimension 1, and
# the representations' time axis (dimension 2), which follows it through the pooling.
FRAMES = "frames"
CLASSIFIER_AXES = {"logmel": {1: FRAMES}, **{n: {2: f"{n}_frames"} for n in REP_NAMES}}


def graph_io(kind):
    """(file, input names, output names) of the classifier's or an interpreter kind's graph."""
    if kind == "classifier":
        return CLASSIFIER_GRAPH
    k = INTERPRETERS[kind]
    return k.graph_file, list(k.graph_inputs), list(k.graph_outputs)


def camel(d):
    """snake_case keys -> camelCase (manifest style), recursively for dicts."""
    def c(k):
        head, *rest = k.split("_")
        return head + "".join(w.capitalize() for w in rest)
    return {c(k): camel(v) if isinstance(v, dict) else (list(v) if isinstance(v, tuple) else v)
            for k, v in d.items()}


def snake(d):
    """Inverse of `camel` for architecture objects read back from a manifest."""
    out = {}
    for k, v in d.items():
        out["".join("_" + ch.lower() if ch.isupper() else ch for ch in k)] = v
    return out


def _io(names, tensors, axes=None):
    """The manifest's tensor entries: batch symbolic, `"frames"` where the graph's frame axis is
    (the log-mel's); the representations keep their sizes at the traced frames, which the runtime
    feeds for an explanation."""
    axes = axes or {}

    def dim(n, i, size):
        return FRAMES if axes.get(n, {}).get(i) == FRAMES else int(size)
    return [{"name": n, "type": "float32", "shape": ["batch"] + [dim(n, i, d) for i, d in enumerate(t.shape) if i > 0]}
            for n, t in zip(names, tensors)]


@contextlib.contextmanager
def optimised(model):
    """The export-only forms of `model`'s parts, for the time of the block: LMAC-TD's Hd computes
    only the frames it keeps, with convt8 and convt9 composed into one layer, attention exports as one ONNX Runtime Attention node, the MaskNet's
    dual-path blocks keep their chunks features-last. Both give the
    reference forward's numbers (models/tests/test_export_optimised.py)."""
    flags = [(m, "fused") for m in model.modules() if isinstance(m, Attention)] + \
            [(m, "early_crop") for m in model.modules() if isinstance(m, LmacTd)] + \
            [(m, "features_last") for m in model.modules() if isinstance(m, MaskNet)]
    try:
        for m, name in flags:
            setattr(m, name, True)
        yield
    finally:
        for m, name in flags:
            setattr(m, name, False)
        for m in model.modules():
            if isinstance(getattr(m, "pair_constants", None), dict):
                m.pair_constants.clear()


def uses_contrib(model):
    """Whether the export emits ONNX Runtime's com.microsoft operators (fused attention)."""
    return any(getattr(m, "fused", False) for m in model.modules() if isinstance(m, Attention))


def export_graph(model, kind, args, folder, opset=OPSET, optimise=True):
    """Trace `model` (eval mode, batch symbolic; the classifier's frames too) to folder/<graph
    file>; returns the manifest's inputs and outputs lists. `optimise`: export the `optimised`
    forms (the default); False gives the straightforward export of the reference modules."""
    fname, inputs, outputs = graph_io(kind)
    axes = CLASSIFIER_AXES if kind == "classifier" else {}
    model.eval()
    with optimised(model) if optimise else contextlib.nullcontext():
        return _export(model, fname, inputs, outputs, args, folder, opset, axes)


def _export(model, fname, inputs, outputs, args, folder, opset, axes):
    # no_grad keeps the tracing forward from holding activations for backward (GBs at full
    # size); our transformer is written out, so there is no fused fast path to trigger.
    with torch.no_grad(), warnings.catch_warnings():
        results = model(*args)
        results = results if isinstance(results, tuple) else (results,)
        # shapes turned into constants on purpose (masknet.static); batch stays symbolic
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        warnings.simplefilter("ignore", FutureWarning)      # torch 1.13 on g.op in a symbolic
        warnings.filterwarnings("ignore", message=".*(shape inference|Constant folding).*")
        torch.onnx.export(model, tuple(args), os.path.join(folder, fname), input_names=inputs,
                          output_names=outputs, opset_version=opset, do_constant_folding=True,
                          dynamic_axes={n: {0: "batch", **axes.get(n, {})} for n in inputs + outputs},
                          custom_opsets={"com.microsoft": 1} if uses_contrib(model) else None)
    if uses_contrib(model):
        declare_outputs(os.path.join(folder, fname), results)
    return _io(inputs, args, axes), _io(outputs, results, axes)


def declare_outputs(path, results):
    """torch cannot infer through an ONNX Runtime operator, so the shapes it writes for the graph's
    outputs are garbled: declare them as traced (batch symbolic) and drop the inferred
    intermediate shapes (ONNX Runtime infers its own)."""
    import onnx
    model = onnx.load(path)
    for out, t in zip(model.graph.output, results):
        dims = out.type.tensor_type.shape.dim
        del dims[:]
        for i, n in enumerate(t.shape):
            d = dims.add()
            if i == 0:
                d.dim_param = "batch"
            else:
                d.dim_value = int(n)
    del model.graph.value_info[:]
    tmp = path + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, path)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def git_commit():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        return subprocess.run(["git", "-C", here, "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def provenance(command, seed, data, opset=OPSET):
    return {"command": command, "commit": git_commit(), "seed": seed, "data": data,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "torch": torch.__version__, "opset": opset}


def front_end(n_fft, clip=fe.CLIP_SAMPLES):
    return {"nFft": n_fft, "winLength": fe.WIN_LENGTH, "hopLength": fe.HOP_LENGTH,
            "window": "hamming-periodic", "center": True, "padMode": "constant",
            "magnitudePower": 1.0, "magnitudeEpsilon": fe.MAG_EPS, "nMels": fe.N_MELS,
            "melScale": "htk", "fMin": fe.F_MIN, "fMax": fe.F_MAX, "melNorm": "none",
            "compression": "log1p", "frames": fe.n_frames(clip)}


def example_clips(batch=2, samples=fe.CLIP_SAMPLES):
    """Deterministic, normalised trace inputs (batch 2, so no size-1 dimension is special)."""
    gen = torch.Generator().manual_seed(0)
    return fe.normalise(torch.randn(batch, samples, generator=gen))[0]


@contextlib.contextmanager
def replaced_folder(out, prefix):
    """Yield a temporary sibling of `out` to fill; on success it replaces `out`, on any error
    it is removed, so nothing half-written is left behind."""
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=prefix, dir=parent)
    os.chmod(tmp, 0o755)
    try:
        yield tmp
        if os.path.exists(out):
            shutil.rmtree(out)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_package(out, classifier, *interpreters, labels=None, name="package",
                  description="", prov=None, n_fft=1024, opset=OPSET, log=print, split_convt=None,
                  optimise=True):
    """Export `classifier` (cnn14.Classifier) and the `interpreters` given (models of the kinds in
    kinds.INTERPRETERS, in any order; None is skipped) to the package folder `out` (replaced if it
    exists). Returns the manifest.
    `split_convt=(chunks, min_column_mib)` splits the interpreters' ConvTranspose nodes whose
    column buffer is at least that large (convt_split.py): same outputs, less memory.
    `optimise` (default) exports the `optimised` forms and rewrites the interpreters' large strided
    ConvTranspose nodes as polyphase convolutions (convt_phase.py): same outputs, faster; False
    gives the straightforward export (the benchmarks' baseline). Recorded in each interpreter's
    `architecture.export`."""
    classes = classifier.size.classes
    labels = labels or [f"class{i:02d}" for i in range(classes)]
    if len(labels) != classes:
        raise ValueError(f"{len(labels)} labels for a classifier of {classes} classes")
    given = {kind_of(model).key: model for model in interpreters if model is not None}
    for key in given:
        INTERPRETERS[key].check_front_end(n_fft)
    with replaced_folder(out, ".package-") as tmp:
        x = example_clips()
        logmel = fe.LogMel(n_fft)(x)
        with torch.no_grad():
            reps = list(classifier(logmel)[1:])
        m = {"format": FORMAT, "name": name, "description": description,
             "sampleRate": fe.SAMPLE_RATE, "clipSamples": fe.CLIP_SAMPLES,
             "normalisation": {"kind": "signed-max"}, "padding": "zeros-end",
             "frontEnd": front_end(n_fft), "labels": {"file": "labels.txt", "count": classes}}
        log(f"classifier: CNN14 {parameters(classifier.embedding_model):,} + head "
            f"{parameters(classifier.head):,} = {parameters(classifier):,} parameters")
        ins, outs = export_graph(classifier, "classifier", [logmel], tmp, opset)
        m["classifier"] = {"file": CLASSIFIER_GRAPH[0], "architecture": {
            **camel(classifier.size.to_dict()), "parameters": parameters(classifier)},
            "inputs": ins, "outputs": outs}
        m["interpreters"] = {}
        for key, k in INTERPRETERS.items():
            model = given.get(key)
            if model is None:
                continue
            log(f"{key}: {k.describe(model)}")
            ins, outs = export_graph(model, key, k.export_args(x, reps), tmp, opset, optimise)
            m["interpreters"][key] = {
                "file": k.graph_file, **k.manifest_fields(model),
                "architecture": {**camel(model.size.to_dict()), "parameters": parameters(model)},
                "inputs": ins, "outputs": outs}
        for kind, entry in m["interpreters"].items():
            path = os.path.join(tmp, entry["file"])
            done = rewrite_phases(path, path, log) if optimise else []
            entry["architecture"]["export"] = {
                "optimised": optimise, "polyphaseConvTranspose": done,
                **(INTERPRETERS[kind].export_record if optimise else {})}
        if split_convt:
            chunks, min_mib = split_convt
            for kind, entry in m["interpreters"].items():
                done = rewrite_convt(os.path.join(tmp, entry["file"]), os.path.join(tmp, entry["file"]),
                                     chunks, min_mib, log)
                entry["architecture"]["convTransposeSplit"] = {"chunks": chunks, "minColumnMiB": min_mib,
                                                               "nodes": len(done)}
        with open(os.path.join(tmp, "labels.txt"), "w", encoding="utf-8") as f:
            f.write("".join(label + "\n" for label in labels))
        m["files"] = {f: {"sha256": sha256(os.path.join(tmp, f)),
                          "bytes": os.path.getsize(os.path.join(tmp, f))}
                      for f in sorted(os.listdir(tmp))}
        m["provenance"] = prov or provenance(None, None, None, opset)
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(m, f, indent=2)
            f.write("\n")
    return m


def read_manifest(folder):
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    if m.get("format") != FORMAT:
        raise ValueError(f"{folder}/manifest.json: format {m.get('format')!r}, expected {FORMAT}")
    for fname, meta in m["files"].items():
        path = os.path.join(folder, fname)
        if not os.path.isfile(path) or sha256(path) != meta["sha256"]:
            raise ValueError(f"{path}: missing or its sha256 does not match the manifest")
    return m
