"""Compare the production WSGI servers side by side in one run: gunicorn (sync) and granian (WSGI).

For each: time from process start to the first answer of /healthz, throughput and latency of /healthz and
of the sign-in page under wrk (32 connections), and resident memory per worker. Prints the ratios.

    .venv/bin/python bench/server.py [--duration 10] [--workers 2]

Needs `wrk` (Debian package) and a migrated database (make migrate).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
THREADS = 1


def wait_first_answer(url: str, started: float, limit: float = 30.0) -> float:
    while time.perf_counter() - started < limit:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"no answer from {url} within {limit} s")


def children_rss_mb(pid: int) -> list[float]:
    """RSS of every descendant process (the workers), in MB."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,rss"], capture_output=True, text=True, check=True).stdout
    rows = [tuple(int(x) for x in line.split()) for line in out.splitlines()[1:] if line.strip()]
    kids: dict[int, list[tuple[int, int]]] = {}
    for p, pp, rss in rows:
        kids.setdefault(pp, []).append((p, rss))
    result: list[float] = []
    stack = [pid]
    while stack:
        for child, rss in kids.get(stack.pop(), []):
            result.append(rss / 1024)
            stack.append(child)
    return result


def wrk(url: str, duration: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "non2xx": float(errors.group(1)) if errors else 0.0}


def run_server(name: str, port: int, workers: int, duration: int) -> dict[str, float]:
    env = {**os.environ, "ACCESS_LOG": "/dev/null", "LOG_LEVEL": "ERROR"}
    if name == "gunicorn":
        cmd = [
            str(BIN / "gunicorn"),
            "conformo.wsgi",
            "--config",
            "conformo/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ]
    else:
        cmd = [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(THREADS),
            "--backpressure",
            str(THREADS),
            "--no-access-log",
            "conformo.wsgi:application",
        ]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        first = wait_first_answer(f"http://127.0.0.1:{port}/healthz", started)
        wrk(f"http://127.0.0.1:{port}/healthz", 2)  # warm-up
        health = wrk(f"http://127.0.0.1:{port}/healthz", duration)
        login = wrk(f"http://127.0.0.1:{port}/accounts/login/", duration)
        rss = children_rss_mb(proc.pid)
        return {
            "first_answer_s": first,
            "health_rps": health["rps"],
            "health_p99_ms": health["p99"],
            "login_rps": login["rps"],
            "login_p99_ms": login["p99"],
            "max_worker_rss_mb": max(rss) if rss else float("nan"),
            "errors": health["non2xx"] + login["non2xx"],
        }
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    results = {
        name: run_server(name, 18700 + i, args.workers, args.duration) for i, name in enumerate(["gunicorn", "granian"])
    }
    keys = ["first_answer_s", "health_rps", "health_p99_ms", "login_rps", "login_p99_ms", "max_worker_rss_mb", "errors"]
    print(f"{'metric':<20}{'gunicorn':>12}{'granian':>12}{'granian/gunicorn':>18}")
    for key in keys:
        g, r = results["gunicorn"][key], results["granian"][key]
        ratio = r / g if g else float("nan")
        print(f"{key:<20}{g:>12.2f}{r:>12.2f}{ratio:>18.2f}")


if __name__ == "__main__":
    main()
