"""touches."""
