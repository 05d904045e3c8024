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

DATA_COMMAND = "models/lmactd-train dataset --out models/work/data --train 2600 --val 390 --test 390"
REAL_DATA_COMMAND = DATA_COMMAND + " --real-sources models/work/sources"


def _recipe(work) -> str:
    """"real" when the work folder's dataset was rendered with --real-sources, else "synthetic"."""
    path = os.path.join(work, "data", "dataset.json")
    if not os.path.exists(path):
        return "synthetic"
    with open(path) as f:
        return json.load(f).get("recipe", "synthetic")


def export_default(work, out, checkpoints_dir=None, argv=None, optimise=True):
    clf, cc = load_classifier(work)
    td, tc = load_interpreter(work, "lmac-td")
    lm, lc = load_interpreter(work, "lmac")
    real = _recipe(work) == "real"
    tuned = ", fine-tuned from the previous default model," if cc["state"].get("warm") else ""
    data = ("recordings, sampled soundfonts, real drum kits and voices with augmentations" if real
            else "synthetic clips")
    desc = (f"CNN14 (1/8 width) on {len(D.CLASSES)} everyday-sound classes from {data}{tuned} with LMAC-TD "
            f"(alpha {td.size.alpha}, {tc['state']['step']} steps) and L-MAC ({lc['state']['step']} steps) "
            "interpreters trained on CPU; see MODEL_CARD.md")
    cmd = shlex.join(["models/lmactd-train"] + list(argv if argv is not None else sys.argv[1:]))
    prov = provenance(cmd, 1, f"lmactd-train dataset recipe (models/lmactd_models/data/): {REAL_DATA_COMMAND if real else DATA_COMMAND}")
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
