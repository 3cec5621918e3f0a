"""Text for readers: from outside (a case, a workbook, a rate card) made inert before it reaches a
terminal; headings in title case with proper acronyms (workbook sheets, memo, charts)."""

from __future__ import annotations

import re

__all__ = ["ACRONYMS", "inert", "title_case"]

# C0 and C1 control characters (ESC starts every terminal escape sequence, C1 CSI/OSC are their
# one-byte forms), DEL, Unicode non-characters, and the bidirectional overrides that make a
# terminal show text in an order other than its bytes.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
# Rich markup is a "[" followed by a tag (rich.markup's own pattern): a backslash before the "["
# shows it as written.
_MARKUP = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def inert(text: object, *, markup: bool = True) -> str:
    """The text with nothing a terminal or rich would act on: controls removed, markup escaped.

    Parameters
    ----------
    text
        Any value; its ``str()`` is cleaned.
    markup
        Escape rich markup (``[bold]``, ``[link=…]``) so it prints as written. ``False`` for text
        printed without rich (error and warning lines).

    Returns
    -------
    str
        Line breaks and tabs become spaces; other control characters are removed.

    Examples
    --------
    >>> inert("Acme\\x1b]0;owned\\x07 [link=https://x]desk[/link]")
    'Acme]0;owned \\\\[link=https://x]desk\\\\[/link]'
    >>> inert("[bold]x", markup=False)
    '[bold]x'
    """
    s = str(text).replace("\r\n", " ").replace("\n", " ").replace("\t", " ").replace("\r", " ")
    s = _UNSAFE.sub("", s)
    if markup:
        s = _MARKUP.sub(lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", s)
    return s


# Lower case in a title unless first or after a colon (Chicago style: articles, conjunctions and
# short prepositions).
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of"}
    | {"on", "or", "per", "than", "the", "to", "via", "vs", "with"}
)
# Spelled in capitals wherever they appear in a title, whatever the text they came from says.
ACRONYMS = ("AHT", "BPO", "FTE", "IRR", "KPI", "NPV", "SLA", "TCO")
_ACRONYM = {a.lower(): a for a in ACRONYMS}
_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")  # apostrophes (straight, curly) inside a word


def title_case(text: str, *, keep: tuple[str, ...] = ()) -> str:
    """A heading in title case: small words lower case, acronyms in capitals, words that already
    have a capital (names, PH, P10) and codes (``per_transaction``, ``n0``) as written.

    Parameters
    ----------
    text
        The heading in sentence case.
    keep
        Parts of ``text`` left exactly as written: names a user typed (an option's name).

    Returns
    -------
    str
        Each part of a hyphenated word is capitalised ("In-House").

    Examples
    --------
    >>> title_case("Offshore PH: npv of savings over the term")
    'Offshore PH: NPV of Savings Over the Term'
    >>> title_case("Bridge: in-house TCO to Offshore IN tiers", keep=("Offshore IN tiers",))
    'Bridge: In-House TCO to Offshore IN tiers'
    >>> title_case("IRR (annual)")
    'IRR (Annual)'
    """
    kept = [k for k in keep if k]
    if kept:
        pattern = "(" + "|".join(re.escape(k) for k in sorted(kept, key=len, reverse=True)) + ")"
        parts = re.split(pattern, text)
    else:
        parts = [text]
    out = []
    first = True  # the next word starts the title or follows a colon
    for i, part in enumerate(parts):
        if i % 2:  # a kept part
            out.append(part)
            first = False
            continue
        words = []
        last = 0
        for m in _WORD.finditer(part):
            words.append(part[last : m.start()])
            colon = ":" in part[last : m.start()]
            words.append(_title_word(m.group(), first=first or colon))
            first = False
            last = m.end()
        words.append(part[last:])
        out.append("".join(words))
        if part.rstrip().endswith(":"):
            first = True
    return "".join(out)


def _title_word(word: str, *, first: bool) -> str:
    low = word.lower()
    if low in _ACRONYM:
        return _ACRONYM[low]
    if word[1:] != low[1:] or "_" in word or any(ch.isdigit() for ch in word):
        return word  # a name, an acronym or a code: as written
    if len(word) == 1 and low != "a":
        return word  # a symbol in a formula: B(n)
    if low in _SMALL_WORDS and not first:
        return word
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
