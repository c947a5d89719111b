"""Web push: VAPID keys and delivery to browser push services (no Flask here)."""
