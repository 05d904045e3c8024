"""Rendering from real recordings: a hydrogen kit plays the recipe's events with the right samples
at the right times and layers; ambiences and phrases come out 5 s long from the files given."""
import shutil

import numpy as np
import pytest
from scipy.io import wavfile

from lmactd_models.clip import SAMPLE_RATE as SR
from lmactd_models.data import real
from lmactd_models.data.recipe import HAT, KICK, OPEN_HAT, SNARE, SNARE2

pytestmark = pytest.mark.skipif(not shutil.which("sox"), reason="sox decodes the files")

KIT = """<drumkit_info><name>T</name><instrumentList>
<instrument><id>0</id><name>Bass Drum</name>
  <layer><filename>kick-soft.wav</filename><min>0</min><max>0.5</max></layer>
  <layer><filename>kick-hard.wav</filename><min>0.5</min><max>1</max></layer></instrument>
<instrument><id>1</id><name>Snare Rock</name><filename>snare.wav</filename></instrument>
<instrument><id>2</id><name>Closed HH</name><filename>hat.wav</filename></instrument>
<instrument><id>3</id><name>Cowbell</name><filename>not-shipped.wav</filename></instrument>
</instrumentList></drumkit_info>"""


def _wav(path, value, n=800):
    wavfile.write(str(path), SR, np.full(n, value, dtype=np.float32))


@pytest.fixture
def kit(tmp_path):
    (tmp_path / "drumkit.xml").write_text(KIT)
    for name, v in (("kick-soft", 0.1), ("kick-hard", 0.2), ("snare", 0.3), ("hat", 0.4)):
        _wav(tmp_path / f"{name}.wav", v)
    return real.HydrogenKit(str(tmp_path))


def test_kit_maps_names_to_notes_and_velocity_to_layers(kit):
    assert sorted(kit.layers) == [KICK, SNARE, HAT]
    assert kit.sample(KICK, 20)[0] == pytest.approx(0.1, abs=1e-4)
    assert kit.sample(KICK, 120)[0] == pytest.approx(0.2, abs=1e-4)
    # notes the kit lacks fall back (second snare -> snare, open hat -> hat) or are skipped
    assert kit.sample(SNARE2, 100)[0] == pytest.approx(0.3, abs=1e-4)
    assert kit.sample(OPEN_HAT, 100)[0] == pytest.approx(0.4, abs=1e-4)
    assert kit.sample(56, 100) is None  # the cowbell's file is missing: the kit has no cowbell


def test_kit_renders_events_at_their_times(kit):
    x = kit.render([(0.5, bytes([0x99, KICK, 127])), (1.0, bytes([0x99, SNARE, 127])), (1.0, bytes([0x89, SNARE, 0]))])
    assert len(x) == 5 * SR
    nz = np.flatnonzero(x)
    assert nz[0] == int(0.5 * SR) and x[int(0.5 * SR)] == pytest.approx(0.2, abs=1e-4)
    assert x[SR] == pytest.approx(0.3, abs=1e-4)
    assert len(nz) == 1600


def test_ambience_and_phrase_are_five_seconds_from_the_files(tmp_path):
    long, short = tmp_path / "long.wav", tmp_path / "short.wav"
    wavfile.write(str(long), SR, np.linspace(-0.5, 0.5, 8 * SR).astype(np.float32))
    _wav(short, 0.25, SR // 2)
    rng = np.random.default_rng(0)
    a = real.ambience(str(long), rng)
    assert len(a) == 5 * SR and np.all(np.diff(a) > 0)  # one contiguous stretch of the ramp
    looped = real.ambience(str(short), rng)
    assert len(looped) == 5 * SR and np.count_nonzero(looped) > 4 * SR  # looped, not padded
    p = real.phrase([str(short)], rng, count=(2, 2), gap=(0.5, 0.5))
    runs = np.flatnonzero(np.diff((p != 0).astype(int)))
    assert len(p) == 5 * SR and len(runs) == 4  # two separate pieces


def test_crowd_claps_is_a_reproducible_dense_crowd_of_the_given_claps(tmp_path):
    import scipy.io.wavfile as wavfile
    from lmactd_models.clip import SAMPLE_RATE as SR
    clap = np.zeros(SR // 10, dtype=np.float32)
    clap[:40] = np.hanning(40)
    path = str(tmp_path / "clap.wav")
    wavfile.write(path, SR, clap)
    x = real.crowd_claps([path], np.random.default_rng(5))
    assert x.shape == (5 * SR,) and x.dtype == np.float32
    assert np.array_equal(x, real.crowd_claps([path], np.random.default_rng(5)))
    onsets = np.flatnonzero((np.abs(x[1:]) > 1e-3) & (np.abs(x[:-1]) <= 1e-3))
    assert len(onsets) > 6 * 2.5 * 2          # at least 6 clappers at 2.5 Hz for 2 of the 5 s
    active = np.abs(x[SR:2 * SR]).reshape(-1, 160).max(axis=1) > 1e-3
    assert active.mean() > 0.3                # claps overlap into a texture, not a single hand
