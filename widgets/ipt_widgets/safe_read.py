"""Reading a file a trainee's machine wrote, without trusting it.

The responses file is data from outside: it may have been edited, cut short, replaced by a link
to another trainee's file or by a named pipe, or written to break the grader. Everything here
returns a problem message instead of raising, never blocks, and hands back only values the rest
of the package can use safely:

* only a regular file is opened (a link, pipe, device, socket or folder is refused), through a
  descriptor opened without following links and without blocking, and at most ``max_bytes`` are
  read;
* JSON nested deeper than :data:`MAX_DEPTH` is refused before it is parsed (deep nesting makes
  later recursive code fail), with a scan that does not recurse;
* a number that cannot be held as a finite value (``NaN``, ``Infinity``, ``1e999``, an integer
  of thousands of digits, which Python refuses to convert) becomes :data:`UNREADABLE_NUMBER`,
  and :func:`clean` turns it into ``None``: a missing value, never a score;
* a lone surrogate (``"\\ud800"`` in the JSON) cannot be encoded as UTF-8, so every card or file
  that later showed it would fail: :func:`clean` replaces it with U+FFFD.

Imports nothing from this package: it sits at the bottom, beside the store.
"""

from __future__ import annotations

import codecs
import errno
import html
import json
import math
import os
import re
import stat
from itertools import accumulate
from typing import Any

# A widget's answer is a few levels deep (an inventory: items -> value -> people -> person).
MAX_DEPTH = 64
# json.dumps writes no number longer than 24 characters; anything far longer is not ours.
MAX_NUMBER_CHARS = 100
REPLACEMENT = "\ufffd"


class _UnreadableNumber:
    """Stands for a number that could not be held as a finite value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unreadable number>"


UNREADABLE_NUMBER = _UnreadableNumber()

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a link swapped in after the check is not followed
    | getattr(os, "O_NONBLOCK", 0)  # a pipe swapped in after the check does not block the open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_STEPS = str.maketrans({"[": "\x02", "{": "\x02", "]": "\x00", "}": "\x00"})
_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_regular(mode: int) -> str | None:
    """What a file is when it is not a regular file ("a named pipe"), else None."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> tuple[bytes | None, str | None]:
    """The bytes of a regular file, refusing anything else. Never raises, never blocks.

    Returns ``(data, None)``; ``(None, None)`` when there is no file; ``(None, problem)`` when
    the file exists but was not read (``problem`` is a sentence without the file's name).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        return None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})."
    kind = _not_regular(info.st_mode)
    if kind is None and info.st_size > max_bytes:
        return None, f"is {info.st_size:,} bytes, far larger than a responses file can be; it was not read."
    if kind is None:
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                return None, f"cannot be read ({exc.strerror or exc})."
            kind = "a symbolic link"
    if kind is not None:
        return None, f"is {kind}, not a file, so it was not read (answers are kept in a file of their own)."
    try:
        kind = _not_regular(os.fstat(fd).st_mode)  # swapped between the check and the open
        if kind is not None:
            return None, f"is {kind}, not a file, so it was not read (answers are kept in a file of their own)."
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})."
    finally:
        os.close(fd)
    if total > max_bytes:
        return None, f"is more than {max_bytes:,} bytes, far larger than a responses file can be; it was not read."
    if total == 0:
        return None, "is empty, so no saved answers were found."
    return b"".join(chunks), None


def nesting_depth(text: str) -> int:
    """How deeply the arrays and objects of JSON ``text`` nest.

    A running sum over the brackets outside strings, not a parser: it cannot run out of stack,
    and it runs in C (about 0.3 s for 2 MB of brackets).
    """
    brackets = "".join(_BRACKET.findall(_STRING.sub('""', text)))
    if not brackets:
        return 0
    steps = brackets.translate(_STEPS).encode("ascii")  # opening -> 2, closing -> 0
    return max(0, max(accumulate(b - 1 for b in steps)))


def _parse_int(text: str) -> Any:
    return int(text) if len(text) <= MAX_NUMBER_CHARS else UNREADABLE_NUMBER


def _parse_float(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        return UNREADABLE_NUMBER
    value = float(text)
    return value if math.isfinite(value) else UNREADABLE_NUMBER


def loads_json(raw: bytes) -> tuple[Any, str | None]:
    """Parse UTF-8 JSON bytes (a byte-order mark is accepted) that a trainee's machine wrote.

    Returns ``(data, None)`` or ``(None, problem)``. Numbers that cannot be held as finite
    values are :data:`UNREADABLE_NUMBER` in ``data``; pass values through :func:`clean`.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]  # Notepad and some editors write one; it is not JSON
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text, so it was not read."
    if nesting_depth(text) > MAX_DEPTH:
        return None, f"is nested more than {MAX_DEPTH} levels deep, far deeper than any answer; it was not read."
    try:
        data = json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=lambda _: UNREADABLE_NUMBER
        )
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        return None, f"is not valid JSON ({where}); it may have been cut short or edited by hand."
    except (ValueError, RecursionError, MemoryError):
        return None, "is not valid JSON; it may have been cut short or edited by hand."
    return data, None


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so it can always be encoded."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def clean(value: Any) -> tuple[Any, bool]:
    """A parsed JSON value made safe to use: unreadable numbers become None, lone surrogates
    U+FFFD (in keys too). Returns the value and whether an unreadable number was replaced.

    Recursive: call it on values from :func:`loads_json`, whose nesting is already bounded.
    """
    if value is UNREADABLE_NUMBER:
        return None, True
    if isinstance(value, str):
        return clean_text(value), False
    if isinstance(value, list):
        pairs = [clean(v) for v in value]
        return [v for v, _ in pairs], any(bad for _, bad in pairs)
    if isinstance(value, dict):
        out, replaced = {}, False
        for key, item in value.items():
            item, bad = clean(item)
            out[clean_text(key)] = item
            replaced = replaced or bad
        return out, replaced
    return value, False


def escape_text(value: Any, quote: bool = True) -> str:
    """``value`` as text safe inside HTML or SVG, element or attribute, and always encodable:
    ``html.escape`` of ``str(value)`` with lone surrogates replaced first."""
    return html.escape(clean_text(str(value)), quote=quote)
