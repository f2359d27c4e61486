# hardened-runc -- an OCI runtime hardening shim around runc.
# Plain make + pkg-config.  Targets: all check install uninstall demo asan lint clean.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := yajl libcap-ng libseccomp libselinux libapparmor

CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wformat-nonliteral \
	-Wswitch-default -Wformat=2 -Wpointer-arith -Wstrict-prototypes
HR_CPPFLAGS := -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 -Ishim
HR_CFLAGS := -std=gnu11 $(WARNINGS) -fstack-protector-strong -fPIE $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# The shim runs on every runc call: link it statically (static-pie) so no
# dynamic loader work is added to each container operation (about 1 ms per
# call measured on the CI machine).  STATIC=0 links dynamically (sanitizers).
STATIC ?= 1
ifeq ($(STATIC),1)
HR_LDFLAGS := -static-pie -Wl,-z,relro,-z,now
HR_LIBS := -l:libyajl_s.a -l:libcap-ng.a -l:libseccomp.a -l:libapparmor.a -l:libselinux.a -l:libpcre2-8.a
else
HR_LDFLAGS := -pie -Wl,-z,relro,-z,now
HR_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
endif

GEN_SRCS := shim/default_policy.c shim/default_seccomp.c
# every module under shim/ but main.c (the program) and the generated sources
LIB_SRCS := $(sort $(filter-out shim/main.c $(GEN_SRCS),$(wildcard shim/*.c)))
# O: where objects and programs go (empty: beside the sources; make asan
# uses build/asan/ so the normal build survives it).
O ?=
LIB_OBJS := $(addprefix $(O),$(LIB_SRCS:.c=.o) $(GEN_SRCS:.c=.o))
LIB := $(O)shim/libhardened.a
BIN := $(O)shim/hardened-runc

UNIT_TESTS := $(O)test/unit/test-unit
TABLE_RUNNER := $(O)test/table-runner

.PHONY: install-as-runc uninstall-as-runc all check check-unit check-table check-preserve check-seccomp check-integration check-apparmor apparmor-load deps install uninstall demo asan lint bench attack-report valgrind fuzz clean

all: $(BIN)

# header dependencies are generated (-MMD) beside each object
$(O)%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HR_CPPFLAGS) $(CPPFLAGS) $(HR_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
-include $(LIB_OBJS:.o=.d) $(O)shim/main.d

# The embedded default policy: compiled from policy/default.json, the one
# source of truth, as a byte array.
shim/default_policy.c: policy/default.json Makefile
	@{ echo '/* Generated from policy/default.json by make; do not edit. */'; \
	   echo '#include <stddef.h>'; \
	   echo 'const char *policy_embedded_text (size_t *len);'; \
	   echo 'static const char text[] = {'; \
	   od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00 };'; \
	   echo 'const char *policy_embedded_text (size_t *len) { *len = sizeof text - 1; return text; }'; \
	 } > $@.tmp && mv $@.tmp $@

# Shipped seccomp profiles, compiled in the same way (name = file stem).
SECCOMP_PROFILES := $(sort $(wildcard profiles/seccomp/*.json))
shim/default_seccomp.c: $(SECCOMP_PROFILES) Makefile
	@{ echo '/* Generated from the files in profiles/seccomp by make; do not edit. */'; \
	   echo '#include <stddef.h>'; echo '#include <string.h>'; \
	   echo 'const char *sysfilter_embedded_profile (const char *name, size_t *len);'; \
	   n=0; for f in $(SECCOMP_PROFILES); do \
	     echo "static const char p$$n[] = {"; od -An -v -tx1 $$f | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0x00 };'; \
	     n=$$((n+1)); done; \
	   echo 'static const struct { const char *name; const char *text; size_t len; } profiles[] = {'; \
	   n=0; for f in $(SECCOMP_PROFILES); do b=$$(basename $$f .json); \
	     echo "  { \"$$b\", p$$n, sizeof p$$n - 1 },"; n=$$((n+1)); done; \
	   echo '  { NULL, NULL, 0 } };'; \
	   echo 'const char *sysfilter_embedded_profile (const char *name, size_t *len) {'; \
	   echo '  for (size_t i = 0; profiles[i].name; i++) if (strcmp (profiles[i].name, name) == 0) { *len = profiles[i].len; return profiles[i].text; }'; \
	   echo '  return NULL; }'; \
	 } > $@.tmp && mv $@.tmp $@
# The seccomp result cache names a compiled-in profile by its name and the
# build time of sysfilter_cache.o: rebuild that whenever a profile changes,
# or a cache entry of the old text would be taken for the new one.
$(O)shim/sysfilter_cache.o: shim/default_seccomp.c

$(LIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(O)shim/main.o $(LIB)
	$(CC) $(HR_CFLAGS) $(CFLAGS) $(HR_LDFLAGS) $(LDFLAGS) -o $@ $(O)shim/main.o $(LIB) $(HR_LIBS)

# The shim's version, defined once: the VERSION file, or `git describe`
# where there is none; `hardened-runc --version` prints it.
HR_VERSION := $(shell cat VERSION 2>/dev/null || git describe --always --dirty 2>/dev/null || echo unknown)
$(O)shim/explain.o: VERSION
$(O)shim/explain.o: HR_CPPFLAGS += -DHR_VERSION='"$(HR_VERSION)"'

# ---------------------------------------------------------------- tests
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
# the seccomp evaluator (what a profile decides for one call) is for tests
# only: linked into the unit tests and the property test, not the shim
SECCOMP_EVAL := test/seccomp/eval.c
UNIT_SRCS := $(wildcard test/unit/*.c) $(SECCOMP_EVAL)

$(UNIT_TESTS): $(UNIT_SRCS) $(LIB) $(wildcard test/unit/*.h) test/seccomp/eval.h
	@mkdir -p $(dir $@)
	$(CC) $(HR_CPPFLAGS) $(CPPFLAGS) $(HR_CFLAGS) $(CHECK_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -Itest/seccomp \
		-o $@ $(UNIT_SRCS) $(LIB) $(HR_LIBS) $(CHECK_LIBS)

PRESERVE := $(O)test/preserve
$(PRESERVE): test/preserve.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HR_CPPFLAGS) $(CPPFLAGS) $(HR_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB) $(HR_LIBS)

SECCOMP_PROPERTY := $(O)test/seccomp/property
$(SECCOMP_PROPERTY): test/seccomp/property.c $(SECCOMP_EVAL) test/seccomp/eval.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HR_CPPFLAGS) $(CPPFLAGS) $(HR_CFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(SECCOMP_EVAL) $(LIB) \
		$(HR_LIBS)

$(TABLE_RUNNER): test/table-runner.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(HR_CPPFLAGS) $(CPPFLAGS) $(HR_CFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(HR_LIBS)

deps:
	@sh test/deps.sh

check: deps
	$(MAKE) all $(UNIT_TESTS) $(TABLE_RUNNER) $(PRESERVE) $(SECCOMP_PROPERTY)
	$(MAKE) check-unit check-table check-preserve check-seccomp check-apparmor check-integration

# The AppArmor profile must compile (this machine's kernel has no AppArmor:
# -Q skips the kernel load, -K/-T the cache).
APPARMOR_PROFILE := profiles/apparmor/hardened-runc-default
check-apparmor:
	apparmor_parser -Q -K -T $(APPARMOR_PROFILE)
	@echo "apparmor: $(APPARMOR_PROFILE) compiles"

# Load (or reload) the AppArmor profile where AppArmor is enabled.
APPARMOR_DIR ?= /etc/apparmor.d
apparmor-load:
	@if [ "$$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then \
	  apparmor_parser -r -W $(DESTDIR)$(APPARMOR_DIR)/hardened-runc-default && \
	  echo "apparmor: hardened-runc-default loaded"; \
	else echo "apparmor: not enabled on this machine; nothing loaded"; fi

# The unit tests run as nobody when make runs as root: a test that needs
# root fails (test/unit/as-nobody.sh).
UNIT_RUN := sh test/unit/as-nobody.sh
check-unit: $(UNIT_TESTS)
	$(UNIT_RUN) ./$(UNIT_TESTS)

check-table: $(TABLE_RUNNER) $(BIN)
	./$(TABLE_RUNNER) test/cases

# Nothing lost, on config.json files captured from a real dockerd.
check-preserve: $(PRESERVE)
	./$(PRESERVE) test/fixtures/docker

# Never loosen, judged by the kernel: random profile pairs, thousands of calls.
SECCOMP_CASES ?= 200
check-seccomp: $(SECCOMP_PROPERTY)
	./$(SECCOMP_PROPERTY) $(SECCOMP_CASES)
	python3 profiles/seccomp/gen-baseline.py --check

# A static syscall probe the integration tests copy into containers.
PROBE := test/probe/syscall-probe
$(PROBE): test/probe/syscall-probe.c
	$(CC) -static -O2 -Wall -Wextra -Werror -pthread -o $@ $<

check-integration: $(BIN) $(PROBE)
	sh test/integration/run-all.sh

# ---------------------------------------------------------------- install
install: $(BIN)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/hardened-runc
	install -m 0644 man/hardened-runc.8 $(DESTDIR)$(MANDIR)/man8/hardened-runc.8
	install -m 0644 man/hardened-runc-policy.5 $(DESTDIR)$(MANDIR)/man5/hardened-runc-policy.5
	install -d $(DESTDIR)$(PREFIX)/share/hardened-runc/policy
	install -m 0644 policy/default.json $(DESTDIR)$(PREFIX)/share/hardened-runc/policy/default.json
	install -d $(DESTDIR)$(PREFIX)/share/hardened-runc/profiles/seccomp $(DESTDIR)$(APPARMOR_DIR)
	install -m 0644 $(SECCOMP_PROFILES) $(DESTDIR)$(PREFIX)/share/hardened-runc/profiles/seccomp/
	install -m 0644 $(APPARMOR_PROFILE) $(DESTDIR)$(APPARMOR_DIR)/hardened-runc-default
	install -d $(DESTDIR)$(SYSCONFDIR)/logrotate.d $(DESTDIR)$(SYSCONFDIR)/hardened-runc
	install -m 0644 policy/examples/logrotate.conf $(DESTDIR)$(SYSCONFDIR)/logrotate.d/hardened-runc
	install -d $(DESTDIR)$(PREFIX)/share/hardened-runc/examples
	install -m 0644 policy/audit-rollout.json policy/examples/* $(DESTDIR)$(PREFIX)/share/hardened-runc/examples/
	@# the system policy is the operator's: installed once, never overwritten
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/hardened-runc/policy.json ]; then \
	  echo "install: keeping the existing $(DESTDIR)$(SYSCONFDIR)/hardened-runc/policy.json"; \
	else install -m 0644 policy/default.json $(DESTDIR)$(SYSCONFDIR)/hardened-runc/policy.json; fi

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/hardened-runc $(DESTDIR)$(MANDIR)/man8/hardened-runc.8 \
		$(DESTDIR)$(MANDIR)/man5/hardened-runc-policy.5 \
		$(DESTDIR)$(PREFIX)/share/hardened-runc/policy/default.json \
		$(DESTDIR)$(APPARMOR_DIR)/hardened-runc-default $(DESTDIR)$(SYSCONFDIR)/logrotate.d/hardened-runc \
		$(DESTDIR)$(PREFIX)/share/hardened-runc/examples/* \
		$(addprefix $(DESTDIR)$(PREFIX)/share/hardened-runc/profiles/seccomp/,$(notdir $(SECCOMP_PROFILES)))
	@# the system policy (SYSCONFDIR/hardened-runc/policy.json) is the operator's: kept
	-rmdir $(DESTDIR)$(PREFIX)/share/hardened-runc/policy $(DESTDIR)$(PREFIX)/share/hardened-runc/profiles/seccomp \
		$(DESTDIR)$(PREFIX)/share/hardened-runc/examples \
		$(DESTDIR)$(PREFIX)/share/hardened-runc/profiles $(DESTDIR)$(PREFIX)/share/hardened-runc

# Take runc's place (opt-in, reversible; hardened-runc(8), TAKING RUNC'S
# PLACE): the distribution's runc is moved aside with a dpkg diversion (a
# runc package upgrade then installs to RUNC_REAL), the shim is installed
# as RUNC, and the system policy's "runtime" names RUNC_REAL.  Every engine
# that calls runc (dockerd's default runtime and --runtime=runc,
# containerd's runc shim, podman) then goes through the policy.
RUNC ?= /usr/sbin/runc
RUNC_REAL ?= $(RUNC).real
SYSTEM_POLICY := $(SYSCONFDIR)/hardened-runc/policy.json
install-as-runc: $(BIN)
	@test -z "$(DESTDIR)" || { echo "install-as-runc changes this machine's runc: DESTDIR is not supported" >&2; exit 1; }
	@if dpkg-divert --list "$(RUNC)" | grep -qF "$(RUNC_REAL)"; then \
	  echo "install-as-runc: $(RUNC) is already diverted to $(RUNC_REAL)"; \
	else \
	  test -x "$(RUNC)" || { echo "install-as-runc: no runc at $(RUNC)" >&2; exit 1; }; \
	  dpkg-divert --local --rename --divert "$(RUNC_REAL)" --add "$(RUNC)"; \
	fi
	install -d $(SYSCONFDIR)/hardened-runc
	@if [ -e $(SYSTEM_POLICY) ]; then \
	  jq --arg r "$(RUNC_REAL)" '.runtime = $$r' $(SYSTEM_POLICY) > $(SYSTEM_POLICY).tmp; \
	else \
	  jq --arg r "$(RUNC_REAL)" '.runtime = $$r' policy/default.json > $(SYSTEM_POLICY).tmp; \
	fi && chmod 0644 $(SYSTEM_POLICY).tmp && mv $(SYSTEM_POLICY).tmp $(SYSTEM_POLICY)
	install -m 0755 $(BIN) $(RUNC).hardened-runc.tmp && mv $(RUNC).hardened-runc.tmp $(RUNC)
	@echo "install-as-runc: $(RUNC) is hardened-runc; the real runc is $(RUNC_REAL) ($(SYSTEM_POLICY) says so)"

uninstall-as-runc:
	@if ! dpkg-divert --list "$(RUNC)" | grep -qF "$(RUNC_REAL)"; then \
	  echo "uninstall-as-runc: $(RUNC) is not diverted; nothing to do"; exit 0; \
	fi; \
	test -e "$(RUNC_REAL)" || { echo "uninstall-as-runc: $(RUNC_REAL) is missing; not removing $(RUNC)" >&2; exit 1; }; \
	rm -f "$(RUNC)" && dpkg-divert --local --rename --remove "$(RUNC)" && \
	if [ -e $(SYSTEM_POLICY) ] && [ "$$(jq -r '.runtime // ""' $(SYSTEM_POLICY))" = "$(RUNC_REAL)" ]; then \
	  jq 'del(.runtime)' $(SYSTEM_POLICY) > $(SYSTEM_POLICY).tmp && chmod 0644 $(SYSTEM_POLICY).tmp && \
	  mv $(SYSTEM_POLICY).tmp $(SYSTEM_POLICY); \
	fi && echo "uninstall-as-runc: $(RUNC) is the distribution's runc again"

bench: deps all $(PROBE)
	bash test/bench/bench.sh

# The attack suite (test/attacks/): escape and abuse attempts in containers
# of a private dockerd, under plain runc and under hardened-runc; the table
# is written to test/attacks/report.md.  test/integration/attacks.sh runs the
# same suite and asserts on it.
# Leak check of the table runner (every case through load, rules,
# controls, seccomp and save) and the unit tests.
# valgrind 3.19 does not know mount_setattr (nor openat2): under it the
# kernel seems to lack rro, so the cases that depend on it run in check and
# asan only.
VALGRIND_SKIP_CASES := readonly-bind-rro-mutate
valgrind: $(TABLE_RUNNER) $(UNIT_TESTS)
	@rm -rf build/valgrind-cases && mkdir -p build/valgrind-cases && \
	  for c in test/cases/*/; do n=$$(basename $$c); case " $(VALGRIND_SKIP_CASES) " in *" $$n "*) continue ;; esac; \
	    ln -s "$(CURDIR)/$$c" build/valgrind-cases/$$n; done
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
		./$(TABLE_RUNNER) build/valgrind-cases > /dev/null
	$(UNIT_RUN) ./$(UNIT_TESTS) env CK_FORK=no valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=1 > /dev/null
	@echo "valgrind: no errors, no leaks (table runner, unit tests)"

attack-report: all
	@d=$$(mktemp -d /tmp/hr-attack-report.XXXXXX) && bash test/attacks/run.sh $$d \
	  && cp $$d/report.md test/attacks/report.md && echo "attack-report: test/attacks/report.md"; \
	  rc=$$?; rm -rf $$d; exit $$rc

demo: deps all
	bash test/demo.sh

ASAN_O := build/asan/
asan: shim/default_policy.c shim/default_seccomp.c
	$(MAKE) O=$(ASAN_O) STATIC=0 CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" $(ASAN_O)test/unit/test-unit $(ASAN_O)test/table-runner $(ASAN_O)test/preserve
	$(UNIT_RUN) ./$(ASAN_O)test/unit/test-unit
	./$(ASAN_O)test/table-runner test/cases
	./$(ASAN_O)test/preserve test/fixtures/docker

# libFuzzer over load -> apply -> save, policy loading, seccomp profiles
# and runc's command line; seed corpus from the fixtures, cases and
# test/fuzz/argv-seeds.txt.  FUZZ_TIME seconds.
FUZZ_TIME ?= 60
FUZZ_CC ?= clang
fuzz: shim/default_policy.c shim/default_seccomp.c
	$(FUZZ_CC) $(HR_CPPFLAGS) -D_GNU_SOURCE -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(shell $(PKG_CONFIG) --cflags $(PKGS)) -o test/fuzz/fuzz test/fuzz/fuzz.c \
		$(LIB_SRCS) $(GEN_SRCS) $(shell $(PKG_CONFIG) --libs $(PKGS))
	rm -rf test/fuzz/corpus && mkdir -p test/fuzz/corpus
	for f in test/fixtures/docker/*.json test/cases/*/config.json; do \
	  h=$$(sha1sum $$f | cut -c1-16); { printf '\000'; cat $$f; } > test/fuzz/corpus/c-$$h; done
	for f in policy/*.json test/cases/*/policy.json; do \
	  h=$$(sha1sum $$f | cut -c1-16); { printf '\001'; cat $$f; } > test/fuzz/corpus/p-$$h; done
	jq -c '.linux.seccomp' test/fixtures/docker/default.json | { printf '\002'; cat; } > test/fuzz/corpus/s-docker
	n=0; while IFS= read -r line; do n=$$((n+1)); { printf '\003'; printf '%s' "$$line" | tr ' ' '\000'; } \
	  > test/fuzz/corpus/a-$$n; done < test/fuzz/argv-seeds.txt
	LSAN_OPTIONS=suppressions=$(CURDIR)/test/fuzz/lsan.supp:print_suppressions=0 \
	  ./test/fuzz/fuzz -max_total_time=$(FUZZ_TIME) -max_len=65536 -timeout=10 test/fuzz/corpus

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -Ishim shim

clean:
	rm -f shim/*.o shim/*.d $(GEN_SRCS) $(LIB) $(BIN) $(UNIT_TESTS) $(TABLE_RUNNER) $(PRESERVE) $(SECCOMP_PROPERTY) $(PROBE) \
		test/fuzz/fuzz
	rm -rf build
