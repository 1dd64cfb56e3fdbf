#!/usr/bin/env bash
# run-peers.sh -- side-by-side performance of certificate-authority tools (the
# peers of repl-pki) against the node:crypto floor, all measured in ONE run so
# that every figure can be quoted as a ratio to a reference from the same run.
#
#   bash run-peers.sh [--quick | --full] [--only ec,rsa,crl,cold] [--keep]
#                     [--out DIR] [--work DIR]
#
#   --quick   about 2 minutes: fewer items and rounds, CRLs of 10k and 100k
#             entries only (default)
#   --full    about 8-10 minutes on a 2-core machine: adds 1M-entry CRLs, more
#             items per round, more rounds
#   --only    run only these workloads (comma list of ec, rsa, crl, cold, index)
#   --keep    keep the scratch directory (certificates, CRLs, logs)
#   --out     where raw-*.tsv, results-*.txt and results-*.md go (default ./out)
#   --work    scratch directory (default: a new /tmp/repl-pki-bench.XXXXXX)
#
# repl-pki is timed too when REPL_PKI (or `repl-pki` on PATH) is set; see
# lib/repl-pki.sh and README.md. Tools that are not installed are skipped.
#
# Every workload is run in ROUNDS; in each round every tool runs one batch, the
# tools taking turns in a rotating order, so drift on a shared machine hits all
# of them alike. A tool's figure is the median of its per-round figures; its
# ratio is the median of the per-round ratios to the workload's reference.

set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_LIB=$HERE/lib
# shellcheck source=lib/common.sh
source "$BENCH_LIB/common.sh"
# shellcheck source=lib/repl-pki.sh
source "$BENCH_LIB/repl-pki.sh"

SCALE=quick ONLY=ec,rsa,crl,cold,index KEEP=0 OUTDIR=$HERE/out WORK=
while (($#)); do
  case $1 in
    --quick) SCALE=quick ;;
    --full) SCALE=full ;;
    --scale) SCALE=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --keep) KEEP=1 ;;
    --out) OUTDIR=$2; shift ;;
    --work) WORK=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# ---------------------------------------------------------------- scale
# EC_K / RSA_K: certificates per round for whole-process tools (one process per
# certificate); *_KIN: certificates per round for in-process tools.
# CAP: seconds allowed to one in-process CRL run (the naive JS generators).
# SLOW_S: a CRL tool whose first round at a size took longer than this many
# seconds is not run again at that size (its n then reads 1x1).
# PROBE_SIZES: sizes for the x509-naive scaling probe (empty: no probe).
# RSA keys take a random time to find (prime search), hence more items per
# round for RSA in --full.
case $SCALE in
  quick) ROUNDS=3 EC_K=4  EC_KIN=100 RSA_K=3  RSA_KIN=6
         CRL_SIZES="10000 100000"          CRL_ROUNDS=3 CRL_ROUNDS_1M=1 CAP=10 SLOW_S=3
         COLD_K=10 PROBE_SIZES= INDEX_SIZES="1000 100000" INDEX_K=4 ;;
  full)  ROUNDS=5 EC_K=10 EC_KIN=500 RSA_K=12 RSA_KIN=24
         CRL_SIZES="10000 100000 1000000"  CRL_ROUNDS=5 CRL_ROUNDS_1M=3 CAP=60 SLOW_S=30
         COLD_K=20 PROBE_SIZES=2000,4000,8000,16000 INDEX_SIZES="1000 100000" INDEX_K=10 ;;
  *) echo "--scale must be quick or full" >&2; exit 2 ;;
esac
CRL_SIZES=${BENCH_CRL_SIZES:-$CRL_SIZES}
CAP=${BENCH_CRL_CAP:-$CAP}
PROBE_CAP=$(( CAP * 2 ))

# ---------------------------------------------------------------- set-up
have node || { echo "node is required (it is the floor)" >&2; exit 1; }
have openssl || { echo "openssl is required (CA set-up and output checks)" >&2; exit 1; }

