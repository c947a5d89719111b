"""The rep's calendar feed: a private URL of planned visits and appointments, revocable."""

from datetime import date, timedelta

from icalendar import Calendar

from tests.backend.routes.test_views import DAY


def _events(body: bytes) -> dict[str, dict]:
    cal = Calendar.from_ical(body)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_feed_lists_planned_visits_and_appointments_and_can_be_revoked(
    app, login, rep_with_accounts
):
    _, rep, accounts = rep_with_accounts
    client = login(rep)
    assert client.get("/api/calendar/feed").get_json()["enabled"] is False
    booked = client.post(
        "/api/appointments",
        json={"account_id": accounts[0].id, "date": DAY, "start": "10:00", "note": "Demo"},
    )
    assert booked.status_code == 201, booked.get_json()
    route = client.post(f"/api/routes/{DAY}/plan").get_json()
    made = client.post("/api/calendar/feed")
    assert made.status_code == 201
    url = made.get_json()["url"]
    assert url.endswith(".ics") and made.get_json()["enabled"] is True
    # The URL is shown once; the state never repeats the secret.
    assert client.get("/api/calendar/feed").get_json() == {
        "enabled": True,
        "created_at": made.get_json()["created_at"],
        "url": None,
    }

    calendar_app = app.test_client()  # no session: a calendar app only has the URL
    path = url.split("localhost", 1)[1]
    answer = calendar_app.get(path)
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    events = _events(answer.data)
    appointment = events[f"Appointment: {accounts[0].name}"]
    assert appointment["dtstart"].dt.isoformat().startswith(f"{DAY}T")
    assert (appointment["dtend"].dt - appointment["dtstart"].dt) == timedelta(minutes=30)
    others = [s for s in route["stops"] if s["account_id"] != accounts[0].id]
    for stop in others:
        assert f"Visit: {stop['name']}" in events
    # The appointment is one event, not also a visit.
    assert f"Visit: {accounts[0].name}" not in events

    # Regenerating kills the old URL; revoking kills the new one.
    fresh = client.post("/api/calendar/feed").get_json()["url"]
    assert calendar_app.get(path).status_code == 404
    fresh_path = fresh.split("localhost", 1)[1]
    assert calendar_app.get(fresh_path).status_code == 200
    assert client.delete("/api/calendar/feed").status_code == 204
    assert calendar_app.get(fresh_path).status_code == 404
    assert client.get("/api/calendar/feed").get_json()["enabled"] is False


def test_feed_needs_login_to_manage_and_a_guessed_token_is_404(app, client):
    assert client.post("/api/calendar/feed").status_code in (401, 403)
    assert client.get("/api/calendar/feed/not-a-token.ics").status_code == 404
    assert date.fromisoformat(DAY)  # the module's day is a real date
