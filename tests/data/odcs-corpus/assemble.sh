#!/bin/sh
# Rebuild the corpus from local mirrors: assemble.sh ODCS_GIT DATACONTRACT_CLI_GIT OUT
set -eu
odcs=$1; dc=$2; out=$3
seen=$(mktemp)
for rev in v3.0.0 v3.0.1 v3.0.2 v3.1.0 HEAD; do
  name=$rev; [ "$rev" = HEAD ] && name=main
  for f in $(git -C "$odcs" ls-tree -r --name-only "$rev" -- docs/examples | grep -E '\.ya?ml$'); do
    [ "$(git -C "$odcs" cat-file -s "$rev:$f")" -le 51200 ] || continue
    sum=$(git -C "$odcs" show "$rev:$f" | sha256sum | cut -d' ' -f1)
    grep -q "$sum" "$seen" && continue
    echo "$sum" >> "$seen"
    dest="$out/bitol-io/$name/${f#docs/examples/}"
    mkdir -p "$(dirname "$dest")"
    git -C "$odcs" show "$rev:$f" > "$dest"
  done
done
git -C "$dc" ls-tree -r -l HEAD -- tests/fixtures | grep -E '\.ya?ml$' | while read -r _ _ _ size f; do
  [ "$size" -le 51200 ] || continue
  git -C "$dc" show "HEAD:$f" | grep -qE '^apiVersion: *"?v3' || continue
  sum=$(git -C "$dc" show "HEAD:$f" | sha256sum | cut -d' ' -f1)
  grep -q "$sum" "$seen" && continue
  echo "$sum" >> "$seen"
  dest="$out/datacontract-cli/${f#tests/fixtures/}"
  mkdir -p "$(dirname "$dest")"
  git -C "$dc" show "HEAD:$f" > "$dest"
done
rm -f "$seen"
