"""glibc malloc tuned for a web process that moves large request and response bodies.

A large upload passes through many short-lived buffers of 64 KiB to 1 MiB (the server's socket
reads, the multipart parser's pieces, the sealed chunks). With glibc's defaults, a buffer above the
mmap threshold is a fresh mmap, and memory freed at the top of the heap past the trim threshold is
returned to the kernel at once; either way the next buffer touches new pages. Through gunicorn a
100 MB upload cost about 61,000 page faults (more than one per 4 KiB page of the body) and the
faults alone were a large share of the request's CPU time. Fixed thresholds (which also turn off
glibc's own sliding threshold) keep such buffers in the heap and the heap's pages in the process:
a few page faults per upload. Memory stays bounded by what is live at the peak, not by the file.

By hand through ctypes because no library sets it, and the alternative, GLIBC_TUNABLES in the
server's environment, must be set before the process starts: a unit file or container that
forgets it would silently bring the page faults back. Elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# mallopt's parameter numbers in glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

# Buffers up to this size come from the heap (glibc's largest allowed value is 32 MiB on 64 bits).
MMAP_THRESHOLD_BYTES = 16 * 1024 * 1024
# Free memory at the top of the heap is given back to the kernel only past this much.
TRIM_THRESHOLD_BYTES = 64 * 1024 * 1024


def _libc_mallopt():
    """glibc's mallopt, or None where the C library has none."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return None
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt


def tune_malloc_for_large_bodies() -> bool:
    """Set the thresholds (once per process, before serving); False where they cannot be set."""
    mallopt = _libc_mallopt()
    if mallopt is None:
        return False
    # mallopt returns 1 on success, 0 on an invalid value.
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )
