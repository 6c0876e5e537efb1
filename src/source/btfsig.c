// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "source/btfsig.h"

/* Through typedefs and qualifiers, to the type that says what it is. */
static const struct btf_type *skip_mods(const struct btf *btf, __u32 id, __u32 *out)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	for (int i = 0; t && i < 16; i++) {
		switch (btf_kind(t)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			t = btf__type_by_id(btf, id);
			continue;
		}
		break;
	}
	if (out)
		*out = id;
	return t;
}

/* "struct dentry *", "int", "void": what a type is, for the message. */
static void describe(const struct btf *btf, __u32 id, char *buf, size_t size)
{
	const struct btf_type *t = id ? skip_mods(btf, id, NULL) : NULL;
	const char *name;

	if (!id || !t) {
		snprintf(buf, size, "void");
		return;
	}
	if (btf_is_ptr(t)) {
		const struct btf_type *p = t->type ? skip_mods(btf, t->type, NULL) : NULL;

		name = p ? btf__name_by_offset(btf, p->name_off) : NULL;
		if (p && (btf_is_struct(p) || btf_is_union(p) || btf_is_fwd(p)) && name && *name)
			snprintf(buf, size, "struct %s *", name);
		else
			snprintf(buf, size, "%s *", p && name && *name ? name : "void");
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	snprintf(buf, size, "%s", name && *name ? name : "(anonymous)");
}

static void want_text(const char *code, size_t len, char *buf, size_t size)
{
	if (len == 1 && *code == '*')
		snprintf(buf, size, "a pointer");
	else if (len == 3 && !strncmp(code, "int", 3))
		snprintf(buf, size, "an integer");
	else
		snprintf(buf, size, "struct %.*s *", (int)len, code);
}

/* Does type id (0: void) fit code (code[0..len))? */
static bool fits(const struct btf *btf, __u32 id, const char *code, size_t len)
{
	const struct btf_type *t, *p;
	const char *name;

	if (len == 1 && *code == '-')
		return true;
	if (!id || !(t = skip_mods(btf, id, NULL)))
		return false;
	if (len == 3 && !strncmp(code, "int", 3))
		return btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t);
	if (!btf_is_ptr(t))
		return false;
	if (len == 1 && *code == '*')
		return true;
	p = t->type ? skip_mods(btf, t->type, NULL) : NULL;
	if (!p || !(btf_is_struct(p) || btf_is_fwd(p)))
		return false;
	name = btf__name_by_offset(btf, p->name_off);
	return name && strlen(name) == len && !strncmp(name, code, len);
}

int btf_sig_check(const struct btf *btf, const char *func, const char *sig, char *why,
		  size_t size)
{
	const char *ret = strchr(sig, '>'), *p = sig, *end = ret ? ret : sig + strlen(sig);
	const struct btf_type *fn, *proto;
	const struct btf_param *params;
	char have[64], want[64];
	int id, nargs = 0, vlen;

	if (why && size)
		why[0] = 0;
	id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	fn = btf__type_by_id(btf, id);
	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto)) {
		snprintf(why, size, "signature unreadable: no prototype in BTF");
		return -EINVAL;
	}
	vlen = btf_vlen(proto);
	params = btf_params(proto);
	while (p < end) {
		size_t len = strcspn(p, ",>");

		if (nargs >= vlen) {
			want_text(p, len, want, sizeof(want));
			snprintf(why, size, "signature changed: %d argument%s, evtrace reads %s as argument %d",
				 vlen, vlen == 1 ? "" : "s", want, nargs + 1);
			return -EINVAL;
		}
		if (!fits(btf, params[nargs].type, p, len)) {
			describe(btf, params[nargs].type, have, sizeof(have));
			want_text(p, len, want, sizeof(want));
			snprintf(why, size, "signature changed: argument %d is %s, evtrace reads %s",
				 nargs + 1, have, want);
			return -EINVAL;
		}
		nargs++;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!ret)
		return 0;
	if (vlen != nargs) {
		snprintf(why, size, "signature changed: %d arguments where evtrace's exit program expects %d before the return value",
			 vlen, nargs);
		return -EINVAL;
	}
	if (!fits(btf, proto->type, ret + 1, strlen(ret + 1))) {
		describe(btf, proto->type, have, sizeof(have));
		want_text(ret + 1, strlen(ret + 1), want, sizeof(want));
		snprintf(why, size, "signature changed: returns %s, evtrace reads %s", have, want);
		return -EINVAL;
	}
	return 0;
}
