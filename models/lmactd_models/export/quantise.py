"""Dynamic int8 quantisation of an exported graph, in the forms ONNX Runtime's CPU integer kernels run.

Weights become int8 once, at export: symmetric, one scale per output channel (per column of a
MatMul's [K, N] weight), zero point 0. Activations are quantised at run time (uint8, one scale and
zero point per tensor, from its min and max), so no calibration data is needed:

- `matmul`: MatMul(X, W) with a constant 2-D W, and the Add of a constant [N] bias that follows it,
  becomes one `com.microsoft.DynamicQuantizeMatMul` (inputs A, B int8, b_scale, b_zero_point, bias).
- `attention`: `com.microsoft.Attention(x, W, b)` becomes `DynamicQuantizeLinear(x)` and
  `com.microsoft.QAttention` (uint8 input with its scale and zero point, int8 weight with
  per-column scales); scores and softmax stay float inside the kernel.
- `conv`: Conv(X, W[, b]) (2-D, constant W) becomes `DynamicQuantizeLinear(X)`, `ConvInteger`
  (uint8 x int8, int32 out), a Cast and a Mul by input scale x per-channel weight scale, and the
  bias Add. Off by default: it only pays where the measurements say so (benchmarks/RESULTS.md).

Weight bits: ONNX Runtime multiplies uint8 activations by int8 weights. CPUs without VNNI (AVX2,
AVX-512F) do it with `vpmaddubsw`, which saturates the sum of two products at 16 bits: 255 x 127 x 2
overflows, 255 x 63 x 2 does not. So `bits=7` (weights in -63..63, what ONNX Runtime's own
quantiser calls reduce_range) is exact on every x86 CPU; `bits=8` (-127..127) halves the weights'
rounding error but is only exact where VNNI or AMX does the products (`vpdpbusd`, 32-bit sums).

`quantise_graph` rewrites one ONNX file and returns what it did and what it left, node by node,
for the manifest (`precision` in models/README.md).
"""
import os
import shutil

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

MS = "com.microsoft"
FORMS = ("matmul", "attention", "conv")
DEFAULT_FORMS = ("matmul", "attention")


def weight_int8(w, bits, axis):
    """Symmetric int8 quantisation of `w` with one scale per index of `axis`: (q int8, scale float32
    [w.shape[axis]]), q = round(w / scale) within +-(2^(bits-1) - 1). An all-zero channel gets scale 1."""
    if bits not in (7, 8):
        raise ValueError(f"weight bits must be 7 or 8, not {bits}")
    qmax = 2 ** (bits - 1) - 1
    w = np.asarray(w, dtype=np.float32)
    others = tuple(i for i in range(w.ndim) if i != axis)
    amax = np.abs(w).max(axis=others)
    scale = np.where(amax > 0, amax / qmax, 1.0).astype(np.float32)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / scale.reshape(shape)), -qmax, qmax).astype(np.int8)
    return q, scale


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


class _Graph:
    """Lookups over one graph: initializers, consumers of each tensor, graph outputs."""

    def __init__(self, model):
        g = model.graph
        self.inits = {t.name: t for t in g.initializer}
        self.outputs = {o.name for o in g.output}
        self.consumers = {}
        for n in g.node:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)
        self.new_inits = []

    def const(self, name):
        t = self.inits.get(name)
        return None if t is None else numpy_helper.to_array(t)

    def add(self, array, name):
        self.new_inits.append(numpy_helper.from_array(array, name))
        return name

    def sole_consumer(self, tensor):
        users = self.consumers.get(tensor, [])
        return users[0] if len(users) == 1 and tensor not in self.outputs else None


def _matmul(node, g, bits, removed):
    """DynamicQuantizeMatMul for MatMul(X, W const 2-D) [+ Add(bias const [N])], or the reason not."""
    x, w_name = node.input
    w = g.const(w_name)
    if w is None:
        return None, ("the weight is the left operand" if g.const(x) is not None
                      else "no constant operand (activation x activation)")
    if w.ndim != 2:
        return None, f"weight of rank {w.ndim}, not 2"
    q, scale = weight_int8(w, bits, axis=1)
    p = node.name or node.output[0]
    out, bias = node.output[0], ""
    add = g.sole_consumer(node.output[0])
    if add is not None and add.op_type == "Add":
        other = add.input[1] if add.input[0] == node.output[0] else add.input[0]
        b = g.const(other)
        if b is not None and b.ndim >= 1 and b.size == b.shape[-1] == w.shape[1]:
            bias = g.add(b.reshape(-1).astype(np.float32), f"{p}/int8/bias")
            out = add.output[0]
            removed.add(id(add))
    inputs = [x, g.add(q, f"{p}/int8/B"), g.add(scale, f"{p}/int8/b_scale"),
              g.add(np.zeros(scale.shape, np.int8), f"{p}/int8/b_zero_point")] + ([bias] if bias else [])
    return [helper.make_node("DynamicQuantizeMatMul", inputs, [out], name=f"{p}/int8", domain=MS)], None


