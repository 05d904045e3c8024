"""Splits large ConvTranspose nodes of an exported graph along time (H), to bound memory.

ONNX Runtime runs a ConvTranspose as one GEMM into a column buffer of (C_out * kH * kW) x (H_in * W_in)
floats, then folds it back (col2im). For LMAC-TD's convt8 at full size that buffer alone is about
1.5 GB, which sets the explainer's peak working set. Cutting the input into K runs of rows and
transposed-convolving each (with the bias, without padding along H) gives K outputs that overlap by
kH - sH rows with their neighbours; concatenating the parts that do not overlap with the sums of the
parts that do (less the bias counted twice there), cropped by the padding at both ends, is exactly
the original output (up to float summation order), with a column buffer K times smaller.

Used by `write_package(split_convt=...)` (`lmactd-models random-init|export --split-convt K`) and by
benchmarks/experiments/split_convt.py on packages already exported. CI checks the rewrite against
the golden files on tests/data/tiny-package-split.
"""
import os

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


def rewrite(src, dst, chunks, min_col_mb, log=print):
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
