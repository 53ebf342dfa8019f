"""The Word documents of an interaction template, from the Setup screen: Import Word
(``w``: attach a .docx for a language, then check its merge fields at once) and Export
Word (``x``: save the document to a file, asking before replacing one).

Both go through :mod:`segment_tui.services.documents.template_docs`, as ``template attach`` and
``template export`` do on the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen

from segment_tui.services.documents.template_docs import (
    attach_template_document,
    export_template_document,
)
from segment_tui.services.documents.template_warnings import TemplateWarnings, document_warnings
from segment_tui.ui.screens.confirm_dialog import ConfirmDialog
from segment_tui.ui.screens.dialogs import FormDialog
from segment_tui.ui.work import run_db


def _path_and_language(values: dict[str, str] | None) -> tuple[Path, str] | None:
    """The file and language typed in a template-document form (None: nothing typed)."""
    if not values or not values["path"].strip():
        return None
    return Path(values["path"].strip()).expanduser(), values["language"].strip().upper()


def _attach(code: str, path: Path, language: str) -> TemplateWarnings:
    """Attach the document, then check it (worker side)."""
    record = attach_template_document(code, path, language=language)
    # Checked right away: a field the merge cannot fill is found now, not in 1,000
    # printed letters.
    return document_warnings(code, str(record.get("language_code", language) or ""))


def attach_document(screen: Screen[Any], code: str) -> None:
    """Ask for a Word document (.docx) and its language, attach it to template ``code``
    and say which of its fields the merge cannot fill."""

    def attached(path: Path, found: TemplateWarnings) -> None:
        text = f"Attached {path.name} to {found.checked}."
        if found.warnings:
            screen.notify(
                f"{text}\n" + "\n".join(found.warnings),
                title="Check the document",
                severity="warning",
                timeout=15,
            )
        else:
            screen.notify(f"{text} The merge fills every one.", timeout=5)

    def entered(values: dict[str, str] | None) -> None:
        if (chosen := _path_and_language(values)) is None:
            return
        path, language = chosen
        run_db(screen, lambda: _attach(code, path, language), lambda found: attached(path, found))

    screen.app.push_screen(
        FormDialog(
            f"Word document for template {code}",
            [("path", "File (.docx)", ""), ("language", "Language (blank: default)", "")],
        ),
        entered,
    )


def export_document(screen: Screen[Any], code: str) -> None:
    """Ask for a file and a language and save template ``code``'s Word document there; an
    existing file is replaced only after asking (default No)."""

    def save(path: Path, language: str) -> None:
        run_db(
            screen,
            lambda: export_template_document(code, path, language),
            lambda size: screen.notify(f"Saved {path} ({size:,} bytes).", timeout=4, markup=False),
        )

    def entered(values: dict[str, str] | None) -> None:
        if (chosen := _path_and_language(values)) is None:
            return
        path, language = chosen
        if not path.exists():
            save(path, language)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                save(path, language)

        question = f"{path} already exists.\\Replace it with the document of {code}?"
        screen.app.push_screen(ConfirmDialog(question, default=False), answered)

    screen.app.push_screen(
        FormDialog(
            f"Export the Word document of template {code}",
            [("path", "Save as", f"{code.lower()}.docx"), ("language", "Language", "")],
        ),
        entered,
    )