def _attention(node, g, bits, removed):
    """DynamicQuantizeLinear + QAttention for Attention(x, W const [D, 3H], b const), or the reason not."""
    if len(node.input) != 3 or node.output[1:] and any(node.output[1:]):
        return None, "mask, past or present in use"
    x, w_name, b_name = node.input
    w, b = g.const(w_name), g.const(b_name)
    if w is None or b is None:
        return None, "weight or bias not constant"
    extra = set(_attrs(node)) - {"num_heads"}
    if extra:
        return None, f"attributes {sorted(extra)} have no QAttention counterpart here"
    q, scale = weight_int8(w, bits, axis=1)
    p = node.name or node.output[0]
    xq, xs, xz = f"{p}/int8/x", f"{p}/int8/x_scale", f"{p}/int8/x_zero_point"
    return [helper.make_node("DynamicQuantizeLinear", [x], [xq, xs, xz], name=f"{p}/int8/quantise"),
            helper.make_node("QAttention", [xq, g.add(q, f"{p}/int8/weight"), b_name, xs,
                                            g.add(scale, f"{p}/int8/weight_scale"), "", xz,
                                            g.add(np.zeros(scale.shape, np.int8), f"{p}/int8/weight_zero_point")],
                             [node.output[0]], name=f"{p}/int8", domain=MS,
                             num_heads=_attrs(node)["num_heads"])], None


def _conv(node, g, bits, removed):
    """DynamicQuantizeLinear, ConvInteger, Cast, Mul (scales) and Add (bias) for a 2-D Conv, or the reason not."""
    w = g.const(node.input[1])
    if w is None:
        return None, "weight not constant"
    if w.ndim != 4:
        return None, f"{w.ndim - 2}-D convolution"
    b = g.const(node.input[2]) if len(node.input) > 2 and node.input[2] else None
    q, scale = weight_int8(w, bits, axis=0)
    p = node.name or node.output[0]
    xq, xs, xz = f"{p}/int8/x", f"{p}/int8/x_scale", f"{p}/int8/x_zero_point"
    acc, accf, sc = f"{p}/int8/acc", f"{p}/int8/acc_float", f"{p}/int8/scale"
    conv_attrs = {k: v for k, v in _attrs(node).items()
                  if k in ("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides")}
    nodes = [helper.make_node("DynamicQuantizeLinear", [node.input[0]], [xq, xs, xz], name=f"{p}/int8/quantise"),
             helper.make_node("ConvInteger", [xq, g.add(q, f"{p}/int8/w"), xz,
                                              # symmetric: one zero point 0 (ONNX Runtime takes only a scalar here)
                                              g.add(np.zeros((), np.int8), f"{p}/int8/w_zero_point")],
                              [acc], name=f"{p}/int8", **conv_attrs),
             helper.make_node("Cast", [acc], [accf], name=f"{p}/int8/cast", to=TensorProto.FLOAT),
             helper.make_node("Mul", [xs, g.add(scale.reshape(1, -1, 1, 1), f"{p}/int8/w_scale")], [sc],
                              name=f"{p}/int8/scales")]
    if b is None:
        nodes.append(helper.make_node("Mul", [accf, sc], [node.output[0]], name=f"{p}/int8/dequantise"))
    else:
        nodes += [helper.make_node("Mul", [accf, sc], [f"{p}/int8/y"], name=f"{p}/int8/dequantise"),
                  helper.make_node("Add", [f"{p}/int8/y", g.add(b.reshape(1, -1, 1, 1).astype(np.float32),
                                                                 f"{p}/int8/bias")],
                                   [node.output[0]], name=f"{p}/int8/bias")]
    return nodes, None


_REWRITES = {("MatMul", ""): ("matmul", _matmul), ("Attention", MS): ("attention", _attention),
             ("Conv", ""): ("conv", _conv)}


