#!/bin/sh
# t-docs.sh - every option that `sbx --list-options` prints is documented:
# in --help, man/sbx.1, the bash, zsh and fish completions and README.md;
# the man page renders without warnings and the completions work.
#
# The documents are looked up in $SBX_SRCDIR (set by `make check`), then
# next to this suite ($(dirname $0)/..).  When the suite is staged for an
# unprivileged user and the source tree is unreadable to that user, the
# document checks are skipped with the reason; root always checks them.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

SELF_DIR=$(cd "$(dirname "$0")" && pwd)

# The source tree holding man/, completions/ and README.md, or empty.
DOCS=
for d in "${SBX_SRCDIR:-}" "$SELF_DIR/.."; do
    if [ -n "$d" ] && [ -r "$d/man/sbx.1" ]; then
        DOCS=$(cd "$d" && pwd)
        break
    fi
done

# need_docs: true when the documents are here; otherwise skip (unprivileged
# user, source tree unreadable) or fail.
need_docs() {
    [ -n "$DOCS" ] && return 0
    if ! is_root; then
        if [ -z "${SBX_SRCDIR:-}" ]; then
            skip_test "SBX_SRCDIR is not set and $SELF_DIR/.. has no man/ (staged copy);" \
                "the documents are checked in the root run"
            return 1
        fi
        if ! { [ -r "$SBX_SRCDIR" ] && [ -x "$SBX_SRCDIR" ] &&
            { [ ! -e "$SBX_SRCDIR/man" ] || { [ -r "$SBX_SRCDIR/man" ] && [ -x "$SBX_SRCDIR/man" ]; }; } &&
            { [ ! -e "$SBX_SRCDIR/man/sbx.1" ] || [ -r "$SBX_SRCDIR/man/sbx.1" ]; }; }; then
            skip_test "source tree $SBX_SRCDIR is not readable by $(id -un);" \
                "the documents are checked in the root run"
            return 1
        fi
    fi
    fail "man/sbx.1 not found in ${SBX_SRCDIR:-(SBX_SRCDIR unset)} nor in $SELF_DIR/.."
    return 1
}

# list_options: the option names, one a line (empty on failure).
list_options() {
    "$SBX" --list-options 2>/dev/null
}

# has_word NAME FILE: NAME occurs in FILE as a whole option name (not as
# the prefix of a longer one: --bind is not found in --bind-try).
has_word() {
    grep -Eq -- "(^|[^-a-zA-Z0-9])$1([^-a-zA-Z0-9]|\$)" "$2"
}

# missing_from FILE [fish]: the options that FILE does not mention.  A fish
# file may name an option as "-l name" (--long-option name).
missing_from() {
    list_options | while read -r opt; do
        has_word "$opt" "$1" && continue
        if [ "${2:-}" = fish ]; then
            grep -Eq -- "(-l|--long(-option)?)[ =]+['\"]?${opt#--}(['\"]|[^-a-zA-Z0-9]|\$)" "$1" && continue
        fi
        printf '%s ' "$opt"
    done
}

# check_doc FILE WHAT [fish]: every option is in FILE.
check_doc() {
    if [ ! -r "$1" ]; then
        fail "$2: $1 is missing or unreadable"
        return 0
    fi
    m=$(missing_from "$1" "${3:-}")
    assertEquals "options missing from $2 ($1)" "" "$m"
    return 0
}

test_list_options_prints_option_names() {
    run_sbx --list-options
    assertEquals "exit status (stderr: $(err))" 0 "$RC"
    n=$(wc -l <"$OUT")
    assertTrue "--list-options printed nothing" "[ $n -gt 0 ]"
    bad=$(grep -Ev '^--[a-z0-9][a-z0-9-]*$' "$OUT")
    assertEquals "lines that are not option names" "" "$bad"
    dup=$(sort "$OUT" | uniq -d)
    assertEquals "options listed twice" "" "$dup"
}

test_help_exits_zero() {
    run_sbx --help
    assertEquals "exit status (stderr: $(err))" 0 "$RC"
    assertTrue "--help printed nothing" "[ -s '$OUT' ]"
    assertEquals "--help wrote to stderr" "" "$(err)"
}

test_version_prints_a_version() {
    run_sbx --version
    assertEquals "exit status (stderr: $(err))" 0 "$RC"
    grep -Eq '[0-9]+\.[0-9]+' "$OUT" || fail "--version printed no version number: '$(out)'"
}

test_every_option_in_help() {
    "$SBX" --help >"$T/help" 2>&1
    m=$(missing_from "$T/help")
    assertEquals "options missing from --help" "" "$m"
    return 0
}

test_every_option_in_man_page() {
    need_docs || return 0
    # roff writes "--ro-bind" as "\-\-ro\-bind", maybe with font escapes around it
    sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' -e 's/\\&//g' \
        "$DOCS/man/sbx.1" >"$T/man.txt"
    m=$(missing_from "$T/man.txt")
    assertEquals "options missing from man/sbx.1" "" "$m"
    return 0
}

test_man_page_renders_without_warnings() {
    need_docs || return 0
    if command -v mandoc >/dev/null 2>&1; then
        w=$(mandoc -T lint -W warning "$DOCS/man/sbx.1" 2>&1)
        assertEquals "mandoc -T lint" "" "$w"
    elif command -v groff >/dev/null 2>&1; then
        w=$(LC_ALL=C.UTF-8 groff -man -ww -z "$DOCS/man/sbx.1" 2>&1)
        assertEquals "groff -ww warnings" "" "$w"
    else
        skip_test "neither mandoc nor groff is installed"
    fi
}

