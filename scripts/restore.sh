#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database DATABASE_URL names and, when a media
# archive is given, into MEDIA_ROOT. See docs/backup.md.
#
#   DATABASE_URL=postgres://user:pass@host:5432/portal_restore scripts/restore.sh portal-….dump [media-….tar.gz]
#
# The target database must exist (createdb it first). Objects already in it are dropped and recreated
# (--clean --if-exists); the restore runs in one transaction, so a failure leaves the database as it was.
# Media files are extracted over MEDIA_ROOT (existing files with the same names are replaced).
set -euo pipefail

dump="${1:?usage: restore.sh DUMP [MEDIA_TAR_GZ]}"
archive="${2:-}"
: "${DATABASE_URL:?DATABASE_URL must name the target PostgreSQL database (postgres://…)}"
[[ -f "$dump" ]] || { echo "restore.sh: $dump not found" >&2; exit 2; }
pg_restore --list "$dump" >/dev/null  # refuse a file that is not a pg_dump archive before touching anything

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
    --dbname="$DATABASE_URL" "$dump"
echo "database restored from $dump"

if [[ -n "$archive" ]]; then
    media_root="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
    tar -tzf "$archive" >/dev/null
    mkdir -p "$media_root"
    tar -xzf "$archive" -C "$media_root" --no-same-owner
    echo "media restored into $media_root"
fi
