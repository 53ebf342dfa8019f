"""Word mail merge for segment letters (no Textual, no database).

Merges records into .docx templates that use real Word MERGEFIELDs (simple and complex,
with ``\\*``/``\\@``/``\\#``/``\\b``/``\\f`` switches, nested in IF fields) or ``{{Field Name}}``
text placeholders (also when Word split them across runs), in the body, tables, headers,
footers, footnotes, endnotes and text boxes.  See :mod:`.engine` for the rules,
:mod:`.combine` and :mod:`.letters` for the combined (one file, many letters) output, in
which every letter keeps its own headers, lists, page count and ids, and
``docs/word-fields.md`` for the behaviour in words.

Typical use::

    template = DocxTemplate.from_bytes(docx_bytes)   # parse once
    result = template.merge({"Contact Name": "Ann Müller"})
    result.document        # .docx bytes
    result.unknown_fields  # names used in the template without a value
    with open("letters.docx", "wb") as out:  # many letters, streamed: flat memory
        template.write_combined(records, out)
"""

from .engine import DocxTemplate, MergeResult, list_fields
from .package import DocxFormatError
from .pictures import MergeValue
from .text import docx_to_text

__all__ = [
    "DocxFormatError",
    "DocxTemplate",
    "MergeResult",
    "MergeValue",
    "docx_to_text",
    "list_fields",
]
