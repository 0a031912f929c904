#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump custom format) and the media files
# (evidence uploads, import workbooks, exports) as a tar.gz. See docs/backup.md.
#
#   DATABASE_URL=postgres://user:pass@host:5432/portal MEDIA_ROOT=/srv/portal/media scripts/backup.sh /backups
#
# Writes DEST/portal-<UTC stamp>.dump and DEST/media-<UTC stamp>.tar.gz (same stamp) and prints both paths.
# Options: --no-media (database only). Exit status is non-zero on any failure; partial files are removed.
set -euo pipefail

media=1
if [[ "${1:-}" == "--no-media" ]]; then
    media=0
    shift
fi
dest="${1:-.}"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database (postgres://…)}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "backup.sh: DATABASE_URL must be postgres://… (SQLite is for development only)" >&2; exit 2 ;;
esac
media_root="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"

mkdir -p "$dest"
stamp="$(date -u +%Y%m%d-%H%M%S)"
dump="$dest/portal-$stamp.dump"
archive="$dest/media-$stamp.tar.gz"
cleanup() { rm -f "$dump.part" "$archive.part"; }
trap cleanup EXIT

# Custom format: compressed, restorable table by table with pg_restore; no owners or grants so it
# restores into a database owned by another role.
pg_dump --format=custom --no-owner --no-privileges --file="$dump.part" --dbname="$DATABASE_URL"
mv "$dump.part" "$dump"
echo "$dump"

if [[ $media -eq 1 ]]; then
    if [[ -d "$media_root" ]]; then
        tar -czf "$archive.part" -C "$media_root" .
    else
        echo "backup.sh: MEDIA_ROOT $media_root does not exist; writing an empty media archive" >&2
        tar -czf "$archive.part" -T /dev/null
    fi
    mv "$archive.part" "$archive"
    echo "$archive"
fi
