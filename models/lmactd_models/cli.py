"""Command line of models/lmactd-models (see models/README.md)."""
import argparse
import os
import shlex
import shutil
import sys
import time

import torch

from . import checkpoints as ckpt
from .modules.cnn14 import Classifier
from .kinds import INTERPRETERS, kind
from .export.package import parameters, provenance, read_manifest, write_package
from .export.quantise import DEFAULT_FORMS, FORMS, quantise_package
from .sizes import SIZES


def _command(argv):
    return shlex.join(["models/lmactd-models"] + list(argv))


def _split_args(p):
    p.add_argument("--split-convt", type=int, default=0, metavar="K",
                   help="split the interpreters' large ConvTranspose nodes along time in K runs "
                        "(same outputs, K times smaller column buffers; 16 halves a full-size "
                        "explainer's peak memory). Default: no split")
    p.add_argument("--split-min-mib", type=float, default=20.0,
                   help="with --split-convt: split only nodes whose column buffer is at least this")
    p.add_argument("--plain-graphs", action="store_true",
                   help="export the reference modules as traced: no early crop of Hd, no fused "
                        "attention, no polyphase ConvTranspose (the benchmarks' baseline). "
                        "Default: the optimised export (same outputs, faster)")


def _precision_args(p):
    p.add_argument("--precision", choices=["fp32", "int8"], default="fp32",
                   help="int8: quantise the graphs' weights to int8 where the forms of --int8-forms apply "
                        "(export/quantise.py; run quant-gate before offering it). Default fp32")
    p.add_argument("--fp32-out", help="with --precision int8: also keep the fp32 twin here (quant-gate needs it)")
    _int8_args(p)


def _int8_args(p):
    p.add_argument("--weight-bits", type=int, choices=[7, 8], default=7,
                   help="int8 weight range: 7 (+-63, exact on every x86 CPU; default) or 8 (+-127, exact only "
                        "with VNNI or AMX)")
    p.add_argument("--int8-forms", default=",".join(DEFAULT_FORMS),
                   help=f"comma list of {', '.join(FORMS)} (default {','.join(DEFAULT_FORMS)}; conv measured slower)")


def _forms(a):
    return tuple(f for f in a.int8_forms.split(",") if f)


def _write(a, argv, write):
    """write(folder): the fp32 package; with --precision int8 it goes to --fp32-out (or a temporary
    folder) and its int8 twin to --out."""
    if a.precision == "fp32":
        return write(a.out)
    twin = a.fp32_out or os.path.join(os.path.dirname(os.path.abspath(a.out)),
                                      f".fp32-{os.path.basename(os.path.normpath(a.out))}")
    try:
        write(twin)
        quantise_package(twin, a.out, a.weight_bits, _forms(a), command=_command(argv))
    finally:
        if not a.fp32_out:
            shutil.rmtree(twin, ignore_errors=True)


def cmd_random_init(a, argv):
    from .randinit import random_models
    t = time.time()
    kinds = [kind(k, "--interpreters").key for k in a.interpreters.split(",")]
    c, *interpreters = random_models(SIZES[a.size], a.seed, kinds)
    print(f"built {a.size} models in {time.time() - t:.1f} s")
    _write(a, argv, lambda out: write_package(out, c, *interpreters, name=a.name or f"{a.size}-random",
                  description=f"random weights ({a.size} size, seed {a.seed}); for tests and "
                              "benchmarks, explains nothing",
                  prov=provenance(_command(argv), a.seed, "random-init"), n_fft=SIZES[a.size].n_fft,
                  split_convt=_split(a), optimise=not a.plain_graphs))
    print(f"wrote {a.out} in {time.time() - t:.1f} s")


def _split(a):
    return (a.split_convt, a.split_min_mib) if a.split_convt > 1 else None


def _labels(path, classes):
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        labels = [line.rstrip("\n") for line in f if line.strip()]
    if len(labels) != classes:
        raise SystemExit(f"{path}: {len(labels)} labels, the classifier has {classes} classes")
    return labels


