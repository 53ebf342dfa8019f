"""Setup: the setup tables and their fields, the records one at a time and as a JSON
file, look-ups, number series (BC's No. Series), the work date.
"""
