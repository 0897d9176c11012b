"""What every file an instructor writes is checked against: known keys, and where each key is.

* :func:`load_yaml` parses YAML into :class:`LineDict` / :class:`LineList`, which remember the
  line of every key and item, so an error can say "line 17" (libyaml's C parser when PyYAML
  has it: every graded notebook parses its case file in a fresh kernel);
* :func:`check_keys` rejects a key the format does not know, suggesting the closest known one
  ("unknown field 'explaination'; did you mean 'explanation'?"): a misspelt optional field
  would otherwise vanish silently, and a misspelt required one would be reported as the right
  key being empty;
* :func:`at` adds the line to the ``where`` of an error message.

Bottom layer: imports nothing from the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_TRAILING_LINE = re.compile(r", line \d+$")


class LineDict(dict):
    """A dict that knows the line it starts on and the line of each key (1-based; None if unknown)."""

    line: int | None = None

    def __init__(self, *args: Any, line: int | None = None, key_lines: Mapping[Any, int] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.line = line
        self.key_lines = dict(key_lines or {})


class LineList(list):
    """A list that knows the line it starts on and the line of each item."""

    line: int | None = None

    def __init__(self, *args: Any, line: int | None = None, item_lines: list[int] | None = None):
        super().__init__(*args)
        self.line = line
        self.item_lines = list(item_lines or [])


def line_of(data: Any, key: Any = None) -> int | None:
    """The line of ``data[key]`` (a key of a mapping, an index of a list), or of ``data`` itself."""
    if key is not None:
        if isinstance(data, LineDict) and key in data.key_lines:
            return data.key_lines[key]
        if isinstance(data, LineList) and isinstance(key, int) and 0 <= key < len(data.item_lines):
            return data.item_lines[key]
    return getattr(data, "line", None)


def at(where: str, data: Any, key: Any = None) -> str:
    """``where`` with the line of ``data[key]`` (or of ``data``) when it is known; a more precise
    line replaces one that ``where`` already ends with."""
    line = line_of(data, key)
    if not line:
        return where
    return f"{_TRAILING_LINE.sub('', where)}, line {line}"


def suggestion(value: Any, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest of ``choices``, or '' when nothing is close."""
    import difflib  # only an error message needs it

    choices = [str(c) for c in choices]
    if not isinstance(value, str) or not value:
        return ""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if not close:  # 'deficits' for 'interpersonal_deficits'
        close = [c for c in choices if value.lower() in c or c in value.lower()][:1]
    return f"; did you mean {close[0]!r}?" if close else ""


def check_keys(data: Any, allowed: Iterable[str], where: str, *, what: str = "field") -> None:
    """Raise a ValueError for the first key of ``data`` not in ``allowed``, naming its line."""
    if not isinstance(data, Mapping):
        return
    allowed = list(allowed)
    for key in data:
        if key not in allowed:
            hint = suggestion(key, allowed) or f"; expected one of {', '.join(allowed)}"
            raise ValueError(f"{at(where, data, key)}: unknown {what} {key!r}{hint}")


def choice_error(where: str, data: Any, key: str, value: Any, choices: Iterable[str], need: str = "") -> ValueError:
    """The error for a field whose value is not one of ``choices`` (with a "did you mean")."""
    choices = list(choices)
    need = need or f"expected one of {', '.join(choices)}"
    return ValueError(f"{at(where, data, key)}: field {key!r} is {value!r}; {need}{suggestion(value, choices)}")


# -- YAML with line numbers ---------------------------------------------------------------------


def _loader_class():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        """A safe loader whose mappings and sequences remember their lines."""

    def construct_map(loader, node):
        data = LineDict(line=node.start_mark.line + 1)
        yield data
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, "found a key that is not text", key_node.start_mark
                ) from None
            if key in data:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"found the key {key!r} twice", key_node.start_mark
                )
            data[key] = loader.construct_object(value_node, deep=True)
            data.key_lines[key] = key_node.start_mark.line + 1

    def construct_seq(loader, node):
        data = LineList(line=node.start_mark.line + 1)
        yield data
        data.extend(loader.construct_object(child, deep=True) for child in node.value)
        data.item_lines = [child.start_mark.line + 1 for child in node.value]

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    return LineLoader


_LOADER: Any = None


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` whose mappings and lists remember their lines; a key given twice is an error."""
    global _LOADER
    import yaml  # imported here: only notebooks that show cases pay for it

    if _LOADER is None:
        _LOADER = _loader_class()
    return yaml.load(text, Loader=_LOADER)
