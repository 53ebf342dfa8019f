"""Delivery of logged documents exactly once: the per-entry state machine, e-mail over
SMTP, hard copy files and print files, reports.
"""
