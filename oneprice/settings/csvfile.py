"""Reading a CSV the user made (catalog, listings): every fault named by file, line and column.

Spreadsheets save CSV in many shapes. Read here: UTF-8 with or without a BOM, any line ends,
header names in any case and with stray spaces, blank rows (skipped). Refused, with the line:
another encoding (GBK/GB18030 is named as such), a workbook saved under a .csv name, rows with
more or fewer fields than the header, a quote left open (it would swallow the rows after it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oneprice.errors import Problem

_BINARY_MAGIC = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) or another zip file",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (.xls)",
    b"%PDF": "a PDF document",
}


@dataclass(frozen=True)
class CsvRow:
    """One data row: the line it starts on, and its fields by (normalised) column name."""

    line: int
    fields: dict[str, str]


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            problems.append(Problem(file, None, "", f"this is {what}, not CSV text; save it as 'CSV UTF-8'"))
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(file, 1, "", "the file is UTF-16 text; save it as 'CSV UTF-8'"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        hint = "save it as 'CSV UTF-8'"
        try:
            data.decode("gb18030")
            hint = "it looks like GBK/GB18030 (Excel's default on Chinese Windows); " + hint
        except UnicodeDecodeError:
            pass
        problems.append(Problem(file, line, "", f"not UTF-8 text (byte 0x{data[e.start]:02x}); {hint}"))
        return None


def read_csv(path: Path, problems: list[Problem], *, what: str = "CSV file") -> tuple[list[str], list[CsvRow]] | None:
    """The header (stripped, lower case) and the data rows of `path`; None when it cannot be read.

    Problems go to `problems`; rows with a problem are left out of the result, so a caller
    that finds `problems` grew must not act on a partial file.
    """
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        problems.append(Problem(file, None, "", f"cannot read {what}: {e.strerror or e}"))
        return None
    text = _decode(data, file, problems)
    if text is None:
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(file, line, "", "the file holds NUL bytes: not a CSV text file"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: Iterator[list[str]] = iter(reader)
    header: list[str] | None = None
    out: list[CsvRow] = []
    end = 0  # the last line of the previous record
    while True:
        try:
            record = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            hint = " (is a closing '\"' missing?)" if "quote" in str(e) or "end of data" in str(e) else ""
            problems.append(Problem(file, end + 1, "", f"unreadable CSV record starting on this line: {e}{hint}"))
            return None
        start, end = end + 1, reader.line_num
        if end > start and any("\n" in v or "\r" in v for v in record):
            problems.append(
                Problem(file, start, "", f"a quoted field runs from line {start} to {end}: is a closing '\"' missing?")
            )
            return None
        if not any(v.strip() for v in record):
            continue  # blank row, or only separators
        if header is None:
            header = [h.strip().lower() for h in record]
            seen: set[str] = set()
            for h in header:
                if h in seen:
                    problems.append(Problem(file, start, h, "the column appears twice in the header"))
                seen.add(h)
            if len(header) == 1 and ";" in header[0]:
                problems.append(Problem(file, start, "", "columns are separated by ';': save the file with ','"))
                return None
            continue
        if len(record) != len(header):
            more = "more" if len(record) > len(header) else "fewer"
            problems.append(
                Problem(file, start, "", f"{more} fields than columns ({len(record)}; the header has {len(header)})")
            )
            continue
        out.append(CsvRow(start, {h: v.strip() for h, v in zip(header, record, strict=True) if h}))
    if header is None:
        problems.append(Problem(file, None, "", f"the {what} is empty (no header row)"))
        return None
    return header, out
