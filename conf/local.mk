# conf/local.mk — the shipped configurations.
EXTRA_DIST += conf/default.ini
