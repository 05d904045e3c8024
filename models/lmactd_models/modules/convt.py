"""The nine-layer transposed-conv decoder shared by LMAC-TD's Hd (`convt_decoder.ckpt`) and
L-MAC's psi (`psi_model.ckpt`). Layers `convt1..convt9`; wiring (spec sections 3 and 4):
h = relu(c1(rep6)) + relu(c2(rep5)); h = relu(c3(h)) + relu(c4(rep4));
h = relu(c5(h)) + relu(c6(rep3)); h = relu(c7(h)); out = c9(c8(h))  -> [B, 1, H, W].
"""
import torch
from torch import nn
import torch.nn.functional as F

from . import convt_pair

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
        self.pair_constants = {}                  # convt_pair's constants by input size, for the export form

    def forward(self, rep6, rep5, rep4, rep3, keep=None):
        """keep=(rows, columns): compute only what the first `rows` x `columns` of the output need
        (the graph export's early crop: LMAC-TD keeps 9999 of Hd's 11082 frames), and convt8 ->
        convt9 as one composed transposed convolution (convt_pair.py). The kept part equals the
        full output's; without `keep` every layer runs on all of its input, as the reference."""
        if keep is None:
            h = F.relu(self.convt1(rep6)) + F.relu(self.convt2(rep5))
            h = F.relu(self.convt3(h)) + F.relu(self.convt4(rep4))
            h = F.relu(self.convt5(h)) + F.relu(self.convt6(rep3))
            h = F.relu(self.convt7(h))
            return self.convt9(self.convt8(h))
        c = [getattr(self, f"convt{i}") for i in range(1, 10)]
        n9 = keep
        n8 = needed(c[8], n9)                  # rows/columns of convt8's output convt9 reads
        n7 = needed(c[7], n8)
        n56 = needed(c[6], n7)
        n34 = needed(c[4], n56)
        n12 = needed(c[2], n34)

        def run(i, x, out):
            return crop(c[i](crop(x, needed(c[i], out))), out)
        h = F.relu(run(0, rep6, n12)) + F.relu(run(1, rep5, n12))
        h = F.relu(run(2, h, n34)) + F.relu(run(3, rep4, n34))
        h = F.relu(run(4, h, n56)) + F.relu(run(5, rep3, n56))
        h = F.relu(run(6, h, n7))
        c8, c9 = c[7], c[8]
        if not convt_pair.composable(c8, c9):
            return run(8, run(7, h, n8), n9)
        # convt8 -> convt9 as one transposed convolution (convt_pair.py): a quarter of the work
        x = crop(h, needed(c8, n8))
        size = (int(x.shape[2]), int(x.shape[3]))
        key = size + tuple(n9)
        if key not in self.pair_constants:
            self.pair_constants[key] = convt_pair.constants(c8, c9, size, convt_pair.out_size(c8, c9, size, n9))
        return convt_pair.pair(c8, c9, x, self.pair_constants[key])


def needed(layer, out):
    """Input rows and columns whose transposed convolution gives the first out = (rows, columns) of
    `layer`'s output exactly: output index r takes input i where stride * i - padding <= r. Where
    that shorter input would give fewer than `out` (kernel < stride + padding), all of it."""
    n = []
    for o, k, s, p in zip(out, layer.kernel_size, layer.stride, layer.padding):
        i = (o - 1 + p) // s + 1
        n.append(i if (i - 1) * s + k - 2 * p >= o else 1 << 30)
    return tuple(n)


def crop(x, size):
    """x[..., :rows, :columns]; no node at all where nothing is cut (static shapes at export)."""
    rows, cols = size
    if int(x.shape[2]) > rows:
        x = x[:, :, :rows]
    if int(x.shape[3]) > cols:
        x = x[:, :, :, :cols]
    return x
