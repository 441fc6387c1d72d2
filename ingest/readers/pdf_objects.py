"""pdfplumber's conversion of a page's layout objects to dicts, done with less work per character.

Why: reading a disclosure is mostly pdfminer interpreting the page and pdfplumber turning every glyph
into a dict (profiled on the city samples, 2026-12-07: ``Page.process_object`` was ~23% of reading a
PDF). pdfplumber 0.11.10 runs each attribute of each character through ``resolve_all`` (a recursive
walk) although nearly all of them are plain floats, strings or tuples of floats. ``process_object``
below returns the same dict (same keys in the same order, equal values; ``tests/test_pdf_objects.py``
compares every object of sample pages) and falls back to ``resolve_all`` for anything not plain.
It replaces the method only for the pdfplumber version it was written against.
"""

from __future__ import annotations

from unicodedata import normalize as normalize_unicode

import pdfplumber
from pdfminer.layout import LTChar, LTCurve, LTTextContainer
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes, lt_pat
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

VERSION = "0.11.10"  # the pdfplumber whose Page.process_object this reproduces
_PLAIN = (float, int, str, bool, type(None))
_KINDS: dict[type, str] = {}
ORIGINAL = Page.process_object


def _plain(v: object) -> bool:
    t = type(v)
    return t in _PLAIN or (t is tuple and all(type(e) in _PLAIN for e in v))  # type: ignore[union-attr]


def _kind(cls: type) -> str:
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = lt_pat.sub("", cls.__name__).lower()
    return kind


def process_object(self: Page, obj) -> dict:  # type: ignore[no-untyped-def]
    """``Page.process_object`` of pdfplumber 0.11.10, with plain attribute values taken as they are."""
    attr = {k: (v if _plain(v) else resolve_all(v)) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
    attr["object_type"] = _kind(obj.__class__)
    attr["page_number"] = self.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = resolve_and_decode(getattr(obj, cs).name)
    if isinstance(obj, LTChar):
        _char(self, obj, attr)
    elif isinstance(obj, LTTextContainer):
        _text(self, obj, attr)
    elif isinstance(obj, LTCurve):
        attr["pts"] = list(map(self.point2coord, attr["pts"]))
        attr["path"] = [(cmd, *map(self.point2coord, pts)) for cmd, *pts in obj.original_path]
        attr["dash"] = obj.dashing_style
    mb_x0, mb_top = self.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (self.height - attr["y1"]) + mb_top
        attr["bottom"] = (self.height - attr["y0"]) + mb_top
        attr["doctop"] = self.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


def _text(self: Page, obj, attr: dict) -> None:  # type: ignore[no-untyped-def]
    text = obj.get_text()
    norm = self.pdf.unicode_norm
    attr["text"] = normalize_unicode(norm, text) if norm is not None else text


def _char(self: Page, obj, attr: dict) -> None:  # type: ignore[no-untyped-def]
    _text(self, obj, attr)
    gs = obj.graphicstate
    attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
    attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
    if isinstance(attr["fontname"], bytes):  # pragma: no cover - rare byte-encoded font names
        attr["fontname"] = fix_fontname_bytes(attr["fontname"])


def install() -> bool:
    """Use the lighter conversion when pdfplumber is the version it reproduces; True when installed."""
    if pdfplumber.__version__ != VERSION:
        return False
    Page.process_object = process_object  # type: ignore[method-assign]
    return True
