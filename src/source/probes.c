// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Probe loading and attach.  For each kernel function we trace, decide at
 * load time between its fentry/fexit program and its kprobe/kretprobe
 * program, or turn both off (6.1 has no eventfs at all), then load the one
 * object and attach what is left.  Support is probed through BTF, a tiny
 * trial load and /proc/kallsyms: never through tracefs, which is what we
 * observe.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "lib/common.h"
#include "evtrace.skel.h"
#include "lib/ksyms.h"
#include "lib/mounts.h"
#include "source/btfsig.h"
#include "source/probes.h"

/*
 * The probes, in the order `evtrace probes` lists them.  Program names
 * follow from the first name: <fn>_fentry; <fn>_kprobe, plus
 * <fn>_kretprobe where the exit needs arguments stashed at entry.
 *
 * cands: the kernel functions that do the same thing, newest kernels'
 * names after the older ones, each with a note for `evtrace probes`; the
 * first that exists and whose prototype in BTF still takes what the
 * programs read (sig, see source/btfsig.h) is attached, by fentry or by
 * kprobe alike.
 */
#define MAX_CANDS 3

static const struct {
	const char *func;
	uint32_t types;		/* the event types that need it (--type) */
	const char *sig;	/* what its programs read */
	struct { const char *name, *note; } cands[MAX_CANDS];
} probe_funcs[NR_PROBES] = {
	{ "get_next_ino", ET_BIT(ET_INO_ALLOC), ">int", { { "get_next_ino", NULL } } },
	/* get_next_ino() finds its superblock in what alloc_inode() saw */
	{ "alloc_inode", ET_BIT(ET_INODE_ALLOC) | ET_BIT(ET_INO_ALLOC), "super_block>inode",
	  { { "alloc_inode", NULL } } },
	{ "evict", ET_BIT(ET_INODE_EVICT), "inode", { { "evict", NULL } } },
	{ "__d_alloc", ET_BIT(ET_DENTRY_ALLOC), "super_block,qstr>dentry", { { "__d_alloc", NULL } } },
	{ "__dentry_kill", ET_BIT(ET_DENTRY_KILL), "dentry",
	  { { "__dentry_kill", NULL }, { "dentry_kill", "7.2+ name" } } },
	{ "__lookup_slow", ET_BIT(ET_LOOKUP), "qstr,dentry,int>dentry", { { "__lookup_slow", NULL } } },
	{ "eventfs_create_dir", ET_BIT(ET_EI_CREATE), "*,eventfs_inode,eventfs_entry,int,*>eventfs_inode",
	  { { "eventfs_create_dir", NULL } } },
	{ "eventfs_create_events_dir", ET_BIT(ET_EI_CREATE),
	  "*,dentry,eventfs_entry,int,*>eventfs_inode", { { "eventfs_create_events_dir", NULL } } },
	{ "eventfs_root_lookup", ET_BIT(ET_EI_GET), "inode,dentry,int>dentry",
	  { { "eventfs_root_lookup", NULL } } },
	{ "eventfs_d_release", ET_BIT(ET_EI_PUT), "dentry", { { "eventfs_d_release", NULL } } },
	{ "eventfs_remove_rec", ET_BIT(ET_EI_REMOVE), "eventfs_inode,int", { { "eventfs_remove_rec", NULL } } },
	{ "release_ei", ET_BIT(ET_EI_RELEASE), "kref", { { "release_ei", NULL } } },
};

_Static_assert(NR_PROBES == ETP_MAX, "one probe per enum et_probe, in its order");

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe/type"
#define KERNEL_BTF "/sys/kernel/btf/vmlinux"

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && verbose < 2)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

const char *probe_mode_name(enum probe_mode m)
{
	return m == PROBE_FENTRY ? "fentry" : m == PROBE_KPROBE ? "kprobe" :
	       m == PROBE_SKIPPED ? "skipped" : "missing";
}

