#!/bin/sh
# tls_certs.sh DIR — the PEM files the TLS tests read (rest's, and gRPC's
# tls_test.c and interop-tls.sh), made fresh with the openssl command line
# (nothing secret is kept in the tree):
#   ca.pem ca.key          a CA
#   leaf.pem leaf.key      signed by it: SAN IP:127.0.0.1 and DNS:localhost,
#                          serverAuth and clientAuth (a server's or a client's)
#   expired.pem expired.key  signed by it, valid in 2020 only
#   other_ca.pem           an unrelated CA
#   stranger.pem .key      signed by the unrelated CA, names as leaf's
#                          (a client certificate an mtls server must refuse)
#   elsewhere.pem .key     signed by ca, naming only DNS:elsewhere.example
#                          (a server a client at 127.0.0.1 must refuse)
#   other.key              a key that matches no certificate here
#   junk.pem               a file that is not PEM
# Exit 0 when all were made; else the openssl output and 1.
set -eu
d=$1
cd "$d"
log=openssl.log
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
{
    openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 -subj "/CN=incbench test CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    openssl req -x509 $ec -keyout other_ca.key -out other_ca.pem -days 2 \
        -subj "/CN=incbench unrelated CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    cat >leaf.ext <<EOF
basicConstraints = CA:FALSE
subjectAltName = IP:127.0.0.1, DNS:localhost
extendedKeyUsage = serverAuth, clientAuth
keyUsage = digitalSignature
EOF
    openssl req $ec -keyout leaf.key -out leaf.csr -subj "/CN=localhost"
    openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile leaf.ext -out leaf.pem
    openssl req $ec -keyout stranger.key -out stranger.csr -subj "/CN=localhost"
    openssl x509 -req -in stranger.csr -CA other_ca.pem -CAkey other_ca.key -CAcreateserial \
        -days 2 -extfile leaf.ext -out stranger.pem
    sed 's/^subjectAltName = .*/subjectAltName = DNS:elsewhere.example/' leaf.ext >elsewhere.ext
    openssl req $ec -keyout elsewhere.key -out elsewhere.csr -subj "/CN=elsewhere.example"
    openssl x509 -req -in elsewhere.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile elsewhere.ext -out elsewhere.pem
    # An expired leaf: `openssl ca` takes explicit dates (x509 -days cannot go back).
    mkdir -p db
    : >db/index.txt
    echo 1000 >db/serial
    cat >ca.cnf <<EOF
[ca]
default_ca = test
[test]
database = db/index.txt
serial = db/serial
new_certs_dir = db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf
[any]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
subjectAltName = IP:127.0.0.1, DNS:localhost
extendedKeyUsage = serverAuth, clientAuth
EOF
    openssl req $ec -keyout expired.key -out expired.csr -subj "/CN=localhost"
    openssl ca -batch -config ca.cnf -in expired.csr -out expired.pem -notext \
        -startdate 20200101000000Z -enddate 20200201000000Z
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key
    printf 'this is not a PEM file\n' >junk.pem
} >"$log" 2>&1 || { cat "$log"; exit 1; }
exit 0
