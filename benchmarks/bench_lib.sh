# Shared by the Speed II scripts (sourced): commands measured in turn, rep by rep, so that the noise of this
# shared machine hits them alike; medians of wall time and the largest peak RSS.
#   bench_add NAME CMD...   registers a command (its output to /dev/null, stderr kept for a failure)
#   bench_run REPS          warms each up once, then runs them all in turn REPS times; a command that took
#                           under a second is run 10 times back to back per measurement, its time divided
#   bench_wall NAME / bench_rss_mib NAME   the results
#   bench_table [LIMIT_NAME...]  a Markdown table of every command, with its ratio to each LIMIT_NAME
# Needs $tmp (a scratch directory).
declare -a _bn=() _bc=() _bw=() _br=() _bk=()
bench_add() {
  local name=$1; shift
  _bn+=("$name")
  _bc+=("$(printf '%q ' "$@")")
}
_bench_idx() { local i; for i in "${!_bn[@]}"; do [ "${_bn[$i]}" = "$1" ] && { echo "$i"; return 0; }; done; echo "bench: no command named $1" >&2; return 1; }
_bench_time() {  # _bench_time INNER CMDSTRING: sets _w (s per run) and _r (KiB)
  local line
  /usr/bin/time -f '%e %M' -o "$tmp/bench_time" bash -c 'for _ in $(seq "$1"); do eval "$2" >/dev/null 2>"$3" || exit 1; done' _ "$1" "$2" "$tmp/bench_err" ||
    { echo "failed: $2: $(tail -2 "$tmp/bench_err")" >&2; exit 1; }
  line=$(tail -1 "$tmp/bench_time")
  _w=$(awk -v t="${line% *}" -v k="$1" 'BEGIN { printf "%.4f", t / k }')
  _r=${line#* }
}
bench_median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
bench_run() {
  local reps=$1 i rep
  declare -ga _bk=() _bw=() _br=()
  declare -A all=()
  for i in "${!_bn[@]}"; do
    _bench_time 1 "${_bc[$i]}"
    _bk[$i]=1
    awk -v t="$_w" 'BEGIN { exit !(t < 1.0) }' && _bk[$i]=10
    _br[$i]=0
    all[$i]=""
  done
  for rep in $(seq "$reps"); do
    for i in "${!_bn[@]}"; do
      _bench_time "${_bk[$i]}" "${_bc[$i]}"
      all[$i]+=" $_w"
      [ "$_r" -gt "${_br[$i]}" ] && _br[$i]=$_r
    done
  done
  for i in "${!_bn[@]}"; do
    # shellcheck disable=SC2086
    _bw[$i]=$(bench_median ${all[$i]})
  done
}
bench_wall() { local i; i=$(_bench_idx "$1") && echo "${_bw[$i]}"; }
bench_rss_mib() { local i; i=$(_bench_idx "$1") && awk -v r="${_br[$i]}" 'BEGIN { printf "%.0f", r / 1024 }'; }
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
bench_yes() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { ok = (op == "<=") ? (a <= b) : (a >= b); print ok ? "yes" : "NO" }'; }
bench_table() {
  local i l head="| command | wall (s) | peak RSS (MiB) |" rule="|---|---|---|" row
  for l in "$@"; do head+=" / $l |"; rule+="---|"; done
  echo "$head"; echo "$rule"
  for i in "${!_bn[@]}"; do
    row=$(awk -v n="${_bn[$i]}" -v w="${_bw[$i]}" -v r="${_br[$i]}" 'BEGIN { printf "| %s | %.3f | %.0f |", n, w, r / 1024 }')
    for l in "$@"; do row+=" $(bench_ratio "${_bw[$i]}" "$(bench_wall "$l")") |"; done
    echo "$row"
  done
}