int check_environment(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {};
	bool bpf_caps = false;

	if (syscall(SYS_capget, &hdr, data) == 0) {
		__u32 eff_hi = data[1].effective;
		bool cap_bpf = eff_hi & (1u << (39 - 32));	/* CAP_BPF */
		bool cap_perfmon = eff_hi & (1u << (38 - 32));	/* CAP_PERFMON */
		bool cap_admin = data[0].effective & (1u << 21);	/* CAP_SYS_ADMIN */

		bpf_caps = cap_admin || (cap_bpf && cap_perfmon);
	}
	if (geteuid() != 0 && !bpf_caps) {
		p_err("need root or CAP_BPF and CAP_PERFMON to load BPF programs: run it with sudo");
		return EXIT_ENV;
	}
	if (access(KERNEL_BTF, R_OK)) {
		p_err("kernel has no BTF (%s: %s): CO-RE needs a kernel built with CONFIG_DEBUG_INFO_BTF=y",
		      KERNEL_BTF, strerror(errno));
		return EXIT_ENV;
	}
	return 0;
}

/*
 * Can a fentry program attach to func?  Load a two-instruction tracing
 * program against its BTF id, as libbpf-tools' fentry_can_attach() does:
 * this catches kernels without trampolines and kernels that refuse
 * tracing programs outright (lockdown gives EPERM before the verifier).
 */
static int fentry_probe(const struct btf *vmlinux, const char *func)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int id, fd;

	id = btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "et_probe", "GPL", insns,
			   ARRAY_SIZE(insns), &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static struct bpf_program *prog_of(struct bpf_object *obj, const char *func,
				   const char *suffix)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%s", func, suffix);
	return bpf_object__find_program_by_name(obj, name);
}

/* Load the probe's programs of mode m only; fentry's aimed at the candidate chosen. */
static void set_autoload(struct bpf_object *obj, const struct probe_status *ps)
{
	const char *func = ps->name;
	enum probe_mode m = ps->mode;
	struct bpf_program *p;

	if ((p = prog_of(obj, func, "fentry"))) {
		bpf_program__set_autoload(p, m == PROBE_FENTRY);
		if (m == PROBE_FENTRY && strcmp(ps->target, func))
			bpf_program__set_attach_target(p, 0, ps->target);
	}
	if ((p = prog_of(obj, func, "kprobe")))
		bpf_program__set_autoload(p, m == PROBE_KPROBE);
	if ((p = prog_of(obj, func, "kretprobe")))
		bpf_program__set_autoload(p, m == PROBE_KPROBE);
}

/* Pick fentry or kprobe for one kernel function, or say why neither (in why). */
static enum probe_mode choose_one(const char *fn, const char *sig, const struct btf *vmlinux,
				  const struct ksyms *ks, bool have_kprobes, enum attach_pref pref,
				  char *why, size_t size, bool *try_next)
{
	int ferr = -EOPNOTSUPP;
	bool in_btf = btf__find_by_name_kind(vmlinux, fn, BTF_KIND_FUNC) >= 0;
	bool in_kallsyms = ksyms_has(ks, fn);

	why[0] = 0;
	/* not this function: another name may be; this kernel refusing: none will do */
	*try_next = true;
	if (!in_btf && !in_kallsyms) {
		snprintf(why, size, "no such function in this kernel (not in BTF nor kallsyms)");
		return PROBE_MISSING;
	}
	/* fentry and kprobe programs read the same arguments: check both */
	if (in_btf && btf_sig_check(vmlinux, fn, sig, why, size) == -EINVAL)
		return PROBE_MISSING;
	*try_next = false;
	if (pref != ATTACH_KPROBE) {
		ferr = in_btf ? fentry_probe(vmlinux, fn) : -ENOENT;
		if (!ferr)
			return PROBE_FENTRY;
	}
	if (pref != ATTACH_FENTRY && have_kprobes && in_kallsyms) {
		if (pref == ATTACH_AUTO)
			snprintf(why, size, "fentry: %s",
				 ferr == -ENOENT ? "not in kernel BTF" : strerror(-ferr));
		else
			snprintf(why, size, "forced by --attach kprobe");
		return PROBE_KPROBE;
	}
	if (pref == ATTACH_KPROBE)
		snprintf(why, size, "kprobe: %s",
			 !have_kprobes ? "kernel has no kprobes (" KPROBE_PMU " missing)" :
			 "function not in /proc/kallsyms (inlined?)");
	else if (pref == ATTACH_FENTRY)
		snprintf(why, size, "fentry: %s",
			 ferr == -ENOENT ? "not in kernel BTF" : strerror(-ferr));
	else
		snprintf(why, size, "fentry: %s; kprobe: %s",
			 ferr == -ENOENT ? "not in kernel BTF" : strerror(-ferr),
			 !have_kprobes ? "kernel has no kprobes" : "not in /proc/kallsyms");
	return PROBE_MISSING;
}

