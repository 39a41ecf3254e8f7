"""Process set-up for the command line and the TUI (not for the engine, which stays pure).

Every turn the engine allocates and frees the same few hundred kB of numpy arrays. By
default glibc hands freed memory at the top of the heap back to the system once more
than 128 kB is free there, so the next turn faults every page of it in again: a
hundred or more page faults per turn, a tenth of the turn's time in the built-in
scenario. ``keep_freed_memory`` raises that threshold so the heap keeps what it has.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1  # mallopt parameter numbers, from glibc's malloc.h
KEEP_BYTES = 256 << 20  # free memory the heap may keep before it is given back


def keep_freed_memory() -> bool:
    """Ask glibc's allocator to keep freed memory; True when it agreed. Elsewhere
    (another C library or platform) nothing changes and this returns False."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_TRIM_THRESHOLD, KEEP_BYTES) == 1
