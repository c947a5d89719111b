"""Marshmallow schemas: separate input, output and query-args schemas per resource."""