def quantise_model(model, bits=7, forms=DEFAULT_FORMS):
    """Rewrites `model` (onnx.ModelProto) in place; returns {"quantised": {op: n}, "kept": [{node, op, why}]}."""
    unknown = set(forms) - set(FORMS)
    if unknown:
        raise ValueError(f"unknown int8 forms {sorted(unknown)} (known: {', '.join(FORMS)})")
    g = _Graph(model)
    removed, new_nodes, done, kept = set(), [], {}, []
    replaced = {}
    for node in model.graph.node:
        form = _REWRITES.get((node.op_type, node.domain if node.domain != "ai.onnx" else ""))
        if form is None:
            continue
        if form[0] not in forms:
            kept.append({"node": node.name, "op": node.op_type, "why": f"form '{form[0]}' not asked for"})
            continue
        nodes, why = form[1](node, g, bits, removed)
        if nodes is None:
            kept.append({"node": node.name, "op": node.op_type, "why": why})
            continue
        replaced[id(node)] = nodes
        done[node.op_type] = done.get(node.op_type, 0) + 1
    for node in model.graph.node:
        if id(node) in removed:
            continue
        new_nodes.extend(replaced.get(id(node), [node]))
    if done:
        used = {i for n in new_nodes for i in n.input}
        keep_inits = [t for t in model.graph.initializer if t.name in used]
        del model.graph.initializer[:]
        model.graph.initializer.extend(keep_inits + g.new_inits)
        del model.graph.node[:]
        model.graph.node.extend(new_nodes)
        if not any(o.domain == MS for o in model.opset_import):
            model.opset_import.append(helper.make_opsetid(MS, 1))
        # ONNX Runtime infers the shapes of its own operators; stale inferred shapes would only mislead
        del model.graph.value_info[:]
    return {"quantised": done, "kept": kept}


def quantise_graph(src, dst, bits=7, forms=DEFAULT_FORMS, log=print):
    """Quantises the ONNX file `src` into `dst` (atomically; may be the same path). Returns the record
    of `quantise_model`, plus the bytes before and after."""
    model = onnx.load(src)
    before = os.path.getsize(src)
    record = quantise_model(model, bits, forms)
    tmp = dst + ".tmp"
    if record["quantised"]:
        onnx.checker.check_model(model)
        onnx.save(model, tmp)
    else:  # nothing to do: the graph's bytes as they were
        shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
    record["bytes"] = {"fp32": before, "int8": os.path.getsize(dst)}
    name = os.path.basename(src)
    log(f"  {name}: int8 {', '.join(f'{op} x{n}' for op, n in record['quantised'].items()) or 'nothing'}"
        + (f"; kept float: {len(record['kept'])} node(s)" if record["kept"] else ""))
    return record


def quantise_package(src, out, bits=7, forms=DEFAULT_FORMS, log=print, command=None, name=None):
    """A copy of the package folder `src` at `out` (replaced if it exists) with every graph quantised
    (`quantise_graph`), its manifest's files updated and its `precision` recorded (gate not run: see
    `gate.py`). Returns the new manifest."""
    import json
    from .package import read_manifest, replaced_folder, sha256
    m = read_manifest(src)
    if m.get("precision", {}).get("kind", "fp32") != "fp32":
        raise ValueError(f"{src}: already {m['precision']['kind']}; quantise its fp32 twin")
    fp32_sha = sha256(os.path.join(src, "manifest.json"))
    with replaced_folder(out, ".package-") as tmp:
        shutil.copytree(src, tmp, dirs_exist_ok=True)
        graphs = [m["classifier"]["file"]] + [e["file"] for e in m["interpreters"].values()]
        record = {}
        for f in graphs:
            record[f] = quantise_graph(os.path.join(src, f), os.path.join(tmp, f), bits, forms, log)
        for f in m["files"]:
            m["files"][f] = {"sha256": sha256(os.path.join(tmp, f)), "bytes": os.path.getsize(os.path.join(tmp, f))}
        fp32_name = m["name"]
        m["name"] = name or fp32_name + "-int8"
        m["precision"] = {
            "kind": "int8", "weightBits": bits, "forms": list(forms),
            "weights": "int8, symmetric, one scale per output channel",
            "activations": "uint8, quantised at run time, one scale and zero point per tensor",
            "fp32": {"name": fp32_name, "manifestSha256": fp32_sha},
            "command": command, "graphs": record, "gate": None}
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as fh:
            json.dump(m, fh, indent=2)
            fh.write("\n")
    return m
