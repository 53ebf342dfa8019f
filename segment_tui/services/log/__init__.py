"""Logging a segment: one interaction log entry per line, the logged segments it leaves,
and the contacts of a logged segment put back into a segment.
"""
