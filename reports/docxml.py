"""The few WordprocessingML elements python-docx has no API for, written by hand in the schema's order
(Word refuses a document whose elements are out of order): character spacing, snap-to-grid, a paragraph's
bottom rule, mirrored margins, a repeated table header row and the PAGE field."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

# w:pPr's children in the schema's order
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
# w:rPr's children that come after w:spacing
_AFTER_RPR_SPACING = [
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
]
# w:settings' children that come before w:mirrorMargins
_BEFORE_MIRROR = {
    qn(f"w:{tag}")
    for tag in [
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
        "embedTrueTypeFonts",
        "embedSystemFonts",
        "saveSubsetFonts",
        "saveFormsData",
    ]
}


def element(tag: str, **attrs: str):
    made = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        made.set(qn(f"w:{key}"), value)
    return made


def character_spacing(r_pr, twips: int) -> None:
    """w:spacing in a run's or a style's w:rPr: each character closer (negative) or further apart."""
    r_pr.insert_element_before(element("spacing", val=str(twips)), *(f"w:{t}" for t in _AFTER_RPR_SPACING))


def no_grid(p: Paragraph) -> None:
    """Off the document grid: text larger or smaller than the body keeps its own spacing."""
    _into_ppr(p, element("snapToGrid", val="0"))


def bottom_rule(p: Paragraph, color: str, eighths_of_a_point: int, space_pt: int) -> None:
    """A rule under the paragraph (the red line of a 版头)."""
    borders = element("pBdr")
    borders.append(
        element("bottom", val="single", sz=str(eighths_of_a_point), space=str(space_pt), color=color)
    )
    _into_ppr(p, borders)


def mirror_margins(settings) -> None:
    """Inner and outer margins swap on even pages, so the 订口 is always at the binding."""
    mirror = element("mirrorMargins")
    for index, child in enumerate(settings):
        if child.tag not in _BEFORE_MIRROR:
            settings.insert(index, mirror)
            return
    settings.append(mirror)


def repeat_header(row) -> None:
    """The table row is repeated at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(element("tblHeader"))


def page_field(runs) -> None:
    """A PAGE field across five runs made by the caller in its font: begin, the instruction, separate, a
    placeholder 1 (Word and LibreOffice put the real number there), end."""
    begin, instruction, separate, placeholder, end = runs
    begin._r.append(element("fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instruction._r.append(instr)
    separate._r.append(element("fldChar", fldCharType="separate"))
    placeholder.text = "1"
    end._r.append(element("fldChar", fldCharType="end"))


def _into_ppr(p: Paragraph, made) -> None:
    tag = made.tag.split("}")[1]
    later = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
    p._p.get_or_add_pPr().insert_element_before(made, *(f"w:{t}" for t in later))
