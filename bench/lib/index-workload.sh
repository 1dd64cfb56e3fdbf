# shellcheck shell=bash
# repl-pki's own workload (issue 8), sourced by run-peers.sh after the peers' workloads are defined:
#   index-<N>-issue  `repl-pki issue replica` (EC P-256, one process per certificate) on a CA whose
#                    index already holds N certificates; reference: node-proc-floor in the same rounds
#   list-<N>         `repl-pki list` over N certificates; reference: a node process that reads and
#                    splits the same index file (lib/parse-index.mjs)
index_workload() {
  local D=$WORK/index n w r t lf
  log "== index: repl-pki issue and list on a CA that already holds many certificates"
  if ! rp_available; then note index repl-pki "skipped: repl-pki not found (set REPL_PKI)"; return 0; fi
  mkdir -p "$D/logs"
  make_ca ec "$D/ca" || return 1
  local CA=$D/ca
  for n in $INDEX_SIZES; do
    local dir=$D/ca-$n
    log "  loading $n certificates into $dir (untimed)"
    node "$BENCH_LIB/index-prep.mjs" "$dir" "$n" >>"$D/logs/prep.log" 2>&1 || { mark_failed "index-$(human "$n")-issue" repl-pki "$D/logs/prep.log" "prep failed"; continue; }
    w=index-$(human "$n")-issue
    ref "$w" node-proc-floor
    mkdir -p "$D/floor-$n"
    nodeproc_item "$D/floor-$n" ec "$CA" warm >>"$D/logs/floor.log" 2>&1
    "${RP[@]}" issue replica warm --dir "$dir" >>"$D/logs/repl-pki.log" 2>&1 || mark_failed "$w" repl-pki "$D/logs/repl-pki.log" "warm-up issue failed"
    check_leaf "$w" repl-pki "$dir/certs/warm.pem" "$dir/keys/warm.key" "$dir/ca/root.pem" ec
    for (( r = 1; r <= ROUNDS; r++ )); do
      while read -r t; do
        case $t in
          node-proc-floor) time_items "$w" "$t" "$r" "$INDEX_K" "$D/logs/floor.log" nodeproc_item "$D/floor-$n" ec "$CA" ;;
          repl-pki) time_items "$w" "$t" "$r" "$INDEX_K" "$D/logs/repl-pki.log" index_issue_item "$dir" ;;
        esac
      done < <(rotate "$r" node-proc-floor repl-pki)
    done
    if ((n >= 100000)); then
      w=list-$(human "$n")
      ref "$w" node-parse-index
      local want=$(( $("${RP[@]}" list --dir "$dir" | wc -l) - 1 ))
      if (( want < n )); then note "$w" repl-pki "CHECK FAILED: list printed $want rows, expected at least $n"; else note "$w" repl-pki "check: list printed $want rows"; fi
      for (( r = 1; r <= ROUNDS; r++ )); do
        while read -r t; do
          case $t in
            node-parse-index) time_items "$w" "$t" "$r" 1 "$D/logs/parse.log" index_parse_item "$dir" ;;
            repl-pki) time_items "$w" "$t" "$r" 1 "$D/logs/list.log" index_list_item "$dir" ;;
          esac
        done < <(rotate "$r" node-parse-index repl-pki)
      done
    fi
    ((KEEP)) || rm -rf "$dir"
  done
}
index_issue_item() { "${RP[@]}" issue replica "replica-$2" --dir "$1"; }  # DIR IDX
index_list_item() { "${RP[@]}" list --dir "$1" >/dev/null; }               # DIR IDX
index_parse_item() { node "$BENCH_LIB/parse-index.mjs" "$1/index.log"; }   # DIR IDX
