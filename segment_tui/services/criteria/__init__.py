"""Criteria: Add, Reduce and Refine Contacts, the fields they filter on, saved criteria,
reuse and Go Back.
"""
