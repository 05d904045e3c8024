"""Applies the time split of large ConvTranspose nodes (models/lmactd_models/export/convt_split.py, where
the method is described) to a package already exported, writing a new package beside it.

    /usr/bin/python3 benchmarks/experiments/split_convt.py --package models/build/full \
        --out benchmarks/artifacts/packages/full-split --chunks 8 [--min-col-mb 100]

Writes the rewritten lmac-td.onnx (and lmac-stft.onnx if it has such nodes), hard links to the
untouched files, and a manifest with their sizes and digests; measured by benchmarks/compare's
--variant. New packages get the split at export: `models/lmactd-models random-init|export --split-convt K`.
"""
import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models"))
from lmactd_models.export.convt_split import rewrite  # noqa: E402  (the rewrite lives with the export)
from lmactd_models.export.package import sha256  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--package", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--chunks", type=int, default=8)
    p.add_argument("--min-col-mb", type=float, default=100.0, help="split only nodes whose column buffer is at least this")
    p.add_argument("--graphs", default="lmac-td.onnx", help="graphs to rewrite, comma-separated")
    a = p.parse_args()
    with open(os.path.join(a.package, "manifest.json")) as f:
        m = json.load(f)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    targets = set(a.graphs.split(","))
    for name in m["files"]:
        src, dst = os.path.join(os.path.abspath(a.package), name), os.path.join(a.out, name)
        if name in targets and rewrite(src, dst, a.chunks, a.min_col_mb, print):
            m["files"][name] = {"sha256": sha256(dst), "bytes": os.path.getsize(dst)}
        else:
            os.link(src, dst)  # a hard link: the runtime checks sizes without following symbolic links
    m["name"] = m["name"] + f"-split{a.chunks}"
    m["description"] = f"{m['description']}; large ConvTranspose nodes split along time in {a.chunks} (benchmarks/experiments/split_convt.py)"
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(m, f, indent=1)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    sys.exit(main())
