"""Where real recordings and sampled instruments come from: the Debian packages the data recipe may
train on, and, per class, which of their files feed it and which are held out for validation.

Only the packages in `ALLOWED` may feed training, tuning or model selection; the rest of Debian's
audio is kept for evaluation. Held-out pools are whole sources (one soundfont, two drum kits, one
voice family, one game's effects per class where a class has several), so validation measures
generalisation across sources, not within one generator.

`fetch` downloads the packages with `apt-get download` and unpacks them with `dpkg-deb -x` under
one folder (no root, nothing installed); 0 A.D. keeps its audio inside `public.zip`, whose matching
members are unpacked beside it. `inventory` lists every pool's files, seconds and licences.
"""
from __future__ import annotations

import fnmatch
import glob
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass

# package -> what it gives; the list the issue allows (`wesnoth-*` as Debian bookworm names it).
ALLOWED = {
    "fluid-soundfont-gm": "soundfont", "musescore-general-soundfont": "soundfont",
    "timgm6mb-soundfont": "soundfont", "freepats": "soundfont",
    "hydrogen-drumkits": "drum kits",
    "espeak-ng": "speech synthesis", "festival": "speech synthesis",
    "festvox-kallpc16k": "voice", "festvox-kdlpc16k": "voice", "festvox-us-slt-hts": "voice",
    "festvox-italp16k": "voice", "festvox-czech-dita": "voice",
    "0ad-data": "game audio", "widelands-data": "game audio", "supertuxkart-data": "game audio",
    "wesnoth-1.16-data": "game audio", "wesnoth-1.16-music": "game audio", "freeciv-data": "game audio",
    "warzone2100-data": "game audio", "xmoto-data": "game audio", "extremetuxracer-data": "game audio",
    "frozen-bubble-data": "game audio",
}
# Installed with apt, not unpacked: the programs that render from them.
PROGRAMS = ("espeak-ng", "festival")

_ZEROAD = "usr/share/games/0ad/mods/public/public.zip"
_WESNOTH = "usr/share/games/wesnoth/1.16"
_STK = "usr/share/games/supertuxkart/data"


@dataclass(frozen=True)
class Pool:
    """One source of one class: `pattern` is a glob under the unpacked package (for 0 A.D., under
    the zip's own paths, prefixed `zip:`)."""
    cls: str
    name: str
    package: str
    pattern: str
    held_out: bool = False


@dataclass(frozen=True)
class Soundfont:
    """A soundfont that renders every melodic class and GM percussion from the recipe's programs."""
    name: str
    package: str
    path: str
    held_out: bool = False


