"""The layout of a formal document (公文) per GB/T 9704-2012, with python-docx: A4, 天头 37 mm and 订口 28 mm
(mirrored for double-sided printing), a 156 × 225 mm 版心 of 22 lines of 28 characters in 3号 仿宋_GB2312;
title 2号 方正小标宋简体; headings 黑体 (一、) and 楷体_GB2312 (（一）); page numbers 4号 宋体 “— 1 —” at the
outer bottom (odd pages right, even pages left). What python-docx has no API for is in reports/docxml.py;
East-Asian font names (w:eastAsia) are set here."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.docxml import bottom_rule, character_spacing, mirror_margins, no_grid, page_field, repeat_header

TITLE_FONT, BODY_FONT, HEI, KAI, SONG = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
LINES, CHARS = 22, 28
LINE = Emu(int(TEXT_HEIGHT / LINES) - 1270)  # a hair under 225/22 mm, so 22 lines surely fit
# 28 characters of 16 pt are 448 pt, the 版心 is 442 pt wide: each character gives up 0.25 pt (5 twips)
CONDENSE = -5
PITCH = Pt(SIZE_3.pt + CONDENSE / 20)  # one body character, for indents
RED = RGBColor(0xE6, 0x00, 0x12)


def new_document(title: str) -> DocumentType:
    """An empty A4 document with the 公文 page, grid, body style, headings and page numbers."""
    doc = Document()
    doc.core_properties.title = title
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(297 - 37 - 225)
    section.left_margin, section.right_margin = Mm(28), Mm(210 - 28 - 156)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    _grid(section._sectPr)
    mirror_margins(doc.settings.element)
    _defaults(doc)
    _page_numbers(doc)
    return doc


def save(doc: DocumentType) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def set_fonts(r_pr_owner, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts of a run or style for every script: w:eastAsia is what Word and WPS use for Chinese
    (python-docx's font.name sets only the Latin ones), and theme fonts, which would override, are cleared."""
    fonts = r_pr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def paragraph(
    doc, text: str = "", *, font: str = BODY_FONT, size=SIZE_3, indent: bool = True, align=None
) -> Paragraph:
    """A body paragraph: 3号 仿宋 with a two-character first-line indent, unless told otherwise."""
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = 2 * PITCH
    if align is not None:
        p.alignment = align
    if text:
        run(p, text, font, size)
    return p


def run(p: Paragraph, text: str, font: str = BODY_FONT, size=SIZE_3, color: RGBColor | None = None):
    r = p.add_run(text)
    set_fonts(r._r, font)
    r.font.size = size
    if size == SIZE_3:
        character_spacing(r._r.get_or_add_rPr(), CONDENSE)
    if color is not None:
        r.font.color.rgb = color
    return r


def title(doc, lines: list[str]) -> Paragraph:
    """The title: 2号 方正小标宋简体, centred, broken where the words allow (GB/T: 回行时词意完整)."""
    p = doc.add_paragraph(style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(lines):
        r = run(p, line, TITLE_FONT, SIZE_2)
        if i < len(lines) - 1:
            r.add_break()
    p.paragraph_format.line_spacing = Pt(35)
    no_grid(p)
    return p


def heading(doc, text: str, level: int) -> Paragraph:
    """一、 in 黑体 (level 1) or （一） in 楷体_GB2312 (level 2), 3号, indented like the body."""
    p = doc.add_paragraph(text, style=f"Heading {level}")
    p.paragraph_format.first_line_indent = 2 * PITCH
    return p


def letterhead(doc, issuer: str, number: str) -> None:
    """The 版头: the issuer in red 方正小标宋简体, the 文号 centred below it, then the red rule."""
    size = Pt(min(36, max(16, int(TEXT_WIDTH.pt / max(len(issuer), 1) * 0.95))))
    mark = paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    run(mark, issuer, TITLE_FONT, size, RED)
    mark.paragraph_format.space_before = Mm(25)
    mark.paragraph_format.space_after = Pt(2 * LINE.pt)
    mark.paragraph_format.line_spacing = Pt(size.pt * 1.3)
    no_grid(mark)
    p = paragraph(doc, number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    bottom_rule(p, str(RED), 12, 11)
    p.paragraph_format.space_after = Pt(2 * LINE.pt)


def table(doc, headers: list[str], rows: list[list[str]], widths_mm: list[float]) -> Table:
    """A ruled table in 5号 仿宋 (headers 黑体), centred, its header row repeated on every page."""
    t = doc.add_table(rows=1 + len(rows), cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, width in zip(t.columns, widths_mm, strict=True):
        column.width = Mm(width)  # w:gridCol, which LibreOffice reads (Word reads each cell's w:tcW)
    for r, (row, values) in enumerate(zip(t.rows, [headers, *rows], strict=True)):
        for cell, value, width in zip(row.cells, values, widths_mm, strict=True):  # t.cell() is slow
            cell.width = Mm(width)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = 0
            p.paragraph_format.line_spacing = Pt(15)
            no_grid(p)
            run(p, str(value), HEI if r == 0 else BODY_FONT, SIZE_5)
    repeat_header(t.rows[0])
    return t


def _grid(sect_pr) -> None:
    """22 lines to the page: a line grid at the body's pitch. Not Word's character grid: LibreOffice lays
    3号 text out on it two cells a character; the 28 characters come from CONDENSE instead."""
    grid = sect_pr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))


def _defaults(doc) -> None:
    """The body style (3号 仿宋_GB2312, exact line pitch, justified), headings, and the document defaults."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag, value in (("sz", "32"), ("szCs", "32")):  # the grid's pitch is reckoned from the default size
        r_pr.find(qn(f"w:{tag}")).set(qn("w:val"), value)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    for key, value in (("after", "0"), ("line", str(round(LINE.pt * 20))), ("lineRule", "exact")):
        spacing.set(qn(f"w:{key}"), value)
    normal = doc.styles["Normal"]
    set_fonts(normal.element, BODY_FONT)
    normal.font.size = SIZE_3
    fmt = normal.paragraph_format
    fmt.line_spacing, fmt.space_before, fmt.space_after = LINE, Pt(0), Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False
    for name, font in (("Heading 1", HEI), ("Heading 2", KAI), ("Title", TITLE_FONT)):
        style = doc.styles[name]
        set_fonts(style.element, font)
        style.font.size, style.font.bold, style.font.italic = SIZE_3, False, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        r_pr = style.element.get_or_add_rPr()
        if name == "Title":  # the template's Title is spaced out and larger
            style.font.size = SIZE_2
            r_pr.remove(r_pr.find(qn("w:spacing")))
        else:
            character_spacing(r_pr, CONDENSE)
        pf = style.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(0), LINE
        pf.keep_with_next = name != "Title"
        borders = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
        if borders is not None:  # the template's Title has a rule under it
            style.element.pPr.remove(borders)


def _page_numbers(doc) -> None:
    """“— N —” in 4号 宋体 (half-width digits) one character in from the outer edge: odd pages on the
    right, even pages on the left (w:evenAndOddHeaders)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.right_indent, fmt.left_indent = (
            (SIZE_4, None) if align == WD_ALIGN_PARAGRAPH.RIGHT else (None, SIZE_4)
        )
        fmt.first_line_indent, fmt.line_spacing = 0, Pt(20)
        no_grid(p)
        run(p, "— ", SONG, SIZE_4)
        page_field([run(p, "", SONG, SIZE_4) for _ in range(5)])
        run(p, " —", SONG, SIZE_4)
