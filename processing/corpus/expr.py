"""Row filters for the table, as small typed functions (pyiceberg expressions).

Everything that filters the table goes through these, so callers never build pyiceberg
expressions themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeAlias

from pyiceberg import expressions as E
from pyiceberg.expressions import BooleanExpression

# A value a filter compares a column with.
Value: TypeAlias = str | int | float | bool | bytes | date | datetime


def eq(column: str, value: Value) -> BooleanExpression:
    return E.EqualTo(column, value)  # type: ignore[call-arg,arg-type]


def ne(column: str, value: Value) -> BooleanExpression:
    return E.NotEqualTo(column, value)  # type: ignore[call-arg,arg-type]


def isin(column: str, values: Iterable[Value]) -> BooleanExpression:
    return E.In(column, list(values))  # type: ignore[call-arg,arg-type]


def is_null(column: str) -> BooleanExpression:
    return E.IsNull(column)  # type: ignore[call-arg,arg-type]


def both(*exprs: BooleanExpression) -> BooleanExpression:
    out: BooleanExpression = E.AlwaysTrue()
    for e in exprs:
        out = E.And(out, e)
    return out


def either(a: BooleanExpression, b: BooleanExpression) -> BooleanExpression:
    return E.Or(a, b)


def time_range(column: str, start: datetime, end: datetime) -> BooleanExpression:
    """``start <= column < end``."""
    return E.And(
        E.GreaterThanOrEqual(column, start.isoformat()),  # type: ignore[call-arg,arg-type]
        E.LessThan(column, end.isoformat()),  # type: ignore[call-arg,arg-type]
    )


def published_days(first: date, last: date) -> BooleanExpression:
    """Rows published on UTC days ``first``..``last`` (prunes the day partitions)."""
    start = datetime.combine(first, time(), UTC)
    return time_range(
        "published_at", start, datetime.combine(last, time(), UTC) + timedelta(days=1)
    )