test_every_option_in_bash_completion() {
    need_docs || return 0
    check_doc "$DOCS/completions/bash/sbx" "the bash completion"
}

test_every_option_in_zsh_completion() {
    need_docs || return 0
    check_doc "$DOCS/completions/zsh/_sbx" "the zsh completion"
}

test_every_option_in_fish_completion() {
    need_docs || return 0
    check_doc "$DOCS/completions/fish/sbx.fish" "the fish completion" fish
}

test_every_option_in_readme() {
    need_docs || return 0
    check_doc "$DOCS/README.md" "README.md"
}

# The completions offer no option that sbx does not know.
test_completions_offer_only_known_options() {
    need_docs || return 0
    list_options | sort >"$T/known"
    c=$DOCS/completions
    {
        grep -Eo '^ *\[--[a-z0-9-]+\]=' "$c/bash/sbx" | tr -d ' []='
        grep -Eo "^ *'(\([^)]*\))?\*?--[a-z0-9-]+\[" "$c/zsh/_sbx" | sed -E "s/^ *'(\([^)]*\))?\*?//; s/\[\$//"
        grep '^complete -c sbx ' "$c/fish/sbx.fish" | grep -Eo -- ' -l [a-z0-9-]+' | sed 's/^ -l /--/'
    } | sort -u >"$T/offered"
    assertTrue "no option found in the completion files" "[ -s '$T/offered' ]"
    unknown=$(comm -13 "$T/known" "$T/offered" | tr '\n' ' ')
    assertEquals "completions offer options sbx does not know" "" "$unknown"
    return 0
}

# bash: source the completion and call its function as bash would.
test_bash_completion_completes() {
    need_docs || return 0
    got=$(cd "$T" && bash -c '
        . "$1"
        c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
              COMPREPLY=(); _sbx sbx "${COMP_WORDS[COMP_CWORD]}"; echo "$* => ${COMPREPLY[*]}"; }
        c sbx --ro-b
        c sbx --overlay-driver ""
        c sbx --cgroup-backend ""
        c sbx --cap-add cap_net_ad
        c sbx co
        c sbx holder st
        c sbx --unshare-all -- bas
    ' sh "$DOCS/completions/bash/sbx" 2>&1)
    echo "$got" | grep -q -- '^sbx --ro-b => .*--ro-bind\( \|$\)' || fail "--ro-b: $got"
    echo "$got" | grep -q -- '^sbx --overlay-driver  => auto kernel fuse$' || fail "--overlay-driver: $got"
    echo "$got" | grep -q -- '^sbx --cgroup-backend  => auto systemd cgroupfs$' || fail "--cgroup-backend: $got"
    echo "$got" | grep -q -- '^sbx --cap-add cap_net_ad => CAP_NET_ADMIN$' || fail "--cap-add: $got"
    echo "$got" | grep -q -- '^sbx co => commit' || fail "verb: $got"
    echo "$got" | grep -q -- '^sbx holder st => start stop status$' || fail "holder: $got"
    echo "$got" | grep -q -- '^sbx --unshare-all -- bas => .*bash' || fail "command: $got"
}

# The verbs are documented everywhere the options are.
test_every_verb_is_documented() {
    need_docs || return 0
    "$SBX" --help >"$T/help"
    for f in "$T/help" "$DOCS/man/sbx.1" "$DOCS/README.md" "$DOCS/completions/bash/sbx" \
        "$DOCS/completions/zsh/_sbx" "$DOCS/completions/fish/sbx.fish"; do
        for v in run commit holder; do
            grep -Eq "(^|[^-a-z])$v([^-a-z]|\$)" "$f" || fail "verb $v is missing from $f"
        done
        for a in start stop status; do
            grep -q "$a" "$f" || fail "holder $a is missing from $f"
        done
    done
}

test_zsh_completion_parses() {
    need_docs || return 0
    command -v zsh >/dev/null 2>&1 || { skip_test "zsh is not installed"; return 0; }
    head -1 "$DOCS/completions/zsh/_sbx" | grep -q '^#compdef sbx' || fail "_sbx does not start with #compdef sbx"
    e=$(zsh -n "$DOCS/completions/zsh/_sbx" 2>&1)
    assertEquals "zsh -n _sbx" "" "$e"
}

test_fish_completion_completes() {
    need_docs || return 0
    command -v fish >/dev/null 2>&1 || { skip_test "fish is not installed"; return 0; }
    e=$(fish -n "$DOCS/completions/fish/sbx.fish" 2>&1)
    assertEquals "fish -n sbx.fish" "" "$e"
    # shellcheck disable=SC2016 # $argv is fish's
    got=$(cd "$T" && HOME=$T XDG_CONFIG_HOME=$T XDG_DATA_HOME=$T fish --no-config -c '
        source $argv[1]
        complete -C "sbx --overlay-driver " | string replace -r "\t.*" "" | string join " "
        complete -C "sbx --ro-b" | string replace -r "\t.*" "" | string join " "
        complete -C "sbx holder " | string replace -r "\t.*" "" | string join " "
        complete -C "sbx holder start " | string replace -r "\t.*" "" | string join " "
        echo end' "$DOCS/completions/fish/sbx.fish" 2>&1)
    echo "$got" | grep -qx 'auto fuse kernel' || fail "fish --overlay-driver: $got"
    echo "$got" | grep -q -- '--ro-bind ' || fail "fish --ro-b: $got"
    echo "$got" | grep -qx 'start status stop' || fail "fish holder: $got"
    # nothing after the action: no line between the actions and "end"
    echo "$got" | tail -2 | head -1 | grep -qx 'start status stop' || fail "fish holder start: $got"
}

# shellcheck disable=SC1090
. "$SHUNIT2"
