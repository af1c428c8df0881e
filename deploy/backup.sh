#!/bin/sh
# Back up SI-LKKS: the database (pg_dump, custom format) and the uploaded files.
#
#   deploy/backup.sh [DIRECTORY]
#
# DIRECTORY defaults to $BACKUP_DIR, else /var/backups/si-lkks. Reads DATABASE_URL and
# DJANGO_MEDIA_ROOT as the app does (/etc/si-lkks/env). Writes
# si-lkks-STAMP.dump and si-lkks-STAMP-media.tar.gz, prints their names, and deletes
# backups older than $BACKUP_KEEP_DAYS days (30). Restore with deploy/restore.sh.
set -eu

: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${DJANGO_MEDIA_ROOT:?DJANGO_MEDIA_ROOT is not set}"
target=${1:-${BACKUP_DIR:-/var/backups/si-lkks}}
keep_days=${BACKUP_KEEP_DAYS:-30}
stamp=$(date +%Y%m%d-%H%M%S)
dump="$target/si-lkks-$stamp.dump"
media="$target/si-lkks-$stamp-media.tar.gz"

umask 077
mkdir -p "$target"

# The database first, then the files: every file the dump names is in the archive made
# after it, unless staff deleted its record in the minutes between (the app removes the
# files of a deleted record once the deletion commits); restored, such a record shows
# no file, and it was being deleted anyway. Each is written under a temporary name and
# renamed when complete, so a failed run never looks like a backup.
pg_dump --format=custom --no-owner --no-privileges --file="$dump.part" --dbname="$DATABASE_URL"
mv "$dump.part" "$dump"
mkdir -p "$DJANGO_MEDIA_ROOT"
# GNU tar exits with 1 when a file changed or went away while it read: a deletion
# during the backup, which is not a failure of the backup.
status=0
tar -C "$DJANGO_MEDIA_ROOT" --warning=no-file-removed --warning=no-file-changed \
    -czf "$media.part" . || status=$?
if [ "$status" -gt 1 ]; then
    exit "$status"
fi
mv "$media.part" "$media"

find "$target" -maxdepth 1 -name 'si-lkks-*' -type f -mtime +"$keep_days" -delete
echo "$dump"
echo "$media"
