import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
torch.set_num_threads(2)

from lmactd_models.randinit import random_models  # noqa: E402
from lmactd_models.sizes import SIZES  # noqa: E402


@pytest.fixture(scope="session")
def tiny():
    """(classifier, lmactd, psi) of the tiny size, seed 1, eval mode."""
    return random_models(SIZES["tiny"], 1)


@pytest.fixture(scope="session")
def clip():
    """One normalised 5 s clip [1, 80000]: a tone plus noise, peak 1."""
    g = torch.Generator().manual_seed(3)
    t = torch.arange(80000) / 16000.0
    x = torch.sin(2 * torch.pi * 330.0 * t) + 0.3 * torch.randn(80000, generator=g)
    return (x / x.max()).reshape(1, -1)
