"""OPENBLAS_CORETYPE from the CPU's flags: never a core type whose instructions the CPU lacks."""
import subprocess
import sys

from lmactd_models.blas import candidates, choice, cpu_flags

AVX2_EPYC = {"sse3", "pni", "ssse3", "sse4_1", "sse4_2", "avx", "fma", "avx2", "f16c"}
AVX512 = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}


def test_an_avx2_only_amd_gets_no_avx512_kernels():
    got = candidates("x86_64", "AuthenticAMD", AVX2_EPYC)
    assert got == [None, "Zen", "Haswell", "Sandybridge", "Prescott"]
    assert choice("x86_64", "AuthenticAMD", AVX2_EPYC) == "Zen"


def test_avx512_kernels_need_every_avx512_subset_they_use():
    assert "SkylakeX" not in candidates("x86_64", "GenuineIntel", AVX2_EPYC | {"avx512f"})
    full = AVX2_EPYC | AVX512
    assert candidates("x86_64", "GenuineIntel", full)[:3] == [None, "SkylakeX", "Haswell"]
    assert choice("x86_64", "GenuineIntel", full | {"avx512_bf16"}) == "CooperLake"


def test_other_architectures_leave_it_unset():
    assert candidates("aarch64", "", {"fp", "asimd", "sve"}) == [None]
    assert choice("aarch64", "", {"fp", "asimd"}) is None


def test_this_machine_runs_its_choice():
    """The printed choice is one the CPU's own flags allow, and OpenBLAS loads with it."""
    import lmactd_models.blas as blas
    printed = subprocess.run([sys.executable, blas.__file__], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert (printed or None) == choice()
    assert (printed or None) in candidates(None, *cpu_flags())
    if printed:
        import os
        probe = ("import ctypes; f = ctypes.CDLL('libopenblas.so.0').openblas_get_corename; "
                 "f.restype = ctypes.c_char_p; print(f().decode())")
        core = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                              env={**os.environ, "OPENBLAS_CORETYPE": printed}).stdout.strip()
        assert core.lower() == printed.lower()