/*
 * The first candidate that exists, still takes what the programs read, and
 * can be attached; or why none.  A later candidate says which it is:
 * "dentry_kill (7.2+ name)".
 */
static void choose(struct probe_status *ps, int idx, const struct btf *vmlinux,
		   const struct ksyms *ks, bool have_kprobes, enum attach_pref pref)
{
	char why[MAX_CANDS][160];
	bool next = true;
	int n = 0;

	for (; next && n < MAX_CANDS && probe_funcs[idx].cands[n].name; n++) {
		const char *fn = probe_funcs[idx].cands[n].name;

		ps->mode = choose_one(fn, probe_funcs[idx].sig, vmlinux, ks, have_kprobes, pref,
				      why[n], sizeof(why[n]), &next);
		if (ps->mode == PROBE_MISSING)
			continue;
		ps->target = fn;
		if (n)
			snprintf(ps->reason, sizeof(ps->reason), "%s (%s)%s%s", fn,
				 probe_funcs[idx].cands[n].note, why[n][0] ? "; " : "", why[n]);
		else
			snprintf(ps->reason, sizeof(ps->reason), "%s", why[n]);
		return;
	}
	/* the last candidate tried stopped us, or was the only one: its reason as it is */
	if (n == 1 || !next) {
		snprintf(ps->reason, sizeof(ps->reason), "%s", why[n - 1]);
		return;
	}
	ps->reason[0] = 0;
	for (int i = 0; i < n; i++) {
		size_t off = strlen(ps->reason);

		snprintf(ps->reason + off, sizeof(ps->reason) - off, "%s%s: %s", i ? "; " : "",
			 probe_funcs[idx].cands[i].name, why[i]);
	}
}

static int fill_filters(struct evtrace_bpf *skel, const struct filters *f)
{
	__u8 one = 1;
	int err = 0;

	for (int i = 0; i < f->npids && !err; i++)
		err = bpf_map__update_elem(skel->maps.filter_pids, &f->pids[i],
					   sizeof(f->pids[i]), &one, 1, BPF_ANY);
	for (int i = 0; i < f->ncomms && !err; i++)
		err = bpf_map__update_elem(skel->maps.filter_comms, f->comms[i],
					   ET_COMM_LEN, &one, 1, BPF_ANY);
	for (int i = 0; i < f->nfss && !err; i++)
		err = bpf_map__update_elem(skel->maps.filter_fss, f->fss[i],
					   ET_FS_LEN, &one, 1, BPF_ANY);
	for (int i = 0; i < f->ndevs && !err; i++)
		err = bpf_map__update_elem(skel->maps.filter_devs, &f->devs[i],
					   sizeof(f->devs[i]), &one, 1, BPF_ANY);
	for (int i = 0; i < f->ncgroups && !err; i++)
		err = bpf_map__update_elem(skel->maps.filter_cgroups, &f->cgroups[i],
					   sizeof(f->cgroups[i]), &one, 1, BPF_ANY);
	return err;
}

static int attach_one(struct tracer *t, struct probe_status *ps, int idx)
{
	const char *suffixes[2];
	int n = 0;

	if (ps->mode == PROBE_FENTRY) {
		suffixes[n++] = "fentry";
	} else {
		suffixes[n++] = "kprobe";
		suffixes[n++] = "kretprobe";
	}
	for (int i = 0; i < n; i++) {
		struct bpf_program *p = prog_of(t->skel->obj, ps->name, suffixes[i]);
		struct bpf_link *l;

		if (!p)
			continue;
		/* the kprobe at the candidate chosen, whatever its section says */
		if (ps->mode == PROBE_KPROBE)
			l = bpf_program__attach_kprobe(p, !strncmp(bpf_program__section_name(p),
								  "kretprobe", 9), ps->target);
		else
			l = bpf_program__attach(p);
		if (!l)
			return -errno;
		t->links[idx][i] = l;
	}
	return 0;
}

