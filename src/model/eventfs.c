// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The eventfs_inode state machine: one entry per ei, fed its create, get,
 * put, remove and release events, with the dentries holding it and a
 * bounded history of its refcount changes, and the anomalies the seed
 * thread was about (removed while referenced, lookups after removal,
 * releases that never come).  The VFS tables and the rest of the model
 * are model.c's.
 */
#include <errno.h>
#include <inttypes.h>

#include "model/model_int.h"

#define PATH_MAX_LEN	256

static void ei_free(struct m_ei *e)
{
	free(e->path);
	if (e->history != e->history0)
		free(e->history);
	free(e);
}

void m_eis_free(struct model *m)
{
	struct m_ei *e, *te;

	HASH_ITER(hh, m->eis, e, te) {
		HASH_DEL(m->eis, e);
		ei_free(e);
	}
	m->ei_last = NULL;
}

static struct m_ei *ei_find(const struct model *m, uint64_t id)
{
	struct m_ei *e = NULL;

	if (id)
		HASH_FIND(hh, m->eis, &id, sizeof(id), e);
	return e;
}

/* The number of an instance whose events dir left the table; 0 if none. */
static uint32_t gone_instance(const struct model *m, uint64_t id)
{
	uint32_t n = m->n_gone_instances < ARRAY_SIZE(m->gone_instances) ?
		     m->n_gone_instances : ARRAY_SIZE(m->gone_instances);

	for (uint32_t i = 0; id && i < n; i++)
		if (m->gone_instances[i].id == id)
			return m->gone_instances[i].n;
	return 0;
}

/* An ei's own name: an instance's events dir's create carries the instance's instead. */
static const char *rec_ei_name(const struct et_rec *r)
{
	return r->flags & ET_F_INSTANCE ? "events" : r->name;
}

/* An instance's name (the directory under instances/), NULL if not known. */
static const char *inst_name(const struct model *m, uint32_t n)
{
	uint32_t k = m->n_inst_names < ARRAY_SIZE(m->inst_names) ?
		     m->n_inst_names : ARRAY_SIZE(m->inst_names);

	for (uint32_t i = 0; n && i < k; i++)
		if (m->inst_names[i].n == n)
			return m->inst_names[i].name;
	return NULL;
}

static void inst_name_set(struct model *m, uint32_t n, const char *name)
{
	uint32_t i = m->n_inst_names++ % ARRAY_SIZE(m->inst_names);

	m->inst_names[i].n = n;
	copy_name(m->inst_names[i].name, name, sizeof(m->inst_names[i].name));
}

/*
 * Appends to a path or a list, as snprintf() would at buf + off and
 * stopping there once the text is cut: a removal in a burst reports
 * thousands of eis, and formatting each report's path and holders with
 * snprintf() was most of what the model spent on them.
 */
static size_t put_str(char *buf, size_t size, size_t off, const char *s)
{
	size_t n = strlen(s);

	if (off >= size)
		return off + n;
	if (n > size - 1 - off) {
		memcpy(buf + off, s, size - 1 - off);
		buf[size - 1] = 0;
		return off + n;
	}
	memcpy(buf + off, s, n + 1);
	return off + n;
}

static size_t put_u32(char *buf, size_t size, size_t off, uint32_t v)
{
	char d[11], *p = d + sizeof(d) - 1;

	*p = 0;
	do
		*--p = '0' + v % 10;
	while (v /= 10);
	return put_str(buf, size, off, p);
}

/*
 * Path in tracefs, from the parent chain (bounded: eventfs is 3 deep):
 * "events/sched/sched_switch" under the top-level events dir,
 * "instances/foo/events/sched/sched_switch" in the instance foo.
 * The top-level events dir is made at boot and never removed, so it never
 * shows up in a trace: an ei whose chain ends at an ei not seen is placed
 * under it.  An instance's events dir does show up, made by mkdir and
 * removed by rmdir with ET_F_EVENTS, its ei_create naming the instance
 * (ET_F_INSTANCE).  Instances are numbered in the order their events
 * dirs are seen, and one whose name the trace does not have (recorded
 * before evtrace read it, or through a kprobe-less path) is "#2".
 * Made again on use once anything it depends on changed (label_gen): a
 * parent may be learned after its children.
 */
