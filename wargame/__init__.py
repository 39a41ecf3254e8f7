"""wargame: a turn-based policy wargame on critical-mineral supply chains."""

import os as _os
import sys as _sys

__version__ = "0.1.0"
# Raised whenever the engine's arithmetic changes, even in the last decimals: a save
# records the version that played it, and a replay by another version says so.
ENGINE_VERSION = "1.5"


def _pin_blas_kernel() -> None:
    """Have OpenBLAS sum in one order on every x86-64 machine that can run it.

    The engine's sums are matrix products, and OpenBLAS picks its kernels by processor:
    on a processor with AVX-512 it sums in another order than on one with AVX2 only, the
    last bits differ, a meter rounded for the save can flip, and a save made on one machine
    fails ``replay --verify`` on the other. So, unless the user chose a kernel, every
    processor that has AVX2 and FMA (x86-64 from 2013 on) uses the AVX2 ("Haswell") kernels.
    This must happen before numpy is first imported; the TUI, the command line and the
    tests import this package first. Other BLAS libraries (Apple's Accelerate, ARM
    processors) sum in their own order, so figures made there may differ in the last
    digit."""
    if "OPENBLAS_CORETYPE" in _os.environ or "numpy" in _sys.modules or not _sys.platform.startswith("linux"):
        return
    try:
        with open("/proc/cpuinfo", "rb") as f:
            head = f.read(1 << 16)  # the first processor's entry is enough
    except OSError:
        return
    flags = next((line.split() for line in head.splitlines() if line.startswith(b"flags")), [])
    if b"avx2" in flags and b"fma" in flags:
        _os.environ["OPENBLAS_CORETYPE"] = "Haswell"


_pin_blas_kernel()
