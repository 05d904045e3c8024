"""Subcommands of the default model's recipe: `dataset`, `train`, `examples`, `evaluate`.

Run as `models/lmactd-train <subcommand> ...` (or folded into `models/lmactd-models`)."""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # models/
WORK = os.path.join(HERE, "work")


def _setup_torch():
    import torch
    torch.set_num_threads(int(os.environ.get("LMACTD_THREADS", "2")))


def cmd_dataset(a):
    from .. import data
    from ..data import timidity
    sizes = {"train": a.train, "val": a.val, "test": a.test}
    labels = [x for x in a.only_labels.split(",") if x] if a.only_labels else None
    if labels and set(labels) - set(data.CLASSES):
        raise SystemExit(f"--only-labels: unknown {sorted(set(labels) - set(data.CLASSES))}")
    if a.bell_share and not a.real_sources:
        raise SystemExit("--bell-share needs --real-sources: the synthesised bells are part of the real-source recipe")
    if a.pat_share and not a.real_sources:
        raise SystemExit("--pat-share needs --real-sources: freepats is one of the real-source recipe's sources")
    if a.pat_share and not timidity.available():
        raise SystemExit("--pat-share: timidity is not installed (apt install timidity); it renders freepats")
    print(data.build_dataset(a.out, sizes=sizes, workers=a.workers, real_root=a.real_sources, labels=labels,
                             only_missing=a.only_missing, bell_share=a.bell_share, pat_share=a.pat_share))


def cmd_sources(a):
    import json
    from ..data import sources
    if a.fetch:
        for folder in sources.fetch(a.root):
            print(folder)
        for package in sources.install_voices():
            print(f"installed {package}")
    rows = sources.inventory(a.root)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    for r in rows:
        print(f"{r['class']:12s} {r['pool']:24s} {'held out' if r['heldOut'] else 'train':8s} "
              f"{r['files']:4d} files {r['seconds']:8.1f} s  {', '.join(r['licences'])}")


def cmd_heldout(a):
    from ..data import heldout
    print(heldout.build(a.out, a.root, a.count, augmented=a.augment))


def cmd_examples(a):
    from .. import data
    for p in data.render_examples(a.out):
        print(p)


def cmd_train(a):
    from .loop import CheckpointMismatch
    try:
        return _train(a)
    except CheckpointMismatch as e:
        raise SystemExit(f"lmactd-train train: {e}") from None


def _train(a):
    _setup_torch()
    from . import loop
    os.makedirs(a.work, exist_ok=True)
    done = True
    if a.stage in ("classifier", "all"):
        from .melaug import Augment
        augment = Augment(eq_share=a.eq_share, mel_shift_share=a.mel_shift, mixup_alpha=a.mixup)
        done = loop.train_classifier(a.data, a.work, epochs=a.epochs, minutes=a.minutes, init=a.init,
                                     augment=augment) and done
        if not done:
            return 3
    if a.stage in ("lmac-td", "all"):
        from . import interpreters
        done = interpreters.train_lmactd(a.data, a.work, steps=a.steps, minutes=a.minutes, init=a.init,
                                          equal_share=a.equal_share) and done
        if not done:
            return 3
    if a.stage in ("lmac", "all"):
        from . import interpreters
        done = interpreters.train_lmac(a.data, a.work, steps=a.lmac_steps, minutes=a.minutes, init=a.init,
                                        equal_share=a.equal_share) and done
    return 0 if done else 3


def cmd_export(a):
    _setup_torch()
    from . import export
    card = os.path.join(a.out, "MODEL_CARD.md")
    kept = open(card, encoding="utf-8").read() if os.path.exists(card) else None
    m = export.export_default(a.work, a.out, a.checkpoints, argv=getattr(a, "argv", None),
                                    optimise=not a.plain_graphs)
    if kept is not None:  # write_package replaced the folder; the card is kept, not regenerated
        with open(card, "w", encoding="utf-8") as f:
            f.write(kept)
    from .. import data
    data.render_examples(os.path.join(a.out, "examples"))  # write_package replaced the folder
    total = sum(f["bytes"] for f in m["files"].values())
    print(f"wrote {a.out}: {len(m['files'])} files, {total / 1e6:.1f} MB")


def cmd_evaluate(a):
    _setup_torch()
    from . import evaluate
    evaluate.main(a)


