"""Geocoding through geopy: configurable Nominatim-compatible server, rate-limited, cached."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlparse

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from backend.accounts.models import GeocodeCache
from backend.core.config import Config
from backend.core.extensions import db


class GeocodingUnavailable(Exception):
    """The geocoder could not be reached or answered with an error."""


@dataclass
class Geocoder:
    """A rate-limited geocoder with a database cache in front of it."""

    url: str = Config.GEOCODER_URL
    user_agent: str = Config.GEOCODER_USER_AGENT
    min_delay_seconds: float = Config.GEOCODER_MIN_DELAY_SECONDS
    timeout: float = Config.GEOCODER_TIMEOUT_SECONDS

    @cached_property
    def _geocode(self) -> RateLimiter:
        # Built on first use, so a geocoder handed to an import that never needs it costs nothing.
        parsed = urlparse(self.url)
        client = Nominatim(
            user_agent=self.user_agent,
            domain=parsed.netloc + parsed.path.rstrip("/"),
            scheme=parsed.scheme or "https",
            timeout=self.timeout,
        )
        # Nominatim's usage policy allows one request a second; self-hosted servers may allow more.
        return RateLimiter(
            client.geocode,
            min_delay_seconds=self.min_delay_seconds,
            max_retries=1,
            error_wait_seconds=min(2.0, self.min_delay_seconds * 2),
            swallow_exceptions=False,
        )

    def locate(self, address: str) -> tuple[float, float] | None:
        """Coordinates for ``address`` (cached), None when the geocoder finds nothing."""
        key = " ".join(address.lower().split())[:400]
        cached = db.session.get(GeocodeCache, key)
        if cached is not None:
            return None if cached.lat is None else (cached.lat, cached.lon)
        try:
            found = self._geocode(address)
        except GeopyError as err:
            raise GeocodingUnavailable(f"Geocoder at {self.url} failed: {err}") from err
        lat, lon = (found.latitude, found.longitude) if found else (None, None)
        db.session.add(GeocodeCache(query=key, lat=lat, lon=lon))
        return None if lat is None else (lat, lon)


def from_config(config: Mapping) -> Geocoder:
    """Build the geocoder the app is configured with."""
    return Geocoder(
        url=config["GEOCODER_URL"],
        user_agent=config["GEOCODER_USER_AGENT"],
        min_delay_seconds=config["GEOCODER_MIN_DELAY_SECONDS"],
        timeout=config["GEOCODER_TIMEOUT_SECONDS"],
    )
