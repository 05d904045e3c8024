"""Which OpenBLAS core type (OPENBLAS_CORETYPE) this CPU can run, from its flags.

Debian's OpenBLAS 0.3.21 carries kernels for many CPUs and picks one at load time; on a CPU it
does not know by model (the Xeon here, family 6 model 207) it falls back to the generic
Prescott kernels when the variable is unset. Forcing a core type whose instructions the CPU
lacks dies with "Illegal instruction" (SkylakeX on an AVX2-only AMD EPYC), so the choice is read
off the CPU's flags. No torch import here: the wrappers run this before OpenBLAS loads
(`python3 blas.py` prints the choice, or nothing on other architectures), and
benchmarks/compare --blas-check times every candidate."""
import platform


def cpu_flags():
    """(vendor, set of feature flags) from /proc/cpuinfo ('flags' on x86, 'Features' on ARM)."""
    vendor, flags = "", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "vendor_id" and not vendor:
                    vendor = value.strip()
                elif key in ("flags", "Features") and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    return vendor, flags


def candidates(machine=None, vendor=None, flags=None):
    """OPENBLAS_CORETYPE values this CPU can run: None (unset: OpenBLAS decides) first, then the
    x86 kernels whose instruction sets the flags list, most capable first (Prescott, the generic
    SSE3 one, last). Other architectures: None only."""
    machine = machine or platform.machine()
    if vendor is None or flags is None:
        vendor, flags = cpu_flags()
    out = [None]
    if machine not in ("x86_64", "AMD64"):
        return out
    avx512 = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"} <= flags
    if avx512 and "avx512_bf16" in flags:
        out.append("CooperLake")
    if avx512:
        out.append("SkylakeX")
    if {"avx2", "fma"} <= flags:
        out += ["Zen", "Haswell"] if vendor == "AuthenticAMD" else ["Haswell"]
    if "avx" in flags:
        out.append("Sandybridge")
    if "pni" in flags or "sse3" in flags:
        out.append("Prescott")
    return out


def choice(machine=None, vendor=None, flags=None):
    """The most capable core type this CPU runs, or None (leave the variable unset)."""
    named = candidates(machine, vendor, flags)[1:]
    return named[0] if named else None


if __name__ == "__main__":
    print(choice() or "")
