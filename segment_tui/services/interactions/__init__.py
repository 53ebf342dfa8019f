"""Interaction log entries: reading, creating one for a contact, its letter, statistics and
campaign entries.
"""
