#!/bin/bash
# REQ/REP: one request, one reply, both sides print in --quoted; also --file for the reply body.
. "$(dirname "$0")/lib.sh"
printf 'po\tng\n' >"${WORK}/reply.bin"
timeout 120 ${CAT} --rep0 --listen "${ADDR}" --count=1 --file "${WORK}/reply.bin" --quoted >"${WORK}/rep.out" 2>&1 &
rep=$!
wait_port || exit 1
timeout 60 ${CAT} --req0 --dial "${ADDR}" -D 'ping "x"' --quoted
echo "req exit $?"
wait ${rep}
echo "rep exit $?"
cat "${WORK}/rep.out"
