"""The clip every network sees: its sample rate and length. The one definition; the front end,
the data recipe, the golden files, the package manifest and the benchmarks read them from here
(no torch import, so the data workers need none)."""
SAMPLE_RATE = 16000
CLIP_SECONDS = 5
CLIP_SAMPLES = CLIP_SECONDS * SAMPLE_RATE
