# Shared helpers for the command-line tests: each check prints one line and counts passes and failures.
n_pass=0
n_fail=0

pass() { n_pass=$((n_pass + 1)); echo "ok   $1"; }
fail() { n_fail=$((n_fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '     %s\n' "$2"; }

# run CMD...: runs a command, keeping its exit code in $rc, stdout in $out and stderr in $err.
run() {
  local o e
  o=$(mktemp) e=$(mktemp)
  "$@" >"$o" 2>"$e"
  rc=$?
  out=$(cat "$o")
  err=$(cat "$e")
  rm -f "$o" "$e"
}

expect_rc() {  # expect_rc NAME WANT
  if [ "$rc" -eq "$2" ]; then pass "$1 (exit $rc)"; else fail "$1: exit $rc, expected $2" "stderr: $err"; fi
}

expect_eq() {  # expect_eq NAME GOT WANT
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}

expect_match() {  # expect_match NAME TEXT REGEX
  if grep -Eq -- "$3" <<<"$2"; then pass "$1"; else fail "$1" "'$2' does not match /$3/"; fi
}

expect_one_line() {  # expect_one_line NAME TEXT
  local n
  n=$(printf '%s\n' "$2" | grep -c .)
  if [ "$n" -eq 1 ]; then pass "$1"; else fail "$1: $n lines" "$2"; fi
}

finish() {
  echo "$n_pass passed, $n_fail failed"
  [ "$n_fail" -eq 0 ]
}
