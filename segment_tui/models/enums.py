"""Enumerations, stored as text, with BC's captions for display and input.

Delivery statuses extend BC's three (blank, In Progress, Error) with the states of
exactly-once delivery (``docs/delivery.md``): ``in_progress`` (queued), ``sending``,
``sent`` and ``unknown``."""

from __future__ import annotations

CORRESPONDENCE_TYPES = ("", "hard_copy", "email")
INFORMATION_FLOWS = ("", "outbound", "inbound")
INITIATED_BY = ("", "us", "them")
EVALUATIONS = ("", "very_positive", "positive", "neutral", "negative", "very_negative")
DELIVERY_STATUSES = ("", "in_progress", "sending", "sent", "error", "unknown")
CONTACT_TYPES = ("company", "person")
CRITERIA_LINE_TYPES = ("action", "filter")
CRITERIA_ACTIONS = ("add", "reduce", "refine")
HISTORY_ACTIONS = ("insertion", "deletion")
SALUTATION_TYPES = ("formal", "informal")
PROFILE_LINE_TYPES = ("question", "answer")

CAPTIONS: dict[str, str] = {
    "": "",
    "hard_copy": "Hard Copy",
    "email": "Email",
    "outbound": "Outbound",
    "inbound": "Inbound",
    "us": "Us",
    "them": "Them",
    "very_positive": "Very Positive",
    "positive": "Positive",
    "neutral": "Neutral",
    "negative": "Negative",
    "very_negative": "Very Negative",
    "in_progress": "Queued",
    "sending": "Sending",
    "sent": "Sent",
    "error": "Error",
    "unknown": "Unknown",
    "company": "Company",
    "person": "Person",
    "add": "Add Contacts",
    "reduce": "Remove Contacts (Reduce)",
    "refine": "Remove Contacts (Refine)",
    "insertion": "Insertion",
    "deletion": "Deletion",
    "formal": "Formal",
    "informal": "Informal",
}


def caption(value: str) -> str:
    """BC's caption for a stored enumeration value."""
    return CAPTIONS.get(value, value)


def spellings(values: tuple[str, ...]) -> dict[str, str]:
    """Accepted user spellings (lower-cased) for an enumeration: stored value and caption.

    Also accepts ``e-mail`` for e-mail, since CSV files and people write it both ways.
    """
    result: dict[str, str] = {}
    for value in values:
        result[value] = value
        result[caption(value).lower()] = value
        result[value.replace("_", " ")] = value
        result[value.replace("_", "-")] = value
    if "email" in values:
        result["e-mail"] = "email"
    if "" in values:
        result[" "] = ""
    return result


def parse_option(field: str, raw: str, values: tuple[str, ...]) -> str:
    """Turn a user's spelling into the stored value, or raise ValueError naming the choices."""
    value = spellings(values).get(raw.strip().lower())
    if value is None:
        choices = ", ".join(repr(caption(v)) for v in values if v) or "''"
        raise ValueError(f"{field}: {raw!r} is not one of {choices}")
    return value