mkdir -p "$OUTDIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$OUTDIR/raw-$STAMP.tsv
: >"$RAW"
if [[ -z $WORK ]]; then WORK=$(mktemp -d /tmp/repl-pki-bench.XXXXXX); else mkdir -p "$WORK"; fi
WORK=$(cd "$WORK" && pwd)
cleanup() { if ((KEEP)); then log "scratch kept in $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK" || exit 1
T_START=$SECONDS

EASYRSA_BIN=${EASYRSA_BIN:-$(command -v easyrsa || true)}
[[ -z $EASYRSA_BIN && -x /usr/share/easy-rsa/easyrsa ]] && EASYRSA_BIN=/usr/share/easy-rsa/easyrsa
HAVE_X509=0
# repl-pki's copy: @peculiar/x509 comes from the repository's own node_modules (npm ci at the top).
X509_DIR=$(cd "$HERE/.." && pwd)/node_modules/@peculiar/x509
[[ -d $X509_DIR ]] && HAVE_X509=1
rp_detect || true

ver() { "$@" 2>&1 | head -n1 | tr '\t' ' '; }
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta scale "$SCALE"
meta machine "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME")"
meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta node "$(node --version)"
meta openssl "$(ver openssl version)"
have cfssl && meta cfssl "$(cfssl version 2>&1 | tr '\n' ' ')"
have mkcert && meta mkcert "$(ver mkcert -version)"
[[ -n $EASYRSA_BIN ]] && meta easy-rsa "$("$EASYRSA_BIN" --version 2>&1 | awk '/^Version/{print $2}')"
((HAVE_X509)) && meta @peculiar/x509 "$(node -p 'require(process.argv[1]).version' "$X509_DIR/package.json")"
rp_available && meta repl-pki "${RP[*]}"

log "repl-pki bench: scale=$SCALE rounds=$ROUNDS work=$WORK raw=$RAW"

# ---------------------------------------------------------------- helpers
human() { case $1 in *000000) echo "${1%000000}M" ;; *000) echo "${1%000}k" ;; *) echo "$1" ;; esac; }
rotate() { # ROUND NAME... -> the names, rotated by ROUND-1
  local r=$1; shift
  local n=$# i; local a=("$@")
  for (( i = 0; i < n; i++ )); do printf '%s\n' "${a[$(( (i + r - 1) % n ))]}"; done
}

# make_ca ec|rsa DIR: a CA key (PKCS#8 PEM) + self-signed CA certificate, plus
# the per-tool config files that point at it.
make_ca() {
  local kind=$1 d=$2
  mkdir -p "$d"
  if [[ $kind == ec ]]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/ca-key.pem" 2>/dev/null
  else
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/ca-key.pem" 2>/dev/null
  fi
  openssl req -x509 -new -key "$d/ca-key.pem" -subj "/CN=Bench $kind CA" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$d/ca.pem" 2>/dev/null || return 1
  cat >"$d/client.ext" <<'EOF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  cat >"$d/cfssl.json" <<'EOF'
{"signing":{"default":{"expiry":"8760h"},"profiles":{"client":{"expiry":"8760h","usages":["signing","digital signature","key encipherment","client auth"]}}}}
EOF
  # mkcert reads its CA from $CAROOT (the key must be PKCS#8, which it is)
  mkdir -p "$d/mkcert"
  cp "$d/ca.pem" "$d/mkcert/rootCA.pem"
  cp "$d/ca-key.pem" "$d/mkcert/rootCA-key.pem"
}

