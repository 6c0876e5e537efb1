# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# evtrace: the one entry point.  Pattern rules in the libbpf-bootstrap
# manner: bpf/%.bpf.c -> .output/%.bpf.o -> .output/%.skel.h -> src objects.
#
#   make            build ./evtrace (libbpf linked statically)
#   make STATIC=1   fully static ./evtrace (what the test VMs run)
#   make check      install deps, build, unit tests, VM tests, summary line
#   make demo       the main job for real: natively if the kernel lets us
#                   attach, else in the Debian 6.12 VM on the seed's workloads
#   make deps       apt-get what is missing (a no-op when all is there)
#   make vmlinux    regenerate vmlinux/x86/vmlinux_6.12.h from Debian's 6.12
#   V=1             show full commands

OUTPUT	:= .output
CLANG	?= clang
BPFTOOL	?= bpftool
CC	?= gcc
ARCH	:= $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
VMLINUX	:= vmlinux/$(ARCH)/vmlinux.h

CFLAGS	?= -g -O2
CFLAGS	+= -Wall -Wextra -Wno-unused-parameter -std=gnu11 -D_GNU_SOURCE -MMD -MP \
	   -Iinclude -Isrc -I$(OUTPUT) $(EXTRA_CFLAGS)
LDFLAGS	+= $(EXTRA_LDFLAGS)

# Debian ships libbpf.a: link it statically so the binary runs wherever a
# different libbpf (or none) is installed.  STATIC=1 links everything.
STATIC_LIBS := -static -lbpf -lelf -lz -lzstd -lsodium -lncursesw -ltinfo -lpthread
ifeq ($(STATIC),1)
LIBS	:= $(STATIC_LIBS)
else
LIBS	:= -Wl,-Bstatic -lbpf -Wl,-Bdynamic -lelf -lz -lzstd -lsodium -lncursesw -ltinfo -lpthread
endif

# evtrace serve's HTTP server is libmicrohttpd (Debian's libmicrohttpd-dev).
# Its gnutls cannot be linked statically (Debian ships p11-kit and
# libunistring as shared libraries only), so the static binaries get
# out/http.c without it: their serve writes --textfile only, and says so.
HAVE_MHD := $(shell pkg-config --exists libmicrohttpd 2>/dev/null && echo 1)
ifneq ($(STATIC),1)
ifeq ($(HAVE_MHD),1)
LIBS	+= -lmicrohttpd
HTTP_CFLAGS := -DEVTRACE_HTTP
endif
endif

