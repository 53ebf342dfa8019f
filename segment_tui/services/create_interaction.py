"""Create Interaction for one contact (Business Central's Create Interaction wizard,
page 5077): one interaction log entry, written exactly as Log writes it, without a
segment or a logged segment (``docs/interactions.md``).

The wizard's defaults: the template gives the description, correspondence type (its
default), cost, duration, information flow, initiated by, interaction group and campaign
(with target and response); the salesperson is the user's (User Setup), else the
contact's; the date is the work date (``docs/work-date.md``) and the time the next whole
minute; the language is the
contact's when the template has a document in it, else the template's default language;
the subject is the description (as BC's FinishSegLineWizard sets it). Everything can be
overridden, and step 4's evaluation, "was successful" and cost/duration are options.

BC's checks, with its messages: a contact ("You must select a contact to interact
with."), a template ("Interaction Template Code is mandatory."), a description
("Description is mandatory."), a salesperson and a date ("You must fill in the … field."),
existing codes; an e-mail needs a document ("The correspondence type for this
interaction is Email, which requires …") and a contact with an e-mail address; a hard
copy to deliver needs a document ("You must select an interaction template with an
attachment.").

The entry links the template's Word document by number, as a logged segment line does
(``docs/word-documents.md``), and the entry row comes from
:func:`.log_segment.entry_values` — the same column mapping Log uses — over a one-row
SELECT of the contact. With a correspondence type the letter
is delivered like a segment line's (BC's Finish sends it): the entry is written Queued
and claimed for this process in the same transaction, then :func:`deliver` sends it
through the delivery run (:mod:`.delivery_run`), exactly once (``docs/delivery.md``).
A campaign gets BC's one campaign entry for interactions logged outside segments
(description "Interactions", no register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from peewee import Value, fn

from segment_tui.db import write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import (
    Campaign,
    CampaignEntry,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTmplLanguage,
    Language,
    Salesperson,
    UserSetup,
)
from segment_tui.models.enums import (
    CORRESPONDENCE_TYPES,
    EVALUATIONS,
    INFORMATION_FLOWS,
    INITIATED_BY,
)
from segment_tui.services.delivery_report import DeliveryReport
from segment_tui.services.merge_preview import NO_DOCUMENT
from segment_tui.services.values import (
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_enum,
    parse_int,
    parse_text,
)
from segment_tui.services.work_date import work_date

SELECT_CONTACT = "You must select a contact to interact with."
TEMPLATE_MANDATORY = "Interaction Template Code is mandatory."
DESCRIPTION_MANDATORY = "Description is mandatory."
FIELD_NOT_FILLED = "You must fill in the {field} field."
ATTACHMENT_REQUIRED = (
    "The correspondence type for this interaction is Email, which requires an interaction "
    "template with an attachment or Word template. To continue, you can either change the "
    "correspondence type for the contact, select an interaction template that has a "
    "different correspondence type, or select a template that ignores the contact "
    "correspondence type."
)
NO_EMAIL = (
    "Make sure that the Email field is specified for either contact no. {no} or the contact "
    "alternative address."
)
CAMPAIGN_ENTRY_DESCRIPTION = "Interactions"
"""BC's description of the campaign entry of interactions logged outside segments."""

FIELDS = (
    "interaction_template_code", "description", "correspondence_type", "evaluation",
    "salesperson_code", "date", "time_of_interaction", "campaign_no", "campaign_target",
    "campaign_response", "cost_lcy", "duration_min", "information_flow", "initiated_by",
    "language_code", "attempt_failed", "send_word_doc_as_attmt", "line_note",
)  # fmt: skip
"""The values a caller may give (others are refused by name)."""


@dataclass(frozen=True)
class CreatedInteraction:
    """What Create Interaction wrote."""

    entry_no: int
    contact_no: str
    correspondence_type: str
    queued: bool
    """Whether the letter waits for :func:`deliver` (status Queued, claimed)."""
    campaign_entry_no: int | None = None

    def as_record(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "entry_no": self.entry_no,
            "contact_no": self.contact_no,
            "correspondence_type": self.correspondence_type,
            "queued": self.queued,
            "campaign_entry_no": self.campaign_entry_no,
        }


