#!/bin/sh
# Validates a compose file with a real consumer, offline and without a
# daemon: docker-compose 1.29 (Debian 12's docker-compose package) resolves
# the file (anchors, merges, paths, depends_on conditions, volumes) and
# checks it against its schema, as `up` would before starting anything.
#   compose_config.sh <source dir> <compose file>
# That version predates the Compose Specification's top-level `name`, so
# the name is passed as the project name (-p) instead, which is what the
# key means, and the rest of the file is checked as it stands.
set -eu
src="$1"
file="$2"
name="$(sed -n 's/^name: *//p' "$src/$file")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
grep -v '^name:' "$src/$file" > "$work/$file"
# No daemon is asked: `config` only reads the file.
env -u DOCKER_HOST docker-compose --project-directory "$src" ${name:+-p "$name"} \
  -f "$work/$file" config -q
echo "$file: valid for docker-compose $(docker-compose version --short)"
