"""Travel providers; the OSRM client runs against a real HTTP server on the loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from routing.models import Location, RoutingError
from routing.travel import OsrmTable, explicit_matrix, geodesic_matrix

MUNICH = [Location(48.137, 11.575), Location(48.15, 11.60), Location(48.10, 11.50)]


class _Osrm(BaseHTTPRequestHandler):
    mode = "ok"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path, _, query = self.path.partition("?")
        parts = path.split("/")
        coords = parts[-1].split(";")
        n = len(coords)
        if self.mode == "broken" or parts[1:4] != ["table", "v1", "driving"]:
            body = b"<html>oops</html>"
        elif "annotations=duration,distance" not in query:
            body = json.dumps({"code": "InvalidQuery"}).encode()
        elif self.mode == "nocode":
            body = json.dumps({"code": "NoTable", "message": "no"}).encode()
        else:
            dur = [[abs(i - j) * 100.4 for j in range(n)] for i in range(n)]
            dist = [[abs(i - j) * 1500.0 for j in range(n)] for i in range(n)]
            body = json.dumps({"code": "Ok", "durations": dur, "distances": dist}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osrm() -> Iterator[tuple[str, type[_Osrm]]]:
    handler = type("H", (_Osrm,), {"mode": "ok"})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler
    server.shutdown()
    server.server_close()


def test_geodesic_is_symmetric_and_scaled() -> None:
    tm = geodesic_matrix(MUNICH, speed_kmh=36, circuity=1.0)
    assert tm.durations[0][1] == tm.durations[1][0] > 0
    assert tm.distances is not None
    assert abs(tm.durations[0][1] - tm.distances[0][1] / 10) <= 1  # 36 km/h = 10 m/s


def test_explicit_matrix_rejects_ragged() -> None:
    with pytest.raises(RoutingError):
        explicit_matrix([[0, 1], [1]])


def test_osrm_table_over_http(osrm) -> None:
    url, _ = osrm
    tm = OsrmTable(url).matrix(MUNICH)
    assert tm.durations[0][2] == 201 and tm.distances is not None and tm.distances[2][0] == 3000


@pytest.mark.parametrize("mode", ["broken", "nocode"])
def test_osrm_bad_answer_is_a_routing_error(osrm, mode: str) -> None:
    url, handler = osrm
    handler.mode = mode
    with pytest.raises(RoutingError, match="OSRM"):
        OsrmTable(url).matrix(MUNICH)


def test_osrm_down_is_a_routing_error() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Osrm)
    port = server.server_port
    server.server_close()  # nothing listens there any more
    with pytest.raises(RoutingError, match="unreachable"):
        OsrmTable(f"http://127.0.0.1:{port}", timeout_s=2).matrix(MUNICH)


def test_geodesic_matches_the_ellipsoid_within_half_a_percent() -> None:
    from geopy.distance import geodesic

    tm = geodesic_matrix(MUNICH, speed_kmh=40, circuity=1.3)
    assert tm.distances is not None
    for i, a in enumerate(MUNICH):
        for j, b in enumerate(MUNICH):
            exact = geodesic((a.lat, a.lon), (b.lat, b.lon)).meters * 1.3
            assert tm.distances[i][j] == tm.distances[j][i]
            assert abs(tm.distances[i][j] - exact) <= 0.005 * exact + 1
    assert geodesic_matrix([]).durations == ()


class _LimitedOsrm(BaseHTTPRequestHandler):
    """Like osrm-routed with --max-table-size 100: bigger requests answer 400 TooBig.

    Durations are |lon_a - lon_b| * 10^4 seconds, so every cell can be checked.
    """

    limit = 100
    sizes: list[int] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path, _, query = self.path.partition("?")
        lons = [float(c.split(",")[0]) for c in path.split("/")[-1].split(";")]
        args = dict(kv.split("=", 1) for kv in query.split("&"))
        type(self).sizes.append(len(lons))
        every = ";".join(str(i) for i in range(len(lons)))
        src = [int(i) for i in args.get("sources", every).split(";")]
        dst = [int(i) for i in args.get("destinations", every).split(";")]
        if len(lons) > self.limit:
            status, doc = 400, {"code": "TooBig", "message": "Too many table coordinates"}
        else:
            dur = [[abs(lons[i] - lons[j]) * 1e4 for j in dst] for i in src]
            status, doc = 200, {"code": "Ok", "durations": dur, "distances": dur}
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_table_over_the_server_limit_is_asked_for_in_blocks() -> None:
    handler = type("L", (_LimitedOsrm,), {"sizes": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        places = [Location(48.0, 11.0 + i / 1000) for i in range(120)]  # a day's 120 candidates
        tm = OsrmTable(f"http://127.0.0.1:{server.server_port}").matrix(places)
    finally:
        server.shutdown()
        server.server_close()
    assert max(handler.sizes) <= 100
    expected = [[round(abs(a.lon - b.lon) * 1e4) for b in places] for a in places]
    assert [list(r) for r in tm.durations] == expected
    assert tm.distances is not None and tm.distances[119][0] == expected[119][0]
