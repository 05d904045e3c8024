"""Test-split figures of the default model's card, computed by the Python reference (PyTorch
models loaded from the training checkpoints the package was exported from; metrics.py for the
faithfulness table).

- classifier: accuracy and mean p_c of the predicted class;
- per interpreter: AI, AD, AG, FF, Fid-In, SPS, COMP (spec section 6; the map is the mask for
  L-MAC and log1p|STFT(explanation)| for LMAC-TD, front-end STFT over the whole clip), and mask
  selectivity (std of the mask's values within a clip, averaged over clips);
- mixture test: clean target and interferer of another class rendered from test seeds not used
  by the split's clips, mixed as the paper mixes (0.8 s/||s|| + 0.2 n/||n||, then /max) and at
  equal weight (0.5/0.5); margin = SI-SDR(x, target) - SI-SDR(x, interferer) for the explanation
  x and for the unprocessed mixture.
"""
from __future__ import annotations

import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from .. import data as D
from .. import metrics as M
from ..frontend import LogMel, istft, magnitude, stft
from .loop import cached_split, load_classifier
from .interpreters import lmac_masked, load_interpreter


def si_sdr(est, ref):
    est = est - est.mean()
    ref = ref - ref.mean()
    a = np.dot(est, ref) / (np.dot(ref, ref) + 1e-12)
    t = a * ref
    return float(10 * np.log10((np.dot(t, t) + 1e-12) / (np.dot(est - t, est - t) + 1e-12)))


def lmac_waveforms(x, mask):
    """L-MAC's listenable explanation: masked magnitude with the input's phase (README step 7)."""
    s = stft(x, 1024)
    mag = magnitude(s)
    m = F.pad(mask, (0, 0, 0, mag.shape[1] - mask.shape[1]))
    lx = torch.log1p(mag)
    phase = s / mag
    return istft(torch.expm1(m * lx) * phase, 1024, x.shape[1])


class Explainers:
    def __init__(self, work):
        self.clf, _ = load_classifier(work)
        self.fe = LogMel(1024)
        self.td, self.td_ck = load_interpreter(work, "lmac-td")
        self.lmac, self.lmac_ck = load_interpreter(work, "lmac")

    @torch.no_grad()
    def run(self, x):
        """x: normalised [B, T]. Returns dict of numpy arrays."""
        mel = self.fe(x)
        out = self.clf(mel)
        logits, reps = out[0], out[1:]
        e, o, m = self.td(x, *reps)
        le = self.clf(self.fe(e))[0]
        lo = self.clf(self.fe(o))[0]
        tdmap = torch.log1p(magnitude(stft(e, 1024)))
        lm = self.lmac(*reps)
        mi, mo = lmac_masked(self.fe, x, lm)
        li = self.clf(mi)[0]
        lout = self.clf(mo)[0]
        return {"logits": logits, "td_expl": e, "td_logits_in": le, "td_logits_out": lo, "td_map": tdmap,
                "td_mask": m, "lmac_mask": lm, "lmac_logits_in": li, "lmac_logits_out": lout}


def _mean_std(v):
    v = np.asarray(v, dtype=np.float64)
    return {"mean": float(v.mean()), "std": float(v.std()), "n": int(v.size)}


