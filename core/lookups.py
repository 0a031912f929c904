"""Id lookups that never send an integer beyond the column's range to the database.

A typed or crafted id (`?school=` with 30 digits, a model choice field given 10**30, a list of ids to
delete) must find nothing, not crash: SQLite raises OverflowError for an integer beyond 64 bits and
PostgreSQL raises NumericValueOutOfRange for one beyond its column. Django (5.x) already answers
`pk=<huge>` with an empty result; these lookups do the same for `pk__in=[…]` and for foreign keys
(`school_id=<huge>`, `school__in=[…]`), so every query of the portal — forms, filters, views,
services — treats an out-of-range id as an id nobody has. A model choice field thus refuses it with its
usual «Выберите корректный вариант» and a URL id beyond the range is a 404, on both databases.

Registered once by `core.apps.CoreConfig.ready`; see docs/architecture.md («Hostile input»).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(lookup, connection) -> tuple[int | None, int | None]:
    """The (min, max) the lookup's column holds, or (None, None) when it is not an integer column."""
    field = lookup.lhs.output_field
    target = getattr(field, "target_field", None) if isinstance(field, ForeignObject) else field
    if target is None:
        return None, None
    try:
        return connection.ops.integer_field_range(target.get_internal_type())
    except KeyError:  # a foreign key to a text column
        return None, None


def _in_range(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return True
    return (low is None or value >= low) and (high is None or value <= high)


class _BoundedExactMixin:
    """`= <id>`: an id beyond the column's range matches no row."""

    def process_rhs(self, compiler, connection):
        if not _in_range(self.rhs, *_integer_range(self, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class _BoundedInMixin:
    """`IN (<ids>)`: ids beyond the column's range are dropped; none left matches no row."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = _integer_range(self, connection)
            kept = [value for value in self.rhs if _in_range(value, low, high)]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


class BoundedIn(_BoundedInMixin, In):
    pass


class BoundedRelatedIn(_BoundedInMixin, RelatedIn):
    pass


class BoundedRelatedExact(_BoundedExactMixin, RelatedExact):
    pass


def register() -> None:
    IntegerField.register_lookup(BoundedIn)
    ForeignObject.register_lookup(BoundedRelatedIn)
    ForeignObject.register_lookup(BoundedRelatedExact)
