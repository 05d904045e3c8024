"""Dual-path MaskNet in SpeechBrain's `Dual_Path_Model` parameter layout (spec section 3.4).

z [B, N, L] -> GroupNorm -> 1x1 conv (N -> d) -> chunks of K with 50 % overlap ->
dual blocks (intra transformer over each chunk, inter transformer across chunks) -> PReLU ->
1x1 conv -> overlap-add -> tanh(output) * sigmoid(output_gate) -> 1x1 conv (d -> N) -> sigmoid.
Reshapes keep the batch as -1 so an ONNX export stays batch-symbolic; chunking is pad + reshape
(no Tensor.unfold); attention is written out (no fused fast path of torch's); for the graph
export it can be one ONNX Runtime Attention node instead (`FusedAttention`, same numbers).
"""
import math
import torch
from torch import nn
import torch.nn.functional as F

from ..sizes import LmacTdSize


def static(*dims):
    """Python ints of (non-batch) dimensions: under ONNX tracing they become constants, so the
    exported graph is static except for the batch, which every reshape leaves as -1."""
    return [int(d) for d in dims]


def group_norm(channels):
    return nn.GroupNorm(1, channels, eps=1e-8)


class LayerNorm(nn.Module):
    """SpeechBrain wraps torch's LayerNorm as `.norm` (eps 1e-6)."""

    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d, eps=1e-6)

    def forward(self, x):
        return self.norm(x)


class Attention(nn.Module):
    """Multi-head self-attention with torch's packed in-projection layout."""

    def __init__(self, d, heads):
        super().__init__()
        if d % heads:
            raise ValueError(f"d_model {d} is not divisible by {heads} heads")
        self.heads = heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d, d))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d))
        self.out_proj = nn.Linear(d, d)
        nn.init.xavier_uniform_(self.in_proj_weight)
        self.fused = False

    def forward(self, x):                                    # [Bt, L, d]
        return self.out_proj(self.attend(x))

    def attend(self, x):
        """The heads' weighted values, concatenated: what the output projection reads."""
        if self.fused:
            return FusedAttention.apply(x, self.in_proj_weight, self.in_proj_bias, self.heads)
        return attention(x, self.in_proj_weight, self.in_proj_bias, self.heads)


def attention(x, w, b, heads):
    """Scaled dot-product self-attention of x [Bt, L, d] with the packed projection w [3d, d], b [3d];
    the heads concatenated again, before the output projection."""
    length, d = static(x.shape[1], x.shape[2])
    hd = d // heads
    q, k, v = F.linear(x, w, b).chunk(3, dim=-1)
    q = q.reshape(-1, length, heads, hd).transpose(1, 2) * (1.0 / math.sqrt(hd))
    k = k.reshape(-1, length, heads, hd).transpose(1, 2)
    v = v.reshape(-1, length, heads, hd).transpose(1, 2)
    a = torch.softmax(q @ k.transpose(2, 3), dim=-1)
    return (a @ v).transpose(1, 2).reshape(-1, length, d)


class FusedAttention(torch.autograd.Function):
    """`attention` that exports as one ONNX Runtime `com.microsoft.Attention` node (projection,
    scores, softmax and weighting in one kernel, no Slice/Transpose copies between them). Its
    weight is [d, 3d] with Q, K, V in that order: ours transposed. PyTorch runs `attention`."""

    @staticmethod
    def forward(ctx, x, w, b, heads):
        return attention(x, w, b, heads)

    @staticmethod
    def symbolic(g, x, w, b, heads):
        out = g.op("com.microsoft::Attention", x, g.op("Transpose", w, perm_i=[1, 0]), b, num_heads_i=heads)
        out.setType(x.type())
        return out


