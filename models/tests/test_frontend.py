"""The PyTorch front end against an independent numpy reading of models/README.md step 4."""
import numpy as np
import pytest
import torch

from lmactd_models import frontend as fe


def numpy_logmel(x, n_fft=1024, win=372, hop=186, sr=16000, n_mels=80):
    x = np.asarray(x, dtype=np.float64)
    n = np.arange(win)
    w = np.zeros(n_fft)
    w[(n_fft - win) // 2:(n_fft - win) // 2 + win] = 0.54 - 0.46 * np.cos(2 * np.pi * n / win)
    xp = np.concatenate([np.zeros(n_fft // 2), x, np.zeros(n_fft // 2)])
    frames = 1 + len(x) // hop
    spec = np.fft.rfft(np.stack([xp[t * hop:t * hop + n_fft] * w for t in range(frames)]), axis=1)
    mag = np.sqrt(spec.real ** 2 + spec.imag ** 2 + 1e-14)
    mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)
    pts = [700.0 * (10 ** (m / 2595.0) - 1.0) for m in np.linspace(mel(0.0), mel(8000.0), n_mels + 2)]
    fb = np.zeros((n_fft // 2 + 1, n_mels))
    for m in range(n_mels):
        centre, half = pts[m + 1], pts[m + 1] - pts[m]
        for k in range(n_fft // 2 + 1):
            f = k * (sr / 2) / (n_fft // 2)
            fb[k, m] = max(0.0, 1.0 - abs(f - centre) / half)
    return np.log1p(mag @ fb)


@pytest.mark.parametrize("n_fft", [1024, 2048])
def test_logmel_matches_numpy(clip, n_fft):
    ours = fe.LogMel(n_fft)(clip)[0].numpy()
    ref = numpy_logmel(clip[0].numpy(), n_fft)
    assert ours.shape == (431, 80)
    assert np.abs(ours - ref).max() <= 1e-5


def test_window_is_periodic_hamming_centred():
    w = fe.padded_window(1024).numpy()
    assert w[325] == 0 and w[326 + 372] == 0
    assert abs(w[326] - 0.08) < 1e-7 and abs(w[326 + 186] - 1.0) < 1e-7


def test_istft_inverts_stft(clip):
    spec = fe.stft(clip, 1024)
    assert torch.allclose(fe.istft(spec, 1024, clip.shape[1]), clip, atol=1e-5)


def test_normalise_signed_max_then_absmax_then_error():
    y, d = fe.normalise(torch.tensor([0.5, -2.0, 0.25]))
    assert d == 0.5 and torch.allclose(y, torch.tensor([1.0, -4.0, 0.5]))
    y, d = fe.normalise(torch.tensor([-0.5, -2.0]))
    assert d == 2.0
    with pytest.raises(ValueError):
        fe.normalise(torch.zeros(10))
