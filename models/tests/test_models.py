"""Properties of the PyTorch reference modules."""
import torch

from lmactd_models.modules import masknet
from lmactd_models.reference import lmac_spectrograms, with_phase
from lmactd_models import frontend as fe


def test_explanation_plus_masked_out_is_decoded_encoding(tiny, clip):
    classifier, lmactd, _ = tiny
    with torch.no_grad():
        _, *reps = classifier(fe.LogMel()(clip))
        expl, masked_out, mask = lmactd(clip, *reps)
        whole = lmactd.decoder(lmactd.encoder(clip))
    assert expl.shape == masked_out.shape == clip.shape
    assert mask.shape == (1, lmactd.size.n_enc, 9999)
    assert 0.05 < float(mask.std())            # the mask is not constant
    assert torch.allclose(expl + masked_out, whole, atol=1e-6)


def test_batch_of_two_equals_two_singles(tiny, clip):
    classifier, lmactd, psi = tiny
    x = torch.cat([clip, 0.5 * clip.flip(1) / clip.flip(1).max()])
    with torch.no_grad():
        both = classifier(fe.LogMel()(x))
        both_td = lmactd(x, *both[1:])
        both_psi = psi(*both[1:])
        for i in range(2):
            one = classifier(fe.LogMel()(x[i:i + 1]))
            for a, b in zip(both, one):
                assert torch.allclose(a[i:i + 1], b, atol=1e-5)
            for a, b in zip(both_td, lmactd(x[i:i + 1], *one[1:])):
                assert torch.allclose(a[i:i + 1], b, atol=1e-5)
            assert torch.allclose(both_psi[i:i + 1], psi(*one[1:]), atol=1e-6)


def test_chunking_overlap_add_counts_every_frame_twice():
    x = torch.randn(2, 3, 9999)
    seg = masknet.segment(x, 250)
    assert seg.shape == (2, 3, 250, 82)
    assert masknet.chunk_gap(9999, 250) == 126
    assert torch.allclose(masknet.overlap_add(seg, 9999), 2 * x)


def test_lmac_full_mask_gives_back_the_input(clip):
    mask = torch.ones(1, 425, 513)
    spec, mag_in, mag_out = lmac_spectrograms(mask, clip)
    expl = fe.istft(with_phase(mag_in, spec), 1024, clip.shape[1])
    masked = fe.istft(with_phase(mag_out, spec), 1024, clip.shape[1])
    # frames 425..430 are masked out (zeros): compare before the last 6 hops
    cut = 425 * 186 - 512
    assert torch.allclose(expl[:, :cut], clip[:, :cut], atol=1e-4)
    assert masked[:, :cut].abs().max() < 1e-4


def test_random_init_gives_every_tensor_its_own_values(tiny):
    """Cloned-looking layers would be folded together by ONNX: no two tensors may be equal,
    and no norm layer may keep its constant default."""
    seen = {}
    for model in tiny:
        for name, t in model.state_dict().items():
            if name.endswith("num_batches_tracked") or name.endswith("pos_enc.pe"):
                continue
            assert t.numel() == 1 or float(t.std()) > 0, name
            key = (tuple(t.shape), tuple(t.flatten()[:8].tolist()))
            assert key not in seen, f"{name} equals {seen.get(key)}"
            seen[key] = name
