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
attachment."). The caller's values are typed and checked by :mod:`.create_input`.

The entry links the template's Word document by number, as a logged segment line does
(``docs/word-documents.md``), and the entry row comes from
:func:`segment_tui.services.log.entry_copy.entry_columns` — the same column mapping Log uses — over
a one-row
SELECT of the contact. With a correspondence type the letter
is delivered like a segment line's (BC's Finish sends it): the entry is written Queued
and claimed for this process in the same transaction, then :func:`deliver` sends it
through the delivery run (:mod:`segment_tui.services.delivery.run`), exactly once
(``docs/delivery.md``).
A campaign gets BC's one campaign entry for interactions logged outside segments
(description "Interactions", no register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

from peewee import Value, fn

from segment_tui.db import write_transaction
from segment_tui.errors import NotFoundError, UserError
from segment_tui.models import (
    CampaignEntry,
    Contact,
    InteractionLogEntry,
    InteractionTemplate,
    InteractionTmplLanguage,
    UserSetup,
)
from segment_tui.services.delivery.report import DeliveryReport
from segment_tui.services.interactions.create_input import (
    InteractionDefaults,
    check_line,
    parse_values,
)
from segment_tui.services.setup.work_date import work_date

SELECT_CONTACT = "You must select a contact to interact with."
TEMPLATE_MANDATORY = "Interaction Template Code is mandatory."
CAMPAIGN_ENTRY_DESCRIPTION = "Interactions"
"""BC's description of the campaign entry of interactions logged outside segments."""


class CreatedInteractionRecord(TypedDict):
    """What Create Interaction wrote, as JSON."""

    entry_no: int
    contact_no: str
    correspondence_type: str
    queued: bool
    campaign_entry_no: int | None


@dataclass(frozen=True)
class CreatedInteraction:
    """What Create Interaction wrote."""

    entry_no: int
    contact_no: str
    correspondence_type: str
    queued: bool
    """Whether the letter waits for :func:`deliver` (status Queued, claimed)."""
    campaign_entry_no: int | None = None

    def as_record(self) -> CreatedInteractionRecord:
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
    from segment_tui.services.segments.headers import current_user

    row = UserSetup.get_or_none(UserSetup.user_id == current_user())
    return str(row.salesperson_code or "") if row is not None else ""


def _next_minute() -> dt.time:
    """BC's Time of Interaction: now, rounded up to the next whole minute."""
    now = dt.datetime.now() + dt.timedelta(seconds=1)
    rounded = (now + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    return rounded.time()


def interaction_defaults(contact_no: str, template_code: str = "") -> InteractionDefaults:
    """What the wizard shows before the user changes anything: the contact, and with a
    template everything it brings (description, correspondence type, cost, …), plus
    ``has_document`` (the template has a Word document for the chosen language)."""
    contact = _contact(contact_no)
    record: InteractionDefaults = {
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
        {
            "interaction_template_code": template.code,
            "description": template.description,
            # The wizard's template validation: Correspondence Type := the template's default.
            "correspondence_type": template.correspondence_type_default,
            "campaign_no": template.campaign_no or "",
            "campaign_target": bool(template.campaign_target),
            "campaign_response": bool(template.campaign_response),
            "cost_lcy": Decimal(str(template.unit_cost_lcy)).quantize(Decimal("0.01")),
            "duration_min": int(template.unit_duration_min),
            "information_flow": template.information_flow,
            "initiated_by": template.initiated_by,
            "language_code": language,
            "interaction_group_code": template.interaction_group_code or "",
            "has_document": bool(_documents(template.code).get(language)),
        }
    )
    return record


def _campaign_entry(campaign_no: str, date: dt.date | None, salesperson: str) -> int:
    """BC's GetCampaignEntryNo for an interaction outside a segment: the campaign's
    entry without a segment, else a new one (no register, "Interactions")."""
    from segment_tui.services.segments.headers import current_user

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


def create_interaction(
    contact_no: str, values: Mapping[str, object], *, send: bool = True
) -> CreatedInteraction:
    """Log one interaction with ``contact_no`` (all or nothing).

    ``values`` are the wizard's fields by name (:data:`.create_input.FIELDS`; the template is
    required, the rest default as :func:`interaction_defaults` says). With ``send`` (BC's
    Finish) an entry with a correspondence type is queued and claimed for delivery:
    call :func:`deliver` next, in this process. Without it the entry is logged only.
    """
    from segment_tui.services.delivery.entry_claim import (
        claim_entry_in_transaction,
        hand_over_entry,
    )
    from segment_tui.services.log.entry_copy import entry_columns, insert_entries, wizard_line

    given = parse_values(values)
    token = ""
    with write_transaction():
        contact = _contact(contact_no)
        defaults = interaction_defaults(contact.no, given.get("interaction_template_code", ""))
        if not defaults["interaction_template_code"]:
            raise UserError(TEMPLATE_MANDATORY, field="interaction_template_code")
        line: InteractionDefaults = {**defaults, **given}
        document = _documents(line["interaction_template_code"]).get(line["language_code"])
        check_line(line, contact, document, send)
        campaign_entry_no = (
            _campaign_entry(line["campaign_no"], line["date"], line["salesperson_code"])
            if line["campaign_no"]
            else None
        )
        # Linked by number, as Log's lines are (docs/word-documents.md), not copied.
        row = wizard_line(line, contact, document)
        columns = entry_columns(row, Contact, Value(None), Value(campaign_entry_no), send)
        insert_entries(Contact.select().where(Contact.no == contact.no), columns).execute()
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
    from segment_tui.services.delivery.deliver import deliver_entry

    return deliver_entry(created.entry_no, out_dir, pdf=pdf)
