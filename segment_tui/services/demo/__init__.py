"""Demo data: contacts, templates and segments seeded with the same services a user calls."""
