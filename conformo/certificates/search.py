"""The normalized search text of the public registry (lowercased, accent-stripped) and its words."""

from __future__ import annotations

import re
import unicodedata

# What separates two words of the search text, spelled so that Python's `re` and PostgreSQL's regular
# expressions read it the same, whatever the database locale: ASCII other than letters and digits (spaces,
# hyphens, dots, slashes…), Latin-1 punctuation and symbols (no-break space, «», ×, ÷…), general punctuation
# (en/em dashes, curly quotes, thin spaces…) and CJK punctuation. Every other character belongs to a word.
# Migration certificates 0004 indexes the prefixes, up to PREFIX_LENGTH characters, of the words of
# `search_text` split by this class (PostgreSQL GIN).
WORD_SEPARATORS = r"[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\xd7\xf7\u2000-\u206f\u3000-\u303f]"
PREFIX_LENGTH = 20
_SPLIT = re.compile(WORD_SEPARATORS + "+")


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


def search_words(text: str) -> list[str]:
    """The words of a query or a search text, normalized, in order, without repeats:
    `NBC-2026  Acmé` → `["nbc", "2026", "acme"]`."""
    return list(dict.fromkeys(w for w in _SPLIT.split(normalize(text)) if w))


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def prefixes_tsquery(words: list[str]) -> str:
    """The tsquery text, against the indexed prefixes of the words, of rows with a word starting with each
    of `words` (those longer than PREFIX_LENGTH cut to it): `'nbc' & '2026'`. Passed as a parameter and cast
    (`%s::tsquery`), never put into SQL; lexemes are quoted and escaped although words cannot hold quotes or
    backslashes (both are separators)."""
    return " & ".join(_lexeme(w) for w in dict.fromkeys(w[:PREFIX_LENGTH] for w in words))


def prefix_tsquery(words: list[str]) -> str:
    """The same condition, as a prefix tsquery against the words themselves: `'nbc':* & '2026':*`."""
    return " & ".join(_lexeme(w) + ":*" for w in words)