def evaluate(datadir, work, mixtures=130, clips=None, batch=8, log=print):
    """Accuracy and mean p_c on the whole test split; interpreter metrics on its first `clips`
    clips (the split cycles through the classes, so 130 clips = 10 a class)."""
    t0 = time.time()
    ex = Explainers(work)
    te = cached_split(datadir, work, "test")
    with torch.no_grad():
        lg = torch.cat([ex.clf(te["logmel"][s:s + 128].float())[0] for s in range(0, len(te["y"]), 128)])
    pall = F.softmax(lg, 1)
    res = {"split": "test", "clips": len(te["y"]), "accuracy": float((pall.argmax(1) == te["y"]).float().mean()),
           "mean_pc": float(pall.max(1).values.mean())}
    y = te["y"][:clips] if clips else te["y"]
    n = len(y)
    rows = {"lmac-td": [], "lmac": []}
    sel = {"lmac-td": [], "lmac": []}
    preds, pcs = [], []
    for s in range(0, n, batch):
        x = te["wave"][s:min(s + batch, n)].float()  # the first `clips`, not a whole last batch
        r = ex.run(x)
        p = F.softmax(r["logits"], 1)
        preds.append(p.argmax(1))
        pcs.append(p.max(1).values)
        for b in range(len(x)):
            rows["lmac-td"].append(M.all_metrics(r["logits"][b].numpy(), r["td_logits_in"][b].numpy(),
                                                 r["td_logits_out"][b].numpy(), r["td_map"][b].numpy()))
            rows["lmac"].append(M.all_metrics(r["logits"][b].numpy(), r["lmac_logits_in"][b].numpy(),
                                              r["lmac_logits_out"][b].numpy(), r["lmac_mask"][b].numpy()))
            sel["lmac-td"].append(float(r["td_mask"][b].std()))
            sel["lmac"].append(float(r["lmac_mask"][b].std()))
    res["interpreterClips"] = n
    res["interpreters"] = {}
    for k in rows:
        keys = ["AI", "AD", "AG", "FF", "FidIn", "SPS", "COMP"]
        res["interpreters"][k] = {m: float(np.mean([r[m] for r in rows[k]])) for m in keys}
        res["interpreters"][k]["maskStdWithinClip"] = float(np.mean(sel[k]))
    log(f"test: accuracy {res['accuracy']:.3f}, mean p_c {res['mean_pc']:.3f} ({time.time() - t0:.0f} s)")
    # mixture test
    tg, it, ly, li = D.mixture_pairs("test", mixtures)
    mix_res = {}
    for kind, (ws, wn) in {"paper": (0.8, 0.2), "equal": (0.5, 0.5)}.items():
        margins = {"mixture": [], "lmac-td": [], "lmac": []}
        decided = []  # the classifier's decision on the mixture is the target's class
        for s in range(0, mixtures, batch):
            S = torch.from_numpy(tg[s:s + batch]).double()
            N = torch.from_numpy(it[s:s + batch]).double()
            m = ws * S / S.norm(dim=1, keepdim=True) + wn * N / N.norm(dim=1, keepdim=True)
            m = (m / m.max(dim=1, keepdim=True).values).float()
            r = ex.run(m)
            lw = lmac_waveforms(m, r["lmac_mask"])
            decided += (r["logits"].argmax(1).numpy() == ly[s:s + batch]).tolist()
            for b in range(len(m)):
                sv, nv = S[b].numpy(), N[b].numpy()
                for name, w in (("mixture", m[b]), ("lmac-td", r["td_expl"][b]), ("lmac", lw[b])):
                    w = w.double().numpy()
                    margins[name].append(si_sdr(w, sv) - si_sdr(w, nv))
        mix_res[kind] = {k: _mean_std(v) for k, v in margins.items()}
        dec = np.array(decided, dtype=bool)
        mix_res[kind]["targetDecided"] = float(dec.mean())
        mix_res[kind]["whenTargetDecided"] = {k: _mean_std(np.array(v)[dec]) for k, v in margins.items()}
        mix_res[kind]["explanationBeatsMixture"] = {
            k: float(np.mean(np.array(margins[k]) > np.array(margins["mixture"]))) for k in ("lmac-td", "lmac")}
        log(f"mixtures {kind}: " + ", ".join(f"{k} {v['mean']:.2f} dB (sd {v['std']:.2f})"
                                               for k, v in mix_res[kind].items() if isinstance(v, dict) and "mean" in v))
    res["mixtures"] = {"count": mixtures, "weights": {"paper": [0.8, 0.2], "equal": [0.5, 0.5]}, **mix_res}
    res["seconds"] = round(time.time() - t0, 1)
    res["trainingSeconds"] = {"lmac-td": ex.td_ck["state"]["seconds"], "lmac": ex.lmac_ck["state"]["seconds"]}
    return res


def main(a):
    res = evaluate(a.data, a.work, mixtures=a.mixtures, clips=a.clips or None)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(res, f, indent=1)
    os.replace(tmp, a.out)
    print(json.dumps(res["interpreters"], indent=1))


