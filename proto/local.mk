# proto/local.mk — compiles increment.proto with protoc-c at build time into a
# convenience library every protobuf plugin links, with the one codec
# (codec.[ch]) they all decode through. Generated files are never
# committed; they live in the build tree. Built with protobuf-c only.
EXTRA_DIST += proto/increment.proto
if HAVE_PROTOBUF_C
noinst_LTLIBRARIES += proto/libincproto.la
proto_libincproto_la_SOURCES = proto/codec.c proto/codec.h
nodist_proto_libincproto_la_SOURCES = proto/increment.pb-c.c proto/increment.pb-c.h
proto_libincproto_la_CFLAGS = $(AM_CFLAGS) $(PROTOBUF_C_CFLAGS)
proto_libincproto_la_LIBADD = $(PROTOBUF_C_LIBS)
BUILT_SOURCES += proto/increment.pb-c.c proto/increment.pb-c.h
CLEANFILES += proto/increment.pb-c.c proto/increment.pb-c.h
# The generated header must exist before codec.c compiles.
$(proto_libincproto_la_OBJECTS): proto/increment.pb-c.h

proto/increment.pb-c.c: $(top_srcdir)/proto/increment.proto
	$(AM_V_GEN)$(MKDIR_P) proto && \
	$(PROTOC_C) --proto_path=$(top_srcdir)/proto --c_out=proto $(top_srcdir)/proto/increment.proto
proto/increment.pb-c.h: proto/increment.pb-c.c
	@test -f $@ || { rm -f proto/increment.pb-c.c; $(MAKE) $(AM_MAKEFLAGS) proto/increment.pb-c.c; }
endif
