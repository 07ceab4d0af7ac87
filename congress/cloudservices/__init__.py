"""Drivers for cloud services: read their state as tables, run actions."""