# easy-rsa with everything it reads given explicitly. EASYRSA_CURVE must be set:
# easy-rsa 3.1's default curve is secp384r1, not P-256.
easyrsa_run() { # PKI KIND ARGS...
  local pki=$1 kind=$2; shift 2
  local algo=ec; [[ $kind == rsa ]] && algo=rsa
  EASYRSA=$(dirname "$EASYRSA_BIN") EASYRSA_PKI=$pki EASYRSA_BATCH=1 \
    EASYRSA_ALGO=$algo EASYRSA_CURVE=prime256v1 EASYRSA_KEY_SIZE=2048 EASYRSA_DIGEST=sha256 \
    "$EASYRSA_BIN" "$@"
}
easyrsa_setup() { # PKI KIND
  easyrsa_run "$1" "$2" init-pki >/dev/null 2>&1 &&
    EASYRSA_REQ_CN="Bench easy-rsa $2 CA" easyrsa_run "$1" "$2" build-ca nopass >/dev/null 2>&1
}

# ---------------------------------------------------------------- item commands
# Each takes its fixed arguments, then the item index last.
ossl3_item() { # DIR KIND CA IDX: three processes, as in a typical shell script
  local d=$1 kind=$2 ca=$3 n=replica-$4
  if [[ $kind == ec ]]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/$n.key" || return
  else
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/$n.key" || return
  fi
  openssl req -new -key "$d/$n.key" -subj "/CN=$n" -out "$d/$n.csr" || return
  openssl x509 -req -in "$d/$n.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca-key.pem" -CAserial "$d/ca.srl" \
    -CAcreateserial -days 365 -sha256 -extfile "$ca/client.ext" -out "$d/$n.pem"
}
ossl1_item() { # DIR KIND CA IDX: one process (OpenSSL 3 `req -x509 -CA`)
  local d=$1 kind=$2 ca=$3 n=replica-$4 nk=(-newkey rsa:2048)
  [[ $kind == ec ]] && nk=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
  openssl req -x509 "${nk[@]}" -noenc -keyout "$d/$n.key" -out "$d/$n.pem" -subj "/CN=$n" \
    -CA "$ca/ca.pem" -CAkey "$ca/ca-key.pem" -days 365 -sha256 \
    -addext "basicConstraints=critical,CA:FALSE" -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
    -addext "extendedKeyUsage=clientAuth"
}
easyrsa_item() { easyrsa_run "$1" "$2" build-client-full "replica-$3" nopass; } # PKI KIND IDX
cfssl_item() { # DIR KIND CA IDX: gencert | cfssljson, the documented pipeline
  local d=$1 kind=$2 ca=$3 n=replica-$4 key='"algo":"rsa","size":2048'
  [[ $kind == ec ]] && key='"algo":"ecdsa","size":256'
  cfssl gencert -ca "$ca/ca.pem" -ca-key "$ca/ca-key.pem" -config "$ca/cfssl.json" -profile client - \
    <<<"{\"CN\":\"$n\",\"key\":{$key}}" | cfssljson -bare "$d/$n"
}
mkcert_item() { # DIR KIND CA IDX
  local d=$1 kind=$2 ca=$3 n=replica-$4 ecf=()
  [[ $kind == ec ]] && ecf=(-ecdsa)
  CAROOT=$ca/mkcert mkcert -client "${ecf[@]}" -cert-file "$d/$n.pem" -key-file "$d/$n-key.pem" "$n"
}
nodeproc_item() { node "$BENCH_LIB/floor-once.mjs" "$2" "$3/ca-key.pem" "$1/replica-$4"; } # DIR KIND CA IDX