static void detach_one(struct tracer *t, int idx)
{
	for (int i = 0; i < 2; i++) {
		bpf_link__destroy(t->links[idx][i]);
		t->links[idx][i] = NULL;
	}
}

static int handle_event(void *ctx, void *data, size_t size);

static bool probe_on(const struct probe_status *ps)
{
	return ps->mode == PROBE_FENTRY || ps->mode == PROBE_KPROBE;
}

/*
 * The generation table (births in the BPF object): a power of two, twice
 * the objects it holds at once (--max-objects), so that its chains stay
 * short.  It numbers dentries and inodes when they are traced, and
 * eventfs_inodes always: a few thousand of those, and 64 bytes a slot.
 */
static void births_size(struct tracer *t, const struct tracer_opts *o)
{
	bool vfs = t->skel->rodata->track_inodes || t->skel->rodata->track_dentries;
	uint64_t n = o->max_objects ? o->max_objects : vfs ? MAX_OBJECTS_DEFAULT : 1 << 16;
	uint32_t bits = 10;

	while (bits < 31 && (1ull << bits) < 2 * n)
		bits++;
	bpf_map__set_max_entries(t->skel->maps.births, 1u << bits);
	t->skel->rodata->births_bits = bits;
}

/*
 * Why nothing attached, in one line, from what the probes said: on the
 * build machines the kernel refuses tracing programs (lockdown) and has
 * no kprobes.
 */
static void explain_nothing(const struct tracer *t, bool have_kprobes,
			    enum attach_pref pref)
{
	const struct probe_status *ps = t->probes;
	const char *first;

	/* the first probe that was wanted speaks for them all */
	while (ps < t->probes + NR_PROBES - 1 && ps->mode == PROBE_SKIPPED)
		ps++;
	first = ps->reason;
	if (!have_kprobes && pref != ATTACH_FENTRY && strstr(first, "fentry: "))
		p_err("no probe can attach: this kernel refuses BPF tracing programs (%.*s) and has no kprobes; "
		      "run evtrace on a kernel that allows them, or try it in a VM with `make demo`",
		      (int)strcspn(first + 8, ";"), first + 8);
	else
		p_err("no probe can attach (%s: %s); see `evtrace probes`", ps->name, first);
}

