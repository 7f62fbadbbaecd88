#!/usr/bin/env python3
"""Measures Switchboard's start-up: time from exec to the first successful
signed ListInstances, and the server's RSS once idle. Loopback only.

    python3 bench/startup.py ./switchboard --data-dir DIR [server flags...]
"""
import os, socket, subprocess, sys, time, urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def main():
    binary, args = sys.argv[1], sys.argv[2:]
    port = free_port()
    url = f"http://127.0.0.1:{port}/instance"
    creds = Credentials("test", "test")
    def signed():
        req = AWSRequest(method="GET", url=url)
        SigV4Auth(creds, "connect", "us-east-1").add_auth(req)
        return urllib.request.Request(url, headers=dict(req.headers), method="GET")
    signed()  # warm the imports before the clock starts
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "--addr", f"127.0.0.1:{port}", "--quiet", *args], stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(signed(), timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.001)
            if time.perf_counter() - t0 > 30:
                raise SystemExit("no successful response within 30 s")
        first = time.perf_counter() - t0
        time.sleep(2)
        with open(f"/proc/{proc.pid}/status") as f:
            rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS"))
        print(f"exec-to-first-response {first*1000:.0f} ms, idle RSS {rss/1024:.1f} MiB")
    finally:
        proc.terminate(); proc.wait()


if __name__ == "__main__":
    main()
