# shellcheck shell=bash
# =============================================================================
#  repl-pki SLOT  --  everything the harness needs to time repl-pki lives here.
# =============================================================================
# repl-pki does not exist yet. When it does, run the same harness with
#
#     REPL_PKI="node $PROJECT/bin/repl-pki.js" bash run-peers.sh --full
#
# (or with `repl-pki` on PATH) and its rows appear next to the peers', timed the
# same way, against the same reference measured in the same run. Without it
# every repl-pki row reads "skipped: repl-pki not found".
#
# Commands the harness calls (the planned CLI):
#   setup (untimed)  repl-pki init-ca --dir D --cn NAME --key-type ec-p256|rsa-2048
#   ec/rsa-leaf      repl-pki issue replica NAME --dir D        one process per cert
#   ec-leaf (bulk)   repl-pki fixtures --out DIR --replicas N   one process, N certs
#   crl-*            repl-pki crl --dir D                       after REPL_PKI_CRL_PREP
#   cold-start       repl-pki $REPL_PKI_COLD_ARGS (default: --version)
#
# Environment knobs:
#   REPL_PKI            command line for the CLI (word-split; no quoting inside)
#   REPL_PKI_COLD_ARGS  arguments for the cold-start row (default "--version")
#   REPL_PKI_CRL_PREP   shell command that turns an empty directory into a
#                       repl-pki CA with N revoked certificates (see rp_crl_prep).
#                       Unset -> the CRL rows are "skipped: needs REPL_PKI_CRL_PREP".
#   REPL_PKI_CRL_FILE   path of the CRL that `repl-pki crl` writes, relative to
#                       --dir (default: the newest *.crl / *crl*.pem under --dir).
#   REPL_PKI_CERT_FILE  path of the issued cert, relative to --dir, with {name}
#                       for NAME (default: the newest *{name}*.pem/.crt under --dir).
#   REPL_PKI_KEY_FILE   same for the leaf key (default: *{name}*key*; may be empty).
#   REPL_PKI_CA_FILE    the CA certificate, relative to --dir (default: the first
#                       *.pem/*.crt under --dir whose basicConstraints say CA:TRUE).
# =============================================================================

# repl-pki's own copy of the harness: default to this checkout's CLI and CRL prep hook.
RP_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${REPL_PKI:=node $RP_REPO/bin/repl-pki.js}"
: "${REPL_PKI_CRL_PREP:=node $RP_REPO/bench/lib/crl-prep.mjs}"
export REPL_PKI REPL_PKI_CRL_PREP

RP=()
rp_detect() {
  if [[ -n ${REPL_PKI:-} ]]; then
    read -r -a RP <<<"$REPL_PKI"
  elif command -v repl-pki >/dev/null 2>&1; then
    RP=(repl-pki)
  else
    RP=()
  fi
  if ((${#RP[@]})) && ! command -v "${RP[0]}" >/dev/null 2>&1; then
    log "REPL_PKI is set but '${RP[0]}' is not runnable: repl-pki rows will be skipped"
    RP=()
  fi
  ((${#RP[@]}))
}
rp_available() { ((${#RP[@]})); }

# --- setup, untimed -----------------------------------------------------------
# rp_init_ca DIR ec|rsa
rp_init_ca() {
  local kt=ec-p256; [[ $2 == rsa ]] && kt=rsa-2048
  "${RP[@]}" init-ca --dir "$1" --cn "Bench repl-pki CA ($kt)" --key-type "$kt"
}

# --- timed: one process per certificate --------------------------------------
# rp_issue DIR INDEX
rp_issue() { "${RP[@]}" issue replica "replica-$2" --dir "$1"; }

# --- timed: bulk, one process -------------------------------------------------
# rp_fixtures OUTDIR N
rp_fixtures() { "${RP[@]}" fixtures --out "$1" --replicas "$2"; }

# --- CRL ------------------------------------------------------------------------
# rp_crl_prep DIR N INDEX SERIALS CA_CERT CA_KEY   (untimed)
# Runs $REPL_PKI_CRL_PREP with, in its environment:
#   RP_DIR      the (empty) directory to turn into a repl-pki CA dir
#   RP_N        number of revoked certificates wanted
#   RP_INDEX    an OpenSSL index.txt with exactly those RP_N revoked entries
#               (serial 0x01000000+i, reason superseded, revoked 2025-01-01)
#   RP_SERIALS  the same serials, decimal, one per line
#   RP_CA_CERT, RP_CA_KEY   the bench's EC P-256 CA (PEM; key is PKCS#8)
#   REPL_PKI    the CLI command line
# e.g. REPL_PKI_CRL_PREP='$REPL_PKI init-ca --dir "$RP_DIR" --cn x --key-type ec-p256 &&
#                         node my-import.mjs "$RP_DIR" "$RP_INDEX"'
rp_crl_prep() {
  [[ -n ${REPL_PKI_CRL_PREP:-} ]] || return 3
  RP_DIR=$1 RP_N=$2 RP_INDEX=$3 RP_SERIALS=$4 RP_CA_CERT=$5 RP_CA_KEY=$6 \
    REPL_PKI="${RP[*]}" bash -c "$REPL_PKI_CRL_PREP"
}
rp_crl() { "${RP[@]}" crl --dir "$1"; }
rp_find_crl() { # DIR -> path
  if [[ -n ${REPL_PKI_CRL_FILE:-} ]]; then printf '%s\n' "$1/$REPL_PKI_CRL_FILE"; return; fi
  find "$1" -type f \( -name '*.crl' -o -name '*crl*.pem' \) -printf '%T@ %p\n' 2>/dev/null |
    sort -rn | head -n1 | cut -d' ' -f2-
}

# --- cold start -------------------------------------------------------------
rp_cold() { "${RP[@]}" ${REPL_PKI_COLD_ARGS:---version}; }

# --- locating outputs for the key-type check -----------------------------------
rp_find_cert() { # DIR NAME -> path
  if [[ -n ${REPL_PKI_CERT_FILE:-} ]]; then printf '%s\n' "$1/${REPL_PKI_CERT_FILE//\{name\}/$2}"; return; fi
  local f
  while read -r f; do
    grep -q 'BEGIN CERTIFICATE' "$f" 2>/dev/null && { printf '%s\n' "$f"; return; }
  done < <(find "$1" -type f \( -name "*$2*.pem" -o -name "*$2*.crt" \) ! -name '*key*' -printf '%T@ %p\n' 2>/dev/null | sort -rn | cut -d' ' -f2-)
}
rp_find_ca() { # DIR -> path of the CA certificate (REPL_PKI_CA_FILE, or the first CA:TRUE cert)
  if [[ -n ${REPL_PKI_CA_FILE:-} ]]; then printf '%s\n' "$1/$REPL_PKI_CA_FILE"; return; fi
  local f
  while read -r f; do
    openssl x509 -in "$f" -noout -text 2>/dev/null | grep -q 'CA:TRUE' && { printf '%s\n' "$f"; return; }
  done < <(find "$1" -type f \( -name '*.pem' -o -name '*.crt' \) 2>/dev/null | sort)
}
rp_find_key() {
  if [[ -n ${REPL_PKI_KEY_FILE+x} ]]; then
    [[ -n $REPL_PKI_KEY_FILE ]] && printf '%s\n' "$1/${REPL_PKI_KEY_FILE//\{name\}/$2}"
    return
  fi
  find "$1" -type f -name "*$2*key*" -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -n1 | cut -d' ' -f2-
}
