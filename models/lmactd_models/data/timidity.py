"""Rendering MIDI on freepats, the GUS patch set (`.pat` files and a TiMidity++ config), with
TiMidity++ (Debian `timidity`): fluidsynth loads only SoundFonts, and freepats' patches are a third
set of recorded instrument samples beside FluidR3 and MuseScore General (which share much of their
sample material), so they widen the timbres the melodic classes train on.

Freepats lacks some of the recipe's programs; `STAND_INS` plays those on the nearest one it has
(TiMidity++ would leave them silent). The config Debian ships names `/usr/share/midi/freepats`;
`config` writes one for the copy unpacked under the sources root, so nothing needs installing but
`timidity` itself.
"""
from __future__ import annotations

import os
import shutil
import subprocess

# recipe program -> the freepats program that stands in (viola -> violin, slow strings -> string
# ensemble, percussive organ -> Hammond, reed organ -> church organ, tinkle bell -> glockenspiel)
STAND_INS = {41: 40, 49: 48, 17: 16, 20: 19, 112: 9}


def available() -> bool:
    return shutil.which("timidity") is not None


def config(cfg: str, tmpdir: str) -> str:
    """A TiMidity++ config for the freepats config `cfg` as unpacked (its `dir` lines pointed at the
    unpacked patch folder); written once per tmpdir."""
    out = os.path.join(tmpdir, "freepats-unpacked.cfg")
    if not os.path.exists(out):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cfg))))  # .../freepats
        lines = []
        with open(cfg, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.split()[:1] == ["dir"]:
                    line = "dir " + os.path.join(root, line.split(None, 1)[1].strip().lstrip("/")) + "\n"
                lines.append(line)
        with open(out + ".tmp", "w", encoding="utf-8") as f:
            f.writelines(lines)
        os.replace(out + ".tmp", out)
    return out


def program(p: int) -> int:
    return STAND_INS.get(p, p)


def render(mid: str, wav: str, cfg: str, rate: int, tmpdir: str) -> None:
    """`mid` rendered to a mono 16-bit WAV at `rate`, dry (no reverb or chorus), as fluidsynth renders
    the other soundfonts for the recipe."""
    if not available():
        raise FileNotFoundError("timidity is not installed (apt install timidity): it renders the freepats parts")
    subprocess.run(["timidity", "-c", config(cfg, tmpdir), "-s", str(rate), "-Ow", "--output-mono",
                    "--reverb=d", "--chorus=d", "-A", "100", "-o", wav, mid], check=True, capture_output=True)
