#!/bin/bash
# nngcat_async_test.sh in spirit: an --async REQ dials before the REP listens; --ascii prints the request.
. "$(dirname "$0")/lib.sh"
timeout 60 ${CAT} --async -d 2 --connect "${ADDR}" --req0 -D "ping" --recv-timeout 5 --ascii >"${WORK}/req.out" 2>&1 &
req=$!
answer=$(timeout 60 ${CAT} --rep0 --recv-timeout=3 --listen "${ADDR}" -D "pong" --ascii 2>/dev/null)
echo "rep printed: ${answer}"
wait ${req}
echo "req exit $?"
cat "${WORK}/req.out"; echo
