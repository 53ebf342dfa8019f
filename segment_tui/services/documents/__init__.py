"""Word documents: templates and their check, merge-field values, merging a segment's
letters, PDFs of letters.
"""