# ============================================================== 1 + 2: leaf issuance
leaf_workload() {
  local kind=$1 w=$1-leaf D=$WORK/$1 k kin t r
  if [[ $kind == ec ]]; then k=$EC_K kin=$EC_KIN; else k=$RSA_K kin=$RSA_KIN; fi
  log "== $w: key generation + certificate signed by an existing $kind CA + files"
  mkdir -p "$D/logs"
  make_ca "$kind" "$D/ca" || { log "CA set-up failed"; return 1; }
  local CA=$D/ca
  ref "$w" floor
  ref2 "$w" node-proc-floor # the yardstick for one-process-per-cert CLIs
  local tools=(floor floor+files)
  [[ $kind == rsa ]] && tools+=(floor-async)
  tools+=(x509-naive node-proc-floor openssl-3proc openssl-1proc easyrsa cfssl mkcert repl-pki)
  [[ $kind == ec ]] && tools+=(repl-pki-fixtures)

  # availability, set-up, one untimed warm-up item each, output checks
  local live=() lf
  for t in "${tools[@]}"; do
    lf=$D/logs/$t.log; mkdir -p "$D/$t"
    case $t in
      floor|floor+files|floor-async) live+=("$t") ;;
      x509-naive)
        if ((HAVE_X509)); then live+=("$t"); else note "$w" "$t" "skipped: npm dependencies not installed"; fi ;;
      node-proc-floor)
        nodeproc_item "$D/$t" "$kind" "$CA" warm >>"$lf" 2>&1 && live+=("$t") || mark_failed "$w" "$t" "$lf" "warm-up failed" ;;
      openssl-3proc|openssl-1proc)
        local fn=ossl3_item; [[ $t == openssl-1proc ]] && fn=ossl1_item
        if $fn "$D/$t" "$kind" "$CA" warm >>"$lf" 2>&1; then
          check_leaf "$w" "$t" "$D/$t/replica-warm.pem" "$D/$t/replica-warm.key" "$CA/ca.pem" "$kind" && live+=("$t")
        else mark_failed "$w" "$t" "$lf" "warm-up failed"; fi ;;
      easyrsa)
        if [[ -z $EASYRSA_BIN ]]; then note "$w" "$t" "skipped: easy-rsa not installed"; continue; fi
        if easyrsa_setup "$D/$t/pki" "$kind" >>"$lf" 2>&1 && easyrsa_item "$D/$t/pki" "$kind" warm >>"$lf" 2>&1; then
          check_leaf "$w" "$t" "$D/$t/pki/issued/replica-warm.crt" "$D/$t/pki/private/replica-warm.key" "$D/$t/pki/ca.crt" "$kind" && live+=("$t")
        else mark_failed "$w" "$t" "$lf" "set-up or warm-up failed"; fi ;;
      cfssl)
        if ! have cfssl || ! have cfssljson; then note "$w" "$t" "skipped: cfssl/cfssljson not installed"; continue; fi
        if cfssl_item "$D/$t" "$kind" "$CA" warm >>"$lf" 2>&1; then
          check_leaf "$w" "$t" "$D/$t/replica-warm.pem" "$D/$t/replica-warm-key.pem" "$CA/ca.pem" "$kind" && live+=("$t")
        else mark_failed "$w" "$t" "$lf" "warm-up failed"; fi ;;
      mkcert)
        if ! have mkcert; then note "$w" "$t" "skipped: mkcert not installed"; continue; fi
        if mkcert_item "$D/$t" "$kind" "$CA" warm >>"$lf" 2>&1; then
          check_leaf "$w" "$t" "$D/$t/replica-warm.pem" "$D/$t/replica-warm-key.pem" "$CA/ca.pem" "$kind" && live+=("$t")
        else mark_failed "$w" "$t" "$lf" "warm-up failed"; fi ;;
      repl-pki)
        if ! rp_available; then note "$w" "$t" "skipped: repl-pki not found (set REPL_PKI)"; continue; fi
        if rp_init_ca "$D/$t/ca" "$kind" >>"$lf" 2>&1 && rp_issue "$D/$t/ca" warm >>"$lf" 2>&1; then
          local c; c=$(rp_find_cert "$D/$t/ca" replica-warm)
          local cacert; cacert=$(rp_find_ca "$D/$t/ca")
          if [[ -n $c && -n $cacert ]]; then
            check_leaf "$w" "$t" "$c" "$(rp_find_key "$D/$t/ca" replica-warm)" "$cacert" "$kind" && live+=("$t")
          else note "$w" "$t" "issued, but the cert/CA file was not found: key type NOT checked (set REPL_PKI_CERT_FILE)"; live+=("$t"); fi
        else mark_failed "$w" "$t" "$lf" "init-ca or warm-up issue failed"; fi ;;
      repl-pki-fixtures)
        if ! rp_available; then note "$w" "$t" "skipped: repl-pki not found (set REPL_PKI)"; continue; fi
        live+=("$t") ;;
    esac
  done

  local common=(--ca-cert "$CA/ca.pem" --ca-key "$CA/ca-key.pem")
  for (( r = 1; r <= ROUNDS; r++ )); do
    log "  round $r/$ROUNDS"
    while read -r t; do
      lf=$D/logs/$t.log
      case $t in
        floor)        inproc "$w" "$t" "$r" "$lf" 600 "floor-$kind" --k "$kin" --warm 3 "${common[@]}" ;;
        floor+files)  inproc "$w" "$t" "$r" "$lf" 600 "floor-$kind-files" --k "$kin" --warm 3 --out "$D/$t" "${common[@]}" ;;
        floor-async)  inproc "$w" "$t" "$r" "$lf" 600 floor-rsa-async --k "$kin" --warm 2 "${common[@]}" ;;
        x509-naive)
          inproc "$w" "$t" "$r" "$lf" 600 "x509-$kind" --k "$kin" --warm 3 --out "$D/$t" "${common[@]}"
          ((r == 1)) && [[ -f $D/$t/replica-0.crt ]] && check_leaf "$w" "$t" "$D/$t/replica-0.crt" "$D/$t/replica-0.key" "$CA/ca.pem" "$kind" ;;
        node-proc-floor) time_items "$w" "$t" "$r" "$k" "$lf" nodeproc_item "$D/$t" "$kind" "$CA" ;;
        openssl-3proc)   time_items "$w" "$t" "$r" "$k" "$lf" ossl3_item "$D/$t" "$kind" "$CA" ;;
        openssl-1proc)   time_items "$w" "$t" "$r" "$k" "$lf" ossl1_item "$D/$t" "$kind" "$CA" ;;
        easyrsa)         time_items "$w" "$t" "$r" "$k" "$lf" easyrsa_item "$D/$t/pki" "$kind" ;;
        cfssl)           time_items "$w" "$t" "$r" "$k" "$lf" cfssl_item "$D/$t" "$kind" "$CA" ;;
        mkcert)          time_items "$w" "$t" "$r" "$k" "$lf" mkcert_item "$D/$t" "$kind" "$CA" ;;
        repl-pki)        time_items "$w" "$t" "$r" "$k" "$lf" rp_issue "$D/$t/ca" ;;
        repl-pki-fixtures)
          rm -rf "$D/$t/fx"; time_once "$w" "$t" "$r" "$kin" "$lf" rp_fixtures "$D/$t/fx" "$kin" ;;
      esac
    done < <(rotate "$r" "${live[@]}")
  done
}

