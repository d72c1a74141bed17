"""``corrupt_mirror.py BENCH SHARED WORK``: serve a copy of Wikigold with one byte changed and check that
``BENCH fetch wikigold --mirror`` fails with one line naming the file and both sha256, caching nothing."""

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

bench, shared, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
served, cache = work / "served", work / "cache"
shutil.copytree(shared / "wikigold", served / "wikigold")
target = served / "wikigold" / "wikigold.conll.txt"
data = bytearray(target.read_bytes())
data[1000] ^= 1
target.write_bytes(bytes(data))



class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


handler = functools.partial(Quiet, directory=str(served))
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
mirror = f"http://127.0.0.1:{server.server_address[1]}"
done = subprocess.run([bench, "fetch", "wikigold", "--mirror", mirror], capture_output=True, text=True,
                      env={**os.environ, "BENCH_SOURCES": str(cache)})  # fmt: skip
server.shutdown()

lines = done.stderr.strip().splitlines()
pinned = hashlib.sha256((shared / "wikigold" / "wikigold.conll.txt").read_bytes()).hexdigest()
changed = hashlib.sha256(bytes(data)).hexdigest()
cached = [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []
assert done.returncode == 2 and len(lines) == 1, done.stderr
assert "wikigold/wikigold.conll.txt" in lines[0] and pinned in lines[0] and changed in lines[0], lines[0]
assert cached == [], cached
print(f"a changed mirror byte is refused: {lines[0]}")
