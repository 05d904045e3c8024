"""Metrics on cases worked by hand."""
import math

import numpy as np
import pytest

from lmactd_models import metrics


def test_sparseness_uniform_is_zero_and_one_hot_is_near_one():
    assert metrics.sparseness(np.ones(100)) == pytest.approx(0.0, abs=1e-12)
    one_hot = np.zeros(100)
    one_hot[7] = 5.0
    a = np.full(100, 1e-7)          # |m| + 1e-7, sorted: the 5 comes last
    a[-1] += 5.0
    k = np.arange(1, 101)
    assert metrics.sparseness(one_hot) == pytest.approx(np.sum((2 * k - 101) * a) / (100 * a.sum()))
    assert metrics.sparseness(one_hot) > 0.98


def test_complexity_is_entropy_of_shares():
    assert metrics.complexity(np.ones(64)) == pytest.approx(math.log(64))
    assert metrics.complexity(np.array([0.0, -2.0, 2.0])) == pytest.approx(math.log(2))


def test_faithfulness_by_hand():
    p_logits = np.log(np.array([0.6, 0.3, 0.1]))
    q_logits = np.log(np.array([0.3, 0.6, 0.1]))     # class 0 drops, argmax moves
    r_logits = np.log(np.array([0.2, 0.4, 0.4]))
    f = metrics.faithfulness(p_logits, q_logits, r_logits)
    assert f["class"] == 0 and f["AI"] == 0.0 and f["FidIn"] == 0.0
    assert f["AD"] == pytest.approx(100 * 0.3 / 0.6)
    assert f["AG"] == 0.0
    assert f["FF"] == pytest.approx(0.4)
    g = metrics.faithfulness(p_logits, np.log(np.array([0.8, 0.1, 0.1])), r_logits)
    assert g["AI"] == 100.0 and g["AD"] == 0.0 and g["FidIn"] == 1.0
    assert g["AG"] == pytest.approx(100 * 0.2 / 0.4)
