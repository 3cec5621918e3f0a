"""Text from outside (a case, a workbook, a rate card) made inert before it reaches a terminal."""

from __future__ import annotations

import re

__all__ = ["inert"]

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
