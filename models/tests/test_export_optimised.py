"""The optimised export's forms give the reference's numbers: Hd's early crop, the fused attention
(PyTorch side), and the polyphase form of a transposed convolution (the weights and pads that
convt_phase.py writes into the graph, run here with torch's conv2d). ONNX Runtime runs the
rewritten graphs in the C# parity tests against the golden files."""
import collections

import onnx
import pytest
import torch
import torch.nn.functional as F

from lmactd_models.modules.convt import HD_GEOMETRY, PSI_GEOMETRY, needed
from lmactd_models.export.convt_phase import phase_weight, stacked_weight
from lmactd_models.modules.lmactd import LmacTd
from lmactd_models.export.package import optimised, write_package
from lmactd_models.sizes import SIZES


def reps_for(size, batch, g):
    ch = size.cnn14.channels
    return [torch.randn(batch, ch[5], 13, 2, generator=g), torch.randn(batch, ch[4], 13, 2, generator=g),
            torch.randn(batch, ch[3], 26, 5, generator=g), torch.randn(batch, ch[2], 53, 10, generator=g)]


@pytest.mark.parametrize("size", ["tiny", "default"])
def test_optimised_lmactd_equals_the_reference_forward(size):
    torch.manual_seed(5)
    model = LmacTd(SIZES[size].lmactd).eval()
    g = torch.Generator().manual_seed(6)
    x, reps = torch.randn(2, 80000, generator=g), reps_for(SIZES[size], 2, g)
    with torch.no_grad():
        ref = model(x, *reps)
        with optimised(model):
            opt = model(x, *reps)
    assert not model.early_crop and not model.masknet.features_last
    assert not model.masknet.dual_mdl[0].intra_mdl.mdl.layers[0].self_att.att.fused
    for a, b in zip(ref, opt):
        assert a.shape == b.shape
        assert (a - b).abs().max().item() <= 1e-6 * a.abs().max().item()


def test_early_crop_runs_hd_on_fewer_frames():
    """At full size Hd makes 11082 frames and LMAC-TD keeps 9999: the cropped path's last layer
    reads fewer input rows, so the crop is real, not a slice at the end."""
    torch.manual_seed(1)
    hd = LmacTd(SIZES["full"].lmactd).convt_decoder
    assert needed(hd.convt9, (9999, 256))[0] == 1429              # of convt8's 1583 rows
    assert needed(hd.convt8, (1429, 83))[0] == 478                # of convt7's 528 rows


def pairs(*v):
    return [(x, x) if isinstance(x, int) else x for x in v]


# every layer geometry of both decoders that the rewrite accepts (each kernel at least its stride)
PHASED = [pairs(*g) for g in HD_GEOMETRY + PSI_GEOMETRY if all(k >= s for k, s in zip(*pairs(*g[:2])))]


@pytest.mark.parametrize("keep", [(9999, 256), (9999, 8), (500, 100)])
def test_composed_convt8_convt9_equal_the_two_layers(keep):
    """Hd at small channels but the spec's geometry, in float64: the composed pair with its border
    corrections (all four strips reach the result when 256 columns are kept) against the reference
    forward cropped."""
    from lmactd_models.modules.convt import ConvTDecoder
    torch.manual_seed(2)
    hd = ConvTDecoder((8, 8, 8, 8), (8, 8, 8, 8, 4), HD_GEOMETRY).double().eval()
    for p in hd.parameters():
        torch.nn.init.normal_(p, std=0.3)
    g = torch.Generator().manual_seed(3)
    reps = [torch.randn(1, 8, *hw, generator=g, dtype=torch.float64) for hw in ((13, 2), (13, 2), (26, 5), (53, 10))]
    with torch.no_grad():
        ref = hd(*reps)[:, :, :keep[0], :keep[1]]
        got = hd(*reps, keep=keep)
    assert got.shape == ref.shape
    assert (got - ref).abs().max().item() < 1e-9 * ref.abs().max().item()


