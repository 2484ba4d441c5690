"""Text that survives an SMS: GSM-7 characters only.

One curly quote, en dash or emoji switches a whole message to UCS-2 (70 characters a segment instead
of 160), so everything `find_activities` hands to the bot passes through `plain()`.
"""
from __future__ import annotations

import re
import unicodedata

# The GSM 03.38 basic character set (the extension table's [ ] { } ~ | \ ^ EUR cost two septets; avoided).
_GSM7 = set(
    "@$\n\r_ !\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà"
)
_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2022": "-", "\u00b7": "-",
    "\t": " ", "\u20ac": "EUR ", "[": "(", "]": ")", "{": "(", "}": ")", "~": "-", "|": "/", "\\": "/", "^": "",
}


def plain(text: object) -> str:
    """The text with typography flattened to GSM-7 and runs of spaces collapsed."""
    if text is None:
        return ""
    out: list[str] = []
    for char in str(text):
        char = _REPLACEMENTS.get(char, char)
        if all(c in _GSM7 for c in char):
            out.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(decomposed)
    return re.sub(r"[ ]{2,}", " ", "".join(out)).strip()


def is_gsm7(text: str) -> bool:
    return all(c in _GSM7 for c in text)
