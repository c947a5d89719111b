"""Push fan-out benchmark: send one reminder to each of N subscriptions on the local push service.

The push service runs in its own process (it verifies every VAPID signature and decrypts every
body, so it needs CPU of its own), and every run checks that all messages arrived.

    python bench/push.py --count 10000 --workers 1,4,8,16
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.reminders.webpush import delivery, vapid  # noqa: E402
from tests.backend.reminders.push_service import PushService  # noqa: E402


def serve(conn: Connection, count: int, server_key: str) -> None:
    """Child process: run the push service, hand out subscriptions, report counts on request."""
    with PushService(application_server_key=server_key) as service:
        conn.send([service.subscribe() for _ in range(count)])
        while conn.recv() == "stats":
            stats = (service.delivered_count(), len(service.failures), service.connection_count)
            conn.send((*stats, time.process_time()))


def run(
    subs: list[dict], key: vapid.VapidKey, workers: int, keep_alive: bool
) -> tuple[float, float]:
    """Send one reminder per subscription; return elapsed seconds and this process's CPU seconds."""
    messages = [
        delivery.PushMessage(
            sub,
            {"title": "3 visits due today", "body": f"tier A: Account {i}", "url": "/today"},
            ttl_seconds=8 * 3600,
            urgency="normal",
            topic=f"digest:{i}",
        )
        for i, sub in enumerate(subs)
    ]
    opts = {"vapid_private_key": key, "subject": "mailto:bench@fieldrep.example"}
    start = time.perf_counter()
    cpu_start = time.process_time()
    if keep_alive:
        results = delivery.send_many(messages, workers=workers, **opts)
    else:  # baseline: a new TCP connection per message, as with a bare webpush() call
        results = [
            delivery.send(
                m.subscription, m.payload, ttl_seconds=m.ttl_seconds, topic=m.topic, **opts
            )
            for m in messages
        ]
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    bad = [r for r in results if r.status is not delivery.Outcome.DELIVERED]
    if bad:
        raise SystemExit(f"{len(bad)} sends not delivered, first: {bad[0]}")
    return elapsed, cpu


def main() -> None:
    """Parse arguments, start the service process and print one row per configuration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", default="1,4,8,16", help="comma-separated thread counts")
    parser.add_argument("--no-baseline", action="store_true", help="skip the no-keep-alive run")
    args = parser.parse_args()

    key = vapid.generate()
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(
        target=serve, args=(child, args.count, vapid.application_server_key(key)), daemon=True
    )
    proc.start()
    subs = parent.recv()
    print(f"{args.count} subscriptions on {subs[0]['endpoint'].rsplit('/push', 1)[0]}")
    # CPU ms per message shows where the time goes when the machine's cores are shared.
    header = ("mode", "elapsed s", "sends/s", "new conns", "client CPU ms", "service CPU ms")
    print("{:<24}{:>10}{:>10}{:>10}{:>14}{:>15}".format(*header))
    configs = [(w, True) for w in map(int, args.workers.split(","))]
    if not args.no_baseline:
        configs.insert(0, (1, False))
    parent.send("stats")
    delivered_before, _, conns_before, service_cpu_before = parent.recv()
    try:
        for workers, keep_alive in configs:
            elapsed, cpu = run(subs, key, workers, keep_alive)
            parent.send("stats")
            delivered, failures, conns, service_cpu = parent.recv()
            assert failures == 0, f"push service refused {failures} requests"
            assert delivered - delivered_before == args.count, "service did not receive them all"
            label = f"send_many workers={workers}" if keep_alive else "send() no keep-alive"
            rate = args.count / elapsed
            per_msg = 1000 / args.count
            print(
                f"{label:<24}{elapsed:>10.2f}{rate:>10.0f}{conns - conns_before:>10}"
                f"{cpu * per_msg:>14.2f}{(service_cpu - service_cpu_before) * per_msg:>15.2f}"
            )
            delivered_before, conns_before, service_cpu_before = delivered, conns, service_cpu
    finally:
        parent.send("stop")
        proc.join(timeout=10)


if __name__ == "__main__":
    main()
