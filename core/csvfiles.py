"""CSV files as people have them: saved by Excel on Windows (cp1252, a BOM), with semicolons where the decimal mark is a
comma (most of Europe), tabs from other tools, and cells that span lines. Every import reads them here, so that
customers and every module's records are read the same way. Public as `crm.read_csv_file`, `crm.read_csv_text`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

DELIMITERS = ",;\t|"


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was in: UTF-8 (with or without a BOM) when it is that, otherwise what
    charset-normalizer finds most likely (cp1252 for a Western European Excel file)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("the file is not text in any encoding we recognise; save it as CSV (UTF-8)")
    return str(best), best.encoding


def dialect_of(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The delimiter and quoting of `text`, from its first lines; plain commas when nothing else fits."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel


def read_csv_text(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the records of a CSV text (a record may span lines: a quoted cell with line breaks is one)."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect_of(text))
    rows = list(reader)
    return [h.strip() if isinstance(h, str) else h for h in reader.fieldnames or []], [
        {(k.strip() if isinstance(k, str) else k): v for k, v in row.items()} for row in rows]


def read_csv_file(path: Path) -> tuple[list[str], list[dict[str, str]], str]:
    """`read_csv_text` of a file in whatever encoding it was saved, and that encoding."""
    text, encoding = decode(Path(path).read_bytes())
    headers, rows = read_csv_text(text)
    return headers, rows, encoding


def write_rejections(path: Path, rejected) -> None:
    """Every rejected row of an import with each of its problems, as CSV (row, field, code, message)."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "field", "code", "message"])
        for row, errors in rejected:
            for error in errors:
                writer.writerow([row, error.field or "", error.code, error.message])