def cmd_heldout_mixtures(a):
    _setup_torch()
    from . import heldout_mixtures
    heldout_mixtures.main(a)


def cmd_heldout_accuracy(a):
    _setup_torch()
    from . import heldout_accuracy
    heldout_accuracy.main(a)


def cmd_heldout_report(a):
    from . import heldout_report
    heldout_report.main(a)


def cmd_example_margin(a):
    from . import evaluate
    for k, v in evaluate.example_margins(a.mixture, a.explanation).items():
        print(f"{k}: SI-SDR vs speech {v['target']:.2f} dB, vs piano {v['interferer']:.2f} dB, "
              f"margin {v['margin']:.2f} dB")


def register(sub, adapt=lambda fn: fn):
    """Adds dataset, examples, train, export and evaluate to an argparse subparsers object;
    `adapt` wraps each handler for a host CLI with another handler signature."""
    d = sub.add_parser("dataset", help="render the labelled clips and CSVs of the default model")
    d.add_argument("--out", default=os.path.join(WORK, "data"))
    d.add_argument("--train", type=int, default=2600)
    d.add_argument("--val", type=int, default=390)
    d.add_argument("--test", type=int, default=390)
    d.add_argument("--real-sources", metavar="ROOT", help="the next recipe: recordings, kits, soundfonts and augmentations "
                   "from the allowed packages unpacked under ROOT by 'sources --fetch' (held-out sources never used)")
    d.add_argument("--workers", type=int, default=2)
    d.add_argument("--only-labels", metavar="A,B", help="re-render only the clips whose target is one of these classes "
                   "in splits already rendered (then delete models/work/cache, which holds the old clips)")
    d.add_argument("--only-missing", action="store_true", help="render only the clips whose WAV is not there "
                   "(a split grown to a larger size, or a render resumed); the CSVs list every clip")
    d.add_argument("--bell-share", type=float, default=0.0, help="with --real-sources: this share of the bells "
                   "from the bell synthesiser (data/bells.py) instead of the soundfonts (default 0, as shipped)")
    d.add_argument("--pat-share", type=float, default=0.0, help="with --real-sources: this share of the clips' MIDI "
                   "parts on freepats, rendered by TiMidity++ (data/timidity.py; default 0, as shipped)")
    d.set_defaults(fn=adapt(cmd_dataset))
    so = sub.add_parser("sources", help="fetch (--fetch) and list the real-recording pools the recipe may train on")
    so.add_argument("--root", default=os.path.join(WORK, "sources"), help="where the packages are unpacked")
    so.add_argument("--fetch", action="store_true", help="apt-get download and unpack the allowed packages first, and install festival's voices")
    so.add_argument("--json", help="also write the inventory as JSON here")
    so.set_defaults(fn=adapt(cmd_sources))
    h = sub.add_parser("heldout", help="render the held-out-source set (sources never trained on) with a CSV")
    h.add_argument("--root", default=os.path.join(WORK, "sources"), help="where 'sources --fetch' unpacked the packages")
    h.add_argument("--out", default=os.path.join(WORK, "heldout"))
    h.add_argument("--count", type=int, default=260)
    h.add_argument("--augment", action="store_true", help="also run augment.chain on each clip")
    h.set_defaults(fn=adapt(cmd_heldout))
    e = sub.add_parser("examples", help="render the default package's example WAVs from test seeds")
    e.add_argument("--out", default=os.path.join(HERE, "default", "examples"))
    e.set_defaults(fn=adapt(cmd_examples))
    t = sub.add_parser("train", help="train a stage for at most --minutes; rerun to resume (exit 3 = not finished)")
    t.add_argument("--stage", choices=["classifier", "lmac-td", "lmac", "all"], default="all")
    t.add_argument("--data", default=os.path.join(WORK, "data"))
    t.add_argument("--work", default=WORK)
    t.add_argument("--minutes", type=float, default=9.0)
    t.add_argument("--epochs", type=int, default=12)
    t.add_argument("--steps", type=int, default=1500)
    t.add_argument("--lmac-steps", type=int, default=1500)
    t.add_argument("--init", metavar="DIR", help="a fresh stage starts from the weights of DIR/<stage>.pt "
                   "(for example models/checkpoints) instead of random ones")
    t.add_argument("--equal-share", type=float, default=0.0,
                   help="share of the interpreters' training mixtures mixed at equal level (the rest at 0.8/0.2)")
    t.add_argument("--eq-share", type=float, default=0.0,
                   help="classifier: a random EQ curve on this share of the examples (default 0, as shipped)")
    t.add_argument("--mel-shift", type=float, default=0.0,
                   help="classifier: shift this share of the examples' log-mels by 1-3 mel bands (default 0, as shipped)")
    t.add_argument("--mixup", type=float, default=0.0, metavar="ALPHA",
                   help="classifier: mixup with weights from Beta(ALPHA, ALPHA) (default 0 = off, as shipped)")
    t.set_defaults(fn=adapt(cmd_train))
    x = sub.add_parser("export-default", help="export the trained checkpoints as the default package")
    x.add_argument("--work", default=WORK)
    x.add_argument("--out", default=os.path.join(HERE, "default"))
    x.add_argument("--checkpoints", default=os.path.join(HERE, "checkpoints"),
                   help="where small weight-only copies go ('' for none)")
    x.add_argument("--plain-graphs", action="store_true",
                   help="the straightforward export (benchmarks' baseline; see models/README.md)")
    x.set_defaults(fn=adapt(cmd_export))
    v = sub.add_parser("evaluate", help="test-split figures of the default model's card")
    v.add_argument("--data", default=os.path.join(WORK, "data"))
    v.add_argument("--work", default=WORK)
    v.add_argument("--out", default=os.path.join(WORK, "eval.json"))
    v.add_argument("--mixtures", type=int, default=52)
    v.add_argument("--clips", type=int, default=130, help="test clips for the interpreter metrics (0 = all)")
    v.set_defaults(fn=adapt(cmd_evaluate))
    hm = sub.add_parser("heldout-mixtures", help="SI-SDR margins on mixtures of held-out-source clips (paper and equal level)")
    hm.add_argument("--heldout", default=os.path.join(WORK, "heldout"))
    hm.add_argument("--work", default=WORK)
    hm.add_argument("--count", type=int, default=100)
    hm.add_argument("--out", default=os.path.join(WORK, "heldout-mixtures.json"))
    hm.set_defaults(fn=adapt(cmd_heldout_mixtures))

    ha = sub.add_parser("heldout-accuracy", help="classifier checkpoints alone on the held-out sets (accuracy, p_c, "
                        "per class), before any interpreter is trained")
    ha.add_argument("--classifiers", nargs="+", default=[os.path.join(HERE, "checkpoints", "classifier.pt")],
                    help="classifier.pt files (a stage checkpoint or a models/checkpoints copy)")
    ha.add_argument("--sets", nargs="+", default=[os.path.join(WORK, "heldout"), os.path.join(WORK, "heldout-aug")],
                    help="folders with a heldout.csv ('heldout' writes them)")
    ha.add_argument("--json", help="also write the figures here")
    ha.set_defaults(fn=adapt(cmd_heldout_accuracy))

    hr = sub.add_parser("heldout-report", help="the card's held-out rows from 'lmactd eval --interpreter both --json' reports")
    hr.add_argument("--names", nargs="+", required=True, help="a row name per report")
    hr.add_argument("--reports", nargs="+", required=True, help="lmactd eval JSON reports")
    hr.add_argument("--csvs", nargs="+", required=True, help="the CSV (path,label) of each report's set")
    hr.set_defaults(fn=adapt(cmd_heldout_report))

    g = sub.add_parser("example-margin", help="SI-SDR margins of an explanation of examples/speech_over_piano.wav")
    g.add_argument("--mixture", default=os.path.join(HERE, "default", "examples", "speech_over_piano.wav"))
    g.add_argument("--explanation", required=True, help="the explanation WAV that lmactd explain wrote")
    g.set_defaults(fn=adapt(cmd_example_margin))


def main(argv=None):
    p = argparse.ArgumentParser(prog="lmactd-train", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    register(sub)
    argv = sys.argv[1:] if argv is None else argv
    a = p.parse_args(argv)
    a.argv = argv
    return a.fn(a) or 0


if __name__ == "__main__":
    sys.exit(main())


def host_adapter(fn):
    """Handler for models/lmactd-models (handlers there take (args, argv)); a non-zero return
    (3: training stage not finished) becomes the exit status."""
    def run(a, argv):
        a.argv = argv
        rc = fn(a)
        if rc:
            raise SystemExit(rc)
    return run
