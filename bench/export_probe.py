"""`python -m bench.export_probe USERNAME OUT.xlsx`: one export of report lines in a fresh process.

Run by the xlsx figure as a child process, so the peak RSS it reports belongs to the export alone (plus
Python and Django), not to the benchmark that built the region. Prints one JSON line: seconds of the
export, its SQL statements, lines written, file size, peak RSS before and after the export (KiB).

Peak RSS is the kernel's high-water mark of this address space (VmHWM in /proc/self/status):
getrusage's ru_maxrss survives fork + exec on Linux, so in a child it starts at the parent's size.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def peak_rss_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def main(username: str, out: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()

    from bench.runner import QueryCounter
    from core.models import User
    from roadmaps.exports import report_lines_export
    from roadmaps.selectors.exports import export_schools_for

    user = User.objects.get(username=username)
    schools = export_schools_for(user)
    before = peak_rss_kib()
    with QueryCounter() as queries:
        started = time.perf_counter()
        lines = report_lines_export(path=out, schools=schools)
        seconds = time.perf_counter() - started
    peak = peak_rss_kib()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "queries": queries.count,
                "lines": lines,
                "size": os.path.getsize(out),
                "rss_before_kib": before,
                "rss_peak_kib": peak,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
