"""The document model of a reference: its sections and tables as strings, built from a version's
snapshot and narrative. The PDF templates and the xlsx exporter both print this, so the tables of
the two files are the same."""

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
