"""Mixtures for the separation test: the paper's 0.8/0.2 mixing and clean target/interferer pairs."""
from __future__ import annotations

import tempfile

import numpy as np

from .recipe import CLASSES
from .plan import plan_clip
from .render import render_plans


def paper_mix(s, n):
    """The paper's contaminated-set mixture: 0.8 s/||s|| + 0.2 n/||n||, divided by its max."""
    m = 0.8 * s / (np.linalg.norm(s) + 1e-12) + 0.2 * n / (np.linalg.norm(n) + 1e-12)
    return m / (np.max(m) + 1e-12)


def mixture_pairs(split, count, start=500_000):
    """Clean target / interferer pairs of different classes for the mixture test, from seeds of
    `split` that the split's own clips do not use (indices from `start`). Returns (targets,
    interferers, target labels, interferer labels), each source without background or effects
    of the other."""
    plans = []
    for k in range(count):
        p = plan_clip(split, start + k, interferer=True, background=False)
        plans.append(p)
    with tempfile.TemporaryDirectory() as tmp:
        _, tg, itf = render_plans(plans, tmp, parts=True)
    return (np.stack(tg), np.stack(itf), np.array([CLASSES.index(p["label"]) for p in plans]),
            np.array([CLASSES.index(p["interferer"]["cls"]) for p in plans]))
