"""Segments: the header and its rules, the lines, how they are initialised, read, searched
and filled from chosen contacts or mailing groups.
"""
