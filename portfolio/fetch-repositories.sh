#!/usr/bin/env bash
# Clone every POC repository listed in LIST into FOLDER, for `prodready audit FOLDER`.
#
#   bash portfolio/fetch-repositories.sh LIST FOLDER
#
# LIST holds one git URL per line (https or ssh; `#` starts a comment). Each repository
# lands in FOLDER/<owner>/<name>, the URL's last two path parts, so two POCs with the
# same name in different groups stay two in the report. Clones keep their whole
# history: from the pilot the audit asks git who committed each sign-off. A token in
# PORTFOLIO_TOKEN reaches git through a credential helper that reads the environment,
# never through a file or the URL. Every line is tried; the exit status is 1 when any
# was refused or could not be cloned (each named on one line), 2 on a usage error.
set -uo pipefail

if [ "$#" -ne 2 ]; then
  echo "error: usage: fetch-repositories.sh LIST FOLDER. Fix: name the list of git URLs and the folder to clone into." >&2
  exit 2
fi
list=$1
folder=$2
if [ ! -f "$list" ]; then
  echo "error: $list: no such file. Fix: list one git URL per line." >&2
  exit 2
fi
mkdir -p -- "$folder"

# No prompt may hang a scheduled job; only the transports a portfolio needs.
export GIT_TERMINAL_PROMPT=0
export GIT_ALLOW_PROTOCOL="${GIT_ALLOW_PROTOCOL:-https:ssh}"
credentials=()
if [ -n "${PORTFOLIO_TOKEN:-}" ]; then
  # shellcheck disable=SC2016 # expanded by the helper's shell, from the environment
  credentials=(-c credential.helper= -c 'credential.helper=!f() { echo username=x-access-token; echo "password=$PORTFOLIO_TOKEN"; }; f')
fi

failed=0
number=0
declare -A seen=()
while IFS= read -r line || [ -n "$line" ]; do
  number=$((number + 1))
  url=${line%%#*}
  url=${url#"${url%%[![:space:]]*}"}
  url=${url%"${url##*[![:space:]]}"}
  [ -z "$url" ] && continue
  where="$list:$number"
  if [[ $url == -* || $url =~ [[:space:][:cntrl:]] ]]; then
    echo "error: $where: refused ${url@Q}: not a git URL. Fix: write one https or ssh URL per line." >&2
    failed=1
    continue
  fi
  path=${url%/}
  path=${path%.git}
  name=${path##*/}
  rest=${path%/*}
  owner=${rest##*[/:]}
  if [[ ! $owner =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ || ! $name =~ ^[A-Za-z0-9_][A-Za-z0-9._-]*$ ]]; then
    echo "error: $where: refused ${url@Q}: no owner/name at its end. Fix: use the repository's clone URL." >&2
    failed=1
    continue
  fi
  target="$folder/$owner/$name"
  if [ -n "${seen[$owner/$name]:-}" ]; then
    echo "error: $where: $owner/$name is already listed on line ${seen[$owner/$name]}. Fix: list each repository once." >&2
    failed=1
    continue
  fi
  seen[$owner/$name]=$number
  if [ -e "$target" ]; then
    echo "error: $where: $target already exists. Fix: start from an empty folder." >&2
    failed=1
    continue
  fi
  echo "fetching $owner/$name" >&2
  if ! output=$(git "${credentials[@]}" clone --quiet -- "$url" "$target" 2>&1); then
    echo "error: $where: cannot clone $owner/$name: ${output//$'\n'/ }. Fix: check the URL and that the token may read it." >&2
    rm -rf -- "$target"
    failed=1
  fi
done < "$list"
if [ "${#seen[@]}" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "error: $list: lists no repository. Fix: add the clone URL of each POC, one per line." >&2
  exit 1
fi
exit "$failed"
