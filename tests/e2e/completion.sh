# Shell completion: the bash script, driven as bash drives it (COMP_WORDS, COMP_CWORD), offers
# the binary's own commands and options, topology files, and the labs that are up and their
# namespaces (asked of `nstopo __complete`, which reads the state store); fish's script answers
# `complete -C`; zsh's parses and registers itself.
source "$(dirname "$0")/lib.sh"

"$NSTOPO" completion bash >"$WORK/nstopo.bash" || fail "completion bash"
"$NSTOPO" completion zsh >"$WORK/_nstopo" || fail "completion zsh"
"$NSTOPO" completion fish >"$WORK/nstopo.fish" || fail "completion fish"
chmod 644 "$WORK"/nstopo.bash "$WORK"/_nstopo "$WORK"/nstopo.fish
# `nstopo` on the PATH, for the scripts that call it by the name on the line.
mkdir -p "$WORK/bin"
ln -sf "$NSTOPO" "$WORK/bin/nstopo"
export PATH=$WORK/bin:$PATH

# candidates LINE: what bash's completion offers for LINE (completing its last word; a LINE that
# ends with a space completes a new, empty word), sorted, one per line.
candidates() {
  bash --norc --noprofile -c '
    source "$1"
    read -r -a COMP_WORDS <<< "$2"
    [[ $2 == *" " ]] && COMP_WORDS+=("")
    COMP_WORDS[0]=nstopo
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$2 COMP_POINT=${#2}
    _nstopo
    printf "%s\n" "${COMPREPLY[@]}" | sort -u | sed "/^$/d"' _ "$WORK/nstopo.bash" "$1"
}
lines() { printf '%s\n' "$@"; }

expect_eq "registered" "complete -F _nstopo nstopo" \
  "$(bash --norc -c 'source "$1"; complete -p nstopo' _ "$WORK/nstopo.bash")"

# Commands and options: the binary's own lists (the hidden __complete is not offered).
commands=$("$NSTOPO" __complete commands | sort)
expect_contains "the commands include apply" apply <(echo "$commands")
if grep -q __complete <<<"$commands"; then fail "__complete is listed"; else pass; fi
expect_eq "nstopo <TAB>" "$commands" "$(candidates 'nstopo ')"
expect_eq "nstopo ap<TAB>" "apply" "$(candidates 'nstopo ap')"
expect_eq "nstopo -q de<TAB>" "destroy" "$(candidates 'nstopo -q de')"
expect_eq "nstopo --state-dir /x st<TAB>" "status" "$(candidates 'nstopo --state-dir /x st')"
globals=$("$NSTOPO" __complete options | tr ' ' '\n')
for command in apply plan check destroy exec graph; do
  want=$( (echo "$globals"; "$NSTOPO" __complete options "$command" | tr ' ' '\n') | sort -u)
  expect_eq "nstopo $command -<TAB>" "$want" "$(candidates "nstopo $command -")"
done
expect_eq "nstopo plan --det<TAB>" "--detailed-exitcode" "$(candidates 'nstopo plan --det')"
expect_eq "nstopo graph --format <TAB>" "$(lines dot mermaid svg)" \
  "$(candidates 'nstopo graph --format ')"
expect_eq "nstopo completion <TAB>" "$(lines bash fish zsh)" "$(candidates 'nstopo completion ')"
expect_eq "nstopo help ap<TAB>" "apply" "$(candidates 'nstopo help ap')"

# Files: topology files and directories only.
mkdir -p "$WORK/files/labs"
touch "$WORK/files/a.yaml" "$WORK/files/b.yml" "$WORK/files/notes.txt"
cd "$WORK/files"
expect_eq "nstopo apply <TAB>" "$(lines a.yaml b.yml labs)" "$(candidates 'nstopo apply ')"
expect_eq "nstopo validate a.yaml <TAB> (repeats)" "$(lines a.yaml b.yml labs)" \
  "$(candidates 'nstopo validate a.yaml ')"
expect_eq "nstopo apply a.yaml <TAB> (one file)" "" "$(candidates 'nstopo apply a.yaml ')"
expect_eq "nstopo check --junit <TAB> (any path)" "$(lines a.yaml b.yml labs notes.txt)" \
  "$(candidates 'nstopo check --junit ')"

# No lab up: no lab names, no namespaces.
expect_eq "nstopo exec <TAB> with no lab" "" "$(candidates 'nstopo exec ')"
expect_eq "nstopo status <TAB> with no lab" "" "$(candidates 'nstopo status ')"

"$NSTOPO" apply -q "$TOPOLOGIES/two-routers.yaml" || fail "apply two-routers"
"$NSTOPO" apply -q "$TOPOLOGIES/pair-ns1-ns2.yaml" || fail "apply pair-ns1-ns2"
expect_eq "__complete labs" "$(lines pair-ns1-ns2 two-routers)" "$("$NSTOPO" __complete labs)"
expect_eq "nstopo destroy <TAB>" "$(lines a.yaml b.yml labs pair-ns1-ns2 two-routers)" \
  "$(candidates 'nstopo destroy ')"
expect_eq "nstopo destroy tw<TAB>" "two-routers" "$(candidates 'nstopo destroy tw')"
expect_eq "nstopo status <TAB>" "$(lines pair-ns1-ns2 two-routers)" "$(candidates 'nstopo status ')"
expect_eq "nstopo exec <TAB>" "$(lines ns01 ns02 ns1 ns2 router01 router02)" \
  "$(candidates 'nstopo exec ')"
expect_eq "nstopo -q exec r<TAB>" "$(lines router01 router02)" "$(candidates 'nstopo -q exec r')"
expect_eq "nstopo shell ns0<TAB>" "$(lines ns01 ns02)" "$(candidates 'nstopo shell ns0')"
expect_contains "nstopo exec ns01 pin<TAB>: programs" ping <(candidates 'nstopo exec ns01 pin')
expect_eq "nstopo exec ns01 -- ping <TAB>: files" "$(lines a.yaml b.yml labs notes.txt)" \
  "$(candidates 'nstopo exec ns01 -- ping ')"
# The line's global options choose the store the names come from.
expect_eq "nstopo --state-dir EMPTY destroy <TAB>" "$(lines a.yaml b.yml labs)" \
  "$(candidates "nstopo --state-dir $WORK/files/labs destroy ")"

# fish answers the same questions.
fish_candidates() {
  fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$WORK/nstopo.fish" "$1" |
    cut -f1 | sort -u
}
expect_contains "fish: nstopo ap<TAB>" apply <(fish_candidates 'nstopo ap')
expect_eq "fish: nstopo exec <TAB>" "$(lines ns01 ns02 ns1 ns2 router01 router02)" \
  "$(fish_candidates 'nstopo exec ' | grep -v '^-')"
expect_eq "fish: nstopo graph --format <TAB>" "$(lines dot mermaid svg)" \
  "$(fish_candidates 'nstopo graph --format ')"
expect_contains "fish: nstopo apply --<TAB>" --dry-run <(fish_candidates 'nstopo apply --')

# zsh: the script parses, and registers _nstopo for nstopo when sourced after compinit.
if zsh -n "$WORK/_nstopo"; then pass; else fail "zsh -n"; fi
expect_eq "zsh registers" "_nstopo" \
  "$(HOME=$WORK zsh -fc 'autoload -U compinit; compinit -u -D; source $1; print $_comps[nstopo]' _ "$WORK/_nstopo")"

cd /
"$NSTOPO" destroy -q pair-ns1-ns2 || fail "destroy pair-ns1-ns2"
"$NSTOPO" destroy -q two-routers || fail "destroy two-routers"
expect_eq "nstopo status <TAB> after destroy" "" "$(candidates 'nstopo status ')"
expect_eq "nstopo exec <TAB> after destroy" "" "$(candidates 'nstopo exec ')"
finish
