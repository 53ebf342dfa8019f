"""The language Word formats a field's text in (for month and day names of date pictures).

Word keeps a language with the text: ``w:lang w:val="de-DE"`` in a run's properties, in
its character style, in its paragraph's style (and the styles those are based on), in the
default paragraph style, or in the document defaults of ``styles.xml``.  A field's result
is formatted in the language of its text, so a letter written in German Word prints
"3. Dezember 2026".  This module finds that language the same way, most specific first.
"""

from __future__ import annotations

from .ooxml import W_PPR, W_RPR, Element, w

_LANG = w("lang")
_STYLE = w("style")
_STYLE_ID = w("styleId")
_BASED_ON = w("basedOn")
_VAL = w("val")


def _lang_of(rpr: Element | None) -> str:
    if rpr is None:
        return ""
    lang = rpr.find(_LANG)
    return (lang.get(_VAL) or "") if lang is not None else ""


class LanguageResolver:
    """Answers "which language is this run in?" for one document."""

    def __init__(self, styles: Element | None) -> None:
        """``styles``: the parsed ``styles.xml`` root, or None when the package has none."""
        self._own: dict[str, str] = {}
        self._based_on: dict[str, str] = {}
        self._default_paragraph = ""
        self._document = ""
        if styles is None:
            return
        defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{W_RPR}")
        self._document = _lang_of(defaults)
        for style in styles.iter(_STYLE):
            sid = style.get(_STYLE_ID) or ""
            self._own[sid] = _lang_of(style.find(W_RPR))
            base = style.find(_BASED_ON)
            if base is not None:
                self._based_on[sid] = base.get(_VAL) or ""
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                self._default_paragraph = sid

    def _style_lang(self, style_id: str) -> str:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            lang = self._own.get(style_id, "")
            if lang:
                return lang
            style_id = self._based_on.get(style_id, "")
        return ""

    def of(self, rpr: Element | None, paragraph: Element | None) -> str:
        """The language tag (``de-DE``) of a run with properties ``rpr`` in ``paragraph``;
        blank when the document says nothing."""
        lang = _lang_of(rpr)
        if lang:
            return lang
        if rpr is not None:
            rstyle = rpr.find(w("rStyle"))
            if rstyle is not None:
                lang = self._style_lang(rstyle.get(_VAL) or "")
                if lang:
                    return lang
        pstyle_id = self._default_paragraph
        if paragraph is not None:
            ppr = paragraph.find(W_PPR)
            pstyle = ppr.find(w("pStyle")) if ppr is not None else None
            if pstyle is not None:
                pstyle_id = pstyle.get(_VAL) or pstyle_id
        return (
            self._style_lang(pstyle_id)
            or self._style_lang(self._default_paragraph)
            or (self._document)
        )
