"""Contacts: create, edit, delete with BC's rules; import from CSV (staged, planned,
checked in SQL); export; the Contacts screen's reading and filter line; profile answers.
"""
