"""What the default model's data is made of: the classes, split seeds and sizes, the General MIDI
programs, scales, drum kits and notes, the words and voices of the speech."""
from __future__ import annotations

SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

CLASSES = [
    "speech", "piano", "acoustic_guitar", "strings", "brass", "woodwind", "organ",
    "drum_kit", "bells", "birdsong", "telephone_ring", "applause", "sea_or_wind",
]

SPLIT_SEEDS = {"train": 1_000_003, "val": 2_000_003, "test": 3_000_017}
DEFAULT_SIZES = {"train": 1300, "val": 260, "test": 260}

# General MIDI programs (0-based) and the note range each plays in.
PROGRAMS = {
    "piano": [(0, 33, 96), (1, 36, 96), (2, 36, 90)],
    "acoustic_guitar": [(24, 40, 84), (25, 40, 84)],
    "strings": [(40, 55, 96), (41, 48, 84), (42, 36, 72), (48, 40, 88), (49, 40, 88), (44, 43, 84)],
    "brass": [(56, 55, 82), (57, 40, 72), (60, 41, 77), (61, 45, 80), (58, 33, 60)],
    "woodwind": [(73, 60, 96), (71, 50, 89), (68, 58, 91), (72, 74, 102), (74, 60, 91), (70, 34, 72)],
    "organ": [(16, 36, 90), (19, 36, 90), (17, 36, 90), (20, 48, 84)],
    "bells": [(14, 60, 77), (9, 72, 105), (112, 72, 96), (8, 60, 96)],
}
CHORDAL = {"piano", "acoustic_guitar", "organ", "strings"}
SCALES = {
    "major": [0, 2, 4, 5, 7, 9, 11], "minor": [0, 2, 3, 5, 7, 8, 10],
    "penta": [0, 2, 4, 7, 9], "dorian": [0, 2, 3, 5, 7, 9, 10], "blues": [0, 3, 5, 6, 7, 10],
}
# GM drum kits (bank 128 programs) and notes.
DRUM_KITS = [0, 8, 16, 24, 25, 32, 40]
KICK, SNARE, SNARE2, CLAP, HAT, PEDAL_HAT, OPEN_HAT, RIDE, CRASH = 36, 38, 40, 39, 42, 44, 46, 51, 49
TOMS = [41, 43, 45, 47, 48, 50]
COWBELL, RIMSHOT = 56, 37

# Words for pseudo-sentences, per espeak-ng language (common words; grammar does not matter).
WORDS = {
    "en-gb": "the house is near a river where we walk every morning and the children play "
             "with a small dog before school time comes again today".split(),
    "en-us": "please call me back later because the meeting starts at nine and we still need "
             "coffee paper and a quiet room for everyone".split(),
    "de": "der hund spielt heute im garten und die kinder lesen ein buch wir fahren morgen "
          "mit dem zug nach hause weil es regnet".split(),
    "fr": "le matin nous prenons le train pour aller au travail et le soir nous mangeons "
          "ensemble avec des amis dans la maison".split(),
    "es": "mañana vamos a la playa con mis amigos porque hace mucho calor y queremos nadar "
          "en el mar antes de comer".split(),
    "it": "oggi il tempo è bello e andiamo a fare una passeggiata nel parco con il cane "
          "poi mangiamo la pizza insieme".split(),
    "nl": "vandaag fietsen wij naar de stad om boeken te kopen en daarna drinken we koffie "
          "bij de rivier".split(),
    "pt": "hoje vamos ao mercado comprar frutas e pão depois voltamos para casa e "
          "preparamos o jantar para a família".split(),
    "pl": "dzisiaj idziemy do parku z psem a potem jemy obiad w domu z całą rodziną".split(),
    "sv": "i dag går vi till skolan och sedan äter vi lunch tillsammans med våra vänner".split(),
}
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5",
            "klatt", "klatt2", "klatt4", "croak", "grandma", "grandpa"]
