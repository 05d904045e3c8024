"""The data recipe of the default model: labelled 5 s, 16 kHz mono clips rendered from a seed.

Sources: fluidsynth with the FluidR3 General MIDI soundfont (instruments, drum kits, GM sound
effects), espeak-ng (speech) and numpy/scipy synthesis (birdsong, ringing, applause, sea, wind).
Every clip is planned from `numpy.random.default_rng([split_seed, index])`, so a split is the same
on every machine that has the same soundfont and espeak-ng. Train, validation and test use
disjoint split seeds.

A clip = target source (random pitch, pattern, tempo, velocity, voice, onset/early stop, EQ,
reverb) + optionally a background scene (coloured noise, hum) 12-30 dB below + optionally a
quieter source of another class 5-20 dB below, then scaled to a random peak level.

By job: `recipe` (classes, seeds, programs, words), `midi` (MIDI writing), `plan` (planning),
`synth` (synthesis), `render` (rendering; one fluidsynth call renders all MIDI sources of a chunk
of clips, one 7 s slot each: 5 s of notes, 2 s of silence so that release tails never reach the
next slot), `dataset` (dataset IO), `mix` (mixtures), `examples` (the package's example WAVs).
What the training code uses is re-exported here.
"""
from ..clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR  # noqa: F401
from .dataset import build_dataset, load_split  # noqa: F401
from .examples import EXAMPLES, render_examples  # noqa: F401
from .midi import write_midi  # noqa: F401
from .mix import mixture_pairs, paper_mix  # noqa: F401
from .plan import plan_clip  # noqa: F401
from .recipe import CLASSES, DEFAULT_SIZES, SPLIT_SEEDS  # noqa: F401
from .render import render_plans  # noqa: F401
