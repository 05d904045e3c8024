"""The held-out-source set plans: reproducible, balanced, and drawing only on held-out sources."""
import inspect

from lmactd_models.data import heldout, recipe, sources


def test_plans_are_reproducible_and_balanced():
    plans = [heldout.plan(i) for i in range(26)]
    assert plans == [heldout.plan(i) for i in range(26)]
    labels = [p["label"] for p in plans]
    assert sorted(labels) == sorted(recipe.CLASSES * 2)


def test_only_held_out_kits_soundfont_and_pools_are_used():
    plans = [heldout.plan(i) for i in range(130)]
    assert {p["kit"] for p in plans if p.get("kit")} <= set(sources.HELD_OUT_KITS)
    assert [s for s in sources.SOUNDFONTS if s.held_out][0].name == "TimGM6mb"
    code = inspect.getsource(heldout.render)
    held = {p.name for p in sources.POOLS if p.held_out}
    named = {p.name for p in sources.POOLS if f'"{p.name}"' in code}
    assert named and named <= held, named - held
