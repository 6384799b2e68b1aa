"""Process tuning of a web worker, applied once the application is loaded (conformo/wsgi.py) — and by the lists
benchmark (bench/lists.py), so that it measures what the server runs.

Python's cyclic garbage collector pauses a request for as long as it takes to walk the objects of the generation
it collects. After start-up a worker holds ~100,000 long-lived objects (modules, classes, Django's apps, URL
patterns and settings) that every full collection walked again, and a full collection came every ~10 requests of
a list whose rows are cyclic garbage (api:programmes at N = 600: 150-280 ms each, its p95). `gc.freeze()` moves
what exists after start-up out of the collector's reach for good (it is never garbage), and a young generation of
10,000 objects instead of 2,000 collects a fifth as often; the older generations keep Python's ratios (10, 10), so
no collection gathers much more than before. Measured figures: docs/performance.md, "Lists"."""

from __future__ import annotations

import gc

#: Objects allocated (net) before a young-generation collection (Python's default: 2,000).
YOUNG_THRESHOLD = 10_000


def tune_gc() -> None:
    """Collect once, freeze what is left (the loaded application), and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
