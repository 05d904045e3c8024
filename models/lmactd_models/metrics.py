"""Faithfulness metrics of one clip (spec section 6), in double precision.

p, q, r: class probabilities (softmax) on the input, the explanation (masked-in) and the
masked-out signal; c = argmax p. SPS and COMP follow Quantus' Sparseness and Complexity on the
flattened map. AD uses the formula as written (no extra softmax, unlike the reference code).
"""
import numpy as np


def softmax(logits):
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def sparseness(m):
    """Gini index: a_k = |m_k| + 1e-7 sorted ascending, sum (2k - n - 1) a_k / (n sum a)."""
    a = np.sort(np.abs(np.asarray(m, dtype=np.float64).ravel()) + 1e-7)
    n = a.size
    k = np.arange(1, n + 1, dtype=np.float64)
    return float(np.sum((2 * k - n - 1) * a) / (n * np.sum(a)))


def complexity(m):
    """Entropy (natural log) of p_k = |m_k| / sum |m|; zero terms count 0."""
    a = np.abs(np.asarray(m, dtype=np.float64).ravel())
    p = a / a.sum()
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def faithfulness(logits_input, logits_explanation, logits_masked_out):
    """AI, AD, AG, FF, FidIn of one clip, plus the class and the three probabilities."""
    p, q, r = softmax(logits_input), softmax(logits_explanation), softmax(logits_masked_out)
    c = int(np.argmax(p))
    pc, qc, rc = p[c], q[c], r[c]
    return {
        "class": c, "pc": float(pc), "qc": float(qc), "rc": float(rc),
        "AI": 100.0 * float(qc > pc),
        "AD": 100.0 * max(0.0, pc - qc) / (pc + 1e-10),
        "AG": 100.0 * max(0.0, qc - pc) / (1.0 - pc + 1e-10),
        "FF": float(pc - rc),
        "FidIn": 1.0 if int(np.argmax(q)) == c else 0.0,
    }


def all_metrics(logits_input, logits_explanation, logits_masked_out, metric_map):
    out = faithfulness(logits_input, logits_explanation, logits_masked_out)
    out["SPS"] = sparseness(metric_map)
    out["COMP"] = complexity(metric_map)
    return out
