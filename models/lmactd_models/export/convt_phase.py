"""Rewrites strided ConvTranspose nodes of an exported graph as polyphase Conv nodes (same output).

ONNX Runtime runs a ConvTranspose as one GEMM into a column buffer of (C_out * kH * kW) x (H_in * W_in)
floats, then folds that buffer back single-threaded (col2im): for LMAC-TD's convt8 at full size the
buffer is 1.5 GB and the fold a large share of the node's time. A transposed convolution with stride
(sH, sW) is the interleaving of sH * sW ordinary convolutions, one per output phase (a, b): phase
(a, b) uses the kernel taps a, a + sH, ... along H and b, b + sW, ... along W, flipped, over the input
padded by (taps - 1) in front. Ordinary convolutions run on ONNX Runtime's blocked (NCHWc) direct
kernels without a column buffer. A Concat (with a Transpose where both axes are strided) interleaves
the phases and a Slice takes off the ConvTranspose's padding. The multiply-adds are the same; only their order of
summation changes.

Used by `write_package(convt_phase=True)` (the export's default; `lmactd-models ... --plain-convt`
keeps the ConvTranspose nodes). CI checks the rewrite against the golden files on tests/data/tiny-package.
"""
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper, shape_inference

from .convt_split import attr

# Rewritten only where each phase keeps enough taps, channels and input positions for the direct
# kernels to win: measured on LMAC-TD's full-size layers (2 cores, ONNX Runtime 1.31), convt8
# (70 taps over 3 phases, 478 x 81 input) ran 1.5x faster and convt5 (49 over 4, 120 x 21) 1.2x,
# while convt7 (12 taps over 4), convt9 (80 over 21, one output channel) and convt3 (132 over 6
# on only 41 x 7 positions) ran 1.4x, 5x and 1.2x slower as phases.
MIN_TAPS_PER_PHASE = 10
MIN_OUT_CHANNELS = 2
MIN_INPUT_POSITIONS = 1000
# A layer with too few output channels for a Conv per phase (Hd's composed convt8 -> convt9: one
# channel, 63 phases of up to 4 x 10 taps) becomes one Conv whose output channels are the phases,
# each kernel padded to the largest phase's taps, when at least this share of its taps is real:
# 320 ms as a ConvTranspose, about 230 ms so, at full size.
MIN_STACKED_EFFICIENCY = 0.6
NCHWC_BLOCK = 16                                             # ONNX Runtime's blocked kernels take multiples of it


def phase_taps(k, s):
    """Taps of each output phase: phase a uses kernel indices a, a + s, ... < k."""
    return [list(range(a, k, s)) for a in range(s)]


def phase_weight(w, sh, sw, a, b):
    """ConvTranspose weight [C_in, C_out, kH, kW] -> Conv weight of phase (a, b):
    [C_out, C_in, JH, JW], taps a::sH, b::sW, flipped along both axes."""
    return w[:, :, a::sh, b::sw][:, :, ::-1, ::-1].transpose(1, 0, 2, 3).copy(order="C")


