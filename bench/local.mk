# bench/local.mk — benchmark scripts and configs: run by hand, never by make
# check (speed is measured, not asserted).
EXTRA_DIST += bench/direct.sh bench/direct.ini bench/direct_floor.c \
	bench/transports.ini bench/grpc.ini bench/tcp_vs_sockperf.sh \
	bench/rest_vs_tcp.ini bench/rest_vs_tcp.sh bench/split.sh bench/split.py \
	bench/config_keys.sh bench/ab_plugins.sh bench/hostile.sh bench/hostile.py \
	bench/hostile_grpc.sh bench/hostile_grpc.c bench/ckshim/check.h bench/check_plugin.sh \
	bench/progress.sh bench/floors.sh bench/floors.ini bench/syscall_floor.c \
	bench/grpc_args.ini bench/grpc_args_1m.ini bench/payload.sh bench/payload.py \
	bench/tls.sh bench/tls.py bench/run_json.sh bench/writeup.sh bench/writeup.py \
	bench/benchfmt.py
