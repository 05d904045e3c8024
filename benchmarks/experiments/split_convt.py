"""Experiment: a package whose large ConvTranspose nodes are split along the time axis (H).

ONNX Runtime runs a ConvTranspose as one GEMM into a column buffer of (C_out * kH * kW) x (H_in * W_in)
floats, then folds it back (col2im). For LMAC-TD's convt8 at full size that buffer alone is about
1.5 GB, which sets the explainer's peak working set. Cutting the input into K runs of rows and
transposed-convolving each (with the bias, without padding along H) gives K outputs that overlap by
kH - sH rows with their neighbours; concatenating the parts that do not overlap with the sums of the
parts that do (less the bias counted twice there), cropped by the padding at both ends, is exactly
the original output (up to float summation order), with a column buffer K times smaller.

    /usr/bin/python3 benchmarks/experiments/split_convt.py --package models/build/full \
        --out benchmarks/artifacts/packages/full-split --chunks 8 [--min-col-mb 100]

Writes a package folder next to the original: the rewritten lmac-td.onnx (and lmac-stft.onnx if it
has such nodes), links to the untouched files, and a manifest with their sizes and digests. An
experiment for the export (models/), measured by benchmarks/compare's --variant; not shipped.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, shape_inference


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def split_node(node, dims, inits, chunks, new_inits):
    """Nodes replacing one ConvTranspose (2-D, group 1, no dilation or output padding)."""
    x, w = node.input[0], node.input[1]
    b = node.input[2] if len(node.input) > 2 and node.input[2] else None
    wt = inits[w]
    cout, (kh, kw) = wt.dims[1], tuple(wt.dims[2:])
    sh, sw = attr(node, "strides", [1, 1])
    ph0, pw0, ph1, pw1 = attr(node, "pads", [0, 0, 0, 0])
    h_in = dims[2]
    ov = kh - sh
    n = -(-h_in // chunks)
    starts = list(range(0, h_in, n))
    if ov <= 0 or any(min(n, h_in - a) * sh < ov for a in starts):
        return None
    p = node.name or node.output[0]
    nodes, ys = [], []

    def const(name, values):
        new_inits.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
        return name

    axes = const(f"{p}/split/axes", [2])
    bias = None
    if b:
        bias = f"{p}/split/bias"
        new_inits.append(numpy_helper.from_array(numpy_helper.to_array(inits[b]).reshape(1, cout, 1, 1), bias))
    for c, a in enumerate(starts):
        e = min(a + n, h_in)
        xs = f"{p}/split/x{c}"
        nodes.append(helper.make_node("Slice", [x, const(f"{p}/split/s{c}", [a]), const(f"{p}/split/e{c}", [e]), axes], [xs]))
        y = f"{p}/split/y{c}"
        nodes.append(helper.make_node("ConvTranspose", [xs, w] + ([b] if b else []), [y], name=f"{p}/split/convt{c}",
                                      kernel_shape=[kh, kw], strides=[sh, sw], pads=[0, pw0, 0, pw1]))
        ys.append((y, (e - a - 1) * sh + kh))
    if len(ys) < 2 or ph0 > ys[0][1] - ov or ph1 > ys[-1][1] - ov:
        return None
    # The output along H, in order: core0, ov1, core1, ov2, core2, ... Each chunk carries the bias, so where two
    # overlap it is there twice and comes off once; the padding is cropped off the first and last cores.
    parts = []
    big = 1 << 40
    for c, (y, length) in enumerate(ys):
        lo = ph0 if c == 0 else ov
        hi = length - ph1 if c == len(ys) - 1 else length - ov
        core = f"{p}/split/core{c}"
        nodes.append(helper.make_node("Slice", [y, const(f"{core}/s", [lo]), const(f"{core}/e", [hi]), axes], [core]))
        if c > 0:
            parts.append(f"{p}/split/ov{c}")
        parts.append(core)
        if c + 1 < len(ys):
            tail, head, both = f"{p}/split/tail{c}", f"{p}/split/head{c + 1}", f"{p}/split/ov{c + 1}"
            nodes.append(helper.make_node("Slice", [y, const(f"{tail}/s", [length - ov]), const(f"{tail}/e", [big]), axes], [tail]))
            nodes.append(helper.make_node("Slice", [ys[c + 1][0], const(f"{head}/s", [0]), const(f"{head}/e", [ov]), axes], [head]))
            if bias:
                nodes.append(helper.make_node("Add", [tail, head], [both + "/twice"]))
                nodes.append(helper.make_node("Sub", [both + "/twice", bias], [both]))
            else:
                nodes.append(helper.make_node("Add", [tail, head], [both]))
    nodes.append(helper.make_node("Concat", parts, [node.output[0]], axis=2))
    return nodes


def rewrite(src, dst, chunks, min_col_mb, log):
    model = onnx.load(src)
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        d = vi.type.tensor_type.shape.dim
        shapes[vi.name] = [x.dim_value if x.HasField("dim_value") else 1 for x in d]
    inits = {t.name: t for t in model.graph.initializer}
    new_nodes, new_inits, done = [], [], []
    for node in model.graph.node:
        if node.op_type == "ConvTranspose" and node.input[1] in inits and node.input[0] in shapes \
                and attr(node, "group", 1) == 1 and all(v == 1 for v in attr(node, "dilations", [1, 1])) \
                and not any(attr(node, "output_padding", [])) and len(shapes[node.input[0]]) == 4:
            dims = shapes[node.input[0]]
            wt = inits[node.input[1]]
            col_mb = wt.dims[1] * wt.dims[2] * wt.dims[3] * dims[2] * dims[3] * 4 / 2**20
            if col_mb >= min_col_mb:
                repl = split_node(node, dims, inits, chunks, new_inits)
                if repl:
                    new_nodes.extend(repl)
                    done.append(f"{node.name} (column buffer {col_mb:.0f} MB -> ~{col_mb / chunks:.0f} MB)")
                    continue
        new_nodes.append(node)
    if not done:
        return []
    del model.graph.node[:]
    model.graph.node.extend(new_nodes)
    model.graph.initializer.extend(new_inits)
    onnx.checker.check_model(model)
    tmp = dst + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, dst)
    for d in done:
        log(f"  {os.path.basename(src)}: split {d}")
    return done


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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
