"""Backups: scripts/backup.sh dumps the database (pg_dump -Fc) and the media files; scripts/restore.sh
restores them into a scratch database and another media directory, and the data is all there."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.worker import database_url_of
from tests import factories as f
from tests.conftest import BASE_DIR, require_service

pytestmark = pytest.mark.postgres


def _run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BASE_DIR / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _sql(url: str, query: str) -> str:
    """Run one statement with psql (outside any transaction) and return its unaligned output."""
    result = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", query], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_backup_and_restore_into_a_scratch_database(catalogues, transactional_db, tmp_path):
    require_service(
        "pg_dump, pg_restore and psql on PATH", all(shutil.which(t) for t in ("pg_dump", "pg_restore", "psql"))
    )
    from roadmaps.models import Evidence
    from schools.models import School

    schools = [f.SchoolFactory(name=f"МОУ «Школа резервной копии {i}»") for i in range(3)]
    media = Path(settings.MEDIA_ROOT)
    (media / "evidence" / "2021").mkdir(parents=True)
    (media / "evidence" / "2021" / "protocol.pdf").write_bytes(b"%PDF-1.4 protocol\n%%EOF")
    expected_schools = School.objects.count()
    expected_evidence = Evidence.objects.count()

    source_url = database_url_of(connection.settings_dict)
    out = tmp_path / "backups"
    backup = _run("backup.sh", str(out), env={"DATABASE_URL": source_url, "MEDIA_ROOT": str(media)})
    assert backup.returncode == 0, backup.stderr
    dump, archive = (Path(p) for p in backup.stdout.split())
    assert dump.name.startswith("portal-") and dump.suffix == ".dump" and dump.stat().st_size > 0
    assert archive.name.startswith("media-") and archive.name.endswith(".tar.gz")
    assert not list(out.glob("*.part"))

    scratch = f"portal_restore_{uuid.uuid4().hex[:8]}"
    restored_media = tmp_path / "restored-media"
    server = source_url.rsplit("/", 1)[0]
    _sql(server + "/postgres", f'CREATE DATABASE "{scratch}"')
    try:
        scratch_url = f"{server}/{scratch}"
        restore = _run(
            "restore.sh", str(dump), str(archive), env={"DATABASE_URL": scratch_url, "MEDIA_ROOT": str(restored_media)}
        )
        assert restore.returncode == 0, restore.stderr
        assert int(_sql(scratch_url, "SELECT count(*) FROM schools_school")) == expected_schools
        names = _sql(scratch_url, "SELECT name FROM schools_school WHERE name LIKE '%резервной%' ORDER BY name")
        assert names.splitlines() == sorted(s.name for s in schools)
        assert int(_sql(scratch_url, "SELECT count(*) FROM roadmaps_evidence")) == expected_evidence
        assert int(_sql(scratch_url, "SELECT count(*) FROM django_migrations")) > 0
        assert (restored_media / "evidence" / "2021" / "protocol.pdf").read_bytes() == b"%PDF-1.4 protocol\n%%EOF"
    finally:
        _sql(server + "/postgres", f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_restore_refuses_a_file_that_is_not_a_dump(tmp_path, db):
    require_service("pg_restore on PATH", bool(shutil.which("pg_restore")))
    bogus = tmp_path / "portal.dump"
    bogus.write_bytes(b"not a dump")
    result = _run("restore.sh", str(bogus), env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert result.returncode != 0
