"""CNN14 classifier in SpeechBrain's parameter layout (spec section 2).

`Cnn14` is the embedding model (`embedding_model.ckpt`), `Classifier` adds the linear head
(`classifier.ckpt`) and is what `classifier.onnx` computes:
logmel [B, frames, n_mels] -> logits [B, classes], rep6, rep5, rep4, rep3.
"""
import torch
from torch import nn
import torch.nn.functional as F

from ..sizes import Cnn14Size


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.norm1 = nn.BatchNorm2d(cout)
        self.norm2 = nn.BatchNorm2d(cout)

    def forward(self, x, pool):
        x = F.relu(self.norm1(self.conv1(x)))
        x = F.relu(self.norm2(self.conv2(x)))
        return F.avg_pool2d(x, pool) if pool != (1, 1) else x


class Cnn14(nn.Module):
    """logmel [B, T, M] -> (embedding [B, C6], (rep6, rep5, rep4, rep3))."""

    def __init__(self, size=Cnn14Size()):
        super().__init__()
        self.size = size
        self.norm0 = nn.BatchNorm2d(size.n_mels)
        cin = 1
        for i, c in enumerate(size.channels, start=1):
            setattr(self, f"conv_block{i}", ConvBlock(cin, c))
            cin = c

    def forward(self, logmel):
        x = logmel.unsqueeze(1)                              # [B, 1, T, M]
        x = self.norm0(x.transpose(1, 3)).transpose(1, 3)    # BN over the mel bins
        reps = []
        for i in range(1, 7):
            x = getattr(self, f"conv_block{i}")(x, (2, 2) if i < 6 else (1, 1))
            reps.append(x)
        x = x.mean(dim=3)                                    # over frequency
        emb = x.max(dim=2).values + x.mean(dim=2)            # over time
        return emb, (reps[5], reps[4], reps[3], reps[2])


class Classifier(nn.Module):
    """CNN14 + linear head. forward(logmel) -> (logits, rep6, rep5, rep4, rep3)."""

    def __init__(self, size=Cnn14Size()):
        super().__init__()
        self.size = size
        self.embedding_model = Cnn14(size)
        self.head = nn.Linear(size.channels[-1], size.classes)

    def forward(self, logmel):
        emb, reps = self.embedding_model(logmel)
        return (self.head(emb),) + tuple(reps)
