#!/bin/sh
# Restore a backup of SI-LKKS made by deploy/backup.sh into an EMPTY database and an
# empty media directory (the restore drill of docs/deploy.md).
#
#   deploy/restore.sh si-lkks-STAMP.dump si-lkks-STAMP-media.tar.gz
#
# Restores into DATABASE_URL and DJANGO_MEDIA_ROOT; refuses to write over anything.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 DUMP MEDIA_ARCHIVE" >&2
    exit 2
fi
dump=$1
media=$2
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT is not set}"

tables=$(psql --dbname="$DATABASE_URL" --no-psqlrc --tuples-only --no-align --command \
    "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [ "$tables" != 0 ]; then
    echo "refusing: the database already has $tables tables; restore into an empty one" >&2
    exit 1
fi
mkdir -p "$DJANGO_MEDIA_ROOT"
if [ -n "$(ls -A "$DJANGO_MEDIA_ROOT")" ]; then
    echo "refusing: $DJANGO_MEDIA_ROOT is not empty" >&2
    exit 1
fi

# One transaction: a restore that fails half-way leaves the database empty.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$dump"
tar -C "$DJANGO_MEDIA_ROOT" -xzf "$media"
echo "restored $dump and $media"
