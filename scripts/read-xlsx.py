#!/usr/bin/env python3
"""Reads an XLSX workbook with openpyxl (an independent reader) and prints its sheets as
JSON: [{"name", "rows": [[cell, ...], ...]}, ...], the header row first.

Usage: read-xlsx.py FILE.xlsx (run with the test command's virtual environment, where
openpyxl is installed)."""
import json
import sys

from openpyxl import load_workbook

book = load_workbook(sys.argv[1], read_only=True, data_only=False)
sheets = []
for sheet in book.worksheets:
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    sheets.append({"name": sheet.title, "rows": rows})
print(json.dumps(sheets, ensure_ascii=False, default=str))