# ============================================================== 3: CRL generation
osslca_gencrl() { BENCH_CRL_INDEX=$1 openssl ca -config "$2" -gencrl -out "$3"; }    # INDEX CONF OUT IDX
easyrsa_gencrl() { easyrsa_run "$1" ec gen-crl; }                                  # PKI IDX
cfssl_gencrl() { cfssl gencrl "$1" "$2/ca.pem" "$2/ca-key.pem" >"$3"; }            # SERIALS CA OUT IDX

crl_workload() {
  local D=$WORK/crl n w r t lf rounds
  log "== crl: CRL generation from a synthetic revocation list (EC P-256 CA)"
  mkdir -p "$D/logs" "$D/openssl-ca" "$D/cfssl" "$D/js"
  make_ca ec "$D/ca" || return 1
  local CA=$D/ca
  cat >"$D/openssl-ca/ca.cnf" <<EOF
[ ca ]
default_ca = bench_ca
[ bench_ca ]
database         = \$ENV::BENCH_CRL_INDEX
certificate      = $CA/ca.pem
private_key      = $CA/ca-key.pem
default_md       = sha256
default_crl_days = 30
unique_subject   = no
EOF
  local tools=(floor der-crl-js asn1-x509 x509-naive openssl-ca easyrsa cfssl repl-pki) live=()
  for t in "${tools[@]}"; do
    lf=$D/logs/$t.log
    case $t in
      floor|der-crl-js) live+=("$t") ;;
      asn1-x509|x509-naive)
        if ((HAVE_X509)); then live+=("$t"); else note crl "$t" "skipped: npm dependencies not installed"; fi ;;
      openssl-ca) live+=("$t") ;;
      easyrsa)
        if [[ -z $EASYRSA_BIN ]]; then note crl "$t" "skipped: easy-rsa not installed"; continue; fi
        if easyrsa_setup "$D/easyrsa/pki" ec >>"$lf" 2>&1; then live+=("$t"); else mark_failed crl "$t" "$lf" "set-up failed"; fi ;;
      cfssl) if have cfssl; then live+=("$t"); else note crl "$t" "skipped: cfssl not installed"; fi ;;
      repl-pki)
        if ! rp_available; then note crl "$t" "skipped: repl-pki not found (set REPL_PKI)"
        elif [[ -z ${REPL_PKI_CRL_PREP:-} ]]; then note crl "$t" "skipped: needs REPL_PKI_CRL_PREP to load N revoked entries (see lib/repl-pki.sh)"
        else live+=("$t"); fi ;;
    esac
  done

  declare -A DNF=()
  local first=1
  for n in $CRL_SIZES; do
    w=crl-$(human "$n")
    rounds=$CRL_ROUNDS; ((n >= 1000000)) && rounds=$CRL_ROUNDS_1M
    log "  $w: writing the synthetic index ($n revoked entries)"
    node "$BENCH_LIB/mkindex.mjs" "$n" "$D/index-$n.txt" "$D/serials-$n.txt" || return 1
    printf 'unique_subject = no\n' >"$D/index-$n.txt.attr"
    ref "$w" floor
    ref2 "$w" openssl-ca # the yardstick a CRL writer has to meet
    local cur=()
    declare -A SLOW=()
    for t in "${live[@]}"; do
      lf=$D/logs/$t.log
      if [[ -n ${DNF[$t]:-} ]]; then note "$w" "$t" "not run: ${DNF[$t]}"; continue; fi
      case $t in
        easyrsa) cp "$D/index-$n.txt" "$D/easyrsa/pki/index.txt" ;;
        repl-pki)
          rm -rf "$D/repl-pki-$n"; mkdir -p "$D/repl-pki-$n"
          if ! rp_crl_prep "$D/repl-pki-$n" "$n" "$D/index-$n.txt" "$D/serials-$n.txt" "$CA/ca.pem" "$CA/ca-key.pem" >>"$lf" 2>&1; then
            mark_failed "$w" "$t" "$lf" "REPL_PKI_CRL_PREP failed"; continue
          fi ;;
      esac
      cur+=("$t")
    done
    if ((first)); then # untimed warm-up of the whole-process tools (page cache, binaries)
      first=0
      for t in "${cur[@]}"; do
        case $t in
          openssl-ca) osslca_gencrl "$D/index-$n.txt" "$D/openssl-ca/ca.cnf" "$D/openssl-ca/crl.pem" >/dev/null 2>&1 ;;
          easyrsa) easyrsa_gencrl "$D/easyrsa/pki" >/dev/null 2>&1 ;;
          cfssl) cfssl_gencrl "$D/serials-$n.txt" "$CA" "$D/cfssl/crl.b64" 2>/dev/null ;;
        esac
      done
    fi
    for (( r = 1; r <= rounds; r++ )); do
      log "  $w round $r/$rounds"
      while read -r t; do
        [[ -n ${DNF[$t]:-} || -n ${SLOW[$t]:-} ]] && continue
        lf=$D/logs/$t.log
        local rc=0 js=(--entries "$n" --ca-cert "$CA/ca.pem" --ca-key "$CA/ca-key.pem" --out "$D/js")
        case $t in
          floor)      inproc "$w" "$t" "$r" "$lf" 600 crl-floor --k 3 --warm 1 "${js[@]}" ;;
          der-crl-js) inproc "$w" "$t" "$r" "$lf" 600 der-crl --k 1 --warm 0 "${js[@]}" ;;
          asn1-x509|x509-naive)
            local mode=asn1-crl; [[ $t == x509-naive ]] && mode=x509-crl
            inproc "$w" "$t" "$r" "$lf" "$CAP" "$mode" --k 1 --warm 0 "${js[@]}" || rc=$?
            if ((rc == 124)); then
              note "$w" "$t" "did not finish in ${CAP} s (killed); no figure"
              DNF[$t]="$(human "$n") entries did not finish in ${CAP} s"
            elif ((rc == 125)); then
              note "$w" "$t" "did not finish: JavaScript heap out of memory (${INPROC_HEAP_MB} MiB) after ${INPROC_ELAPSED_S} s; no figure"
              DNF[$t]="$(human "$n") entries ran out of memory"
            fi ;;
          openssl-ca) time_items "$w" "$t" "$r" 1 "$lf" osslca_gencrl "$D/index-$n.txt" "$D/openssl-ca/ca.cnf" "$D/openssl-ca/crl-$n.pem" ;;
          easyrsa)    time_items "$w" "$t" "$r" 1 "$lf" easyrsa_gencrl "$D/easyrsa/pki" ;;
          cfssl)      time_items "$w" "$t" "$r" 1 "$lf" cfssl_gencrl "$D/serials-$n.txt" "$CA" "$D/cfssl/crl-$n.b64" ;;
          repl-pki)   time_items "$w" "$t" "$r" 1 "$lf" rp_crl "$D/repl-pki-$n" ;;
        esac
        if ((r == 1 && rounds > 1)) && [[ $t != floor ]]; then # too slow to repeat?
          local last; last=$(awk -F'\t' -v w="$w" -v t="$t" '$1=="S" && $2==w && $3==t {ms=$6} END {print int(ms)}' "$RAW")
          if (( last > SLOW_S * 1000 )); then
            SLOW[$t]=1; note "$w" "$t" "run once only: one run took more than ${SLOW_S} s"
          fi
        fi
      done < <(rotate "$r" "${cur[@]}")
      if ((r == 1)); then # check every CRL produced (count + signature), untimed
        for t in "${cur[@]}"; do
          is_failed "$w" "$t" && continue
          case $t in
            openssl-ca) check_crl "$w" "$t" "$D/openssl-ca/crl-$n.pem" "$n" "$CA/ca.pem" ;;
            easyrsa)    check_crl "$w" "$t" "$D/easyrsa/pki/crl.pem" "$n" "$D/easyrsa/pki/ca.crt" ;;
            cfssl)      check_crl "$w" "$t" "$D/cfssl/crl-$n.b64" "$n" "$CA/ca.pem" b64 ;;
            der-crl-js) check_crl "$w" "$t" "$D/js/der-crl-$n.pem" "$n" "$CA/ca.pem" ;;
            asn1-x509)  [[ -z ${DNF[$t]:-} ]] && check_crl "$w" "$t" "$D/js/asn1-crl-$n.pem" "$n" "$CA/ca.pem" ;;
            x509-naive) [[ -z ${DNF[$t]:-} ]] && check_crl "$w" "$t" "$D/js/x509-crl-$n.pem" "$n" "$CA/ca.pem" pem-crl-label ;;
            repl-pki)   check_crl "$w" "$t" "$(rp_find_crl "$D/repl-pki-$n")" "$n" "$CA/ca.pem" ;;
          esac
        done
      fi
    done
    ((KEEP)) || rm -f "$D/index-$n.txt" "$D/serials-$n.txt" "$D"/openssl-ca/crl-*.pem "$D"/cfssl/crl-*.b64 "$D"/js/*.pem "$D"/js/*.der "$D"/js/*.sig
    ((KEEP)) || rm -rf "$D/repl-pki-$n"
  done

  if ((HAVE_X509)) && [[ -n $PROBE_SIZES ]]; then # how the naive generator scales
    log "  x509-naive scaling probe: $PROBE_SIZES entries (one process, sizes in turn)"
    local rc=0
    inproc crl-probe x509-naive 1 "$D/logs/probe.log" "$PROBE_CAP" x509-crl-probe --sizes "$PROBE_SIZES" \
      --ca-cert "$CA/ca.pem" --ca-key "$CA/ca-key.pem" --out "$D/js" || rc=$?
    ((rc == 124 || rc == 125)) && note crl-probe x509-naive "probe did not finish in ${PROBE_CAP} s"
  fi
}

# ============================================================== 4: cold start
cold_workload() {
  local w=cold-start D=$WORK/cold r t lf
  log "== cold-start: one process that does (almost) nothing"
  mkdir -p "$D/logs"
  ref "$w" node-e0
  local tools=(true node-e0 node-import-x509 openssl cfssl mkcert easyrsa repl-pki) live=()
  for t in "${tools[@]}"; do
    case $t in
      true|node-e0|openssl) live+=("$t") ;;
      node-import-x509) if ((HAVE_X509)); then live+=("$t"); else note "$w" "$t" "skipped: npm dependencies not installed"; fi ;;
      cfssl|mkcert) if have "$t"; then live+=("$t"); else note "$w" "$t" "skipped: not installed"; fi ;;
      easyrsa) if [[ -n $EASYRSA_BIN ]]; then live+=("$t"); else note "$w" "$t" "skipped: not installed"; fi ;;
      repl-pki) if rp_available; then live+=("$t"); else note "$w" "$t" "skipped: repl-pki not found (set REPL_PKI)"; fi ;;
    esac
  done
  cold_item() { # TOOL IDX
    case $1 in
      true) /bin/true ;;
      node-e0) node -e 0 ;;
      node-import-x509) node "$BENCH_LIB/import-x509.mjs" ;;
      openssl) openssl version ;;
      cfssl) cfssl version ;;
      mkcert) mkcert -version ;;
      easyrsa) "$EASYRSA_BIN" --version ;;
      repl-pki) rp_cold ;;
    esac
  }
  local ok=()
  for t in "${live[@]}"; do # warm-up, and drop what cannot run
    if cold_item "$t" x >>"$D/logs/$t.log" 2>&1; then ok+=("$t"); else mark_failed "$w" "$t" "$D/logs/$t.log" "does not run"; fi
  done
  for (( r = 1; r <= ROUNDS; r++ )); do
    while read -r t; do
      time_items "$w" "$t" "$r" "$COLD_K" "$D/logs/$t.log" cold_item "$t"
    done < <(rotate "$r" "${ok[@]}")
  done
}

# shellcheck source=lib/index-workload.sh
source "$BENCH_LIB/index-workload.sh"

# ---------------------------------------------------------------- run
[[ ,$ONLY, == *,cold,* ]] && cold_workload
[[ ,$ONLY, == *,index,* ]] && index_workload
[[ ,$ONLY, == *,ec,* ]] && leaf_workload ec
[[ ,$ONLY, == *,rsa,* ]] && leaf_workload rsa
[[ ,$ONLY, == *,crl,* ]] && crl_workload

meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
meta wall_seconds "$(( SECONDS - T_START ))"
node "$BENCH_LIB/report.mjs" "$RAW" --md "$OUTDIR/results-$STAMP.md" | tee "$OUTDIR/results-$STAMP.txt"
log "raw samples: $RAW"
log "tables:      $OUTDIR/results-$STAMP.txt  $OUTDIR/results-$STAMP.md"
