"""Random initialisation that gives every tensor its own values (so ONNX folds nothing) and
keeps activations in a useful range (BN running statistics measured on synthetic clips, then
perturbed; last layers scaled).
Deterministic for a seed and a size."""
import math

import torch
from torch import nn

from .clip import CLIP_SAMPLES, SAMPLE_RATE
from .modules.cnn14 import Classifier
from .frontend import LogMel, normalise
from .interpreter import scale_layers
from .kinds import INTERPRETERS

NORMS = (nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm)


def perturb(model, gen):
    """Give norm layers, PReLU and zero-initialised biases distinct random values."""
    for m in model.modules():
        if isinstance(m, NORMS):
            m.weight.data = 1.0 + 0.1 * torch.randn(m.weight.shape, generator=gen)
            m.bias.data = 0.05 * torch.randn(m.bias.shape, generator=gen)
        if isinstance(m, nn.PReLU):
            m.weight.data = 0.25 + 0.05 * torch.randn(m.weight.shape, generator=gen)
    for name, p in model.named_parameters():
        if name.endswith("in_proj_bias"):
            p.data = 0.02 * torch.randn(p.shape, generator=gen)


def calibrate_bn(classifier, logmel, gen):
    """Set BN running statistics to the batch statistics of `logmel`, then perturb them."""
    for m in classifier.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    classifier.train()
    with torch.no_grad():
        classifier(logmel)
    classifier.eval()
    for m in classifier.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.1
            noise = torch.randn(m.running_mean.shape, generator=gen)
            m.running_mean += 0.05 * noise * m.running_var.sqrt()
            m.running_var *= 1.0 + 0.1 * torch.rand(m.running_var.shape, generator=gen)


def calibration_clips(gen, samples=CLIP_SAMPLES):
    """Four normalised 5 s clips: white noise, a tone, a chirp, brown noise."""
    t = torch.arange(samples, dtype=torch.float32) / float(SAMPLE_RATE)
    white = torch.randn(samples, generator=gen) * torch.linspace(0.2, 1.0, samples)
    tone = torch.sin(2 * math.pi * 440.0 * t)
    chirp = torch.sin(2 * math.pi * (100.0 * t + 700.0 * t * t))
    brown = torch.cumsum(torch.randn(samples, generator=gen), 0)
    brown = brown - brown.mean()
    return normalise(torch.stack([white, tone, chirp, brown]))[0]


def calibrate_outputs(classifier, interpreters, x, logmel):
    """Scale the last layers so that logits and each interpreter's outputs have a spread that makes
    tests see something: logits std 2, then each kind's own `calibrate` (interpreter.py)."""
    with torch.no_grad():
        logits, *reps = classifier(logmel)
        scale_layers([classifier.head], 2.0 / logits.std())
    for key, model in interpreters.items():
        INTERPRETERS[key].calibrate(model, x, reps)


def random_models(sizes, seed, kinds=None):
    """(classifier, then one model or None per kind of kinds.INTERPRETERS in its order), all in
    eval mode. `kinds`: the interpreter keys to build (default: all)."""
    kinds = set(INTERPRETERS) if kinds is None else set(kinds)
    unknown = kinds - set(INTERPRETERS)
    if unknown:
        raise ValueError(f"unknown interpreters {sorted(unknown)} (known: {', '.join(INTERPRETERS)})")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1000)
    classifier = Classifier(sizes.cnn14)
    interpreters = {key: k.model_class(k.size_of(sizes)) for key, k in INTERPRETERS.items() if key in kinds}
    for m in (classifier, *interpreters.values()):
        perturb(m, gen)
    x = calibration_clips(gen)
    logmel = LogMel(sizes.n_fft)(x)
    calibrate_bn(classifier, logmel, gen)
    calibrate_outputs(classifier, interpreters, x, logmel)
    return (classifier,) + tuple(interpreters[key].eval() if key in interpreters else None
                                 for key in INTERPRETERS)
