# Shared by the *_test.sh scripts: the same script runs with nngcat and with spcat, and the test compares what it prints.
# Arguments of every script: "<cat command>" <free port> <work dir>.
set -u
CAT=$1
PORT=$2
WORK=$3
ADDR=tcp://127.0.0.1:${PORT}

# Waits (at most 60 s) until something listens on PORT: a started dotnet process may take longer than nngcat's
# "sleep 1" on a busy machine. The probe connection is closed at once; an SP listener just drops it.
wait_port() {
	local until=$((SECONDS + 60))
	while ((SECONDS < until)); do
		if (exec 3<>/dev/tcp/127.0.0.1/"${PORT}") 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "nothing listens on ${PORT}" >&2
	return 1
}