def convt_case(k, s, p, cout, seed):
    """A float64 input [1, 3, 9, 7], a ConvTranspose weight and bias of geometry (k, s, p), and
    torch's transposed convolution of them: what each rewritten form must give."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(1, 3, 9, 7, generator=g, dtype=torch.float64)
    wt = torch.randn(3, cout, *k, generator=g, dtype=torch.float64)
    b = torch.randn(cout, generator=g, dtype=torch.float64)
    return x, wt, b, F.conv_transpose2d(x, wt, b, stride=s, padding=p)


@pytest.mark.parametrize("k,s,p", PHASED)
def test_polyphase_form_equals_conv_transpose(k, s, p):
    cout, h, w = 4, 9, 7
    x, wt, b, ref = convt_case(k, s, p, cout, sum(k) + 10 * sum(s))
    (kh, kw), (sh, sw), (ph, pw) = k, s, p
    qh, qw = h - 1 + -(-kh // sh), w - 1 + -(-kw // sw)
    out = torch.zeros(1, cout, qh * sh, qw * sw, dtype=torch.float64)
    for a in range(sh):
        for c in range(sw):
            wp = torch.from_numpy(phase_weight(wt.numpy(), sh, sw, a, c))
            jh, jw = wp.shape[2:]
            # ONNX Conv pads [top, left, bottom, right] = [jh-1, jw-1, qh-h, qw-w]
            xp = F.pad(x, (jw - 1, qw - w, jh - 1, qh - h))
            out[:, :, a::sh, c::sw] = F.conv2d(xp, wp, b)
    got = out[:, :, ph:ph + ref.shape[2], pw:pw + ref.shape[3]]
    assert (got - ref).abs().max().item() < 1e-10


def test_write_package_records_and_applies_the_export(tiny, tmp_path):
    c, l, p = tiny
    opt = write_package(str(tmp_path / "opt"), c, l, p, log=lambda s: None)
    plain = write_package(str(tmp_path / "plain"), c, l, p, log=lambda s: None, optimise=False)
    e = opt["interpreters"]["lmac-td"]["architecture"]["export"]
    assert e["optimised"] and e["hdEarlyCrop"] and e["attention"] == "com.microsoft.Attention"
    assert e["dualPathLayout"] == "BSKD" and e["hdComposedConvt89"]
    assert [n.split("/")[2] for n in e["polyphaseConvTranspose"]] == ["convt5", "ConvTranspose"]  # + the composed pair
    assert plain["interpreters"]["lmac-td"]["architecture"]["export"] == {"optimised": False,
                                                                           "polyphaseConvTranspose": []}
    ops = {k: collections.Counter(n.op_type for n in onnx.load(str(tmp_path / k / "lmac-td.onnx")).graph.node)
           for k in ("opt", "plain")}
    assert ops["opt"]["Attention"] == 2 and ops["plain"]["Attention"] == 0
    assert ops["opt"]["Conv"] > ops["plain"]["Conv"]            # convt5's phases
    graph = onnx.load(str(tmp_path / "opt" / "lmac-td.onnx")).graph
    shapes = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in graph.output}
    assert shapes["explanation"] == ["batch", 80000]
    assert shapes["mask"] == ["batch", l.size.n_enc, 9999]


@pytest.mark.parametrize("k,s,p", PHASED)
def test_stacked_phase_form_equals_conv_transpose(k, s, p):
    """The single-Conv form for layers with few output channels: phases as channels, kernels padded."""
    cout, h, w = 1, 9, 7
    x, wt, b, ref = convt_case(k, s, p, cout, sum(k) + 7 * sum(s))
    (kh, kw), (sh, sw), (ph, pw) = k, s, p
    jh, jw = -(-kh // sh), -(-kw // sw)
    qh, qw = h - 1 + jh, w - 1 + jw
    channels = 16 * -(-(sh * sw * cout) // 16)
    wst = torch.from_numpy(stacked_weight(wt.numpy(), sh, sw, channels))
    ys = F.conv2d(F.pad(x, (jw - 1, jw - 1, jh - 1, jh - 1)), wst, b.repeat(channels))[:, :sh * sw * cout]
    out = ys.reshape(1, sh, sw, cout, qh, qw).permute(0, 3, 4, 1, 5, 2).reshape(1, cout, qh * sh, qw * sw)
    got = out[:, :, ph:ph + ref.shape[2], pw:pw + ref.shape[3]]
    assert (got - ref).abs().max().item() < 1e-10
