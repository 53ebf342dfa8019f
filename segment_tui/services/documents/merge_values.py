"""The merge-field values of a letter: Business Central's merge-field dictionary.

BC merges legacy Word attachments with a dictionary keyed by English captions (its
Word Template Interactions data source; docs/word-documents.md): ``Contact Name``,
``Contact Mail Address``, ``Formal Salutation``, ``Salesperson/Purchaser Name``,
``Document Date``, ``Company Information Name``, ``FaxMailTo`` … plus this product's
``Line Note``.
Values come from a segment line (preview, before logging) or from an interaction log
entry (delivery, after logging), read as a :class:`~.merge_sources.MergeSource`
(:mod:`.merge_sources`); contact, salesperson and company data are read at merge time,
as in BC.

* ``Entry No.`` is the entry number, or for a segment line its line number (as BC does).
* ``Document Date`` is a :class:`datetime.date`, so ``\\@ "d MMMM yyyy"`` pictures work.
* Salutations follow BC's ``Contact.GetSalutation``: the contact's salutation code, in the
  letter's language (the line's language, which is the contact's when the segment has a
  document in it; BC passes the same), falling back to the formula of language ``''``;
  ``%1``…``%5`` are the contact fields named in the formula. Without any formula a person
  gets "Dear <name>" / "Hello" and a company "Dear Sir or Madam" / "Hello".
* ``Contact Mail Address`` is the address block, one line per part, blank parts dropped:
  for a person at a company its name, the company's name, then the address; otherwise the
  name and name 2, then the address (address, address 2, post code and city, county,
  country name).

Many letters: :class:`MergeData` reads setup once and the contacts and salespeople of
a whole batch with one query each, so a thousand letters cost a handful of queries.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from peewee import Select

from segment_tui.db import chunked, db, tuples
from segment_tui.errors import NotFoundError
from segment_tui.merge import MergeValue
from segment_tui.models import (
    CompanyInformation,
    Contact,
    CountryRegion,
    InteractionLogEntry,
    Salesperson,
    SalutationFormula,
    SegmentLine,
)
from segment_tui.services.documents.merge_field_names import (
    COMPANY_MERGE_FIELDS,
    CONTACT_MERGE_FIELDS,
    SALESPERSON_MERGE_FIELDS,
)
from segment_tui.services.documents.merge_sources import MergeSource, entry_sources, line_sources

_CONTACT_COLUMNS = (
    "no", "type", "name", "name_2", "first_name", "middle_name", "surname", "initials",
    "job_title", "company_no", "company_name", "address", "address_2", "post_code", "city",
    "county", "country_region_code", "phone_no", "mobile_phone_no", "fax_no", "email",
    "home_page", "vat_registration_no", "language_code", "salutation_code",
)  # fmt: skip
_SALESPERSON_COLUMNS = ("code", "name", "job_title", "phone_no", "email")
_COMPANY_COLUMNS = (*COMPANY_MERGE_FIELDS.values(), "country_region_code")
# Contact fields a salutation formula may name (BC's Salutation Formula Name enum).
_NAME_PARTS = {"job_title", "first_name", "middle_name", "surname", "initials", "company_name"}


_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_MARK = re.compile(r" ([,.;:!?])")


def _clean(text: str) -> str:
    """Collapse the gaps blank name parts leave ("Dear  Smith ," → "Dear Smith,")."""
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    text = text.strip()
    return _SPACE_BEFORE_MARK.sub(r"\1", text) if " " in text else text


@functools.lru_cache(maxsize=256)
def _formula_columns(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``(placeholder, contact column)`` for the ``%1``…``%5`` a formula names."""
    out = []
    for index, name in enumerate(names, 1):
        column = (name or "").strip().lower().replace(" ", "_")
        out.append((f"%{index}", column if column in _NAME_PARTS else ""))
    return tuple(out)


