"""The next recipe's plans: reproducible, built on the default plans, and never drawing on a
held-out soundfont, kit or pool."""
import os

from lmactd_models.data import realplan, sources
from lmactd_models.data.plan import plan_clip


def _fake_root(tmp_path):
    for s in sources.SOUNDFONTS:
        p = tmp_path / s.package / s.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"")
    for kit in ("KitA", "KitB", *sources.HELD_OUT_KITS, *sources.NOT_KITS):
        d = tmp_path / "hydrogen-drumkits" / sources._KITS / kit
        d.mkdir(parents=True, exist_ok=True)
        (d / "kick.wav").write_bytes(b"")
    for p in sources.POOLS:
        if p.pattern.startswith("zip:"):
            f = tmp_path / p.package / "zip" / p.pattern[4:].replace("*", "x").replace("[gl]", "g").replace("[cr]", "c")
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_bytes(b"")
    return str(tmp_path)


def test_plans_are_reproducible_and_keep_the_default_plan(tmp_path):
    root = _fake_root(tmp_path)
    a = [realplan.plan_real_clip("train", i, root) for i in range(52)]
    assert a == [realplan.plan_real_clip("train", i, root) for i in range(52)]
    for i, p in enumerate(a):
        base = plan_clip("train", i)
        assert p["label"] == base["label"] and p["peak"] == base["peak"] and p["snr"] == base["snr"]


def test_no_held_out_source_is_ever_planned(tmp_path):
    root = _fake_root(tmp_path)
    held_fonts = {os.path.join(root, s.package, s.path) for s in sources.SOUNDFONTS if s.held_out}
    held_pools = {p.name for p in sources.POOLS if p.held_out}
    plans = [realplan.plan_real_clip("train", i, root) for i in range(260)]
    assert not {p["soundfont"] for p in plans} & held_fonts
    assert {os.path.basename(p["soundfont"]) for p in plans} == {"FluidR3_GM.sf2", "MuseScore_General_Full.sf3"}
    kits = {os.path.basename(p["target"]["kit"]) for p in plans if "kit" in p["target"]}
    assert kits and kits <= {"KitA", "KitB"}
    recorded = {p["target"]["recorded"] for p in plans if "recorded" in p["target"]}
    assert recorded and not recorded & held_pools
    voices = {p["target"]["festival"] for p in plans if "festival" in p["target"]}
    assert "cmu_us_slt_arctic_hts" not in voices