def tables_md(res):
    """The model card's tables, from an evaluate() result."""
    out = [f"Test split: {res['clips']} clips; accuracy **{100 * res['accuracy']:.1f} %**, mean p_c of the "
           f"predicted class **{res['mean_pc']:.3f}**.", "",
           f"Faithfulness on the first {res['interpreterClips']} test clips "
           f"({res['interpreterClips'] // len(D.CLASSES)} a class):", "",
           "| method | AI | AD | AG | FF | Fid-In | SPS | COMP | mask std within clip |",
           "|---|---|---|---|---|---|---|---|---|"]
    for k, name in (("lmac", "L-MAC"), ("lmac-td", "LMAC-TD alpha 0.75")):
        r = res["interpreters"][k]
        out.append(f"| {name} | {r['AI']:.2f} | {r['AD']:.2f} | {r['AG']:.2f} | {r['FF']:.3f} | {r['FidIn']:.3f} | "
                   f"{r['SPS']:.3f} | {r['COMP']:.2f} | {r['maskStdWithinClip']:.3f} |")
    mx = res["mixtures"]
    out += ["", f"Mixture test ({mx['count']} target/interferer pairs of different classes): margin = "
            "SI-SDR(x, target) - SI-SDR(x, interferer) in dB, mean (sd); 'beats' = share of pairs "
            "where the explanation's margin exceeds the mixture's.", "",
            "| mixing | unprocessed mixture | LMAC-TD explanation | L-MAC explanation (input phase) | LMAC-TD beats | L-MAC beats |",
            "|---|---|---|---|---|---|"]
    for kind, label in (("paper", "paper: 0.8 s/‖s‖ + 0.2 n/‖n‖"), ("equal", "equal: 0.5 s/‖s‖ + 0.5 n/‖n‖")):
        m = mx[kind]
        f = lambda k: f"{m[k]['mean']:.2f} ({m[k]['std']:.2f})"
        out.append(f"| {label} | {f('mixture')} | {f('lmac-td')} | {f('lmac')} | "
                   f"{100 * m['explanationBeatsMixture']['lmac-td']:.0f} % | {100 * m['explanationBeatsMixture']['lmac']:.0f} % |")
    out += ["", "The same margins on the pairs where the classifier's decision on the mixture is the "
            "target's class (an explanation explains the decision; where the classifier picks the "
            "interferer, a faithful explanation keeps the interferer):", "",
            "| mixing | pairs decided as target | unprocessed mixture | LMAC-TD explanation | L-MAC explanation |",
            "|---|---|---|---|---|"]
    for kind in ("paper", "equal"):
        m = mx[kind]
        w = m["whenTargetDecided"]
        f = lambda k: f"{w[k]['mean']:.2f} ({w[k]['std']:.2f})"
        out.append(f"| {kind} | {100 * m['targetDecided']:.0f} % | {f('mixture')} | {f('lmac-td')} | {f('lmac')} |")
    return "\n".join(out)


def example_margins(mixture_wav, explanation_wav):
    """SI-SDR margins of an explanation of the speech_over_piano example against the recipe's
    own clean speech and piano (re-rendered from the example's test seed)."""
    import tempfile
    import scipy.io.wavfile as wavfile
    name, idx, tgt, itf, bg, kind = D.EXAMPLES[0]
    p = D.plan_clip("test", idx, classes=tgt, interferer=itf, background=bg)
    p["target"]["t0"], p["target"]["t1"] = 0.0, 5.0
    with tempfile.TemporaryDirectory() as t:
        _, s, n = D.render_plans([p], t, parts=True)
    s, n = s[0].astype(np.float64), n[0].astype(np.float64)
    out = {}
    for lab, path in (("mixture", mixture_wav), ("explanation", explanation_wav)):
        x = wavfile.read(path)[1].astype(np.float64)[: len(s)]
        out[lab] = {"target": si_sdr(x, s), "interferer": si_sdr(x, n)}
        out[lab]["margin"] = out[lab]["target"] - out[lab]["interferer"]
    return out
