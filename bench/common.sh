# Shared by run.sh and soak.sh: a scratch directory that goes away with the service started in it, and the signing
# keys of a production-like start. Sourced, not run; the caller sets $pid once it starts the service.
work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

generate_keys() {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/private.pem" 2> /dev/null
    openssl pkey -in "$work/private.pem" -pubout -out "$work/public.pem"
}