def _contact(contact_no: str) -> Contact:
    code = str(contact_no or "").strip().upper()
    if not code:
        raise UserError(SELECT_CONTACT, field="contact_no")
    contact = Contact.get_or_none(Contact.no == code)
    if contact is None:
        raise NotFoundError(
            f"The Contact does not exist. Identification fields and values: No.='{code}'",
            field="contact_no",
        )
    return contact


def _template(code: str) -> InteractionTemplate:
    value = str(code or "").strip().upper()
    if not value:
        raise UserError(TEMPLATE_MANDATORY, field="interaction_template_code")
    template = InteractionTemplate.get_or_none(InteractionTemplate.code == value)
    if template is None:
        raise NotFoundError(
            "The Interaction Template does not exist. Identification fields and values: "
            f"Code='{value}'",
            field="interaction_template_code",
        )
    return template


def _documents(template_code: str) -> dict[str, int | None]:
    """The template's Word documents: language → attachment no."""
    return {
        row.language_code or "": row.attachment_no
        for row in InteractionTmplLanguage.select().where(
            InteractionTmplLanguage.interaction_template_code == template_code
        )
    }


def find_language(template: InteractionTemplate, contact: Contact) -> str:
    """BC's FindLanguage for a line without a segment: the contact's language when the
    template has a document in it, else the template's default language."""
    documents = _documents(template.code)
    if (contact.language_code or "") in documents and contact.language_code:
        return str(contact.language_code)
    return str(template.language_code_default or "")


def _user_salesperson() -> str:
    from segment_tui.services.segments import current_user

    row = UserSetup.get_or_none(UserSetup.user_id == current_user())
    return str(row.salesperson_code or "") if row is not None else ""


