"""Two transposed convolutions in a row, with nothing between them, as one (the graph export's form
of Hd's convt8 -> convt9).

Both are linear, so convt9(convt8_unpadded(x)) is the transposed convolution of x by the composed kernel
(w8 transposed-convolved by w9: [C7, C9, (k8 - 1) * s9 + k9]) with stride s8 * s9. At full size that
is 20 GMAC where convt8 alone is 89: convt8 makes 128 channels on the fine grid that convt9 at once
folds into one. What the composition leaves out is convt8's padding: convt9 reads convt8's output
cropped by it, so the rows and columns the crop drops must not reach the result. Their reach is a
thin border (at full size the first output frame and 7 of 256 channels at each side); it is
computed from those strips alone and subtracted, and the bias (b8 through convt9, plus b9) is a
constant map. The result equals the two layers' to float rounding.
"""
import torch
import torch.nn.functional as F


def composable(c8, c9):
    """Whether `pair` handles these layers (2-D, group 1, no dilation, no output padding, c9
    unpadded, every kernel at least its stride)."""
    plain = all(c.groups == 1 and tuple(c.dilation) == (1, 1) and tuple(c.output_padding) == (0, 0)
                for c in (c8, c9))
    return plain and tuple(c9.padding) == (0, 0) and all(k >= s for c in (c8, c9)
                                                          for k, s in zip(c.kernel_size, c.stride))


def composed_weight(c8, c9):
    """[C7, C9, K0, K1]: w8 read as C7 images of C8 channels, transposed-convolved by w9."""
    return F.conv_transpose2d(c8.weight, c9.weight, stride=c9.stride)


def _z_size(n, s, k):
    return (n - 1) * s + k


def strips(x_size, c8):
    """Rows x columns of convt8's unpadded output that its padding crops off: (top, bottom, left,
    right), each ((j0, j1), (l0, l1)); columns strips leave out the rows the row strips hold."""
    (zh, zw), (ph, pw) = [_z_size(n, s, k) for n, s, k in zip(x_size, c8.stride, c8.kernel_size)], c8.padding
    return [((0, ph), (0, zw)), ((zh - ph, zh), (0, zw)),
            ((ph, zh - ph), (0, pw)), ((ph, zh - ph), (zw - pw, zw))]


def constants(c8, c9, x_size, out):
    """(composed kernel, bias map [1, C9, rows, cols]) for input rows x columns `x_size` and the
    first `out` rows x columns of the result (no larger than the two layers give)."""
    with torch.no_grad():
        wc = composed_weight(c8, c9)
        zc = [_z_size(n, s, k) - 2 * p for n, s, k, p in zip(x_size, c8.stride, c8.kernel_size, c8.padding)]
        field = c8.bias.reshape(1, -1, 1, 1).expand(1, c8.out_channels, *zc)
        bias = F.conv_transpose2d(field, c9.weight, c9.bias, stride=c9.stride)[:, :, :out[0], :out[1]]
    return wc, bias.contiguous()


def out_size(c8, c9, x_size, out):
    """`out` clipped to what c9(c8(x)) has."""
    z = [_z_size(n, s, k) - 2 * p for n, s, k, p in zip(x_size, c8.stride, c8.kernel_size, c8.padding)]
    return tuple(min(o, _z_size(n, s, k)) for o, n, s, k in zip(out, z, c9.stride, c9.kernel_size))


def pair(c8, c9, x, consts):
    """The first rows x columns of c9(c8(x)) that `consts` (from `constants` for x's size) were made for."""
    s8, p8, s9 = c8.stride, c8.padding, c9.stride
    size = (int(x.shape[2]), int(x.shape[3]))        # ints: under tracing shapes would become graph nodes
    wc, bias = consts
    out = (int(bias.shape[2]), int(bias.shape[3]))
    off = [s * p for s, p in zip(s9, p8)]
    y = F.conv_transpose2d(x, wc, stride=(s8[0] * s9[0], s8[1] * s9[1]))
    y = y[:, :, off[0]:off[0] + out[0], off[1]:off[1] + out[1]]
    for rows, cols in strips(size, c8):
        y = _less_strip(y, x, size, c8, c9, rows, cols, off, out)
    return y + bias


def _span(j0, j1, s, k, off, n):
    """Result indices [a, b) that z indices [j0, j1) reach through a layer of stride s and kernel k,
    shifted by -off and clipped to [0, n); and where the layer's output of z[j0] starts (r0)."""
    r0 = s * j0 - off
    return max(0, r0), min(n, s * (j1 - 1) + k - off), r0


def _less_strip(y, x, size, c8, c9, rows, cols, off, out):
    (j0, j1), (l0, l1) = rows, cols
    if j0 >= j1 or l0 >= l1:
        return y
    (s8h, s8w), (k8h, k8w), (s9h, s9w), (k9h, k9w) = c8.stride, c8.kernel_size, c9.stride, c9.kernel_size
    a0, b0, r0 = _span(j0, j1, s9h, k9h, off[0], out[0])
    a1, b1, c0 = _span(l0, l1, s9w, k9w, off[1], out[1])
    if a0 >= b0 or a1 >= b1:
        return y
    # the input rows and columns that reach z rows [j0, j1) and columns [l0, l1) through convt8
    i0, i1 = max(0, -((k8h - 1 - j0) // s8h)), min(size[0], (j1 - 1) // s8h + 1)
    m0, m1 = max(0, -((k8w - 1 - l0) // s8w)), min(size[1], (l1 - 1) // s8w + 1)
    # and only the kernel taps that land there (z index = stride * input index + tap)
    t0, t1 = max(0, j0 - s8h * (i1 - 1)), min(k8h, j1 - s8h * i0)
    u0, u1 = max(0, l0 - s8w * (m1 - 1)), min(k8w, l1 - s8w * m0)
    z = F.conv_transpose2d(x[:, :, i0:i1, m0:m1], c8.weight[:, :, t0:t1, u0:u1], stride=c8.stride)
    z = z[:, :, j0 - s8h * i0 - t0:j1 - s8h * i0 - t0, l0 - s8w * m0 - u0:l1 - s8w * m0 - u0]
    e = F.conv_transpose2d(z, c9.weight, stride=c9.stride)[:, :, a0 - r0:b0 - r0, a1 - c0:b1 - c0]
    return y - F.pad(e, (a1, out[1] - b1, a0, out[0] - b0))
