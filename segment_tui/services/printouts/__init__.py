"""Printed output of a segment: labels, cover sheets, the contacts report, and the PDF
drawing and postal addresses they share.
"""
