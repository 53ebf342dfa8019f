"""``{{Field Name}}`` placeholders typed as text in a part, turned into slots.

A placeholder may be split over differently formatted runs (Word splits text where the
formatting, the spell checker or the revision changes): the match is found in the
paragraph's joined text, mapped back onto its runs, the marker goes into the first touched
run and the other runs are trimmed, so the formatting of the surrounding text survives.
Text already replaced by a MERGEFIELD marker (:mod:`.fields`) is never read as typed text.
"""

from __future__ import annotations

import re

from .fields import SlotTable
from .ooxml import (
    TRANSPARENT_IN_RUN,
    W_P,
    W_RPR,
    W_T,
    XML_SPACE,
    Element,
    element_children,
    own_runs,
)
from .slots import FieldSlot
from .switches import parse_placeholder

PLACEHOLDER = re.compile(r"\{\{([^{}\x00]+)\}\}")


def compile_placeholders(root: Element, table: SlotTable) -> None:
    """Replace ``{{Name}}`` text (also split across runs) by markers, paragraph by paragraph."""
    for p in list(root.iter(W_P)):
        segments: list[tuple[Element | None, str]] = []
        for run in own_runs(p):
            for child in element_children(run):
                if child.tag == W_T:
                    text = child.text or ""
                    if table.start in text:  # an already merged field: not typed text
                        segments.append((None, "\x00"))
                    else:
                        segments.append((child, text))
                elif child.tag not in TRANSPARENT_IN_RUN:
                    segments.append((None, "\x00"))
        full = "".join(text for _, text in segments)
        if "{{" not in full:
            continue
        matches = list(PLACEHOLDER.finditer(full))
        if matches:
            _replace_placeholders(segments, matches, table)


def _replace_placeholders(
    segments: list[tuple[Element | None, str]],
    matches: list[re.Match[str]],
    table: SlotTable,
) -> None:
    starts: list[int] = []
    pos = 0
    for _, text in segments:
        starts.append(pos)
        pos += len(text)
    touched: list[Element] = []
    # Right to left, so that offsets of earlier matches stay valid.
    for m in reversed(matches):
        spec = parse_placeholder(m.group(1), m.group(0))
        if spec is None:
            continue
        first = _segment_at(starts, segments, m.start())
        last = _segment_at(starts, segments, m.end() - 1)
        t_first, t_last = segments[first][0], segments[last][0]
        assert t_first is not None and t_last is not None
        off_start = m.start() - starts[first]
        off_end = m.end() - starts[last]
        spec = table.with_language(spec, t_first.getparent().find(W_RPR), t_first)
        marker = table.marker(FieldSlot(spec, table.text_writer))
        if first == last:
            cur = t_first.text or ""
            t_first.text = cur[:off_start] + marker + cur[off_end:]
        else:
            t_first.text = (t_first.text or "")[:off_start] + marker
            for k in range(first + 1, last):
                el = segments[k][0]
                if el is not None:
                    el.text = ""
                    touched.append(el)
            t_last.text = (t_last.text or "")[off_end:]
            touched.append(t_last)
        t_first.set(XML_SPACE, "preserve")
        t_last.set(XML_SPACE, "preserve")
    for el in touched:
        _drop_if_empty(el)


def _segment_at(starts: list[int], segments: list[tuple[Element | None, str]], pos: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:  # last segment whose start <= pos and that is not empty
        mid = (lo + hi + 1) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    while len(segments[lo][1]) == 0 or starts[lo] + len(segments[lo][1]) <= pos:
        lo += 1
    return lo


def _drop_if_empty(t: Element) -> None:
    """Remove a trimmed ``w:t``; remove its run too when nothing but ``rPr`` is left."""
    if t.text:
        return
    run = t.getparent()
    if run is None:
        return
    run.remove(t)
    if all(c.tag == W_RPR for c in element_children(run)):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)
