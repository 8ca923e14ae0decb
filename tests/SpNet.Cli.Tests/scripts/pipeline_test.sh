#!/bin/bash
# nngcat_stdin_pipe_test.sh and nngcat_recvmaxsz_test.sh in spirit: --file - from a pipe, then --recv-maxsz.
. "$(dirname "$0")/lib.sh"
timeout 120 ${CAT} --listen "${ADDR}" --count=1 --recv-timeout=60 --recv-maxsz=0 --pull0 --raw >"${WORK}/raw.out" 2>/dev/null &
pull=$!
wait_port || exit 1
printf 'hello world\n' | timeout 60 ${CAT} --connect "${ADDR}" --push0 --file -
wait ${pull}
echo "pull exit $?"
cksum <"${WORK}/raw.out"

timeout 120 ${CAT} --listen "${ADDR}" --count=3 --recv-timeout=60 --recv-maxsz=5 --pull0 --quoted >"${WORK}/max.out" 2>/dev/null &
pull=$!
wait_port || exit 1
for d in one 55555 666666 7777777 88888; do
	timeout 60 ${CAT} --connect "${ADDR}" --push0 --data "${d}"
done
wait ${pull}
echo "pull exit $?"
cat "${WORK}/max.out"
