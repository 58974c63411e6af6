"""Tests of rule SEC020 (`mlaudit/rules/security/sec020_personal_data_committed.py`)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import findings, write_tree


def test_sec020_csv_and_json_with_personal_columns(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "data/customers.csv": "customer_id,name,email,phone,date_of_birth,churned\nC1,A,a@x.example,1,1950-01-01,1\n",
            "data/users.jsonl": '{"id": 1, "first_name": "A", "last_name": "B", "ip_address": "10.0.0.1"}\n',
        },
    )
    hits = {f.path: f.message for f in findings(tmp_path, "SEC020")}
    assert "date_of_birth, email, phone" in hits["data/customers.csv"]
    assert "first_name+last_name" in hits["data/users.jsonl"] and "ip_address" in hits["data/users.jsonl"]


def test_sec020_silent_on_feature_tables(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "data/train.csv": "user_id,tenure,monthly_charges,first_name_length,churned\n1,3,20.5,4,0\n",
            "data/items.json": '[{"item_id": 1, "title": "x", "category": "y"}]',
        },
    )
    assert findings(tmp_path, "SEC020") == []


def test_sec020_a_header_with_no_rows_is_an_import_template(tmp_path: Path) -> None:
    """`Name,Email,Password,Role` and nothing under it shows users how to fill an import: no one's data.
    Look-alike: the same header with one row is personal data."""
    write_tree(tmp_path / "a", {"static/user-import.csv": "Name,Email,Password,Role\n"})
    assert findings(tmp_path / "a", "SEC020") == []
    write_tree(tmp_path / "b", {"static/user-import.csv": "Name,Email,Password,Role\nAda,ada@x.example,pw,admin\n"})
    assert [f.path for f in findings(tmp_path / "b", "SEC020")] == ["static/user-import.csv"]


def test_sec020_a_large_flat_object_is_a_lookup_table(tmp_path: Path) -> None:
    """A tokenizer vocabulary or a table of codes keys its entries (`"email": 3190`, `"ssn": "Waata"`): no field
    of anyone's record. Look-alikes: a small object (one person's profile) and a list of wide records still fire."""
    words = [f"word{i}" for i in range(60)]
    vocab = {w: i for i, w in enumerate([*words, "email", "phone", "address"])}
    codes = {w: f"Language {i}" for i, w in enumerate([*words, "ssn", "dob"])}
    write_tree(tmp_path / "a", {"tokenizer/vocab.json": json.dumps(vocab), "data/languages.json": json.dumps(codes)})
    assert findings(tmp_path / "a", "SEC020") == []
    profile = {"name": "Ada", "email": "ada@x.example", "phone": "555-0100"}
    wide = [{**{w: 1 for w in words}, "email": "ada@x.example"}]
    write_tree(tmp_path / "b", {"data/profile.json": json.dumps(profile), "data/wide.json": json.dumps(wide)})
    assert sorted(str(f.path) for f in findings(tmp_path / "b", "SEC020")) == ["data/profile.json", "data/wide.json"]
