"""Forked worker processes for the bench's clients and county creation, ended the graceful way.

A forked worker inherits bench.run's SIGTERM handler (sys.exit), and Pool's context manager ends its
workers with SIGTERM: a worker waiting on the pool's queue lock then could linger, and the bench waited
for it for ever. Here the workers keep the default SIGTERM, and the pool is closed and joined: each
worker takes the end-of-work sentinel and exits by itself.
"""

import multiprocessing
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool


def _default_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def fork_pool(processes: int) -> Iterator[Pool]:
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_default_sigterm)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()