class SelfAtt(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.att = Attention(d, heads)

    def forward(self, x):
        return self.att(x)


class PosFFN(nn.Module):
    def __init__(self, d, d_ffn):
        super().__init__()
        self.ffn = nn.Sequential(nn.Linear(d, d_ffn), nn.ReLU(), nn.Dropout(0.0), nn.Linear(d_ffn, d))

    def forward(self, x):
        return self.ffn(x)


class EncoderLayer(nn.Module):
    """Pre-norm transformer layer: x + att(norm1(x)), then + ffn(norm2(.))."""

    def __init__(self, d, heads, d_ffn):
        super().__init__()
        self.self_att = SelfAtt(d, heads)
        self.pos_ffn = PosFFN(d, d_ffn)
        self.norm1 = LayerNorm(d)
        self.norm2 = LayerNorm(d)

    def forward(self, x):
        x = x + self.self_att(self.norm1(x))
        return x + self.pos_ffn(self.norm2(x))


class TransformerEncoder(nn.Module):
    def __init__(self, layers, d, heads, d_ffn):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(d, heads, d_ffn) for _ in range(layers)])
        self.norm = LayerNorm(d)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.norm(x)


def sinusoid_table(max_len, d):
    pe = torch.zeros(max_len, d)
    pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
    den = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * -(math.log(10000.0) / d))
    pe[:, 0::2] = torch.sin(pos * den)
    pe[:, 1::2] = torch.cos(pos * den)
    return pe.unsqueeze(0)


class PositionalEncoding(nn.Module):
    def __init__(self, d, max_len):
        super().__init__()
        self.register_buffer("pe", sinusoid_table(max_len, d))

    def forward(self, x):
        return self.pe[:, :x.shape[1]]


class SBTransformerBlock(nn.Module):
    """Sinusoidal positions added at the input, then the transformer encoder."""

    def __init__(self, layers, d, heads, d_ffn, max_len):
        super().__init__()
        self.mdl = TransformerEncoder(layers, d, heads, d_ffn)
        self.pos_enc = PositionalEncoding(d, max_len)

    def forward(self, x):
        return self.mdl(x + self.pos_enc(x))


class DualBlock(nn.Module):
    def __init__(self, s: LmacTdSize):
        super().__init__()
        d = s.d_model
        self.intra_mdl = SBTransformerBlock(s.intra_layers, d, s.intra_heads, s.d_ffn, s.max_len)
        self.inter_mdl = SBTransformerBlock(s.inter_layers, d, s.inter_heads, s.d_ffn, s.max_len)
        self.intra_norm = group_norm(d)
        self.inter_norm = group_norm(d)

    def forward(self, x):                                    # [B, d, K, S]
        d, k, s = static(*x.shape[1:])
        intra = self.intra_mdl(x.permute(0, 3, 2, 1).reshape(-1, k, d))
        intra = intra.reshape(-1, s, k, d).permute(0, 3, 2, 1)
        intra = self.intra_norm(intra) + x
        inter = self.inter_mdl(intra.permute(0, 2, 3, 1).reshape(-1, s, d))
        inter = inter.reshape(-1, k, s, d).permute(0, 3, 1, 2)
        return self.inter_norm(inter) + intra

    def forward_last(self, y):                               # [B, S, K, d]
        """`forward` on the chunks laid out [B, S, K, d] (features last): the intra transformer reads
        it as it is and the inter transformer after swapping S and K, copies of whole d-vectors,
        where `forward` makes four 4-D transposes that move single floats."""
        s, k, d = static(*y.shape[1:])
        intra = self.intra_mdl(y.reshape(-1, k, d)).reshape(-1, s, k, d)
        intra = norm_last(intra, self.intra_norm) + y
        inter = self.inter_mdl(intra.transpose(1, 2).reshape(-1, s, d)).reshape(-1, k, s, d).transpose(1, 2)
        return norm_last(inter, self.inter_norm) + intra


def norm_last(x, gn):
    """GroupNorm(1, d) `gn` of x laid out with its d channels last: the statistics are those of the
    whole example either way; the affine applies along the last axis."""
    shape = x.shape
    y = F.group_norm(x.reshape(shape[0], 1, -1), 1, eps=gn.eps).reshape(shape)
    return y * gn.weight + gn.bias


def chunk_gap(length, k):
    """Zeros appended before chunking (SpeechBrain's rule; always 1..K)."""
    p = k // 2
    return k - (p + length % k) % k


