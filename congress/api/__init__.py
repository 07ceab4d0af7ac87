"""The Congress REST API: pecan controllers behind a paste pipeline."""
