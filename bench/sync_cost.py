"""What a phone's sync costs the server, in this checkout: CPU ms and SQL statements per request.

    python bench/sync_cost.py [--database-url URL] [--rep N] [--calls 40] [--rounds 3]

Uses the data ``bench/request_cost.py`` seeded (run that first; this script seeds nothing), logs
rep N in through Flask's test client, catches its cursor up, then times three loops: a pull with
nothing new, a push of one touch, and one sync (that push, then the pull, which ends with the
due list). Prints the median and the lowest of ``--rounds`` rounds of ``--calls`` calls. Take a
new ``--rep`` per run, so every run starts with the same small history. To compare two commits,
run it from a checkout of each, one after the other, a few times (CPU ms, not wall time, is
what survives a noisy machine). Prints figures only.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.request_cost import DEFAULT_DB, _client, push_body  # noqa: E402


def _sync_calls(client, rep: int) -> dict:
    """name -> callable making one request (or one sync) and asserting it succeeded."""
    from bench.load import PASSWORD
    from sync import CURRENT_SCHEMA_VERSION

    login = {"email": f"rep{rep}@bench.local", "password": PASSWORD}
    csrf = client.post("/api/auth/login", json=login).get_json()["csrf_token"]
    accounts = [a["id"] for a in client.get("/api/accounts?page_size=50").get_json()]
    device, state = str(uuid.uuid4()), {"mid": 0, "cursor": ""}

    def pull():
        while True:  # every page, as the phone does
            query = {"limit": 200, "schema_version": CURRENT_SCHEMA_VERSION}
            if state["cursor"]:
                query["cursor"] = state["cursor"]
            response = client.get("/api/sync/pull", query_string=query)
            assert response.status_code == 200, response.get_data()[:200]
            page = response.get_json()
            state["cursor"] = page["cursor"]
            if not page["has_more"]:
                return

    def push():
        state["mid"] += 1
        body = push_body(device, state["mid"], accounts[state["mid"] % len(accounts)])
        response = client.post("/api/sync/push", json=body, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 200, response.get_data()[:200]
        assert response.get_json()["results"][0]["status"] == "applied"

    pull()
    return {
        "pull, nothing new": pull,
        "push (1 touch)": push,
        "push + pull (one sync)": lambda: (push(), pull()),
    }


def main() -> None:
    """Parse, measure, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--rep", type=int, default=11)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    client, statements = _client(args.database_url)
    print(f"{'request':<26} {'cpu ms median':>13} {'lowest':>7} {'SQL':>5}")
    for name, call in _sync_calls(client, args.rep).items():
        call()  # warm
        statements.clear()
        rounds = []
        for _ in range(args.rounds):
            c0 = time.process_time()
            for _ in range(args.calls):
                call()
            rounds.append((time.process_time() - c0) / args.calls * 1000)
        median = sorted(rounds)[len(rounds) // 2]
        sql = len(statements) / (args.rounds * args.calls)
        print(f"{name:<26} {median:>13.2f} {min(rounds):>7.2f} {sql:>5.1f}")


if __name__ == "__main__":
    main()