def segment(x, k):
    """[B, d, L] -> [B, d, K, S]: pad `gap` zeros at the end and K/2 both sides, then interleave
    the chunks of the two half-shifted views."""
    d, length = static(*x.shape[1:])
    p, gap = k // 2, chunk_gap(length, k)
    x = F.pad(x, (p, gap + p))
    n = (length + gap + p) // k
    x1 = x[:, :, :-p].reshape(-1, d, n, k)
    x2 = x[:, :, p:].reshape(-1, d, n, k)
    return torch.cat([x1, x2], dim=3).reshape(-1, d, 2 * n, k).transpose(2, 3)


def overlap_add(x, length):
    """Inverse of `segment` by overlap-add: [B, d, K, S] -> [B, d, length]."""
    d, k, s = static(*x.shape[1:])
    p = k // 2
    x = x.transpose(2, 3).reshape(-1, d, s // 2, 2 * k)
    x1 = x[:, :, :, :k].reshape(-1, d, (s // 2) * k)[:, :, p:]
    x2 = x[:, :, :, k:].reshape(-1, d, (s // 2) * k)[:, :, :-p]
    return (x1 + x2)[:, :, :length]


def overlap_add_last(x, length):
    """`overlap_add` of chunks laid out [B, S, K, d], giving [B, length, d]."""
    s, k, d = static(*x.shape[1:])
    p = k // 2
    x = x.reshape(-1, s // 2, 2 * k, d)
    x1 = x[:, :, :k].reshape(-1, (s // 2) * k, d)[:, p:]
    x2 = x[:, :, k:].reshape(-1, (s // 2) * k, d)[:, :-p]
    return (x1 + x2)[:, :length]


class MaskNet(nn.Module):
    """z [B, N, L] -> mask [B, N, L] in (0, 1)."""

    def __init__(self, size=LmacTdSize()):
        super().__init__()
        self.size = size
        n, d = size.n_enc, size.d_model
        self.norm = group_norm(n)
        self.conv1d = nn.Conv1d(n, d, 1, bias=False)
        self.dual_mdl = nn.ModuleList([DualBlock(size) for _ in range(size.blocks)])
        self.conv2d = nn.Conv2d(d, d, 1)
        self.end_conv1x1 = nn.Conv1d(d, n, 1, bias=False)
        self.prelu = nn.PReLU()
        self.output = nn.Sequential(nn.Conv1d(d, d, 1), nn.Tanh())
        self.output_gate = nn.Sequential(nn.Conv1d(d, d, 1), nn.Sigmoid())
        self.features_last = False                           # the export's layout (DualBlock.forward_last)

    def forward(self, z):
        length = static(z.shape[2])[0]
        x = segment(self.conv1d(self.norm(z)), self.size.chunk)
        if self.features_last:
            x = x.permute(0, 3, 2, 1)                        # [B, S, K, d]
            for block in self.dual_mdl:
                x = block.forward_last(x)
            return self.tail_last(x, length)
        for block in self.dual_mdl:
            x = block(x)
        x = overlap_add(self.conv2d(self.prelu(x)), length)
        x = self.output(x) * self.output_gate(x)
        return torch.sigmoid(self.end_conv1x1(x))

    def tail_last(self, x, length):
        """The rest of `forward` on the chunks laid out [B, S, K, d]: the 1x1 convolutions as linear
        layers on the last axis and the overlap-add on [B, L, d], so the layout goes back to
        channels-first only in the last product (mask [B, N, L]), not by a 4-D transpose."""
        d = static(x.shape[3])[0]
        x = F.linear(self.prelu(x), self.conv2d.weight.reshape(d, d), self.conv2d.bias)
        x = overlap_add_last(x, length)                      # [B, L, d]
        out, gate = self.output[0], self.output_gate[0]
        x = torch.tanh(F.linear(x, out.weight.squeeze(-1), out.bias)) * \
            torch.sigmoid(F.linear(x, gate.weight.squeeze(-1), gate.bias))
        return torch.sigmoid(torch.matmul(self.end_conv1x1.weight.squeeze(-1), x.transpose(1, 2)))
