"""The normalized search text of the public registry: lowercased and accent-stripped."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """`Société Générale  S.A.` → `societe generale s.a.`: NFKD, combining marks dropped, casefolded,
    whitespace collapsed. The service stores it; the registry applies the same to the query."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_text(number: str, holder_name: str) -> str:
    return f"{normalize(number)} {normalize(holder_name)}"
