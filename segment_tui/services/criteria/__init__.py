"""Criteria: Add, Reduce and Refine Contacts, the fields they filter on, saved criteria,
reuse, Go Back, and a segment's criteria list as the front ends show it.
"""