def _load_all(a):
    heads = tuple(int(h) for h in a.heads.split(",")) if a.heads else None
    models = {}
    for folder in [a.classifier] + list(a.interpreter or []):
        kind, model = ckpt.load(folder, heads=heads, alpha=a.alpha)
        if kind in models:
            raise SystemExit(f"{folder}: a second {kind} checkpoint")
        models[kind] = model
    if "classifier" not in models:
        raise SystemExit(f"{a.classifier}: not a classifier checkpoint "
                         "(embedding_model.ckpt + classifier.ckpt)")
    return models


def cmd_export(a, argv):
    t = time.time()
    models = _load_all(a)
    c = models["classifier"]
    _write(a, argv, lambda out: write_package(
        out, c, *(m for k, m in models.items() if k != "classifier"), labels=_labels(a.labels, c.size.classes),
        name=a.name, description=a.description, n_fft=a.n_fft, prov=provenance(_command(argv), a.seed, a.data),
        split_convt=_split(a), optimise=not a.plain_graphs))
    print(f"wrote {a.out} in {time.time() - t:.1f} s")


def cmd_golden(a, argv):
    from .export.golden import write_golden, write_windowed_golden
    dirs = ([a.classifier] if a.classifier else []) + list(a.interpreter or [])
    # the recorded command is the one that makes these files: --rewrite only lets it replace them
    write = write_windowed_golden if a.windows else write_golden
    write(a.package, a.out, dirs, command=_command([x for x in argv if x != "--rewrite"]), rewrite=a.rewrite)


def cmd_params(a, argv):
    s = SIZES[a.size]
    c = Classifier(s.cnn14)
    print(f"{a.size}: CNN14 {parameters(c.embedding_model):,} + head {parameters(c.head):,}")
    for key, k in INTERPRETERS.items():
        print(f"{a.size}: {key} {k.describe(k.model_class(k.size_of(s)))}")


def cmd_check(a, argv):
    import onnx
    m = read_manifest(a.package)
    for f in m["files"]:
        if f.endswith(".onnx"):
            try:
                onnx.checker.check_model(os.path.join(a.package, f))
            except onnx.checker.ValidationError as e:
                raise ValueError(f"{os.path.join(a.package, f)}: {e}") from e
    print(f"{a.package}: {m['format']}, {len(m['files'])} files, sha256 and onnx.checker OK")


def cmd_quantise(a, argv):
    t = time.time()
    quantise_package(a.package, a.out, a.weight_bits, _forms(a), command=_command(argv), name=a.name)
    print(f"wrote {a.out} in {time.time() - t:.1f} s; run quant-gate before offering it")


def cmd_quant_gate(a, argv):
    from .export.gate import run_gate, table_md
    gate = run_gate(a.fp32, a.int8, a.data, clips=a.clips, cli=a.lmactd, threads=a.threads,
                    command=_command(argv), heldout=a.heldout)
    print(table_md(gate))
    if not gate["passed"]:
        raise SystemExit(f"lmactd-models quant-gate: {a.int8} FAILED the gate: " + "; ".join(gate["failed"])
                         + " (recorded in its manifest's precision.gate)")
    clips = " + ".join(str(s["clips"]) for s in gate["sets"])
    print(f"{a.int8}: gate passed on {clips} clips in {gate['seconds']} s (recorded in precision.gate)")


