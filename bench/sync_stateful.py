"""A longer run of the sync state machine in tests/sync/test_stateful.py.

    python -m bench.sync_stateful [examples] [steps]

Three laptops in two branches edit people, phones and household members, delete, sync in
random, partial, repeated and interrupted ways, are backed up and restored (and so is HQ),
while a hostile device pushes what no laptop may; after a quiet round every laptop and HQ
must hold the same records, with every value typed either current or kept in a conflict
record. HQ runs on SQLite here; the test command also runs a shorter PostgreSQL pass.
"""

from __future__ import annotations

import os
import sys
import time
import unittest


def main(argv: list[str]) -> int:
    examples = int(argv[0]) if argv else 2000
    steps = int(argv[1]) if len(argv) > 1 else 30
    os.environ["ROMAH_STATEFUL_EXAMPLES"] = str(examples)
    os.environ["ROMAH_STATEFUL_STEPS"] = str(steps)
    from db import keys

    # As the tests do: what is run is sync, not the hashing of passwords at each sign-in.
    keys.PASSWORD_KDF = keys.KdfParams(time_cost=1, memory_kib=1024, parallelism=1)
    from tests.sync import test_stateful

    started = time.perf_counter()
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(test_stateful.TestSyncConverges)
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    elapsed = time.perf_counter() - started
    print(f"sync state machine: {examples} examples of up to {steps} steps in {elapsed:.0f} s")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
