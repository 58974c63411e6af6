"""Provides rule SEC020: Personal data committed."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from mlaudit.model import FileKind, Severity
from mlaudit.project import Project
from mlaudit.registry import Hit, Output, Rule, register
from mlaudit.rules.security._shared import is_fixture_path

PII_COLUMNS = {
    "email": "email",
    "e_mail": "email",
    "email_address": "email",
    "phone": "phone",
    "phone_number": "phone",
    "mobile_number": "phone",
    "telephone": "phone",
    "ssn": "ssn",
    "social_security_number": "ssn",
    "address": "address",
    "street_address": "address",
    "home_address": "address",
    "date_of_birth": "date_of_birth",
    "dob": "date_of_birth",
    "birth_date": "date_of_birth",
    "birthdate": "date_of_birth",
    "credit_card": "credit_card",
    "credit_card_number": "credit_card",
    "card_number": "credit_card",
    "ip_address": "ip_address",
    "passport_number": "passport",
}


PII_PARQUET_NAMES = re.compile(
    r"(?i)(?:^|[_\-.])(?:customers?|patients?|users?_pii|pii|personal_data|contacts)(?:[_\-.]|$)"
)


def _normalise(column: str) -> str:
    return re.sub(r"[\s\-]+", "_", column.strip().strip("\"'").lower())


# A JSON object with at least this many keys, each holding a plain value, is a lookup table (a vocabulary, a code
# list): its keys are its entries (`"ssn": "Waata"` in a language table, `"email": 3190` in a vocab), not fields.
LOOKUP_TABLE_KEYS = 50


def header_columns(path: str, text: str) -> list[str]:
    """Return a data file's column names: CSV/TSV header, or the keys of the first JSON record (none for a lookup
    table: a top-level object of many keys each holding a plain value)."""
    if path.endswith((".csv", ".tsv")):
        first = text.split("\n", 1)[0]
        delimiter = "\t" if path.endswith(".tsv") or "\t" in first else ","
        return next(csv.reader([first], delimiter=delimiter), [])
    first_record = text.lstrip().split("\n", 1)[0] if path.endswith((".jsonl", ".ndjson")) else text
    try:
        data = json.loads(first_record)
    except ValueError:
        return []
    if isinstance(data, dict) and _lookup_table(data):
        return []
    if isinstance(data, list) and data:
        data = data[0]
    return [str(k) for k in data] if isinstance(data, dict) else []


def _lookup_table(data: dict[object, object]) -> bool:
    """Return True for a top-level object of many keys each mapping to a plain value (a vocabulary, a code list)."""
    plain = (str, int, float, bool, type(None))
    return len(data) >= LOOKUP_TABLE_KEYS and all(isinstance(v, plain) for v in data.values())


def pii_columns(columns: Iterable[str]) -> list[str]:
    """Return the personal-data columns among `columns` (first_name only with last_name)."""
    normal = {_normalise(c) for c in columns}
    found = sorted({PII_COLUMNS[c] for c in normal if c in PII_COLUMNS})
    if {"first_name", "last_name"} <= normal:
        found.append("first_name+last_name")
    return found


@register
class PersonalDataCommitted(Rule):
    """Flags data files in the repository whose columns hold personal data.

    ## What it does
    Reads the header of CSV/TSV files and the keys of JSON/JSONL records and flags columns
    such as email, phone, ssn, address, date_of_birth, first_name+last_name, credit_card
    and ip_address. A top-level JSON object of 50 or more keys each holding a plain value is a lookup table
    (a tokenizer's `vocab.json`, a table of language codes where `"ssn"` names a language): its keys are its
    entries, not fields of a record. Parquet files are judged by name only (customers, patients, pii). A table with a header and no
    rows (`user-import.csv: Name,Email,Password,Role`, an import template) holds no one's data.

    ## Why is this bad?
    Personal data in git is copied to every clone and fork and cannot be deleted on request,
    which breaks GDPR/CCPA obligations and data-sharing agreements.

    ## Example
    ```text
    data/customers.csv: customer_id,name,email,phone,date_of_birth,churned
    ```

    ## Use instead
    ```text
    Keep raw data in access-controlled storage (DVC remote, bucket); commit only
    synthetic or pseudonymised samples (hashed ids, no contact fields).
    ```
    """

    code = "SEC020"
    scoring = "flat"
    title = "Personal data committed"
    practice = "security"
    severity = Severity.WARNING
    fix = "Remove the file from git (and history), store it in access-controlled storage, commit synthetic samples."
    weight = 10
    cap = 25

    def check(self, project: Project) -> Iterator[Output]:
        tracked = project.tracked
        for source in project.of_kind(FileKind.DATA):
            if tracked is not None and source.path not in tracked:
                continue
            hit = self._judge(project, source.path)
            if hit is not None:
                yield hit

    def _judge(self, project: Project, path: str) -> Hit | None:
        severity = Severity.INFO if is_fixture_path(path) else None
        if path.endswith((".parquet", ".pq")):
            if PII_PARQUET_NAMES.search(PurePosixPath(path).stem):
                return Hit(path, None, f"{path} looks like personal data (by its name)", severity=Severity.INFO)
            return None
        text = project.text(path) or ""
        columns = pii_columns(header_columns(path, text))
        if not columns or (path.endswith((".csv", ".tsv")) and _header_only(text)):
            return None  # `Name,Email,Password,Role` and nothing under it: an import template, no one's data
        return Hit(path, 1, f"{path} has personal-data columns: {', '.join(columns)}", severity=severity)


def _header_only(text: str) -> bool:
    """Return True for a table with a header and no row under it."""
    return not any(line.strip(" \t,;") for line in text.splitlines()[1:])