int tracer_start(struct tracer *t, const struct tracer_opts *o)
{
	struct btf *vmlinux = NULL;
	bool have_kprobes;
	int err, ret = EXIT_RUNTIME;
	uint32_t tracefs, attach, emit;
	unsigned long iter_lo, iter_len;

	libbpf_set_print(verbose ? libbpf_print : NULL);
	memset(t, 0, sizeof(*t));

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux) {
		p_err("cannot read kernel BTF: %s", strerror(errno));
		return EXIT_ENV;
	}
	t->ksyms = ksyms_load("/proc/kallsyms");
	if (!t->ksyms) {
		p_err("cannot read /proc/kallsyms: %s", strerror(errno));
		goto cleanup;
	}
	have_kprobes = access(KPROBE_PMU, F_OK) == 0;

	t->skel = evtrace_bpf__open();
	if (!t->skel) {
		p_err("cannot open BPF object: %s", strerror(errno));
		goto cleanup;
	}
	t->skel->rodata->self_tgid = o->filters.include_self ? 0 : getpid();
	t->skel->rodata->filter_pid = o->filters.npids > 0;
	t->skel->rodata->filter_comm = o->filters.ncomms > 0;
	t->skel->rodata->filter_fs = o->filters.nfss > 0;
	t->skel->rodata->filter_dev = o->filters.ndevs > 0;
	t->skel->rodata->filter_cgroup = o->filters.ncgroups > 0;
	attach = o->filters.types ? o->filters.types : ~0u;
	emit = attach & ~(o->agg.stream ? 0 : o->agg.types);
	t->skel->rodata->emit_types = emit;
	t->skel->rodata->count_calls = o->count_calls;
	/* generations only where the allocation is probed and someone names the object */
	t->skel->rodata->track_inodes = (o->agg.types & ET_BIT(ET_INODE_ALLOC)) ||
					(emit & (ET_BIT(ET_INODE_ALLOC) | ET_BIT(ET_INO_ALLOC)));
	t->skel->rodata->track_dentries = attach & ET_BIT(ET_DENTRY_ALLOC);
	t->skel->rodata->ei_names_once = o->agg.types && !o->agg.stream;
	t->skel->rodata->ei_inodes = !o->agg.no_ei_inodes;
	if (o->agg.types) {
		t->agg_types = o->agg.types;
		t->skel->rodata->agg_types = o->agg.types;
		t->skel->rodata->agg_step = o->agg.step;
		t->skel->rodata->agg_comm = o->agg.comm;
		t->skel->rodata->agg_caller = o->agg.caller;
		t->skel->rodata->agg_cgroup = o->agg.cgroup;
		bpf_map__set_max_entries(t->skel->maps.aggs, AGG_ENTRIES);
		bpf_map__set_key_size(t->skel->maps.aggs,
				      ET_AGG_KEY_SIZE(o->agg.caller, o->agg.comm, o->agg.cgroup));
	}
	if (mounts_find_fs_dev("tracefs", &tracefs) == 0)
		t->skel->rodata->tracefs_dev = tracefs;
	/* a readdir's get_next_ino() calls: tracefs', whatever the task allocated before */
	if (ksyms_range(t->ksyms, "eventfs_iterate", &iter_lo, &iter_len)) {
		t->skel->rodata->eventfs_iterate_lo = iter_lo;
		t->skel->rodata->eventfs_iterate_len = iter_len;
	}
	if (o->ringbuf_bytes)
		bpf_map__set_max_entries(t->skel->maps.events, o->ringbuf_bytes);
	/* wake the consumer early enough that the ring never fills between polls */
	t->skel->rodata->wakeup_bytes = bpf_map__max_entries(t->skel->maps.events) / 4;
	births_size(t, o);

	for (int i = 0; i < NR_PROBES; i++) {
		struct probe_status *ps = &t->probes[i];

		ps->name = probe_funcs[i].func;
		if (o->filters.types && !(o->filters.types & probe_funcs[i].types)) {
			/* a user watching eventfs pays nothing for dentry churn */
			ps->mode = PROBE_SKIPPED;
			snprintf(ps->reason, sizeof(ps->reason), "no event type asked for needs it (--type)");
			t->n_skipped++;
		} else {
			choose(ps, i, vmlinux, t->ksyms, have_kprobes, o->attach);
			if (ps->mode == PROBE_MISSING)
				t->n_missing++;
		}
		set_autoload(t->skel->obj, ps);
	}
	if (t->n_missing + t->n_skipped == NR_PROBES) {
		explain_nothing(t, have_kprobes, o->attach);
		ret = EXIT_ENV;
		goto cleanup;
	}
	t->ei_put_in_kill = probe_on(&t->probes[ETP_DENTRY_KILL]) &&
			    probe_on(&t->probes[ETP_EVENTFS_D_RELEASE]) &&
			    t->skel->rodata->tracefs_dev;
	t->skel->rodata->ei_put_in_kill = t->ei_put_in_kill;

	err = evtrace_bpf__load(t->skel);
	if (err) {
		p_err("cannot load BPF programs: %s (run with -v for the verifier log)",
		      strerror(-err));
		goto cleanup;
	}
	err = fill_filters(t->skel, &o->filters);
	if (err) {
		p_err("cannot fill filter maps: %s", strerror(-err));
		goto cleanup;
	}
	/*
	 * Statistics: the kernel times every BPF program run while this fd
	 * is open (two clock reads a run, every program on the machine), so
	 * only when asked; CAP_SYS_ADMIN, else said and left off.
	 */
	t->stats_fd = -1;
	if (o->bpf_stats) {
		t->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (t->stats_fd < 0)
			p_info("--bpf-stats: the kernel's BPF statistics stay off: %s "
			       "(they need CAP_SYS_ADMIN, or sysctl kernel.bpf_stats_enabled=1)",
			       strerror(errno));
	}
	/* Filters are in place: attaching now starts the stream. */
	t->stream_start_ns = mono_ns();
	for (int i = 0; i < NR_PROBES; i++) {
		struct probe_status *ps = &t->probes[i];

		if (ps->mode == PROBE_MISSING || ps->mode == PROBE_SKIPPED)
			continue;
		/*
		 * Told by __dentry_kill()'s program (ei_put_in_kill), which
		 * attached before it: its own program stays loaded for the
		 * case where that one did not.
		 */
		if (i == ETP_EVENTFS_D_RELEASE && t->ei_put_in_kill &&
		    probe_on(&t->probes[ETP_DENTRY_KILL])) {
			ps->mode = t->probes[ETP_DENTRY_KILL].mode;
			snprintf(ps->reason, sizeof(ps->reason),
				 "its calls told by %s's program, which makes them",
				 t->probes[ETP_DENTRY_KILL].target);
			if (ps->mode == PROBE_FENTRY)
				t->n_fentry++;
			else
				t->n_kprobe++;
			continue;
		}
		err = attach_one(t, ps, i);
		if (err) {
			detach_one(t, i);
			snprintf(ps->reason, sizeof(ps->reason), "%s attach failed: %s",
				 probe_mode_name(ps->mode), strerror(-err));
			ps->mode = PROBE_MISSING;
			t->n_missing++;
			continue;
		}
		if (ps->mode == PROBE_FENTRY)
			t->n_fentry++;
		else
			t->n_kprobe++;
	}
	if (!t->n_fentry && !t->n_kprobe) {
		explain_nothing(t, have_kprobes, o->attach);
		ret = EXIT_ENV;
		goto cleanup;
	}

	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), handle_event, t, NULL);
	if (!t->rb) {
		p_err("cannot create ring buffer: %s", strerror(errno));
		goto cleanup;
	}
	/*
	 * Reread kallsyms now that our trampolines exist: they show up as
	 * [bpf] symbols, and the caller resolution must skip them.
	 */
	ksyms_free(t->ksyms);
	t->ksyms = ksyms_load("/proc/kallsyms");
	btf__free(vmlinux);
	return 0;

