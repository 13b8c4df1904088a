#!/bin/sh
# tls-files.sh DIR — the PEM files the gRPC TLS tests use, made with the
# openssl CLI as an operator would: a CA (ca.pem) and its leaf (leaf.pem,
# leaf.key: SAN IP:127.0.0.1 and DNS:localhost, serverAuth and clientAuth,
# so that it serves as server and as mtls client); a second CA with its own
# leaf (other-ca.pem, other-leaf.pem/.key) for "wrong CA"; a leaf of ca.pem
# that expired in 2020 (expired.pem/.key); and junk.pem, which is not PEM.
# ECDSA P-256 throughout: fast enough to make per test. Exits non-zero,
# saying which step failed, when openssl does.
set -eu
D=$1
mkdir -p "$D"
cd "$D"
o() { openssl "$@" 2>>openssl.log || { echo "tls-files.sh: openssl $1 failed:" >&2; cat openssl.log >&2; exit 1; }; }

ca() { # NAME: a self-signed CA
    o req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
        -out "$1.pem" -days 30 -subj "/CN=incbench test $1" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
cat >leaf.ext <<'X'
basicConstraints = CA:FALSE
subjectAltName = IP:127.0.0.1, DNS:localhost
extendedKeyUsage = serverAuth, clientAuth
keyUsage = critical, digitalSignature
X
leaf() { # NAME CA: a leaf signed by CA, valid 30 days
    o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" \
        -subj "/CN=localhost"
    o x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 30 \
        -extfile leaf.ext -out "$1.pem"
}
ca ca
ca other-ca
leaf leaf ca
leaf other-leaf other-ca

# Expired: `openssl ca` is the CLI that takes explicit dates.
mkdir -p db
: >db/index.txt
echo 01 >db/serial
cat >ca.cnf <<X
[ca]
default_ca = d
[d]
database = db/index.txt
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = p
[p]
commonName = supplied
X
o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout expired.key -out expired.csr \
    -subj "/CN=localhost"
o ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
    -startdate 20200101000000Z -enddate 20200201000000Z -extfile leaf.ext -notext

echo "this is not a PEM file" >junk.pem
