"""What a reader is: the file types it takes, how it knows their content, how it reads one file.

Why an object: the supported types, their size limits, the upload accept list, which files are worth a
reading process and every "unsupported type" message are derived from the registered readers
(``ingest.readers.READERS``), so a new reader (HTML tables, OCR) is one module and one line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.limits import check_size, enforce, read_bounded, words
from ingest.model import IngestError, ParsedDocument

SNIFF_BYTES = 4096  # what a sniff sees: the head of the file


@dataclass(frozen=True)
class Reader:
    """One file type. ``parse`` gets the file's bytes, already bounded by ``max_bytes``.

    ``sniff(head)`` says whether the first bytes are this type's content; ``magic`` readers (PDF, zip)
    recognise a signature and are asked before the text reader, which takes whatever is not binary.
    ``cites`` is what a citation points into: "pages" (rendered as an image), "lines" (quoted) or "cells".
    """

    name: str
    suffixes: tuple[str, ...]
    max_bytes: int
    sniff: Callable[[bytes], bool]
    parse: Callable[[Path, bytes], ParsedDocument]
    magic: bool = True
    heavy: bool = True  # worth a reading process (seconds of CPU per file); text reads faster than one starts
    cites: str = "pages"

    def takes(self, path: Path) -> bool:
        return Path(path).suffix.lower() in self.suffixes

    def read(self, path: Path, readers: tuple[Reader, ...] = ()) -> ParsedDocument:
        """Read one file: its size checked before a byte is read, its content checked against its name.

        A file whose content is another registered type (a PDF saved as .txt) is read by that type's
        reader, with a warning, when it is within that reader's size limit too."""
        path = Path(path)
        check_size(path, self.max_bytes)  # before reading: a file over the limit costs nothing
        data = read_bounded(path, self.max_bytes)
        if not data.strip():
            raise IngestError(f"{path.name}: the file is empty")
        reader = self if self.sniff(data[:SNIFF_BYTES]) else claimed(data, readers) or self
        if reader is self:
            return enforce(self.parse(path, data))
        if len(data) > reader.max_bytes:
            raise IngestError(f"{path.name}: holds {reader.name} content, over the {words(reader.max_bytes)} "
                              f"limit for {reader.name}")
        parsed = reader.parse(path, data)
        parsed.warnings.insert(0, f"its name ends in {path.suffix.lower()} but it holds {reader.name} "
                                  f"content; read as {reader.name}")
        return enforce(parsed)


def claimed(data: bytes, readers: tuple[Reader, ...]) -> Reader | None:
    """The reader whose content this is: signatures first, then the text reader's test."""
    head = data[:SNIFF_BYTES]
    ordered = sorted(readers, key=lambda r: not r.magic)
    return next((r for r in ordered if r.sniff(head)), None)
