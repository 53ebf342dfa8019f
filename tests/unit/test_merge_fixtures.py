"""Merge every third-party Word template in tests/fixtures/word (see SOURCES.md there).

All 15 fixtures contain MERGEFIELDs or ``{{ }}`` placeholders, so none is excluded.  The
docxtpl fixtures also contain Jinja ``{% %}`` tags; those are not ours and stay as text,
while their ``{{ var }}`` placeholders are merged like any other placeholder.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from lxml import etree
from merge_helpers import (
    FIXTURES,
    assert_package_consistent,
    canonical,
    counter_missing,
    open_docx,
    parts,
    python_docx_text,
    runs_with_text,
    story_parts,
    w,
    xml_text,
)

from segment_tui.merge import DocxTemplate, docx_to_text, list_fields
from tests.conftest import assert_fixtures_as_documented

FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("*.docx"))
# The annaswims fixture applies \* Upper/Lower/FirstCap/Caps: compare case-insensitively.
CASE_SWITCHED = {"annaswims-docx_mailmerge__cases_unmerged_doc.docx"}
NESTED_IF = "iulica-docx-mailmerge__test_nested_if_inside.docx"
NAME = re.compile(r'^\s*MERGEFIELD\s+(?:"([^"]+)"|(\S+))', re.IGNORECASE)
LEFTOVERS = ("MERGEFIELD", "\u00ab", "\u00bb", "{{", "}}")


def value_for(index: int) -> str:
    """A unique, nasty value: XML specials, umlaut, an emoji."""
    return f"[V{index:02d}] O'Brien & Co <x> M\u00fcller \U0001f600"


def merged(name: str) -> tuple[bytes, bytes, dict[str, str]]:
    data = (FIXTURES / name).read_bytes()
    template = DocxTemplate.from_bytes(data)
    values = {field: value_for(i) for i, field in enumerate(template.fields)}
    result = template.merge(values)
    assert result.unknown_fields == frozenset()
    return data, result.document, values


def test_fixture_set_is_complete() -> None:
    """The tests below run over exactly the documented, unmodified third-party templates: a
    file missing, renamed, added without its SOURCES.md entry or re-saved fails here."""
    assert_fixtures_as_documented(FIXTURES, "*.docx")
    assert len(FIXTURE_FILES) == 15  # the module docstring's count


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_fixture_has_fields(name: str) -> None:
    assert list_fields((FIXTURES / name).read_bytes())


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_no_field_code_or_marker_left(name: str) -> None:
    _, out, _ = merged(name)
    entries = parts(out)
    for part in story_parts(out):
        xml = entries[part].decode("utf-8")
        for token in LEFTOVERS:
            assert token not in xml, f"{token!r} left in {part}"
        assert "\ue000" not in xml and "\ue001" not in xml


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_values_intact_in_every_reader(name: str) -> None:
    _, out, values = merged(name)
    fold = name in CASE_SWITCHED

    def has(value: str, text: str) -> bool:
        return value.casefold() in text.casefold() if fold else value in text

    entries = parts(out)
    part_text = {p: xml_text(entries[p]) for p in story_parts(out)}
    preview = docx_to_text(out)
    body, headers_footers = python_docx_text(out)
    for field, value in values.items():
        where = [p for p, text in part_text.items() if has(value, text)]
        assert where, f"value of {field!r} missing"
        if "word/document.xml" in where:
            assert has(value, preview), f"{field!r} not in docx_to_text"
            assert has(value, body), f"{field!r} not in python-docx body"
        if any(re.search(r"/(header|footer)", p) for p in where):
            assert has(value, headers_footers), f"{field!r} not in python-docx headers"
        if any(p.endswith(("footnotes.xml", "endnotes.xml")) for p in where):
            assert has(value, preview), f"{field!r} (note) not in docx_to_text"


def _scan(xml: bytes) -> tuple[list[tuple[str, object]], list[tuple[str, object]], list[object]]:
    """Independent reading of a template part: (field name, rPr the value must get),
    (placeholder name, rPr of the run where ``{{`` starts), untouched text runs."""
    root = etree.fromstring(xml)
    fields: list[tuple[str, object]] = []
    stack: list[dict[str, object]] = []
    in_field: set[etree._Element] = set()
    for el in root.iter(w("r"), w("fldSimple")):
        inside_simple = any(a.tag == w("fldSimple") for a in el.iterancestors())
        if el.tag == w("fldSimple"):
            m = NAME.match(el.get(w("instr")) or "")
            first = el.find(w("r"))
            if m and not stack and first is not None:
                fields.append(((m.group(1) or m.group(2)), canonical(first.find(w("rPr")))))
            continue
        if inside_simple or stack:
            in_field.add(el)
        if inside_simple:
            continue
        fc = el.find(w("fldChar"))
        kind = fc.get(w("fldCharType")) if fc is not None else None
        if kind == "begin":
            stack.append({"instr": "", "sep": False, "rpr": None, "irpr": None})
            in_field.add(el)
        elif kind == "separate" and stack:
            stack[-1]["sep"] = True
        elif kind == "end" and stack:
            f = stack.pop()
            m = NAME.match(str(f["instr"]))
            if m and not stack:
                rpr = f["rpr"] if f["rpr"] is not None else f["irpr"]
                fields.append(((m.group(1) or m.group(2)), rpr))
        elif stack:
            top = stack[-1]
            instr = el.find(w("instrText"))
            if not top["sep"] and instr is not None:
                top["instr"] = str(top["instr"]) + (instr.text or "")
                if top["irpr"] is None:
                    top["irpr"] = canonical(el.find(w("rPr")))
            elif top["sep"] and top["rpr"] is None and el.find(w("t")) is not None:
                top["rpr"] = canonical(el.find(w("rPr")))
    placeholders: list[tuple[str, object]] = []
    touched: set[etree._Element] = set()
    for p in root.iter(w("p")):
        segs = []
        for r in p.iter(w("r")):
            if next(r.iterancestors(w("p")), None) is p:
                segs.append((r, "".join(t.text or "" for t in r.findall(w("t")))))
        full = "".join(text for _, text in segs)
        starts, pos = [], 0
        for _, text in segs:
            starts.append(pos)
            pos += len(text)
        for m in re.finditer(r"\{\{([^{}]+)\}\}", full):
            hit = [
                r
                for (r, text), s in zip(segs, starts, strict=True)
                if text and s < m.end() and s + len(text) > m.start()
            ]
            touched.update(hit)
            placeholders.append((m.group(1).strip(), canonical(hit[0].find(w("rPr")))))
    plain = [
        item
        for r in root.iter(w("r"))
        if r not in in_field and r not in touched
        for item in runs_with_text(etree.tostring(r))
        if not set(item[0]) & set("{}\u00ab\u00bb")
    ]
    return fields, placeholders, plain


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_formatting_survives(name: str) -> None:
    template, out, values = merged(name)
    tags = {f.casefold(): value_for(i).split(" ")[0].casefold() for i, f in enumerate(values)}
    src, dst = parts(template), parts(out)
    checked = 0
    for part in story_parts(template):
        fields, placeholders, plain = _scan(src[part])
        actual = runs_with_text(dst[part])
        # Text runs around the fields keep their text and formatting.
        missing = counter_missing(plain, actual)
        assert not missing, f"{part}: runs lost or reformatted: {missing}"
        # Each merged value carries the formatting of its field / first placeholder run.
        expected = Counter((n.casefold(), rpr) for n, rpr in fields + placeholders)
        got = Counter(
            (n, rpr) for text, rpr in actual for n, tag in tags.items() if tag in text.casefold()
        )
        assert not expected - got, f"{part}: value formatting differs: {expected - got}"
        checked += len(plain) + sum(expected.values())
    # The IF fixture has no plain runs and no top-level MERGEFIELD; see test_nested_if_fixture.
    assert checked > 0 or name == NESTED_IF


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_merged_fixture_opens_and_combines(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    template = DocxTemplate.from_bytes(data)
    records = [{f: f"<{f}-{i}>" for f in template.fields} for i in range(2)]
    result = template.merge_combined(records)
    assert result.unknown_fields == frozenset()
    combined = result.document
    assert_package_consistent(combined)
    assert len(open_docx(combined).sections) >= 2
    entries = parts(combined)
    text = "\n".join(xml_text(entries[p]) for p in story_parts(combined)).casefold()
    for field in template.fields:
        for i in range(2):
            assert f"<{field}-{i}>".casefold() in text, f"{field} of letter {i} missing"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("one", "- one -"), ("two", "two"), ("M\u00fcller & <Co>", "more: M\u00fcller & <Co>")],
)
def test_nested_if_fixture(value: str, expected: str) -> None:
    """{ IF {MERGEFIELD fieldname} <> "one" "{ IF {MERGEFIELD fieldname} = "two" "two"
    "more: {MERGEFIELD fieldname}" }" "- one -" } is evaluated per record; the result takes
    the formatting of the IF's first result run (bold)."""
    template = DocxTemplate.from_bytes((FIXTURES / NESTED_IF).read_bytes())
    result = template.merge({"fieldname": value})
    runs = runs_with_text(parts(result.document)["word/document.xml"])
    assert [text for text, _ in runs] == [expected]
    assert any(tag == w("b") for tag, _ in runs[0][1])
    assert "fldChar" not in parts(result.document)["word/document.xml"].decode()
