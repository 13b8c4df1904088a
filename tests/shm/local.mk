# tests/shm/local.mk — tests of the shm transport: its client against an
# in-process server (test_client), segments of another layout (test_layout),
# server and client processes killed mid-call (test_faults), 10^7
# checked calls (test_ten_million), and a server answering only what the
# current attach of a channel asked (test_attach). The plugin is always built.
SHM_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/plugins/shm
SHM_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(PTHREAD_FLAGS)
SHM_TEST_LDADD = tests/libharness.la $(CHECK_LIBS)
SHM_TEST_COMMON = tests/shm/shmtest.c tests/shm/shmtest.h

SHM_TESTS = tests/shm/test_client tests/shm/test_layout tests/shm/test_faults \
	tests/shm/test_ten_million tests/shm/test_attach
check_PROGRAMS += $(SHM_TESTS)
TESTS += $(SHM_TESTS)

tests_shm_test_client_SOURCES = tests/shm/test_client.c $(SHM_TEST_COMMON)
tests_shm_test_client_CPPFLAGS = $(SHM_TEST_CPPFLAGS)
tests_shm_test_client_CFLAGS = $(SHM_TEST_CFLAGS)
tests_shm_test_client_LDADD = $(SHM_TEST_LDADD)

tests_shm_test_layout_SOURCES = tests/shm/test_layout.c $(SHM_TEST_COMMON)
tests_shm_test_layout_CPPFLAGS = $(SHM_TEST_CPPFLAGS)
tests_shm_test_layout_CFLAGS = $(SHM_TEST_CFLAGS)
tests_shm_test_layout_LDADD = $(SHM_TEST_LDADD)

tests_shm_test_faults_SOURCES = tests/shm/test_faults.c $(SHM_TEST_COMMON)
tests_shm_test_faults_CPPFLAGS = $(SHM_TEST_CPPFLAGS)
tests_shm_test_faults_CFLAGS = $(SHM_TEST_CFLAGS)
tests_shm_test_faults_LDFLAGS = $(PTHREAD_FLAGS)
tests_shm_test_faults_LDADD = $(SHM_TEST_LDADD)

tests_shm_test_ten_million_SOURCES = tests/shm/test_ten_million.c $(SHM_TEST_COMMON)
tests_shm_test_ten_million_CPPFLAGS = $(SHM_TEST_CPPFLAGS)
tests_shm_test_ten_million_CFLAGS = $(SHM_TEST_CFLAGS)
tests_shm_test_ten_million_LDADD = $(SHM_TEST_LDADD)

tests_shm_test_attach_SOURCES = tests/shm/test_attach.c $(SHM_TEST_COMMON)
tests_shm_test_attach_CPPFLAGS = $(SHM_TEST_CPPFLAGS)
tests_shm_test_attach_CFLAGS = $(SHM_TEST_CFLAGS)
tests_shm_test_attach_LDFLAGS = $(PTHREAD_FLAGS)
tests_shm_test_attach_LDADD = $(SHM_TEST_LDADD)