def _next_minute() -> dt.time:
    """BC's Time of Interaction: now, rounded up to the next whole minute."""
    now = dt.datetime.now() + dt.timedelta(seconds=1)
    rounded = (now + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    return rounded.time()


def interaction_defaults(contact_no: str, template_code: str = "") -> dict[str, Any]:
    """What the wizard shows before the user changes anything: the contact, and with a
    template everything it brings (description, correspondence type, cost, …), plus
    ``has_document`` (the template has a Word document for the chosen language)."""
    contact = _contact(contact_no)
    record: dict[str, Any] = {
        "contact_no": contact.no,
        "contact_name": contact.name,
        "interaction_template_code": "",
        "description": "",
        "correspondence_type": "",
        "evaluation": "",
        "salesperson_code": _user_salesperson() or (contact.salesperson_code or ""),
        "date": work_date(),
        "time_of_interaction": _next_minute(),
        "campaign_no": "",
        "campaign_target": False,
        "campaign_response": False,
        "cost_lcy": Decimal("0.00"),
        "duration_min": 0,
        "information_flow": "",
        "initiated_by": "",
        "language_code": "",
        "interaction_group_code": "",
        "attempt_failed": False,
        "send_word_doc_as_attmt": False,
        "line_note": "",
        "has_document": False,
    }
    if not str(template_code or "").strip():
        return record
    template = _template(template_code)
    language = find_language(template, contact)
    record.update(
        interaction_template_code=template.code,
        description=template.description,
        # The wizard's template validation: Correspondence Type := the template's default.
        correspondence_type=template.correspondence_type_default,
        campaign_no=template.campaign_no or "",
        campaign_target=bool(template.campaign_target),
        campaign_response=bool(template.campaign_response),
        cost_lcy=Decimal(str(template.unit_cost_lcy)).quantize(Decimal("0.01")),
        duration_min=int(template.unit_duration_min),
        information_flow=template.information_flow,
        initiated_by=template.initiated_by,
        language_code=language,
        interaction_group_code=template.interaction_group_code or "",
        has_document=bool(_documents(template.code).get(language)),
    )
    return record


def _parse(values: Mapping[str, Any]) -> dict[str, Any]:
    """The given values, typed (UserError naming the field on a bad one)."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise UserError(f"unknown field {unknown[0]!r}; fields: {', '.join(FIELDS)}")
    parsed: dict[str, Any] = {}
    for field, raw in values.items():
        if raw is None:
            continue
        if field == "interaction_template_code":
            parsed[field] = str(raw).strip().upper()
        elif field == "description":
            parsed[field] = parse_text(field, str(raw), 100)
        elif field == "line_note":
            parsed[field] = parse_text(field, str(raw), 2000)
        elif field == "correspondence_type":
            parsed[field] = parse_enum(field, raw, CORRESPONDENCE_TYPES)
        elif field == "evaluation":
            parsed[field] = parse_enum(field, raw, EVALUATIONS)
        elif field == "information_flow":
            parsed[field] = parse_enum(field, raw, INFORMATION_FLOWS)
        elif field == "initiated_by":
            parsed[field] = parse_enum(field, raw, INITIATED_BY)
        elif field == "salesperson_code":
            parsed[field] = parse_code(field, raw, 20, Salesperson, "Salesperson/Purchaser")
        elif field == "campaign_no":
            parsed[field] = parse_code(field, raw, 20, Campaign, "Campaign")
        elif field == "language_code":
            parsed[field] = parse_code(field, raw, 10, Language, "Language")
        elif field == "date":
            parsed[field] = parse_date(field, raw)
        elif field == "time_of_interaction":
            parsed[field] = _parse_time(raw)
        elif field == "cost_lcy":
            parsed[field] = parse_decimal(field, raw)
        elif field == "duration_min":
            parsed[field] = parse_int(field, raw)
        else:  # campaign_target, campaign_response, attempt_failed, send_word_doc_as_attmt
            parsed[field] = parse_bool(field, raw)
    return parsed


def _parse_time(raw: Any) -> dt.time | None:
    if isinstance(raw, dt.time):
        return raw
    text = str(raw).strip()
    if not text:
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"time_of_interaction: {raw!r} is not a time (HH:MM).", field="time_of_interaction"
        ) from None


def _check(line: dict[str, Any], contact: Contact, document: int | None, send: bool) -> None:
    """BC's CheckStatus and the Log checks, in BC's order (first failure wins)."""
    if not line["description"]:
        raise UserError(DESCRIPTION_MANDATORY, field="description")
    for field, caption in (("salesperson_code", "Salesperson Code"), ("date", "Date")):
        if not line[field]:
            raise UserError(FIELD_NOT_FILLED.format(field=caption), field=field)
    kind = line["correspondence_type"]
    if kind == "email" and not document:
        raise UserError(ATTACHMENT_REQUIRED, field="correspondence_type")
    if kind == "email" and not contact.email:
        # BC blanks the type silently without Send; this product refuses, as Log does.
        raise UserError(NO_EMAIL.format(no=contact.no), field="correspondence_type")
    if send and kind == "hard_copy" and not document:
        raise UserError(NO_DOCUMENT, field="correspondence_type")


def _campaign_entry(campaign_no: str, date: dt.date, salesperson: str) -> int:
    """BC's GetCampaignEntryNo for an interaction outside a segment: the campaign's
    entry without a segment, else a new one (no register, "Interactions")."""
    from segment_tui.services.segments import current_user

    existing = (
        CampaignEntry.select(CampaignEntry.entry_no)
        .where((CampaignEntry.campaign_no == campaign_no) & (CampaignEntry.segment_no == ""))
        .order_by(CampaignEntry.entry_no)
        .scalar()
    )
    if existing is not None:
        return int(existing)
    return int(
        CampaignEntry.insert(
            campaign_no=campaign_no,
            date=date,
            user_id=current_user(),
            segment_no="",
            register_no=0,
            description=CAMPAIGN_ENTRY_DESCRIPTION,
            salesperson_code=salesperson,
        ).execute()
    )


def _line_values(line: dict[str, Any], contact: Contact, attachment_no: int | None) -> Any:
    """The one "segment line" Create Interaction logs, as SQL values (the columns
    :func:`.log_segment.entry_values` reads)."""
    field = InteractionLogEntry._meta.fields

    def value(name: str, stored: Any) -> Value:
        column = {
            "send_word_doc_as_attmt": "send_word_docs_as_attmt",
            "language_code": "interaction_language_code",
        }.get(name, name)
        return Value(stored, converter=field[column].db_value if column in field else None)

    return SimpleNamespace(
        contact_no=Value(contact.no),
        contact_company_no=Value(contact.company_no or ""),
        date=value("date", line["date"]),
        description=Value(line["description"]),
        information_flow=Value(line["information_flow"]),
        initiated_by=Value(line["initiated_by"]),
        attachment_no=Value(attachment_no),
        cost_lcy=value("cost_lcy", line["cost_lcy"]),
        duration_min=Value(int(line["duration_min"])),
        interaction_group_code=Value(line["interaction_group_code"]),
        interaction_template_code=Value(line["interaction_template_code"]),
        campaign_no=Value(line["campaign_no"]),
        campaign_response=value("campaign_response", bool(line["campaign_response"])),
        campaign_target=value("campaign_target", bool(line["campaign_target"])),
        segment_no=Value(""),
        evaluation=Value(line["evaluation"]),
        time_of_interaction=value("time_of_interaction", line["time_of_interaction"]),
        attempt_failed=value("attempt_failed", bool(line["attempt_failed"])),
        salesperson_code=Value(line["salesperson_code"]),
        correspondence_type=Value(line["correspondence_type"]),
        send_word_doc_as_attmt=value(
            "send_word_doc_as_attmt", bool(line["send_word_doc_as_attmt"])
        ),
        language_code=Value(line["language_code"]),
        subject=Value(line["description"][:100]),
        line_note=Value(line["line_note"]),
    )


def create_interaction(
    contact_no: str, values: Mapping[str, Any], *, send: bool = True
) -> CreatedInteraction:
    """Log one interaction with ``contact_no`` (all or nothing).

    ``values`` are the wizard's fields by name (:data:`FIELDS`; the template is
    required, the rest default as :func:`interaction_defaults` says). With ``send`` (BC's
    Finish) an entry with a correspondence type is queued and claimed for delivery:
    call :func:`deliver` next, in this process. Without it the entry is logged only.
    """
    from segment_tui.services.delivery_entry_claim import (
        claim_entry_in_transaction,
        hand_over_entry,
    )
    from segment_tui.services.log_segment import ILE_FIELDS, entry_values

    given = _parse(values)
    token = ""
    with write_transaction():
        contact = _contact(contact_no)
        line = interaction_defaults(contact.no, given.get("interaction_template_code", ""))
        if not line["interaction_template_code"]:
            raise UserError(TEMPLATE_MANDATORY, field="interaction_template_code")
        line.update(given)
        document = _documents(line["interaction_template_code"]).get(line["language_code"])
        _check(line, contact, document, send)
        campaign_entry_no = (
            _campaign_entry(line["campaign_no"], line["date"], line["salesperson_code"])
            if line["campaign_no"]
            else None
        )
        # Linked by number, as Log's lines are (docs/word-documents.md), not copied.
        row = _line_values(line, contact, document)
        query = Contact.select(
            *entry_values(row, Contact, Value(None), Value(campaign_entry_no), send)
        ).where(Contact.no == contact.no)
        InteractionLogEntry.insert_from(query, ILE_FIELDS).execute()
        # Writers hold the write lock (write_transaction), so the newest entry is ours.
        entry_no = int(InteractionLogEntry.select(fn.MAX(InteractionLogEntry.entry_no)).scalar())
        queued = send and bool(line["correspondence_type"])
        if queued:
            token = claim_entry_in_transaction(entry_no)
    if token:
        hand_over_entry(entry_no, token)
    return CreatedInteraction(
        entry_no, contact.no, line["correspondence_type"], queued, campaign_entry_no
    )


def deliver(
    created: CreatedInteraction, out_dir: Path | None = None, *, pdf: bool | None = None
) -> DeliveryReport | None:
    """Deliver the letter of a just-created interaction (None when nothing is queued)."""
    if not created.queued:
        return None
    from segment_tui.services.delivery import deliver_entry

    return deliver_entry(created.entry_no, out_dir, pdf=pdf)
