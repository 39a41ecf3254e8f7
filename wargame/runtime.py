"""Process set-up for the command line and the TUI (not for the engine, which stays pure).

Every turn the engine allocates and frees the same arrays: a few hundred kB in the
built-in scenario, tens of MB in a large generated world. By default glibc gives
freed memory back to the system (the top of the heap once more than 128 kB is free
there, and every block of 128 kB or more, which it maps on its own), so the next turn
faults every page of it in again: about 200 page faults a turn in the built-in
scenario and 5,000 in a 200-actor world, a tenth and about 40% of the turn's time.
``keep_freed_memory`` has the heap keep freed memory and serve blocks up to 32 MB.
"""

from __future__ import annotations

import ctypes
import sys

# mallopt parameter numbers, from glibc's malloc.h
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
KEEP_BYTES = 256 << 20  # free memory the heap may keep before it gives any back
HEAP_BLOCKS_UP_TO = 32 << 20  # larger blocks are mapped on their own (glibc's own maximum)


def keep_freed_memory() -> bool:
    """Ask glibc's allocator to keep freed memory for reuse; True when it agreed.
    Elsewhere (another C library or platform) nothing changes and this returns False."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return (mallopt(M_TRIM_THRESHOLD, KEEP_BYTES) == 1) & (mallopt(M_MMAP_THRESHOLD, HEAP_BLOCKS_UP_TO) == 1)
