"""Path converters. `<int32:name>` is Django's `<int:…>` bounded to nine digits, so a number no database column
holds (PostgreSQL's `integer`, SQLite's 64-bit integer) answers 404 like any unknown address instead of failing
in the database. Row ids and version numbers in page addresses stay far below 10⁹."""

from __future__ import annotations


class Int32Converter:
    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
