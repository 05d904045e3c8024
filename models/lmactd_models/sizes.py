"""Size configurations of the three networks, as plain dataclasses.

A size is recorded in the manifest's `architecture` objects (`to_dict`) and read back
(`from_dict`), so a trained model carries the exact shape of the networks that produced it.
`SIZES` holds the named presets: `tiny` (tests, golden files), `default` (trainable on two CPU
cores; the training code may pass its own), `full` (the spec's reference sizes).
"""
from dataclasses import dataclass, field, asdict, fields
from typing import Tuple


def _from(cls, d):
    names = {f.name for f in fields(cls)}
    unknown = set(d) - names - {"kind", "parameters", "export", "conv_transpose_split"}
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
    kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k in names}
    return cls(**kw)


@dataclass(frozen=True)
class Cnn14Size:
    """CNN14: output channels of the six conv blocks; `classes` is the head's output count."""
    channels: Tuple[int, ...] = (64, 128, 256, 512, 1024, 2048)
    classes: int = 50
    n_mels: int = 80

    def to_dict(self):
        return {"kind": "cnn14", **asdict(self)}

    @classmethod
    def from_dict(cls, d):
        return _from(cls, d)


@dataclass(frozen=True)
class LmacTdSize:
    """LMAC-TD interpreter.

    n_enc: encoder channels N (mask is [N, frames]); hd_channels: output channels of the Hd
    layers (t1/t2, t3/t4, t5/t6, t7, t8; t9 has 1); masknet: d_model (the 1x1 conv maps N ->
    d_model, end_conv1x1 back), dual blocks, layers and heads of intra/inter transformers.
    rep_channels are the classifier's block 6, 5, 4, 3 channels (Hd's inputs).
    """
    rep_channels: Tuple[int, ...] = (2048, 1024, 512, 256)
    n_enc: int = 256
    kernel: int = 16
    stride: int = 8
    hd_channels: Tuple[int, ...] = (512, 512, 256, 256, 128)
    d_model: int = 256
    blocks: int = 2
    intra_layers: int = 4
    inter_layers: int = 2
    intra_heads: int = 4
    inter_heads: int = 8
    d_ffn: int = 256
    chunk: int = 250
    max_len: int = 2500
    alpha: float = 0.75

    def to_dict(self):
        return {"kind": "lmac-td", **asdict(self)}

    @classmethod
    def from_dict(cls, d):
        return _from(cls, d)


@dataclass(frozen=True)
class LmacSize:
    """L-MAC psi decoder: output channels of p1/p2, p3/p4, p5/p6, p7, p8 (p9 has 1)."""
    rep_channels: Tuple[int, ...] = (2048, 1024, 512, 256)
    psi_channels: Tuple[int, ...] = (2048, 2048, 1024, 512, 256)

    def to_dict(self):
        return {"kind": "lmac-stft", **asdict(self)}

    @classmethod
    def from_dict(cls, d):
        return _from(cls, d)


@dataclass(frozen=True)
class Sizes:
    """The three networks of one package, plus the front end's n_fft."""
    cnn14: Cnn14Size = field(default_factory=Cnn14Size)
    lmactd: LmacTdSize = field(default_factory=LmacTdSize)
    lmac: LmacSize = field(default_factory=LmacSize)
    n_fft: int = 1024


def _reps(ch):
    return (ch[5], ch[4], ch[3], ch[2])


def _make(channels, classes, lmactd_kw, psi_channels):
    c = tuple(channels)
    return Sizes(
        cnn14=Cnn14Size(channels=c, classes=classes),
        lmactd=LmacTdSize(rep_channels=_reps(c), **lmactd_kw),
        lmac=LmacSize(rep_channels=_reps(c), psi_channels=tuple(psi_channels)),
    )


SIZES = {
    "tiny": _make((4, 8, 16, 32, 64, 128), 12,
                  dict(n_enc=8, hd_channels=(16, 16, 8, 8, 8), d_model=16, blocks=1,
                       intra_layers=1, inter_layers=1, intra_heads=2, inter_heads=2, d_ffn=32),
                  (32, 32, 16, 16, 8)),
    "default": _make((16, 32, 64, 128, 256, 512), 12,
                     dict(n_enc=64, hd_channels=(64, 64, 64, 64, 32), d_model=64, blocks=1,
                          intra_layers=2, inter_layers=1, intra_heads=4, inter_heads=4, d_ffn=128),
                     (128, 128, 64, 32, 32)),
    "full": Sizes(),
}
