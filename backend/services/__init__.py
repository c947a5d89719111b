"""Services: plain functions that own the logic; they flush and never commit."""