cleanup:
	btf__free(vmlinux);
	tracer_stop(t);
	return ret;
}

void tracer_detach(struct tracer *t)
{
	for (int i = 0; i < NR_PROBES; i++)
		detach_one(t, i);
}

void tracer_stop(struct tracer *t)
{
	if (t->stats_fd > 0)
		close(t->stats_fd);
	t->stats_fd = -1;
	ring_buffer__free(t->rb);
	t->rb = NULL;
	tracer_detach(t);
	evtrace_bpf__destroy(t->skel);
	t->skel = NULL;
	ksyms_free(t->ksyms);
	t->ksyms = NULL;
}

/* The consumer sets t->on_event; libbpf's callback forwards to it. */
static int handle_event(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;

	if (size < ET_EVENT_BASE || !t->on_event)
		return 0;
	return t->on_event(t->on_event_ctx, data, size);
}

/* Entry key of a per-CPU array of counters, summed over the CPUs; 0 if unreadable. */
static uint64_t percpu_sum(const struct bpf_map *map, __u32 key)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t sum = 0;
	__u64 *vals;

	if (ncpu <= 0 || !(vals = calloc(ncpu, sizeof(*vals))))
		return 0;
	if (!bpf_map__lookup_elem(map, &key, sizeof(key), vals, ncpu * sizeof(*vals), 0))
		for (int i = 0; i < ncpu; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

/* Calls our programs skipped: another BPF program was running on the CPU. */
static uint64_t recursion_lost(struct tracer *t)
{
	struct bpf_program *p;
	uint64_t sum = 0;

	bpf_object__for_each_program(p, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_program__fd(p) >= 0 &&
		    !bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

bool tracer_bpf_stats(const struct tracer *t, uint64_t *runs, uint64_t *ns)
{
	struct bpf_program *p;

	*runs = *ns = 0;
	if (!t->skel)
		return false;
	bpf_object__for_each_program(p, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_program__fd(p) >= 0 &&
		    !bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len)) {
			*runs += info.run_cnt;
			*ns += info.run_time_ns;
		}
	}
	/* off, or nothing ran yet: the kernel counts no run without the time */
	return t->stats_fd >= 0 || *runs;
}

/*
 * struct bpf_link_info for a perf_event link, as 6.7 extended it with the
 * kprobe's miss count (Debian 12's headers predate it).  An older kernel
 * fills less and leaves missed at 0: it does not tell.
 */
struct link_info_kprobe {
	__u32 type;			/* BPF_LINK_TYPE_PERF_EVENT */
	__u32 id;
	__u32 prog_id;
	__u32 :32;
	__u32 perf_type;		/* BPF_PERF_EVENT_KPROBE (3), _KRETPROBE (4) */
	__u32 :32;
	__u64 func_name;
	__u32 name_len;
	__u32 offset;
	__u64 addr;
	__u64 missed;
	__u64 cookie;
	__u8 rest[64];			/* whatever newer kernels add */
};

static uint64_t kprobe_lost(struct tracer *t)
{
	uint64_t sum = 0;

	for (int i = 0; i < NR_PROBES; i++) {
		for (int k = 0; k < 2 && t->probes[i].mode == PROBE_KPROBE; k++) {
			struct link_info_kprobe info = {};
			__u32 len = sizeof(info);
			int fd = t->links[i][k] ? bpf_link__fd(t->links[i][k]) : -1;

			if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) &&
			    info.type == 7 /* BPF_LINK_TYPE_PERF_EVENT */ &&
			    (info.perf_type == 3 || info.perf_type == 4))
				sum += info.missed;
		}
	}
	return sum;
}

