"""School lists keep a natural order: №2 before №10, a quoted name not first for its «."""

from __future__ import annotations

from core.sorting import natural_key

NAMES = ["МОУ СОШ №10", "МОУ СОШ №2", "МОУ «Журавлевская СОШ»"]


def test_natural_key_orders_numbers_as_numbers_and_ignores_quotes():
    assert sorted(NAMES, key=natural_key) == ["МОУ «Журавлевская СОШ»", "МОУ СОШ №2", "МОУ СОШ №10"]
    assert sorted(["МОУ «Яблоновская СОШ»", "МОУ СОШ №2"], key=natural_key) == [
        "МОУ СОШ №2",
        "МОУ «Яблоновская СОШ»",
    ]


def test_natural_key_compares_names_with_and_without_numbers():
    assert sorted(["Школа 1", "Школа", "школа 1а"], key=natural_key) == ["Школа", "Школа 1", "школа 1а"]
