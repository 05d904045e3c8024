"""The nine-layer transposed-conv decoder shared by LMAC-TD's Hd (`convt_decoder.ckpt`) and
L-MAC's psi (`psi_model.ckpt`). Layers `convt1..convt9`; wiring (spec sections 3 and 4):
h = relu(c1(rep6)) + relu(c2(rep5)); h = relu(c3(h)) + relu(c4(rep4));
h = relu(c5(h)) + relu(c6(rep3)); h = relu(c7(h)); out = c9(c8(h))  -> [B, 1, H, W].
"""
import torch
from torch import nn
import torch.nn.functional as F

# (kernel, stride, padding) of convt1..convt9
HD_GEOMETRY = [(7, (3, 2), 1), (7, (3, 2), 1), ((12, 11), (3, 2), 1), (7, (5, 4), 1),
               (7, 2, 1), ((7, 11), (5, 4), (2, 1)), ((4, 3), 2, (0, 5)),
               ((10, 7), (3, 1), (4, 2)), ((8, 10), (7, 3), 0)]
PSI_GEOMETRY = [(3, (2, 4), 1), (3, (2, 4), 1), ((7, 4), (2, 4), 1), ((5, 4), (2, 4), 1),
                ((3, 5), 2, 1), (3, (2, 4), 1), ((4, 3), 2, (0, 5)), ((3, 4), 2, (0, 2)),
                ((1, 5), (1, 4), 0)]


class ConvTDecoder(nn.Module):
    """rep_channels: channels of rep6, rep5, rep4, rep3; channels: outputs of layer pairs
    (1,2), (3,4), (5,6), then 7, 8 (layer 9 gives 1 channel)."""

    def __init__(self, rep_channels, channels, geometry):
        super().__init__()
        r6, r5, r4, r3 = rep_channels
        a, b, c, d, e = channels
        io = [(r6, a), (r5, a), (a, b), (r4, b), (b, c), (r3, c), (c, d), (d, e), (e, 1)]
        for i, ((cin, cout), (k, s, p)) in enumerate(zip(io, geometry), start=1):
            setattr(self, f"convt{i}", nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p))

    def forward(self, rep6, rep5, rep4, rep3):
        h = F.relu(self.convt1(rep6)) + F.relu(self.convt2(rep5))
        h = F.relu(self.convt3(h)) + F.relu(self.convt4(rep4))
        h = F.relu(self.convt5(h)) + F.relu(self.convt6(rep3))
        h = F.relu(self.convt7(h))
        return self.convt9(self.convt8(h))
