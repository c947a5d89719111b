"""Where the CPU went during a load run: server, load generator, database."""

from __future__ import annotations


class CpuSplit:
    """CPU seconds of gunicorn (master and workers), of locust (this process) and of every
    PostgreSQL process on the machine (other engineers' included) over the run."""

    def __init__(self, server_pid: int) -> None:
        """Take the starting figures."""
        import psutil

        self.server = psutil.Process(server_pid)
        self.start = self._sample()

    def _sample(self) -> tuple[float, float, float]:
        import psutil

        def busy(p) -> float:
            try:
                t = p.cpu_times()
                return t.user + t.system
            except psutil.Error:
                return 0.0

        server = busy(self.server) + sum(busy(c) for c in self.server.children(recursive=True))
        postgres = sum(
            busy(p) for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"
        )
        return server, busy(psutil.Process()), postgres

    def done(self, wall: float) -> str:
        """The split as text: cores busy on average per part."""
        end = self._sample()
        server, bench, postgres = (b - a for a, b in zip(self.start, end, strict=True))
        return f"gunicorn {server / wall:.2f}, locust {bench / wall:.2f}, postgres (all) {postgres / wall:.2f}"
