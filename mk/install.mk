# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# make install / make uninstall: the binary, its man page and the systemd
# unit for `evtrace serve`, nothing else.  PREFIX (default /usr/local) is
# where they will live, DESTDIR a staging root put before every path (as
# packagers use it); the unit's ExecStart= names the binary under PREFIX,
# never DESTDIR.  No systemctl daemon-reload, no setcap: see README.
#
#   sudo make install                        /usr/local/sbin/evtrace, ...
#   make install DESTDIR=/tmp/pkg PREFIX=/usr
#   make uninstall DESTDIR=/tmp/pkg PREFIX=/usr

PREFIX		?= /usr/local
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
SYSTEMDUNITDIR	?= $(PREFIX)/lib/systemd/system
INSTALL		?= install

INSTALLED := $(DESTDIR)$(SBINDIR)/evtrace $(DESTDIR)$(MANDIR)/man8/evtrace.8 \
	     $(DESTDIR)$(SYSTEMDUNITDIR)/evtrace.service

.PHONY: install uninstall

install: evtrace docs/evtrace.8 contrib/evtrace.service.in | $(OUTPUT)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)sed 's|@SBINDIR@|$(SBINDIR)|g' contrib/evtrace.service.in >$(OUTPUT)/evtrace.service
	$(Q)$(INSTALL) -D -m 0755 evtrace $(DESTDIR)$(SBINDIR)/evtrace
	$(Q)$(INSTALL) -D -m 0644 docs/evtrace.8 $(DESTDIR)$(MANDIR)/man8/evtrace.8
	$(Q)$(INSTALL) -D -m 0644 $(OUTPUT)/evtrace.service $(DESTDIR)$(SYSTEMDUNITDIR)/evtrace.service

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(INSTALLED)
