"""Checking a record a service returned against its declared type, at run time.

The services build their records from database rows (a row's columns under the keys the
record type declares), so mypy cannot see whether the declaration holds: a column added to
a table, a key renamed or a value of another type (a float for a Decimal on one database)
would pass it. :func:`assert_record` compares a real record with its type: the keys, in the
declared order (the JSON key order the command line prints), and every value's type.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args, get_origin, get_type_hints, is_typeddict


def assert_record(value: object, record_type: Any) -> None:
    """Fail, naming the key path, unless ``value`` is a ``record_type`` (a TypedDict, a
    dataclass, a union of them, or any hint :func:`_problem` reads)."""
    problem = _problem(value, record_type, "record")
    assert problem is None, problem


def _problem(value: object, hint: Any, path: str) -> str | None:
    if hint is Any or hint is object:
        return None
    origin = get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        problems = [_problem(value, arm, path) for arm in get_args(hint)]
        if all(problems):
            return " / ".join(p for p in problems if p)
        return None
    if origin is Literal:
        return None if value in get_args(hint) else f"{path}: {value!r} not in {get_args(hint)}"
    if is_typeddict(hint):
        return _typeddict_problem(value, hint, path)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, hint):
            return f"{path}: {type(value).__name__}, not {hint.__name__}"
        hints = get_type_hints(hint)
        for field in dataclasses.fields(hint):
            found = _problem(getattr(value, field.name), hints[field.name], f"{path}.{field.name}")
            if found:
                return found
        return None
    if origin in (list, Sequence):
        if not isinstance(value, list):
            return f"{path}: {type(value).__name__}, not a list"
        (item,) = get_args(hint)
        return next(
            (p for i, v in enumerate(value) if (p := _problem(v, item, f"{path}[{i}]"))), None
        )
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, tuple):
            return f"{path}: {type(value).__name__}, not a tuple"
        if len(args) == 2 and args[1] is Ellipsis:
            args = (args[0],) * len(value)
        if len(args) != len(value):
            return f"{path}: {len(value)} items, not {len(args)}"
        pairs = enumerate(zip(value, args, strict=True))
        return next((p for i, (v, a) in pairs if (p := _problem(v, a, f"{path}[{i}]"))), None)
    if origin in (dict, Mapping):
        if not isinstance(value, dict):
            return f"{path}: {type(value).__name__}, not a dict"
        key_type, value_type = get_args(hint)
        for key, item in value.items():
            found = _problem(key, key_type, f"{path} key") or _problem(
                item, value_type, f"{path}[{key!r}]"
            )
            if found:
                return found
        return None
    if hint is None or hint is type(None):
        return None if value is None else f"{path}: {value!r}, not None"
    if hint is int and isinstance(value, bool):
        return f"{path}: {value!r} is a bool, not an int"
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return None
    if isinstance(hint, type):
        if isinstance(value, hint):
            return None
        return f"{path}: {value!r} ({type(value).__name__}), not {hint.__name__}"
    raise TypeError(f"{path}: cannot check against {hint!r}")


def _typeddict_problem(value: object, hint: Any, path: str) -> str | None:
    if not isinstance(value, dict):
        return f"{path}: {type(value).__name__}, not a dict"
    hints = get_type_hints(hint)
    declared = list(hints)
    if list(value) != declared:
        return f"{path}: keys {list(value)}, declared {declared} ({hint.__name__})"
    for key, item in value.items():
        found = _problem(item, hints[key], f"{path}[{key!r}]")
        if found:
            return found
    return None