# Everything but main.c (src/*/*.c: every layer) also goes into the unit tests.
SRCS	:= $(wildcard src/*/*.c)
OBJS	:= $(patsubst src/%.c,$(OUTPUT)/%.o,$(SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all clean check unit unit-san vm-test deps demo vmlinux bench bench-vm vm-matrix
.DELETE_ON_ERROR:
.SECONDARY:

all: evtrace

$(OUTPUT) $(OUTPUT)/tests:
	$(Q)mkdir -p $@

# BPF objects: CO-RE against the committed vmlinux.h.
$(OUTPUT)/%.bpf.o: bpf/%.bpf.c include/evtrace/evtrace.h $(VMLINUX) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall \
		-Iinclude -Ivmlinux/$(ARCH) -c $< -o $@
	$(Q)$(BPFTOOL) gen object $@.tmp $@ && mv $@.tmp $@

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(OUTPUT)/%.o: src/%.c $(OUTPUT)/evtrace.skel.h | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# Only http.o knows whether it has libmicrohttpd; the static link takes its twin.
$(OUTPUT)/out/http.o: CFLAGS += $(HTTP_CFLAGS)
$(OUTPUT)/out/http.o: $(OUTPUT)/link-mode
$(OUTPUT)/out/http-static.o: src/out/http.c $(OUTPUT)/evtrace.skel.h | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@
STATIC_OBJS := $(filter-out $(OUTPUT)/out/http.o,$(OBJS)) $(OUTPUT)/out/http-static.o

# The mode the binary was linked in is part of the target: relink on change.
$(OUTPUT)/link-mode: FORCE | $(OUTPUT)
	@echo 'STATIC=$(STATIC) HTTP=$(HAVE_MHD)' | cmp -s - $@ || echo 'STATIC=$(STATIC) HTTP=$(HAVE_MHD)' > $@

evtrace: $(OUTPUT)/main.o $(OBJS) $(OUTPUT)/link-mode
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(OUTPUT)/main.o $(OBJS) $(LIBS) -o $@

# What the test VMs run, beside ./evtrace rather than instead of it.
$(OUTPUT)/evtrace-static: $(OUTPUT)/main.o $(STATIC_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(STATIC_LIBS) -o $@

# make bench-vm's live-discard: the ring read and dropped, not decoded
# (src/source/ring.c): the probes' and the ring's cost without the consumer.
$(OUTPUT)/source/ring-discard.o: src/source/ring.c $(OUTPUT)/evtrace.skel.h | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -DET_BENCH_DISCARD=1 -c $< -o $@

$(OUTPUT)/evtrace-static-discard: $(OUTPUT)/main.o \
		$(filter-out $(OUTPUT)/source/ring.o,$(STATIC_OBJS)) $(OUTPUT)/source/ring-discard.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(STATIC_LIBS) -o $@

# ---- tests ----------------------------------------------------------------

$(OUTPUT)/tests/%: tests/unit/%.c $(OBJS) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(OBJS) -lcmocka $(filter-out -static,$(LIBS)) -o $@

unit: $(UNIT_BINS) evtrace
	$(Q)tests/run-unit.sh $(UNIT_BINS)

# The same unit tests built with AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer, in their own output directory: a memory or UB
# bug the assertions do not see still fails the run.  Then the threaded
# ones under ThreadSanitizer.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# ThreadSanitizer for the code with threads: the recorder's writer, replay's reader,
# the ring's backlog.
TSAN_BINS := .output-tsan/tests/test_recorder .output-tsan/tests/test_replay \
	     .output-tsan/tests/test_backlog
unit-san:
	$(Q)$(MAKE) -s OUTPUT=.output-san EXTRA_CFLAGS="$(SAN_FLAGS)" \
		EXTRA_LDFLAGS="$(SAN_FLAGS)" $(patsubst $(OUTPUT)/%,.output-san/%,$(UNIT_BINS))
	$(Q)UNIT_LABEL=unit-san ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run-unit.sh $(patsubst $(OUTPUT)/%,.output-san/%,$(UNIT_BINS))
	$(Q)$(MAKE) -s OUTPUT=.output-tsan EXTRA_CFLAGS="-fsanitize=thread" \
		EXTRA_LDFLAGS="-fsanitize=thread" $(TSAN_BINS)
	$(Q)UNIT_LABEL=unit-tsan TSAN_OPTIONS=halt_on_error=1 tests/run-unit.sh $(TSAN_BINS)

# Figures, not pass/fail: each against a baseline measured in the same run.
$(OUTPUT)/bench_model: tests/bench/bench_model.c $(OBJS) | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(OBJS) $(filter-out -static,$(LIBS)) -o $@

$(OUTPUT)/gen_trace $(OUTPUT)/bench_record $(OUTPUT)/bench_read $(OUTPUT)/bench_consume: $(OUTPUT)/%: tests/bench/%.c $(OBJS) | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< $(OBJS) $(filter-out -static,$(LIBS)) -lpthread -o $@

bench: $(OUTPUT)/bench_model $(OUTPUT)/gen_trace $(OUTPUT)/bench_record $(OUTPUT)/bench_read \
       $(OUTPUT)/bench_consume evtrace
	$(Q)$(OUTPUT)/bench_model
	$(Q)$(OUTPUT)/bench_consume tests/fixtures/seed-6.12.evt
	$(Q)d=$$(mktemp -d) && \
	for n in 1000000 10000000; do \
		printf 'bench record: peak RSS %s KiB; ' \
			"$$(/usr/bin/time -f %M $(OUTPUT)/bench_record $$d/r.evt $$n 500000 2>&1 >$$d/out | tail -n 1)"; \
		cat $$d/out; \
	done; \
	$(OUTPUT)/bench_record $$d/r.evt 2000000; rm -rf $$d
	$(Q)tests/bench/bench_replay.sh

# The VM's pty runner for the live view (busybox has no script(1)).
$(OUTPUT)/ptyrun: tests/vm/ptyrun.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -static $< -lutil -o $@

# The bench VM's clock: CLOCK_MONOTONIC in ns (busybox has no better one).
$(OUTPUT)/clockns: tests/vm/clockns.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -static $< -o $@

vm-test: $(OUTPUT)/evtrace-static $(OUTPUT)/ptyrun
	$(Q)tests/vm/run.sh

# Every Debian cloud kernel line, one table (about 3 minutes a kernel).
vm-matrix: $(OUTPUT)/evtrace-static $(OUTPUT)/ptyrun
	$(Q)tests/vm/matrix.sh

# evtrace's cost per event against bpftrace's, in one 6.12 VM boot (about
# 10 minutes under emulation; figures, not part of check).
bench-vm: $(OUTPUT)/evtrace-static $(OUTPUT)/evtrace-static-discard $(OUTPUT)/clockns
	$(Q)tests/vm/bench.sh

# The README's test command: everything, ending in one summary line.
check: deps
	$(Q)tests/check.sh

deps:
	$(Q)scripts/deps.sh

demo: deps
	$(Q)scripts/demo.sh

# Regenerate the committed vmlinux.h from the BTF of Debian's 6.12 cloud
# kernel (bookworm-backports), fetched but not installed.
vmlinux:
	$(Q)set -e; dir=$$(tests/vm/fetch-kernels.sh | awk '$$1 == "6.12" {print $$2}'); \
	scripts/extract-vmlinux.sh $$dir/vmlinuz $(OUTPUT)/vmlinux-6.12; \
	$(BPFTOOL) btf dump file $(OUTPUT)/vmlinux-6.12 format c > vmlinux/$(ARCH)/vmlinux_6.12.h; \
	ln -sf vmlinux_6.12.h vmlinux/$(ARCH)/vmlinux.h

clean:
	$(call msg,CLEAN)
	$(Q)rm -rf $(OUTPUT) .output-san .output-tsan evtrace

FORCE:

include mk/install.mk

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/*/*.d $(OUTPUT)/tests/*.d)
