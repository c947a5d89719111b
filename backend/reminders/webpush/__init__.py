"""webpush."""