class MergeData:
    """Setup read once, plus the contacts and salespeople of one batch of letters."""

    def __init__(
        self,
        company: Mapping[str, str],
        countries: Mapping[str, str],
        formulas: Mapping[tuple[str, str, str], tuple[str, tuple[str, ...]]],
        contacts: Mapping[str, Mapping[str, str]],
        salespeople: Mapping[str, Mapping[str, str]],
    ) -> None:
        """Use :meth:`load`; this takes already read rows."""
        self.company = company
        self.countries = countries
        self.formulas = formulas
        self.contacts = contacts
        self.salespeople = salespeople
        self._company_values = self._company_part()

    @classmethod
    def load(
        cls,
        contact_nos: Select | Iterable[str],
        salesperson_codes: Iterable[str] = (),
    ) -> MergeData:
        """Read setup, the contacts named by ``contact_nos`` (a query selecting contact
        numbers, or the numbers) and the salespeople named by ``salesperson_codes``."""
        info = CompanyInformation.get_or_none(CompanyInformation.primary_key == "")
        company = {c: (getattr(info, c) or "") if info else "" for c in _COMPANY_COLUMNS}
        countries = dict(tuples(CountryRegion.select(CountryRegion.code, CountryRegion.name)))
        formulas: dict[tuple[str, str, str], tuple[str, tuple[str, ...]]] = {}
        for formula in SalutationFormula.select():
            key = (
                formula.salutation_code or "",
                formula.language_code or "",
                formula.salutation_type,
            )
            names = (formula.name_1, formula.name_2, formula.name_3, formula.name_4, formula.name_5)
            formulas[key] = (formula.salutation, names)
        columns = [getattr(Contact, c) for c in _CONTACT_COLUMNS]
        contacts: dict[str, dict[str, str]] = {}
        if isinstance(contact_nos, Select):
            batches: list[Any] = [contact_nos]
        else:
            numbers = list(dict.fromkeys(contact_nos))
            batches = list(chunked(numbers))
        for batch in batches:
            # Raw rows: every contact column is text, so peewee's per-value conversion
            # (a third of the time of a 100,000-letter merge) changes nothing.
            cursor = db.execute(Contact.select(*columns).where(Contact.no.in_(batch)))
            for row in cursor.fetchall():
                record = {
                    c: ("" if v is None else v) for c, v in zip(_CONTACT_COLUMNS, row, strict=True)
                }
                contacts[record["no"]] = record
        codes = sorted({c for c in salesperson_codes if c})
        salespeople: dict[str, dict[str, str]] = {}
        if codes:
            query = Salesperson.select(*[getattr(Salesperson, c) for c in _SALESPERSON_COLUMNS])
            for row in tuples(query.where(Salesperson.code.in_(codes))):
                record = dict(zip(_SALESPERSON_COLUMNS, row, strict=True))
                salespeople[record["code"]] = record
        return cls(company, countries, formulas, contacts, salespeople)

    @classmethod
    def for_sources(
        cls, sources: Sequence[MergeSource], contact_query: Select | None = None
    ) -> MergeData:
        """Everything needed to merge ``sources`` (``contact_query`` selects the same
        contacts in SQL, which saves sending their numbers back to the database)."""
        contacts: Select | Iterable[str] = (
            contact_query if contact_query is not None else (s.contact_no for s in sources)
        )
        return cls.load(contacts, {s.salesperson_code for s in sources})

    def _company_part(self) -> dict[str, MergeValue]:
        values: dict[str, MergeValue] = {
            name: self.company.get(column, "") for name, column in COMPANY_MERGE_FIELDS.items()
        }
        country = self.company.get("country_region_code", "")
        values["Company Information Country/Region Name"] = self.countries.get(country, country)
        return values

    def country_name(self, code: str) -> str:
        """The name of a country/region (the code itself when it has no name)."""
        return self.countries.get(code, code) if code else ""

    def mail_address(self, contact: Mapping[str, str]) -> str:
        """The contact's address block, one part per line, blank parts dropped."""
        if contact["type"] == "person" and contact["company_no"] and contact["company_name"]:
            names = [contact["name"], contact["company_name"]]
        else:
            names = [contact["name"], contact["name_2"]]
        city = " ".join(p for p in (contact["post_code"], contact["city"]) if p)
        parts = [
            *names,
            contact["address"],
            contact["address_2"],
            city,
            contact["county"],
            self.country_name(contact["country_region_code"]),
        ]
        return "\n".join(p.strip() for p in parts if p and p.strip())

    def salutation(self, contact: Mapping[str, str], kind: str, language: str) -> str:
        """BC's GetSalutation: the formula in ``language`` (else language ``''``)."""
        code = contact["salutation_code"]
        for lang in (language or contact["language_code"], ""):
            formula = self.formulas.get((code, lang, kind))
            if formula is None:
                continue
            text, names = formula
            for placeholder, column in _formula_columns(names):
                if placeholder in text:
                    text = text.replace(placeholder, contact.get(column, "") if column else "")
            return _clean(text)
        if contact["type"] == "person":
            return f"Dear {contact['name']}".strip() if kind == "formal" else "Hello"
        return "Dear Sir or Madam" if kind == "formal" else "Hello"

    def values(self, source: MergeSource) -> dict[str, MergeValue]:
        """The merge-field values of one letter (every name of ``merge_field_names``)."""
        contact = self.contacts.get(source.contact_no)
        if contact is None:
            raise NotFoundError(
                "The Contact does not exist. Identification fields and values: "
                f"No.='{source.contact_no}'"
            )
        salesperson = self.salespeople.get(source.salesperson_code, {})
        values: dict[str, MergeValue] = {
            "Entry No.": source.entry_no if source.entry_no is not None else source.line_no,
            "Contact Mail Address": self.mail_address(contact),
        }
        for name, column in CONTACT_MERGE_FIELDS.items():
            values[name] = contact[column]
        values["Contact Country/Region Name"] = self.country_name(contact["country_region_code"])
        values["Formal Salutation"] = self.salutation(contact, "formal", source.language_code)
        values["Informal Salutation"] = self.salutation(contact, "informal", source.language_code)
        for name, column in SALESPERSON_MERGE_FIELDS.items():
            values[name] = salesperson.get(column, "")
        values["Document Date"] = source.date
        values["Document Campaign No."] = source.campaign_no
        values["Document Segment No."] = source.segment_no
        values["Document Description"] = source.description
        values["Document Subject"] = source.subject
        values.update(self._company_values)
        values["FaxMailTo"] = contact["email"] or source.recipient
        values["Line Note"] = source.line_note
        return values


