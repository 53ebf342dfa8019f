"""The worksheet's Segment page actions that act on the segment's contacts as a whole:
Apply Mailing Group, Export Contacts, Print Labels, Print Cover Sheets and the Segment -
Contacts report (BC's Segment page, Process and Print groups)."""

from __future__ import annotations

from segment_tui.ui.screens.segment_page_dialogs import (
    ContactsReportDialog,
    CoverSheetsDialog,
    ExportContactsDialog,
    LabelsDialog,
    MailingGroupDialog,
    open_action_dialog,
)
from segment_tui.ui.screens.worksheet_actions import WorksheetActions


class SegmentPageActions(WorksheetActions):
    """Actions on the contacts of the segment shown (the worksheet binds their keys)."""

    def action_apply_mailing_group(self) -> None:
        """Give every contact of the segment a mailing group (BC report 5184)."""
        open_action_dialog(self, MailingGroupDialog(self.segment_no))

    def action_export_contacts(self) -> None:
        """Write the segment's contacts to a CSV file."""
        open_action_dialog(self, ExportContactsDialog(self.segment_no))

    def action_print_labels(self) -> None:
        """Print address labels as PDF (BC report 5065)."""
        open_action_dialog(self, LabelsDialog(self.segment_no))

    def action_print_cover_sheets(self) -> None:
        """Print a cover sheet per contact as PDF (BC report 5064)."""
        open_action_dialog(self, CoverSheetsDialog(self.segment_no))

    def action_contacts_report(self) -> None:
        """The Segment - Contacts report as PDF or CSV (BC report 5063)."""
        open_action_dialog(self, ContactsReportDialog(self.segment_no))
