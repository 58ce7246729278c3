#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures, examples and lexicon.
# Idempotent: files are named by content hash. fuzz/corpus is gitignored.
# Usage: fuzz/seed.sh [CORPUS_DIR]   (default fuzz/corpus)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpus="${1:-$here/corpus}"

put() { # put TARGET FILE [PREFIX_BYTE]
    local dir="$corpus/$1" file="$2" prefix="${3:-}"
    mkdir -p "$dir"
    local name
    name="$( { printf '%s' "$prefix"; cat "$file"; } | sha1sum | cut -c1-40)"
    { printf '%s' "$prefix"; cat "$file"; } >"$dir/$name"
}

docs=("$root"/tests/fixtures/docs/*.md "$root"/examples/*.md)
for f in "${docs[@]}"; do
    [ -f "$f" ] || continue
    # lint_bytes: the first byte picks the configuration (0 auto, 1 structure on, 2 quotes).
    put lint_bytes "$f" ""
    put lint_bytes "$f" "1"
done
# lint_markdown takes structured input: seed it with a few documents' bytes anyway,
# libFuzzer reads them as arbitrary choices.
for f in "${docs[@]:0:8}"; do
    [ -f "$f" ] && put lint_markdown "$f"
done
for f in "$root"/lexicon/en/*.toml; do
    case "$(basename "$f")" in
    words.toml | names.toml | structure.toml) ;;
    *) put lexicon_toml "$f" ;;
    esac
done
mkdir -p "$corpus/config_toml"
printf 'select = ["blame"]\ncheck_quotes = true\n' >"$corpus/config_toml/select"
printf 'ignore = ["counterfactual/should-have"]\nstructure = "on"\n[severity]\nblame = "error"\n' >"$corpus/config_toml/severity"
printf 'allow = ["root cause"]\nnames = ["Dana", "Ünal"]\n[thresholds]\nsummary_min = 1\nsummary_max = 9\nlate_days = 3\n' >"$corpus/config_toml/thresholds"
printf '{"select": ["judgment"], "structure": "off", "thresholds": {"actions_max": 2}}' >"$corpus/config_toml/json"
for t in lint_bytes lint_markdown config_toml lexicon_toml; do
    echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds"
done
