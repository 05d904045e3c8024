"""The int8 gate's bookkeeping: clip lists read relative to their folder, several sets combined into one verdict."""
import os

import pytest

from lmactd_models.export.gate import clip_set, combine, table_md, verdict


def _figs(acc_delta=0.0, ff_delta=0.0, sdr=40.0):
    m = lambda v, d: {"fp32": v, "int8": v + d, "delta": d}
    return {"classifier": {"accuracy": m(90.0, acc_delta)},
            "lmac-td": {"AI": m(10.0, 0.0), "FF": m(0.5, ff_delta), "FidIn": m(0.9, 0.0),
                        "siSdrDb": {"median": sdr, "min": sdr - 5, "clips": 3}}}


def test_a_clip_list_is_read_relative_to_its_folder_and_cut_to_a_prefix(tmp_path):
    folder = tmp_path / "heldout"
    folder.mkdir()
    (folder / "list.csv").write_text("path,label\nclips/a.wav,speech\nclips/b.wav,bells\nclips/c.wav,organ\n")
    out, files = clip_set(str(folder / "list.csv"), 2, str(tmp_path / "work"))
    assert files == [os.path.join(str(folder), "clips/a.wav"), os.path.join(str(folder), "clips/b.wav")]
    assert open(out).read().splitlines() == ["path,label", f"{files[0]},speech", f"{files[1]},bells"]


def test_a_missing_or_headerless_clip_list_names_the_file(tmp_path):
    with pytest.raises(ValueError, match="nope.csv: no such clip list"):
        clip_set(str(tmp_path / "nope.csv"), 0, str(tmp_path / "w"))
    bad = tmp_path / "bad.csv"
    bad.write_text("file,class\nx.wav,speech\n")
    with pytest.raises(ValueError, match="bad.csv: not a clip list"):
        clip_set(str(bad), 0, str(tmp_path / "w"))


def test_the_gate_passes_only_if_every_set_passes():
    good, bad = _figs(), _figs(ff_delta=-0.03)
    sets = []
    for name, figs in (("test split", good), ("held-out sources", bad)):
        ok, failed = verdict(figs)
        sets.append({"name": name, "data": name, "clips": 3, "passed": ok, "failed": failed, "figures": figs})
    gate = combine(sets)
    assert sets[0]["passed"] and not sets[1]["passed"] and not gate["passed"]
    assert gate["failed"] == ["held-out sources: lmac-td FF moved -0.03 (limit 0.02)"]
    assert gate["figures"] is good and gate["clips"] == 3 and len(gate["sets"]) == 2
    md = table_md(gate)
    assert "held-out sources (3 clips):" in md and "| FF | lmac-td | 0.5000 | 0.4700 | -0.0300 | 0.02 | NO |" in md
    assert combine(sets[:1])["passed"]


def test_an_older_gate_without_sets_still_prints():
    md = table_md({"clips": 3, "figures": _figs(sdr=25.0)})
    assert md.startswith("| figure |") and "| >= 30 | NO |" in md
