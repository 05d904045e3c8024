"""The held-out report reads the true labels from the set's CSV, not from the predictions."""
import json

from lmactd_models.train import heldout_report


def test_summary_counts_right_answers_low_confidence_and_confusions(tmp_path):
    (tmp_path / "set").mkdir()
    rows = [("set/a.wav", "speech", "speech", 0.9), ("set/b.wav", "speech", "piano", 0.2),
            ("set/c.wav", "bells", "bells", 0.25), ("set/d.wav", "bells", "piano", 0.5)]
    (tmp_path / "set.csv").write_text("path,label\n" + "".join(f"{p},{t}\n" for p, t, _, _ in rows))
    clips = [{"path": str(tmp_path / p), "predicted": q, "p_c": pc} for p, _, q, pc in rows]
    agg = {"FF": 0.5, "FidIn": 0.75}
    rep = {"interpreters": {"lmac-td": {"clips": clips, "aggregate": agg}, "lmac-stft": {"clips": clips, "aggregate": agg}}}
    (tmp_path / "r.json").write_text(json.dumps(rep))
    s = heldout_report.summarise(str(tmp_path / "r.json"), str(tmp_path / "set.csv"))["lmac-td"]
    assert s["accuracy"] == 0.5 and s["low_pc"] == 2 and abs(s["mean_pc"] - 0.4625) < 1e-12
    assert s["perClass"] == {"speech": (1, 2), "bells": (1, 2)}
    assert s["confusions"] == {"speech as piano": 1, "bells as piano": 1}
    assert heldout_report.markdown_row("x", {"lmac-td": s, "lmac-stft": s}).startswith("| x | 50.0 % | 0.463 | 2 |")