def parser():
    ap = argparse.ArgumentParser(prog="lmactd-models", description=
                                 "LMAC-TD reference models: random init, export, golden files.")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    r = sub.add_parser("random-init", help="model package with random weights")
    r.add_argument("--size", choices=sorted(SIZES), required=True)
    r.add_argument("--seed", type=int, required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--interpreters", default=",".join(INTERPRETERS),
                   help=f"comma list of {', '.join(INTERPRETERS)} (default all)")
    r.add_argument("--name")
    _split_args(r)
    _precision_args(r)
    r.set_defaults(fn=cmd_random_init)
    e = sub.add_parser("export", help="model package from checkpoint folders (ours or SpeechBrain's)")
    e.add_argument("--classifier", required=True,
                   help="folder with embedding_model.ckpt + classifier.ckpt")
    e.add_argument("--interpreter", action="append",
                   help="folder with an interpreter's checkpoint files (" + "; ".join(
                       f"{key}: {'/'.join(k.checkpoint_files)}" for key, k in INTERPRETERS.items())
                   + "); repeatable")
    e.add_argument("--out", required=True)
    e.add_argument("--labels", help="labels.txt, one class a line (default class00, ...)")
    e.add_argument("--alpha", type=float, help="LMAC-TD alpha (default: architecture.json, or 0.75)")
    e.add_argument("--heads", help="INTRA,INTER attention heads for SpeechBrain checkpoints "
                                   "without architecture.json (default 4,8)")
    e.add_argument("--n-fft", type=int, default=1024, help="front end n_fft the classifier used")
    e.add_argument("--name", default="exported")
    e.add_argument("--description", default="")
    e.add_argument("--data", default=None, help="what the weights were trained on (provenance)")
    e.add_argument("--seed", type=int, default=None, help="training seed (provenance)")
    _split_args(e)
    _precision_args(e)
    e.set_defaults(fn=cmd_export)
    g = sub.add_parser("golden", help="golden reference tensors and metrics for a package")
    g.add_argument("--package", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--classifier", help="checkpoint folder (for packages not made by random-init)")
    g.add_argument("--interpreter", action="append", help="checkpoint folder; repeatable")
    g.add_argument("--rewrite", action="store_true",
                   help="replace golden files already in --out (default: check them, within the "
                        "measured tolerance, and leave them as they are)")
    g.add_argument("--windows", action="store_true",
                   help="the windowed cases instead: inputs longer than a clip, overlap-added "
                        "(tests/data/golden-windows)")
    g.set_defaults(fn=cmd_golden)
    p = sub.add_parser("params", help="print parameter counts of a size")
    p.add_argument("--size", choices=sorted(SIZES), required=True)
    p.set_defaults(fn=cmd_params)
    c = sub.add_parser("check", help="verify a package: manifest sha256 and onnx.checker")
    c.add_argument("--package", required=True)
    c.set_defaults(fn=cmd_check)
    q = sub.add_parser("quantise", help="an int8 twin of a package (dynamic int8 MatMul and attention)")
    q.add_argument("--package", required=True, help="the fp32 package")
    q.add_argument("--out", required=True)
    q.add_argument("--name", help="the int8 package's name (default: the fp32 one's + '-int8')")
    _int8_args(q)
    q.set_defaults(fn=cmd_quantise)
    gt = sub.add_parser("quant-gate", help="faithfulness gate of an int8 package against its fp32 twin on the "
                                           "test split (runs the C# CLI); records the verdict in its manifest")
    gt.add_argument("--fp32", required=True, help="the fp32 package")
    gt.add_argument("--int8", required=True, help="its int8 twin (quantise or --precision int8)")
    gt.add_argument("--data", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                   "work", "data"),
                    help="the dataset folder holding test.csv (rendered there if missing; default models/work/data)")
    gt.add_argument("--heldout", help="also gate on this clip list (CSV path,label, paths relative to it), for "
                                      "example models/work/heldout/heldout.csv from `lmactd-train heldout`")
    gt.add_argument("--clips", type=int, default=0, help="only the first N clips of each set (0: all)")
    gt.add_argument("--lmactd", help="command that runs the CLI (default: dotnet on its Release build)")
    gt.add_argument("--threads", type=int, default=2)
    gt.set_defaults(fn=cmd_quant_gate)
    from .train.cli import host_adapter, register  # default model: dataset, examples, train, ...
    register(sub, host_adapter)
    return ap


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    torch.set_num_threads(int(os.environ.get("LMACTD_THREADS", "2")))
    a = parser().parse_args(argv)
    try:
        a.fn(a, argv)
    except (ckpt.CheckpointError, ValueError, OSError) as e:
        print(f"lmactd-models {a.cmd}: error: {e}", file=sys.stderr)
        return 1
    return 0