SOUNDFONTS = (
    Soundfont("FluidR3_GM", "fluid-soundfont-gm", "usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Soundfont("MuseScore_General", "musescore-general-soundfont", "usr/share/sounds/sf3/MuseScore_General_Full.sf3"),
    Soundfont("freepats", "freepats", "etc/timidity/freepats.cfg"),
    Soundfont("TimGM6mb", "timgm6mb-soundfont", "usr/share/sounds/sf2/TimGM6mb.sf2", held_out=True),
)

# festival voices (espeak-ng stays the synthetic majority); one family held out.
VOICES = (
    ("kal_diphone", "festvox-kallpc16k", False), ("ked_diphone", "festvox-kdlpc16k", False),
    ("lp_diphone", "festvox-italp16k", False), ("czech_dita", "festvox-czech-dita", False),
    ("cmu_us_slt_arctic_hts", "festvox-us-slt-hts", True),
)

_KITS = "usr/share/hydrogen/data/drumkits"
HELD_OUT_KITS = ("ColomboAcousticDrumkit", "The Black Pearl 1.0")
# Hand percussion (cajon, bongos, djembes), not a drum kit: no kick and snare to play the patterns with.
NOT_KITS = ("Gimme A Hand 1.0", "circAfrique v4")

POOLS = (
    # Real recorded voices (0 A.D.'s civilisation voice lines, several languages): one language held out.
    Pool("speech", "0ad-voices", "0ad-data", "zip:audio/voice/[gl]*/civ/*.ogg"),
    Pool("speech", "0ad-voices-persian", "0ad-data", "zip:audio/voice/persian/civ/*.ogg"),
    Pool("speech", "0ad-voices-napatan", "0ad-data", "zip:audio/voice/napatan/civ/*.ogg", held_out=True),
    # Drum kits: hydrogen's real kits play the recipe's patterns; two kits held out.
    Pool("drum_kit", "hydrogen", "hydrogen-drumkits", f"{_KITS}/*/*.[wf][al][va]*"),
    # Applause has no training recording: crowds of the training kits' real hand claps stand in.
    Pool("applause", "hydrogen-claps", "hydrogen-drumkits", f"{_KITS}/*/*[Cc]lap*.[wf][al][va]*"),
    Pool("drum_kit", "hydrogen-held-out", "hydrogen-drumkits", f"{_KITS}/*/*.[wf][al][va]*", held_out=True),
    Pool("drum_kit", "wesnoth-wardrums", "wesnoth-1.16-data", f"{_WESNOTH}/data/core/sounds/ambient/wardrums.ogg", held_out=True),
    # Birds: widelands' and supertuxkart's calls and 0 A.D.'s dayscapes train; wesnoth's ambiences held out.
    Pool("birdsong", "widelands-birds", "widelands-data", "usr/share/games/widelands/data/sound/animals/bird*.ogg"),
    Pool("birdsong", "stk-birds", "supertuxkart-data", f"{_STK}/sfx/exotic-birds*.ogg"),
    Pool("birdsong", "0ad-dayscape", "0ad-data", "zip:audio/ambient/dayscape/day_*.ogg"),
    Pool("birdsong", "wesnoth-birds", "wesnoth-1.16-data", f"{_WESNOTH}/data/core/sounds/ambient/[bm]*.ogg", held_out=True),
    # Sea and wind: only 0 A.D. records them (3 wave and 5 wind ambiences; rivers and rain are not this
    # class). Its wind and one wave train; the crashing and rocky waves are held out.
    Pool("sea_or_wind", "0ad-waves", "0ad-data", "zip:audio/ambient/water/wave_*.ogg"),
    Pool("sea_or_wind", "0ad-wind", "0ad-data", "zip:audio/ambient/weather/wind*.ogg"),
    Pool("sea_or_wind", "0ad-waves-held-out", "0ad-data", "zip:audio/ambient/water/wave[cr]*.ogg", held_out=True),
    # Applause: one real recording in the allowed packages; held out, the synthesised crowds train.
    Pool("applause", "frozen-bubble-applause", "frozen-bubble-data", "usr/share/games/frozen-bubble/snd/applause.ogg", held_out=True),
    # Bells: the soundfonts' bells train; wesnoth's recorded bell is held out.
    Pool("bells", "wesnoth-bell", "wesnoth-1.16-data", f"{_WESNOTH}/sounds/bell.wav", held_out=True),
)
# No allowed package holds a real telephone ring: that class stays synthesised (plus GM 124 of each
# soundfont; TimGM6mb's is the held-out one).


def _unpacked(root: str, package: str) -> str:
    return os.path.join(root, package)


def fetch(root: str, packages=None) -> list[str]:
    """Downloads and unpacks `packages` (default: all of `ALLOWED` but the programs) under `root`;
    skips those already there. Returns the folders."""
    os.makedirs(root, exist_ok=True)
    debs = os.path.join(root, "debs")
    os.makedirs(debs, exist_ok=True)
    out = []
    for p in packages or [p for p in ALLOWED if p not in PROGRAMS]:
        if p not in ALLOWED:
            raise ValueError(f"{p} is not an allowed training source")
        folder = _unpacked(root, p)
        if not os.path.isdir(folder):
            subprocess.run(["apt-get", "download", p], cwd=debs, check=True, stdout=subprocess.DEVNULL)
            deb = sorted(glob.glob(os.path.join(debs, f"{p}_*.deb")))[-1]
            subprocess.run(["dpkg-deb", "-x", deb, folder + ".part"], check=True)
            os.rename(folder + ".part", folder)
        out.append(folder)
    zroot = _unpacked(root, "0ad-data")
    if os.path.isdir(zroot) and not os.path.isdir(os.path.join(zroot, "zip")):
        _unzip_audio(zroot)
    return out


def install_voices() -> list[str]:
    """apt-get installs festival and the festvox packages of `VOICES` that are missing (festival
    loads voices only from its own folders, so unpacking them under the root is not enough), and
    timidity, which renders the unpacked freepats (`timidity.py`)."""
    wanted = ["festival", "timidity"] + [package for _, package, _ in VOICES]
    missing = [p for p in wanted if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if missing:
        sudo = [] if os.geteuid() == 0 or not shutil.which("sudo") else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    return missing


def _unzip_audio(zroot: str) -> None:
    wanted = [p.pattern[4:] for p in POOLS if p.pattern.startswith("zip:")]
    with zipfile.ZipFile(os.path.join(zroot, _ZEROAD)) as z:
        for name in z.namelist():
            if any(fnmatch.fnmatch(name, w) for w in wanted):
                z.extract(name, os.path.join(zroot, "zip.part"))
    os.rename(os.path.join(zroot, "zip.part"), os.path.join(zroot, "zip"))


def files(root: str, pool: Pool) -> list[str]:
    """The pool's files under `root`, sorted; drum kits split by `HELD_OUT_KITS`."""
    base = _unpacked(root, pool.package)
    pattern = os.path.join(base, "zip", pool.pattern[4:]) if pool.pattern.startswith("zip:") else os.path.join(base, pool.pattern)
    found = sorted(glob.glob(pattern))
    if pool.package == "hydrogen-drumkits":
        kit = lambda f: os.path.basename(os.path.dirname(f))  # noqa: E731
        found = [f for f in found if kit(f) not in NOT_KITS and (kit(f) in HELD_OUT_KITS) == pool.held_out]
    return found


def copyright_path(root: str, package: str) -> str | None:
    """The package's Debian copyright file (some packages' doc folder is named for their source)."""
    found = sorted(glob.glob(os.path.join(_unpacked(root, package), "usr/share/doc/*/copyright")))
    return found[0] if found else None


def licence_of(copyright_text: str, path: str) -> str:
    """The licence a machine-readable (DEP-5) copyright file gives `path` (the package-relative path):
    the last `Files:` stanza with a matching pattern wins, as DEP-5 says; "" when none matches."""
    found = ""
    for stanza in copyright_text.split("\n\n"):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") and key:
                fields[key] += "\n" + line.strip()
            elif ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value.strip()
        if "Files" in fields and "License" in fields:
            if any(fnmatch.fnmatchcase(path, pat) for pat in fields["Files"].split()):  # split() also splits lines
                found = fields["License"].split("\n")[0].strip()
    return found


def licences(root: str, pool: "Pool", paths: list[str]) -> list[str]:
    """The distinct licences of `paths` (a pool's files) by the package's copyright file."""
    cp = copyright_path(root, pool.package)
    if cp is None:
        return []
    text = open(cp, encoding="utf-8", errors="replace").read()
    base = _unpacked(root, pool.package)
    rel = [os.path.relpath(p, base) for p in paths]
    if "\nFiles:" not in text:
        return ["free-form copyright file: " + os.path.relpath(cp, base)]
    if pool.pattern.startswith("zip:"):  # the copyright names the zip's members by their path in the game's tree
        rel = [os.path.relpath(p, os.path.join(base, "zip")) for p in paths]
    if pool.package == "hydrogen-drumkits":  # by the upstream archive each kit came in
        rel = ["drumkits/" + os.path.basename(os.path.dirname(p)) + ".h2drumkit" for p in paths]
    return sorted({licence_of(text, r) or "(package default)" for r in rel})


def seconds(path: str) -> float:
    """Duration by sox's `soxi -D` (0 when sox cannot read it)."""
    r = subprocess.run(["soxi", "-D", path], capture_output=True, text=True)
    try:
        return float(r.stdout.strip())
    except ValueError:
        return 0.0


def inventory(root: str) -> list[dict]:
    """One row a pool: class, pool, package, held out, files, seconds, licences."""
    rows = []
    for p in POOLS:
        fs = files(root, p)
        rows.append({"class": p.cls, "pool": p.name, "package": p.package, "heldOut": p.held_out,
                     "files": len(fs), "seconds": round(sum(seconds(f) for f in fs), 1),
                     "licences": licences(root, p, fs)})
    return rows
