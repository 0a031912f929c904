"""The portal's Celery app for the worker-kill tests, with the first reference render and the first
workbook import held mid-way.

`celery -A tests.hardening.gated_worker worker --pool=prefork` runs the production app and tasks
unchanged, except that in each pool child `reports.services.rendering.outputs_build` is wrapped: when the
render reaches step 1 («Формирование PDF», the document built, the PDF not yet written) and
`$PORTAL_FAULT_GATE_DIR/held` does not exist yet, the child writes its pid there and waits, so the
test can SIGKILL it at a known point of the render. Every later render passes straight through.
Likewise `core.workbook.runner._run_sheet`: when a real (not dry-run) import has written its first
sheet, inside its still open transaction, and `$PORTAL_FAULT_GATE_DIR/import-held` does not exist
yet, the child writes its pid there and waits. Every later sheet and import passes straight through.
And `roadmaps.services.exports.report_lines_export`: when the first export has written the head of its
sheet (its first progress report) and `$PORTAL_FAULT_GATE_DIR/export-held` does
not exist yet, the child writes its pid there and waits.
Nothing of this is imported by the portal itself: production code carries no test hook.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from portal.celery import app

__all__ = ["app"]

HOLD_SECONDS = 120  # longer than the test waits; the test kills the child long before


@worker_process_init.connect
def _hold_the_first_render(**_kwargs) -> None:
    from reports.services import rendering

    gate = Path(os.environ["PORTAL_FAULT_GATE_DIR"])
    original = rendering.outputs_build

    def outputs_build(**kwargs):
        progress = kwargs.get("progress") or (lambda *_: None)

        def held(step: int, message: str) -> None:
            progress(step, message)
            if step != 1:
                return
            try:
                fd = os.open(gate / "held", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                return  # not the first render: no hold
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            time.sleep(HOLD_SECONDS)

        return original(**{**kwargs, "progress": held})

    rendering.outputs_build = outputs_build


def _hold_once(gate_file: Path) -> None:
    """The first caller writes its pid to `gate_file` and waits to be killed; later callers return."""
    try:
        fd = os.open(gate_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    time.sleep(HOLD_SECONDS)


@worker_process_init.connect
def _hold_the_first_import(**_kwargs) -> None:
    from core.workbook import runner

    gate = Path(os.environ["PORTAL_FAULT_GATE_DIR"])
    original = runner._run_sheet

    def run_sheet(importer, ws, ctx, result):
        original(importer, ws, ctx, result)
        if not ctx.dry_run:
            _hold_once(gate / "import-held")

    runner._run_sheet = run_sheet


@worker_process_init.connect
def _hold_the_first_export(**_kwargs) -> None:
    from roadmaps.services import exports

    gate = Path(os.environ["PORTAL_FAULT_GATE_DIR"])
    original = exports.report_lines_export

    def report_lines_export(**kwargs):
        progress = kwargs.get("progress") or (lambda done: None)

        def held(done: int) -> None:
            progress(done)
            _hold_once(gate / "export-held")

        return original(**{**kwargs, "progress": held})

    exports.report_lines_export = report_lines_export
