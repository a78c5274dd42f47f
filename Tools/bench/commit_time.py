"""The disk's side of the live path's limit, for Tools/bench-serve.sh: the median time of a durable
one-record LMDB write transaction (py-lmdb, sync on, as smcc commits) in DIRECTORY, on the same
disk and in the same run as the load. Prints milliseconds.
Usage: python3 Tools/bench/commit_time.py DIRECTORY [COMMITS]"""
import os
import statistics
import sys
import time

import lmdb

directory, commits = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 300
os.makedirs(directory, exist_ok=True)
env = lmdb.open(directory, map_size=64 << 20, sync=True, metasync=True)
record = os.urandom(120)
times = []
for i in range(commits):
    start = time.perf_counter()
    with env.begin(write=True) as txn:
        txn.put(i.to_bytes(8, "big"), record, append=True)
    times.append(time.perf_counter() - start)
env.close()
print(f"{statistics.median(times) * 1000:.3f}")