void tracer_new_lost(struct tracer *t, uint64_t *n, bool all)
{
	uint64_t now[LOST_CAUSES] = { 0 };

	if (t->skel) {
		now[LOST_RING] = percpu_sum(t->skel->maps.lost, 0);
		/* a syscall per program and link: once a second is often enough */
		if (all || mono_ns() - t->misses_read_ns >= 1000000000ull) {
			t->misses_read_ns = mono_ns();
			now[LOST_RECURSION] = recursion_lost(t);
			now[LOST_KPROBE] = kprobe_lost(t);
		}
	}
	for (int c = 0; c < LOST_CAUSES; c++) {
		/* a counter never goes back; a link gone (detached) may read 0 */
		n[c] = now[c] > t->lost_seen[c] ? now[c] - t->lost_seen[c] : 0;
		if (now[c] > t->lost_seen[c])
			t->lost_seen[c] = now[c];
	}
}

void tracer_calls(struct tracer *t, uint64_t *calls)
{
	for (__u32 p = 0; p < NR_PROBES; p++)
		calls[p] = t->skel ? percpu_sum(t->skel->maps.calls, p) : 0;
}

uint64_t tracer_ring_bytes(const struct tracer *t)
{
	return t->skel ? bpf_map__max_entries(t->skel->maps.events) : 0;
}

int tracer_agg_fd(struct tracer *t)
{
	return t->skel && t->agg_types ? bpf_map__fd(t->skel->maps.aggs) : -1;
}

void tracer_agg_counts(struct tracer *t, uint64_t *n)
{
	for (__u32 i = 0; i < ETA_COUNTS; i++)
		n[i] = t->skel && t->agg_types ? percpu_sum(t->skel->maps.agg_counts, i) : 0;
}

uint64_t tracer_seq_full(struct tracer *t)
{
	return t->skel ? t->skel->bss->seq_full : 0;
}

bool tracer_callers_unwound(const struct tracer *t)
{
	return !t->skel || t->probes[ETP_GET_NEXT_INO].mode != PROBE_FENTRY ||
	       t->skel->bss->caller_unwind;
}

void tracer_summary(const struct tracer *t, char *buf, size_t size)
{
	snprintf(buf, size, "attached %d probes (%d fentry, %d kprobe, %d missing)",
		 t->n_fentry + t->n_kprobe, t->n_fentry, t->n_kprobe, t->n_missing);
	if (t->n_skipped && strlen(buf) + 1 < size)
		snprintf(buf + strlen(buf) - 1, size - strlen(buf) + 1, ", %d skipped)", t->n_skipped);
}