def line_merge_values(segment_no: str, line_no: int) -> dict[str, MergeValue]:
    """The merge-field values of one segment line (for a preview)."""
    sources = line_sources(segment_no, [line_no])
    if not sources:
        raise NotFoundError(
            "The Segment Line does not exist or has no contact. Identification fields and "
            f"values: Segment No.='{segment_no.strip().upper()}',Line No.='{line_no}'"
        )
    return MergeData.for_sources(sources).values(sources[0])


def entry_merge_values(entry_no: int) -> dict[str, MergeValue]:
    """The merge-field values of one interaction log entry."""
    sources = entry_sources(InteractionLogEntry.entry_no == entry_no)
    if not sources:
        raise NotFoundError(
            "The Interaction Log Entry does not exist. Identification fields and values: "
            f"Entry No.='{entry_no}'"
        )
    return MergeData.for_sources(sources).values(sources[0])


def segment_merge_values(segment_no: str) -> list[tuple[MergeSource, dict[str, MergeValue]]]:
    """Every line of a segment with its values (one query each for lines, contacts,
    salespeople and setup)."""
    sources = line_sources(segment_no)
    contacts = SegmentLine.select(SegmentLine.contact_no).where(
        SegmentLine.segment_no == segment_no.strip().upper()
    )
    data = MergeData.for_sources(sources, contacts)
    return [(s, data.values(s)) for s in sources]


def iter_segment_merge_values(
    segment_no: str,
    batch: int = 2000,
    *,
    attachment_no: int | None = None,
    template_code: str | None = None,
) -> Iterator[tuple[MergeSource, dict[str, MergeValue]]]:
    """Like :func:`segment_merge_values`, read in batches of ``batch`` lines, so memory
    stays flat however big the segment; only the lines with document ``attachment_no``
    or template ``template_code`` when given."""
    after: int | None = None
    while True:
        sources = line_sources(
            segment_no,
            after=after,
            limit=batch,
            attachment_no=attachment_no,
            template_code=template_code,
        )
        if not sources:
            return
        # The batch's contacts by the lines' range in SQL: no list of numbers to send.
        contacts = SegmentLine.select(SegmentLine.contact_no).where(
            (SegmentLine.segment_no == segment_no.strip().upper())
            & SegmentLine.line_no.between(sources[0].line_no, sources[-1].line_no)
        )
        data = MergeData.for_sources(sources, contacts)
        for source in sources:
            yield source, data.values(source)
        if len(sources) < batch:
            return
        after = sources[-1].line_no
