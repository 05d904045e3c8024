"""freepats through TiMidity++: the config pointed at the unpacked patches, stand-ins for the programs
freepats lacks, the recipe's share drawn only when asked, and (where timidity and the unpacked
freepats are here) every recipe program sounding."""
import os

import numpy as np
import pytest

from lmactd_models.clip import CLIP_SAMPLES as CLIP
from lmactd_models.data import plan, realplan, recipe, render, timidity

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(HERE, "work", "sources")
CFG = "etc/timidity/freepats.cfg"


def _fake_freepats(root):
    os.makedirs(os.path.join(root, "freepats", "etc", "timidity"))
    with open(os.path.join(root, "freepats", CFG), "w") as f:
        f.write("dir /usr/share/midi/freepats\n\nbank 0\n\n 0\tTone_000/000_Acoustic_Grand_Piano.pat amp=120\n")
    return os.path.join(root, "freepats", CFG)


def test_config_points_dir_at_the_unpacked_patches_and_keeps_the_rest(tmp_path):
    cfg = _fake_freepats(str(tmp_path / "root"))
    out = timidity.config(cfg, str(tmp_path))
    lines = open(out).read().splitlines()
    assert lines[0] == "dir " + os.path.join(str(tmp_path / "root"), "freepats", "usr/share/midi/freepats")
    assert lines[1:] == open(cfg).read().splitlines()[1:]


def test_stand_ins_are_programs_of_the_same_class():
    for lost, stand_in in timidity.STAND_INS.items():
        owners = [c for c, progs in recipe.PROGRAMS.items() if lost in [p for p, _, _ in progs]]
        assert owners, lost
        same = {"strings": range(40, 52), "organ": range(16, 24), "bells": (8, 9, 14, 112)}[owners[0]]
        assert stand_in in same and stand_in != lost
    assert timidity.program(0) == 0 and timidity.program(41) == 40


def test_real_recipe_puts_a_share_on_freepats_only_when_asked(tmp_path):
    root = str(tmp_path)
    plain = [realplan.plan_real_clip("train", i, root) for i in range(400)]
    no_cfg = [realplan.plan_real_clip("train", i, root, pat_share=0.5) for i in range(400)]
    assert plain == no_cfg  # no freepats unpacked: nothing changes
    cfg = _fake_freepats(root)
    plans = [realplan.plan_real_clip("train", i, root, pat_share=0.4) for i in range(400)]
    on = [p["soundfont"] == cfg for p in plans]
    assert abs(np.mean(on) - 0.4) < 0.08
    for p, q in zip(plain, plans):  # everything else is the shipped recipe's, draw for draw
        assert {k: v for k, v in p.items() if k != "soundfont"} == {k: v for k, v in q.items() if k != "soundfont"}
    assert all(p["soundfont"] == q["soundfont"] for p, q, o in zip(plain, plans, on) if not o)


@pytest.mark.skipif(not timidity.available() or not os.path.exists(os.path.join(SOURCES, "freepats", CFG)),
                    reason="needs timidity and freepats unpacked by 'lmactd-train sources --fetch'")
def test_every_recipe_program_sounds_on_freepats(tmp_path):
    rng = np.random.default_rng(3)
    items = []
    for cls, progs in recipe.PROGRAMS.items():
        for prog, _, _ in progs:
            m = plan.plan_melodic(rng, cls, 0.2, 4.5)
            m["program"] = prog
            items.append(m)
    outs = render.render_midi_batch(items, str(tmp_path), os.path.join(SOURCES, "freepats", CFG))
    for m, x in zip(items, outs):
        assert x.shape == (CLIP,) and np.all(np.isfinite(x))
        assert np.sqrt(np.mean(x ** 2)) > 1e-3, m["program"]
