#!/bin/bash
# nngcat_pubsub_test.sh in spirit: one subscriber with two topics, five publishers; prints what it received.
. "$(dirname "$0")/lib.sh"
OUT=${WORK}/pubsub.out
timeout 120 ${CAT} --listen "${ADDR}" --count=3 --recv-timeout=60 --sub0 --subscribe=one --subscribe=two --quoted >"${OUT}" 2>/dev/null &
sub=$!
wait_port || exit 1
timeout 60 ${CAT} -d 1 --connect "${ADDR}" --pub0 --data "xyz" &
timeout 60 ${CAT} -d 1 --connect "${ADDR}" --pub0 -D "none swam" &
timeout 60 ${CAT} -d 1 --connect "${ADDR}" --pub0 -D "one flew"
timeout 60 ${CAT} -d 1 --connect "${ADDR}" --pub0 --data "twofer test"
timeout 60 ${CAT} -d 1 --connect "${ADDR}" --pub0 --data "one more"
wait ${sub}
echo "subscriber exit $?"
cat "${OUT}"
cksum <"${OUT}"
wait
