"""Bounded decompressed work for a PDF, checked before any page is laid out.

Why: a PDF's size says little about its work. An 82 KB file whose one Flate stream inflates to 3 million
path operations kept pdfplumber busy for 230 s and 9.1 GB before it was refused. Here every page's content
streams (and the form XObjects it draws) are inflated with a ceiling and their operators counted, in C
(zlib, re), so such a page is refused in a second with the limit in words and nothing is laid out.
"""

from __future__ import annotations

import io
import re
import zlib
from itertools import islice

from ingest.limits import LIMITS, Limits, words
from ingest.model import IngestError

# An operator: 1-3 letters (or ' " *) standing alone; names (/F1), numbers and hex strings are not.
_OPERATOR = re.compile(rb"(?<![A-Za-z0-9_./\\#])[A-Za-z'\"][A-Za-z*0-9]{0,2}(?![A-Za-z0-9_])")
_FORM_DEPTH = 3  # forms drawing forms: deeper nesting is not followed


def _inflate(stream, limit: int) -> bytes:  # type: ignore[no-untyped-def]
    """A content stream's bytes, never more than ``limit`` + 1 of them (Flate inflated with a ceiling;
    a damaged one yields what inflates, as pdfminer does)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    raw = stream.rawdata
    if raw is None:  # already decoded by pdfminer
        return (stream.data or b"")[: limit + 1]
    if stream.decipher:  # an owner-password PDF: its streams are encrypted with the empty user password
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    filters = [f for f, _ in stream.get_filters()]
    if not filters:
        return raw[: limit + 1]
    if len(filters) > 1 or filters[0] not in LITERALS_FLATE_DECODE:
        return stream.get_data()[: limit + 1]  # ASCII85, LZW …: pdfminer's own decoders
    inflater, out, size = zlib.decompressobj(), [], 0
    try:
        for i in range(0, len(raw), 1 << 16):
            chunk = inflater.decompress(raw[i : i + (1 << 16)], limit + 1 - size)
            out.append(chunk)
            size += len(chunk)
            while size <= limit and inflater.unconsumed_tail:
                chunk = inflater.decompress(inflater.unconsumed_tail, limit + 1 - size)
                out.append(chunk)
                size += len(chunk)
            if size > limit:
                break
    except zlib.error:
        pass
    return b"".join(out)


def _streams(page) -> list:  # type: ignore[no-untyped-def]
    from pdfminer.pdftypes import PDFStream, resolve1

    return [s for s in (resolve1(c) for c in page.contents or []) if isinstance(s, PDFStream)]


def _forms(resources, depth: int, seen: set[int]):  # type: ignore[no-untyped-def]
    """Form XObjects a page (or a form) can draw, each once, nested up to _FORM_DEPTH."""
    from pdfminer.pdftypes import PDFStream, resolve1

    res = resolve1(resources)
    xobjects = resolve1(res.get("XObject")) if isinstance(res, dict) else None
    for obj in (xobjects or {}).values():
        form = resolve1(obj)
        if not isinstance(form, PDFStream) or id(form) in seen or "Form" not in str(form.get("Subtype")):
            continue
        seen.add(id(form))
        yield form
        if depth < _FORM_DEPTH:
            yield from _forms(form.get("Resources"), depth + 1, seen)


def check_page(page, page_no: int, name: str,  # type: ignore[no-untyped-def]
               limits: Limits = LIMITS) -> None:
    """Refuse a page whose content would be unbounded work: a stream over the byte limit, or more
    operations than a page may hold."""
    ops = 0
    for stream in _streams(page) + list(_forms(page.resources, 1, set())):
        data = _inflate(stream, limits.max_stream_bytes)
        if len(data) > limits.max_stream_bytes:
            raise IngestError(f"{name}: page {page_no} has a content stream over "
                              f"{words(limits.max_stream_bytes)} once decompressed (the limit per stream); "
                              "nothing was read")
        ops += sum(1 for _ in islice(_OPERATOR.finditer(data), limits.max_page_ops - ops + 1))
        if ops > limits.max_page_ops:
            raise IngestError(f"{name}: page {page_no} draws more than {limits.max_page_ops:,} operations "
                              "(the limit per page); nothing was read")


def check_content(data: bytes, name: str, limits: Limits = LIMITS) -> None:
    """Every page's decompressed content within the limits, or an IngestError naming the page and limit.

    A file pdfminer cannot parse passes: the reader refuses it in its own words."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        pages = PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data))))
        for i, page in enumerate(pages, 1):
            check_page(page, i, name, limits)
            if i >= limits.max_pages:
                return
    except IngestError:
        raise
    except Exception:  # damaged or encrypted: read_pdf says why
        return


def needs_password(data: bytes) -> bool:
    """Whether the PDF is encrypted with a user password (it cannot be opened without one). One protected
    only by an owner password opens with the empty password and is read like any other."""
    if b"/Encrypt" not in data[-4096:] and b"/Encrypt" not in data[:4096]:
        return False
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        return True
    except Exception:  # damaged, or a security handler pdfminer does not know: cannot be opened as is
        return True
    return False
