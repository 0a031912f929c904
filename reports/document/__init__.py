"""The document of a reference: its sections and tables as strings (`builder`, `text`), built from a
version's snapshot and narrative, its charts (`charts`) and its PDF renderer (`pdf`). The PDF
templates and the xlsx exporter both print this model, so the tables of the two files are the same.

A package of its own rather than part of services/selectors: everything here is pure presentation
of an already computed snapshot (no query, no write); `services/rendering.py` is the one caller
that turns it into files."""

from .builder import DocumentBuilder, document_build
from .text import (
    DEFAULT_GOALS,
    DEFAULT_TASKS,
    DEFAULT_TITLES,
    SECTION_TITLES,
    TEMPLATE_FIELDS,
    Table,
    genitive_authority,
    lines,
    subject_short,
)

__all__ = [
    "DEFAULT_GOALS",
    "DEFAULT_TASKS",
    "DEFAULT_TITLES",
    "SECTION_TITLES",
    "TEMPLATE_FIELDS",
    "DocumentBuilder",
    "Table",
    "document_build",
    "genitive_authority",
    "lines",
    "subject_short",
]