static const char *ei_label(const struct model *m, struct m_ei *e)
{
	const struct m_ei *chain[8], *root;
	char buf[PATH_MAX_LEN] = "";
	size_t n = 0, off = 0;
	uint32_t inst;

	if (e->path && e->path_gen == m->label_gen)
		return e->path;
	for (const struct m_ei *p = e; p && n < ARRAY_SIZE(chain); p = ei_find(m, p->parent))
		chain[n++] = p;
	root = chain[n - 1];
	inst = root->instance ? root->instance : gone_instance(m, root->parent);
	if (inst) {
		const char *name = inst_name(m, inst);

		off = put_str(buf, sizeof(buf), 0, name ? "instances/" : "instances/#");
		off = name ? put_str(buf, sizeof(buf), off, name) : put_u32(buf, sizeof(buf), off, inst);
		off = put_str(buf, sizeof(buf), off, root->instance ? "/" : "/events/");
	} else if (root->parent || strcmp(root->name, "events")) {
		off = put_str(buf, sizeof(buf), 0, "events/");
	}
	while (n-- && off < sizeof(buf)) {
		if (off && buf[off - 1] != '/')
			off = put_str(buf, sizeof(buf), off, "/");
		off = put_str(buf, sizeof(buf), off, chain[n]->name);
	}
	if (!e->path || strcmp(e->path, buf)) {
		char *p = strdup(buf);

		if (p) {
			free(e->path);
			e->path = p;
		}
	}
	e->path_gen = m->label_gen;
	return e->path ? e->path : e->name;
}

/* Off the pending list, if on it. */
static void pend_del(struct model *m, struct m_ei *e)
{
	if (!e->pending)
		return;
	if (e->pend_prev)
		e->pend_prev->pend_next = e->pend_next;
	else
		m->pend_head = e->pend_next;
	if (e->pend_next)
		e->pend_next->pend_prev = e->pend_prev;
	else
		m->pend_tail = e->pend_prev;
	e->pend_next = e->pend_prev = NULL;
	e->pending = false;
}

/* On it, in removal-time order: events come nearly in order, so from the tail. */
static void pend_add(struct model *m, struct m_ei *e)
{
	struct m_ei *after = m->pend_tail;

	if (e->pending)
		return;
	while (after && after->removed_ns > e->removed_ns)
		after = after->pend_prev;
	e->pend_prev = after;
	e->pend_next = after ? after->pend_next : m->pend_head;
	if (e->pend_next)
		e->pend_next->pend_prev = e;
	else
		m->pend_tail = e;
	if (after)
		after->pend_next = e;
	else
		m->pend_head = e;
	e->pending = true;
}

static void ei_drop(struct model *m, struct m_ei *e)
{
	pend_del(m, e);
	if (e->instance) {
		uint32_t i = m->n_gone_instances++ % ARRAY_SIZE(m->gone_instances);

		m->gone_instances[i].id = e->id;
		m->gone_instances[i].n = e->instance;
	}
	HASH_DEL(m->eis, e);
	m->n_eis--;
	if (m->ei_last == e)
		m->ei_last = NULL;
	ei_free(e);
}

static struct m_ei *ei_add(struct model *m, const struct et_rec *r)
{
	struct m_ei *e;

