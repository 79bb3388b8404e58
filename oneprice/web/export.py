"""CSV and XLSX downloads of any filtered list; cells that a spreadsheet would run as a formula are defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from fastapi.responses import Response, StreamingResponse

from oneprice.render import csv_safe, write_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def defuse(text: str) -> str:
    """Text a spreadsheet shows as text: a leading `'` when it could start a formula."""
    return str(csv_safe(text))


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal):
        return str(value)  # a number, never a formula: -12.50 stays -12.50
    return defuse(str(value))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    def lines() -> Iterable[str]:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        out.write("\ufeff")  # a BOM, so spreadsheet programs read the Chinese text as UTF-8
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            if out.tell() > 64_000:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    out = io.BytesIO()
    write_xlsx(out, {filename: (header, rows)})
    return Response(
        out.getvalue(),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
    )


def download(fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    return xlsx_response(filename, header, rows) if fmt == "xlsx" else csv_response(filename, header, rows)
