"""Export of the default model: the trained checkpoints -> models/default (package.py writes the
package, so the format is the one of `lmactd-models export`), plus small weight-only copies under
models/checkpoints/ that a later session can resume or re-export from."""
import json
import os
import shlex
import sys

import torch

from .. import data as D
from ..export.package import provenance, write_package
from .loop import load_classifier
from .interpreters import load_interpreter

def _dataset_info(work) -> dict:
    """The work folder's data/dataset.json (what the last `dataset` call wrote), or {} without one."""
    path = os.path.join(work, "data", "dataset.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def data_command(info: dict) -> str:
    """The `dataset` command behind the clips, rebuilt from dataset.json: its split sizes, recipe and shares
    (a fixed text said --train 2600 for a model trained on 5 200 clips), and which labels its last call
    re-rendered when it was such a call."""
    sizes = info.get("sizes", {"train": 2600, "val": 390, "test": 390})
    cmd = ("models/lmactd-train dataset --out models/work/data "
           f"--train {sizes['train']} --val {sizes['val']} --test {sizes['test']}")
    if info.get("recipe") == "real":
        cmd += " --real-sources models/work/sources"
    for key, flag in (("bellShare", "--bell-share"), ("patShare", "--pat-share")):
        if info.get(key):
            cmd += f" {flag} {info[key]}"
    if info.get("rerendered"):
        cmd += f" (last call re-rendered {','.join(info['rerendered'])} with --only-labels)"
    return cmd


def export_default(work, out, checkpoints_dir=None, argv=None, optimise=True):
    clf, cc = load_classifier(work)
    td, tc = load_interpreter(work, "lmac-td")
    lm, lc = load_interpreter(work, "lmac")
    info = _dataset_info(work)
    real = info.get("recipe") == "real"
    tuned = ", fine-tuned from the previous default model," if cc["state"].get("warm") else ""
    data = ("recordings, sampled soundfonts, real drum kits and voices with augmentations" if real
            else "synthetic clips")
    desc = (f"CNN14 (1/8 width) on {len(D.CLASSES)} everyday-sound classes from {data}{tuned} with LMAC-TD "
            f"(alpha {td.size.alpha}, {tc['state']['step']} steps) and L-MAC ({lc['state']['step']} steps) "
            "interpreters trained on CPU; see MODEL_CARD.md")
    cmd = shlex.join(["models/lmactd-train"] + list(argv if argv is not None else sys.argv[1:]))
    prov = provenance(cmd, 1, f"lmactd-train dataset recipe (models/lmactd_models/data/): {data_command(info)}")
    m = write_package(out, clf, td, lm, labels=list(D.CLASSES), name="default", description=desc, prov=prov,
                      optimise=optimise)
    if checkpoints_dir:
        os.makedirs(checkpoints_dir, exist_ok=True)
        for name, model, ck in (("classifier", clf, cc), ("lmac-td", td, tc), ("lmac", lm, lc)):
            path = os.path.join(checkpoints_dir, f"{name}.pt")
            torch.save({"model": model.state_dict(), "size": ck["size"],
                        "state": {k: v for k, v in ck["state"].items()}}, path + ".tmp")
            os.replace(path + ".tmp", path)
    return m
