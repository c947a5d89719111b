"""Property tests: any payload that fits arrives intact; any topic maps to a valid header."""

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.reminders.webpush import delivery, vapid

from .push_service import PushService

KEY = vapid.generate()


@pytest.fixture(scope="module")
def service() -> Iterator[PushService]:
    """One service for all examples (function-scoped fixtures do not reset between examples)."""
    with PushService(application_server_key=vapid.application_server_key(KEY)) as svc:
        yield svc


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(min_size=1, max_size=1400).filter(
        lambda t: len(t.encode()) <= delivery.MAX_PAYLOAD_BYTES
    )
)
def test_any_text_that_fits_arrives_intact(service, text):
    sub = service.subscribe()

    result = delivery.send(
        sub, text, vapid_private_key=KEY, subject="mailto:ops@fieldrep.example", ttl_seconds=60
    )

    assert result.status is delivery.Outcome.DELIVERED
    assert service.texts(sub) == [text]


def test_the_largest_payload_fits_in_one_record(service):
    sub = service.subscribe()
    text = "é" * (delivery.MAX_PAYLOAD_BYTES // 2) + "x" * (delivery.MAX_PAYLOAD_BYTES % 2)

    result = delivery.send(
        sub, text, vapid_private_key=KEY, subject="mailto:ops@fieldrep.example", ttl_seconds=60
    )

    assert result.status is delivery.Outcome.DELIVERED  # the service enforces the 4096-byte limit
    assert service.texts(sub) == [text]


@given(st.text())
def test_any_topic_maps_to_a_valid_topic_header(topic):
    header = delivery.topic_header(topic)

    assert len(header) == 32
    assert set(header) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