	if (m->n_eis >= m->o.max_eis) {
		struct m_ei *victim = m->eis, *it = m->eis;

		/*
		 * The oldest released ei goes first: live ones are the story.
		 * Look only near the head, so a full table of live eis costs
		 * no scan per insertion.
		 */
		for (int i = 0; i < 64 && it; i++, it = it->hh.next) {
			if (it->state == EI_RELEASED) {
				victim = it;
				break;
			}
		}
		ei_drop(m, victim);
		m->st.evicted_from_model++;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->history = e->history0;
	e->history_cap = m->o.ei_history < ARRAY_SIZE(e->history0) ? m->o.ei_history :
			 ARRAY_SIZE(e->history0);
	e->id = r->obj_id;
	e->order = ++m->ei_order;
	e->dev = (r->dev_major << ET_MINORBITS) | r->dev_minor;
	copy_name(e->name, rec_ei_name(r), sizeof(e->name));
	copy_name(e->comm, r->comm, sizeof(e->comm));
	HASH_ADD(hh, m->eis, id, sizeof(e->id), e);
	m->n_eis++;
	/* a chain may end here now, and the one dropped for it no longer does */
	m->label_gen++;
	return e;
}

static void holder_add(struct m_ei *e, uint64_t dentry)
{
	if (!dentry)
		return;
	if (e->n_holders < EI_HOLDERS_MAX)
		e->holders[e->n_holders++] = dentry;
	else
		e->holders_more++;
}

static void holder_del(struct m_ei *e, uint64_t dentry)
{
	for (uint32_t i = 0; i < e->n_holders; i++) {
		if (e->holders[i] == dentry) {
			e->holders[i] = e->holders[--e->n_holders];
			return;
		}
	}
	if (e->holders_more)
		e->holders_more--;
}

static void history_push(struct model *m, struct m_ei *e, const struct et_rec *r, bool gap)
{
	struct ei_change *c;

	/* a burst's eis each grew an array no one would read */
	if (m->o.no_history)
		return;
	/*
	 * Five times as long the first time, then all of it: an event
	 * directory's ei that a lookup reached takes 17 changes on 6.12
	 * (create, a get and a put for its dentry and each of its six files,
	 * remove, release), and each realloc() cost as much as the rest of
	 * its event.  Not eight times, as before: a burst keeps thousands of
	 * these, and their 15 unused slots each were a fifth of the pages
	 * the model faulted in for a burst's eis.
	 */
	if (e->n_history == e->history_cap && e->history_cap < m->o.ei_history) {
		uint32_t cap = e->history_cap * 5 < m->o.ei_history &&
			       e->history == e->history0 ? e->history_cap * 5 : m->o.ei_history;
		struct ei_change *p = e->history == e->history0 ? NULL : e->history;

		p = realloc(p, cap * sizeof(*e->history));
		/* no memory: keep the ring we have, dropping the oldest */
		if (p) {
			if (e->history == e->history0)
				memcpy(p, e->history0, e->n_history * sizeof(*p));
			e->history = p;
			e->history_cap = cap;	/* history_start is 0 until the ring is full */
		}
	}
	if (e->n_history == e->history_cap) {
		e->history_start = (e->history_start + 1) % e->history_cap;
		e->n_history--;
		e->history_dropped++;
	}
	c = &e->history[(e->history_start + e->n_history++) % e->history_cap];
	c->ts_ns = r->ts_ns;
	c->dentry = r->type == ET_EI_GET || r->type == ET_EI_PUT ? r->aux_id : 0;
	c->refcount = e->refcount;
	c->op = r->type;
	c->gap = gap;
}

static void ei_sample(struct model *m, const struct m_ei *e, enum sample_kind k, uint64_t v)
{
	if (m_wants(m, k))
		sample(m, k, v, m_mount_of(m, e->dev, "tracefs"), "tracefs", "?", e->comm);
}

/*
 * The holders onto l: the first four, then ",+N" for the rest (the model
 * keeps a few and counts the others).  Ids written in place: a burst's
 * rmdir reports thousands of eis with their holders.
 */
static void line_holders(struct line *l, const struct m_ei *e)
{
	char h[16];

	for (uint32_t i = 0; i < e->n_holders && i < 4; i++) {
		if (i)
			line_putc(l, ',');
		line_put(l, h, fmt_hex64(h, e->holders[i]) - h);
	}
	if (e->n_holders + e->holders_more > 4) {
		line_put(l, ",+", 2);
		line_u64(l, e->n_holders + e->holders_more - 4);
	}
}

/* The holders, or why there are none to name. */
static void line_holders_or_why(struct line *l, const struct model *m, const struct m_ei *e)
{
	if (m->o.no_ei_refs)
		line_puts(l, "(not traced: no ei_get or ei_put probed)");
	else if (!e->n_holders)
		line_puts(l, "(not seen)");
	else
		line_holders(l, e);
}

/* The same as a string, for the reports printf formats. */
static const char *holders_or_why(const struct model *m, const struct m_ei *e, char *buf,
				  size_t size)
{
	struct line l;
	size_t n;

	line_reset(&l);
	line_holders_or_why(&l, m, e);
	n = l.n < size ? l.n : size - 1;
	memcpy(buf, l.buf, n);
	buf[n] = '\0';
	return buf;
}

/*
 * "ei PATH removed while still referenced: refcount N, held by dentries
 * D,...", put together piece by piece as dup_ino() is: a burst's rmdir
 * reports every ei of the instance, thousands in a row.
 */
static void ei_removed_referenced(struct model *m, struct m_ei *e, uint64_t ts)
{
	struct line l;

	line_reset(&l);
	line_puts(&l, "ei ");
	line_puts(&l, ei_label(m, e));
	line_puts(&l, " removed while still referenced: refcount ");
	line_s64(&l, e->refcount);
	line_puts(&l, ", held by dentries ");
	line_holders_or_why(&l, m, e);
	m_report_line(m, A_EI_REMOVED_REFERENCED, ts, e->id, &l);
}

/* "ei PATH released while dentries D,... still held it": as the removal's. */
static void ei_released_held(struct model *m, struct m_ei *e, uint64_t ts)
{
	struct line l;

	line_reset(&l);
	line_puts(&l, "ei ");
	line_puts(&l, ei_label(m, e));
	line_puts(&l, " released while dentries ");
	line_holders(&l, e);
	line_puts(&l, " still held it");
	m_report_line(m, A_DENTRY_OUTLIVES_EI, ts, e->id, &l);
}

int m_on_ei(struct model *m, const struct et_rec *r)
{
	struct m_ei *e = r->obj_id && m->ei_last && m->ei_last->id == r->obj_id ? m->ei_last :
			 ei_find(m, r->obj_id);
	int64_t before = 0, after;
	bool gap = false;
	struct et_rec known;

	/*
	 * A kernel whose eventfs_inode has no kref gives no reading, and a
	 * refcount past an int's range (the kernel's type) comes from a
	 * crafted file: either way the model counts alone, the reading it
	 * would have had in its place.
	 */
	if (r->flags & ET_F_NOREFCOUNT || r->value < INT32_MIN || r->value > INT32_MAX) {
		int64_t now = e ? e->refcount : 0;

		known = *r;
		known.value = r->type == ET_EI_CREATE ? 1 : r->type == ET_EI_GET ? now + 1 :
			      r->type == ET_EI_RELEASE ? 0 : now;
		r = &known;
	}

	if (!e) {
		if (!(e = ei_add(m, r)))
			return -ENOMEM;
		/* created before tracing, or its ei_create was lost */
		if (r->type != ET_EI_CREATE)
			gap = true;
	}
	m->ei_last = e;
	if (r->ino)
		e->ino = r->ino;
	if (r->name[0] && !e->name[0]) {
		copy_name(e->name, rec_ei_name(r), sizeof(e->name));
		m->label_gen++;
	}
	/* an instance's events dir: the top-level one never shows up in a trace */
	if (r->flags & ET_F_EVENTS && !e->instance && !e->parent) {
		e->instance = ++m->n_instances;
		m->label_gen++;
		if (r->flags & ET_F_INSTANCE && r->name[0])
			inst_name_set(m, e->instance, r->name);
	}

	/* The kernel's reading: after the change for create/get, before for the rest. */
	switch (r->type) {
	case ET_EI_CREATE:
		e->created_ns = r->ts_ns;
		e->created_seen = true;
		if (e->parent != r->aux_id)
			m->label_gen++;
		e->parent = r->aux_id;
		e->refcount = r->value;
		e->refcount_known = true;
		break;
	case ET_EI_GET:
		if (r->flags & ET_F_NOREF || r->flags & ET_F_FREED || e->state != EI_LIVE) {
			m_report(m, A_EI_LOOKUP_AFTER_REMOVE, r->ts_ns, e->id,
				 "ei %s: a lookup of '%s' reached it after its removal%s%s",
				 ei_label(m, e), e->name,
				 e->removed_ns ? "" : " (removal not seen)",
				 r->flags & ET_F_NOREF ? " (no reference taken)" : "");
			if (r->flags & ET_F_NOREF)
				return 0;
		}
		before = r->value - 1;
		gap = gap || (e->refcount_known && before != e->refcount);
		e->refcount = r->value;
		holder_add(e, r->aux_id);
		/* an ei created before tracing learns its place from lookups */
		if (!e->parent && r->pei_id) {
			e->parent = r->pei_id;
			m->label_gen++;
		}
		if (r->inode_id) {
			int err = m_dentry_inode_seen(m, r, r->aux_id, r->inode_id, r->inode_ino);

			if (err)
				return err;
		}
		break;
	case ET_EI_PUT:
	case ET_EI_REMOVE:
		before = r->value;
		/* without the lookups and releases, the kernel's readings jump */
		gap = gap || (e->refcount_known && before != e->refcount && !m->o.no_ei_refs);
		if (before <= 0)
			m_report(m, A_EI_NEGATIVE, r->ts_ns, e->id,
				 "ei %s: %s on refcount %" PRId64, ei_label(m, e),
				 r->type == ET_EI_PUT ? "put" : "remove", before);
		e->refcount = before - 1;
		if (r->type == ET_EI_PUT) {
			holder_del(e, r->aux_id);
			break;
		}
		e->state = EI_REMOVED;
		e->removed_ns = r->ts_ns;
		if (e->refcount > 0) {
			e->removed_referenced = true;
			m->st.eis_removed_referenced++;
			ei_removed_referenced(m, e, r->ts_ns);
		}
		break;
	case ET_EI_RELEASE:
		gap = gap || (e->refcount_known && e->refcount != 0);
		e->refcount = 0;
		e->state = EI_RELEASED;
		e->released_ns = r->ts_ns;
		if (e->n_holders)
			ei_released_held(m, e, r->ts_ns);
		if (e->created_seen)
			ei_sample(m, e, S_EI_LIFE, (r->ts_ns - e->created_ns) / 1000);
		else
			m->st.unknown_start++;
		break;
	}
	if (e->state == EI_REMOVED && !e->flagged_not_released)
		pend_add(m, e);
	else
		pend_del(m, e);
	/* every event carries the kernel's own reading: from here we know it */
	e->refcount_known = true;
	after = e->refcount;
	history_push(m, e, r, gap);
	ei_sample(m, e, S_EI_REFS, after < 0 ? 0 : (uint64_t)after);
	return 0;
}

static int by_order(const void *a, const void *b)
{
	const struct m_ei *x = *(const struct m_ei *const *)a, *y = *(const struct m_ei *const *)b;

	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Removed eis that stay unreleased longer than the timeout, once each,
 * in the table's order.  Only the pending list's timed-out head is looked
 * at: walking every ei once a second was most of the consumer's time
 * after a burst (thousands of released eis stay in the table).
 */
void m_check_release_timeouts(struct model *m, uint64_t now)
{
	struct m_ei **due = NULL, *e;
	size_t n = 0, cap = 0;
	char hb[96];

	while ((e = m->pend_head) && now - e->removed_ns >= m->o.release_timeout_ns) {
		pend_del(m, e);
		e->flagged_not_released = true;
		if (n == cap) {
			/* at most the table: every ei pending once */
			struct m_ei **v = realloc(due, (cap = cap ? 2 * cap : 64) * sizeof(*v));

			if (!v)
				break;	/* flagged, not reported: the model is out of memory */
			due = v;
		}
		due[n++] = e;
	}
	if (n > 1)
		qsort(due, n, sizeof(due[0]), by_order);
	for (size_t i = 0; i < n; i++) {
		e = due[i];
		m_report(m, A_EI_NOT_RELEASED, now, e->id,
			 "ei %s not released %.1fs after its removal: refcount %" PRId64
			 "%s, held by dentries %s",
			 ei_label(m, e), secs(now - e->removed_ns), e->refcount,
			 m->o.no_ei_refs ? " at its removal" : "", holders_or_why(m, e, hb, sizeof(hb)));
	}
	free(due);
}

/* ---- queries --------------------------------------------------------------- */

static void ei_fill(const struct model *m, struct m_ei *e, struct ei_view *v, bool with_history)
{
	memset(v, 0, sizeof(*v));
	v->id = e->id;
	v->parent = e->parent;
	v->name = e->name;
	v->path = ei_label(m, e);
	v->ino = e->ino;
	v->state = e->state;
	v->refcount = e->refcount;
	v->created_ns = e->created_ns;
	v->removed_ns = e->removed_ns;
	v->released_ns = e->released_ns;
	v->created_seen = e->created_seen;
	v->removed_referenced = e->removed_referenced;
	v->not_released = e->flagged_not_released && e->state == EI_REMOVED;
	v->n_history = e->n_history;
	/* unroll the ring, oldest first, into the model's one scratch copy */
	if (with_history) {
		for (uint32_t i = 0; i < e->n_history; i++)
			m->history_scratch[i] = e->history[(e->history_start + i) % e->history_cap];
		v->history = m->history_scratch;
	}
	v->history_dropped = e->history_dropped;
	v->holders = e->holders;
	v->n_holders = e->n_holders;
	v->holders_more = e->holders_more;
}

bool model_ei_next(const struct model *m, struct ei_iter *it, struct ei_view *v)
{
	struct m_ei *e = it->started ? (struct m_ei *)it->next : m->eis;

	it->started = true;
	if (!e)
		return false;
	/* uthash's app order is insertion order: creation order */
	it->next = e->hh.next;
	ei_fill(m, e, v, false);
	return true;
}

bool model_ei_find(const struct model *m, uint64_t id, struct ei_view *v)
{
	struct m_ei *e = ei_find(m, id);

	if (!e)
		return false;
	ei_fill(m, e, v, true);
	return true;
}

/* ---- the selection (--ei, --path) ------------------------------------------ */

bool m_ei_selected(struct model *m, uint64_t id)
{
	struct m_ei *e = ei_find(m, id);

	/* a glob or a path needs the ei's path: one not tracked cannot be told */
	return e ? select_ei(&m->o.select, id, ei_label(m, e)) :
		   !m->o.select.n_globs && !m->o.select.n_ei_paths &&
		   select_ei(&m->o.select, id, NULL);
}

bool model_ei_selected(const struct model *m, const struct ei_view *v)
{
	return !m->selecting || select_ei(&m->o.select, v->id, v->path);
}
