"""The columns of contacts and of their profile answers, for every front end
(``services/columns.py``): the Contacts screen and ``contacts list``, a contact's
profile and ``profile list``.

These are the lists' captions; ``contacts export`` and ``import`` keep the field names
as CSV headers (:mod:`segment_tui.services.contacts.fields`), so a file goes round."""

from __future__ import annotations

from segment_tui.services.columns import ColumnTable, FieldColumn, checkmark, option

CONTACT_COLUMNS = ColumnTable(
    "contact",
    FieldColumn("no", "No.", 10),
    FieldColumn("type", "Type", 7, format=option),
    FieldColumn("name", "Name", 22),
    FieldColumn("company_name", "Company Name", 20),
    FieldColumn("city", "City", 12),
    FieldColumn("post_code", "Post Code", 9),
    FieldColumn("country_region_code", "Country", 7),
    FieldColumn("email", "Email", 26),
    FieldColumn("phone_no", "Phone", 16),
    FieldColumn("salesperson_code", "Salesperson", 11),
    FieldColumn("correspondence_type", "Corr. Type", 10, format=option),
    FieldColumn("exclude_from_segment", "Excl.", 5, format=checkmark),
)
"""A contact (BC's Contact List)."""

PROFILE_COLUMNS = ColumnTable(
    "profile answer",
    FieldColumn("mark", "Set", 3),
    FieldColumn("contact_no", "Contact No."),
    FieldColumn("contact_name", "Name"),
    FieldColumn("questionnaire", "Questionnaire", 13),
    FieldColumn("line_no", "Line", 6, "right"),
    FieldColumn("text", "Question / Answer", 46),
    FieldColumn("question", "Question"),
    FieldColumn("answer", "Answer"),
)
"""A line of a contact's profile (BC's Contact Profile Answers): the contact's own
profile shows its questions and answers as lines (``mark``, ``text``), the list of
answers one answer per row (``contact_no`` … ``answer``)."""