def phase_node(node, dims, inits, new_inits):
    """Nodes replacing one ConvTranspose (2-D, group 1, no dilation or output padding, every
    kernel dimension at least its stride), or None when it is not of that kind."""
    x, w = node.input[0], node.input[1]
    b = node.input[2] if len(node.input) > 2 and node.input[2] else None
    wt = numpy_helper.to_array(inits[w])
    cout, (kh, kw) = wt.shape[1], wt.shape[2:]
    sh, sw = attr(node, "strides", [1, 1])
    pt, pl, pb, pr = attr(node, "pads", [0, 0, 0, 0])
    if sh * sw == 1 or kh < sh or kw < sw or attr(node, "output_shape") \
            or kh * kw < MIN_TAPS_PER_PHASE * sh * sw or dims[2] * dims[3] < MIN_INPUT_POSITIONS:
        return None
    if cout < MIN_OUT_CHANNELS:
        return stacked_node(node, dims, wt, b, inits, new_inits)
    h_in, w_in = dims[2], dims[3]
    qh, qw = h_in - 1 + -(-kh // sh), w_in - 1 + -(-kw // sw)     # rows, columns of every phase
    h_out, w_out = (h_in - 1) * sh + kh - pt - pb, (w_in - 1) * sw + kw - pl - pr
    p = node.name or node.output[0]
    nodes, phases = [], []
    for a in range(sh):
        for c in range(sw):
            jh, jw = len(range(a, kh, sh)), len(range(c, kw, sw))
            wp = f"{p}/phase{a}_{c}/w"
            new_inits.append(numpy_helper.from_array(phase_weight(wt, sh, sw, a, c).astype(wt.dtype), wp))
            y = f"{p}/phase{a}_{c}"
            nodes.append(helper.make_node(
                "Conv", [x, wp] + ([b] if b else []), [y], name=y, kernel_shape=[jh, jw],
                pads=[jh - 1, jw - 1, qh - h_in, qw - w_in]))
            phases.append(y)
    stacked = f"{p}/phases"
    if sh == 1 or sw == 1:
        # one strided axis: each phase gets a unit axis after it and one Concat interleaves them
        # (a block copy; the general case's 6-D Transpose was the slower part at full size)
        axis = 3 if sw == 1 else 4
        units = []
        for y in phases:
            nodes.append(helper.make_node("Unsqueeze", [y, _ints(new_inits, f"{y}/axis", [axis])], [y + "/u"]))
            units.append(y + "/u")
        nodes.append(helper.make_node("Concat", units, [stacked + "5"], axis=axis))
        nodes.append(helper.make_node("Reshape", [stacked + "5", _ints(new_inits, f"{p}/phases/shape4", [0, cout, qh * sh, qw * sw])],
                                      [stacked + "4"]))
    else:
        nodes.append(helper.make_node("Concat", phases, [stacked], axis=1))
        _interleave(nodes, new_inits, stacked, f"{p}/phases", sh, sw, cout, qh, qw)
    _crop(nodes, new_inits, stacked + "4", node.output[0], f"{p}/crop", (pt, pl), (h_out, w_out))
    return nodes


def _ints(new_inits, name, values):
    """An int64 initializer `name`; returns the name."""
    new_inits.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
    return name


def _interleave(nodes, new_inits, src, prefix, sh, sw, cout, qh, qw):
    """src [N, (a, b, C_out), QH, QW] -> src+"4" [N, C_out, QH*sH, QW*sW], output row q*sH + a and column
    r*sW + b taken from phase (a, b): a reshape to [N, a, b, C_out, QH, QW], a transpose to
    [N, C_out, QH, a, QW, b] and a reshape back."""
    nodes.append(helper.make_node("Reshape", [src, _ints(new_inits, f"{prefix}/shape6", [0, sh, sw, cout, qh, qw])],
                                  [src + "6"]))
    nodes.append(helper.make_node("Transpose", [src + "6"], [src + "t"], perm=[0, 3, 4, 1, 5, 2]))
    nodes.append(helper.make_node("Reshape", [src + "t", _ints(new_inits, f"{prefix}/shape4", [0, cout, qh * sh, qw * sw])],
                                  [src + "4"]))


def _crop(nodes, new_inits, src, dst, prefix, start, size):
    """dst = src[:, :, start[0]:start[0]+size[0], start[1]:start[1]+size[1]]: the ConvTranspose's padding off."""
    nodes.append(helper.make_node("Slice", [src, _ints(new_inits, f"{prefix}/s", list(start)),
                                            _ints(new_inits, f"{prefix}/e", [start[0] + size[0], start[1] + size[1]]),
                                            _ints(new_inits, f"{prefix}/axes", [2, 3])], [dst]))


def stacked_weight(wt, sh, sw, channels):
    """[channels, C_in, JH, JW]: phase (a, b)'s kernel (`phase_weight`) as output channels
    (a * sW + b) * C_out + o, zero-padded at the front to the most taps (a phase with fewer taps
    reads the same padded input, so its kernel starts later); channels past the phases are zero."""
    cin, cout, kh, kw = wt.shape
    jh, jw = -(-kh // sh), -(-kw // sw)
    weight = np.zeros((channels, cin, jh, jw), dtype=wt.dtype)
    for a in range(sh):
        for c in range(sw):
            k = (a * sw + c) * cout
            wp = phase_weight(wt, sh, sw, a, c)
            weight[k:k + cout, :, jh - wp.shape[2]:, jw - wp.shape[3]:] = wp
    return weight


def stacked_node(node, dims, wt, b, inits, new_inits):
    """One Conv with the sH * sW phases as its output channels (padded to NCHWC_BLOCK), each phase's
    kernel zero-padded at the front to the largest, then the phases interleaved; or None where the
    padding would waste more than MIN_STACKED_EFFICIENCY allows."""
    cin, cout, kh, kw = wt.shape
    sh, sw = attr(node, "strides", [1, 1])
    pt, pl, pb, pr = attr(node, "pads", [0, 0, 0, 0])
    jh, jw = -(-kh // sh), -(-kw // sw)
    phases = sh * sw * cout
    channels = -(-phases // NCHWC_BLOCK) * NCHWC_BLOCK
    if kh * kw * cout < MIN_STACKED_EFFICIENCY * jh * jw * channels:
        return None
    h_in, w_in = dims[2], dims[3]
    qh, qw = h_in - 1 + jh, w_in - 1 + jw
    h_out, w_out = (h_in - 1) * sh + kh - pt - pb, (w_in - 1) * sw + kw - pl - pr
    p = node.name or node.output[0]
    weight = stacked_weight(wt, sh, sw, channels)
    bias = np.zeros(channels, dtype=wt.dtype)
    bias[:phases] = np.tile(numpy_helper.to_array(inits[b]) if b else np.zeros(cout, dtype=wt.dtype), sh * sw)
    new_inits.append(numpy_helper.from_array(weight, f"{p}/stacked/w"))
    new_inits.append(numpy_helper.from_array(bias, f"{p}/stacked/b"))
    y = f"{p}/stacked"
    nodes = [helper.make_node("Conv", [node.input[0], f"{p}/stacked/w", f"{p}/stacked/b"], [y], name=y,
                              kernel_shape=[jh, jw], pads=[jh - 1, jw - 1, qh - h_in, qw - w_in])]
    if channels > phases:
        nodes.append(helper.make_node("Slice", [y, _ints(new_inits, f"{y}/cs", [0]), _ints(new_inits, f"{y}/ce", [phases]),
                                                _ints(new_inits, f"{y}/ca", [1])], [y + "/phases"]))
        y += "/phases"
    _interleave(nodes, new_inits, y, f"{p}/stacked", sh, sw, cout, qh, qw)
    _crop(nodes, new_inits, y + "4", node.output[0], f"{p}/stacked/crop", (pt, pl), (h_out, w_out))
    return nodes


def shapes_of(model):
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        d = vi.type.tensor_type.shape.dim
        shapes[vi.name] = [x.dim_value if x.HasField("dim_value") else 1 for x in d]
    return shapes


def rewrite(src, dst, log=print):
    """Rewrites every eligible ConvTranspose of the graph in `src` into `dst` (may be the same
    file; written then renamed). Returns the names of the nodes rewritten (none: nothing written)."""
    model = onnx.load(src)
    shapes = shapes_of(model)
    inits = {t.name: t for t in model.graph.initializer}
    # weights computed at export (Hd's composed kernel) arrive as Constant nodes
    consts = {n.output[0]: helper.get_attribute_value(n.attribute[0]) for n in model.graph.node
              if n.op_type == "Constant" and len(n.attribute) == 1 and n.attribute[0].name == "value"}
    known = {**consts, **inits}
    new_nodes, new_inits, done, used = [], [], [], set()
    for node in model.graph.node:
        if node.op_type == "ConvTranspose" and node.input[1] in known and node.input[0] in shapes \
                and attr(node, "group", 1) == 1 and all(v == 1 for v in attr(node, "dilations", [1, 1])) \
                and not any(attr(node, "output_padding", [])) and len(shapes[node.input[0]]) == 4 \
                and (len(node.input) < 3 or not node.input[2] or node.input[2] in known):
            repl = phase_node(node, shapes[node.input[0]], known, new_inits)
            if repl:
                new_nodes.extend(repl)
                done.append(node.name or node.output[0])
                used.add(node.input[1])
                continue
        new_nodes.append(node)
    if not done:
        return []
    still = {i for n in new_nodes for i in n.input} | {o.name for o in model.graph.output}
    new_nodes = [n for n in new_nodes if not (n.op_type == "Constant" and n.output[0] in used and n.output[0] not in still)]
    keep = [t for t in model.graph.initializer if t.name not in used or t.name in still]
    del model.graph.node[:]
    model.graph.node.extend(new_nodes)
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep + new_inits)
    onnx.checker.check_model(model)
    tmp = dst + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, dst)
    log(f"  {os.path.basename(src)}: {len(done)} ConvTranspose nodes as polyphase Conv")
    return done
