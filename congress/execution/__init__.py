"""What surrounds running an action: names, statuses, safety checks."""
