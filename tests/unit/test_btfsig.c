// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfsig.c: a probe's signature against a kernel function's prototype in
 * BTF.  The BTF is built here, as kernels of each shape would have it:
 * the 6.12 prototypes the programs were written against pass; a planted
 * mismatch (an argument of another struct, one argument more before an
 * exit program's return value, another return type, too few arguments) is
 * refused with a reason that names it; typedefs and const are looked
 * through; a function that is not there says so.
 */
#include "unit.h"

#include <errno.h>
#include <string.h>

#include <bpf/btf.h>

#include "source/btfsig.h"

struct fx {
	struct btf *btf;
	int i32, u32, dentry, inode, qstr, sb, p_dentry, p_inode, p_qstr, p_sb, c_qstr, p_c_qstr;
};

static int func(struct fx *f, const char *name, int ret, const int *args, int n)
{
	int proto = btf__add_func_proto(f->btf, ret);

	assert_true(proto > 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(btf__add_func_param(f->btf, "a", args[i]), 0);
	return btf__add_func(f->btf, name, BTF_FUNC_STATIC, proto);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	int u32_td;

	assert_non_null(f);
	f->btf = btf__new_empty();
	assert_non_null(f->btf);
	f->i32 = btf__add_int(f->btf, "int", 4, BTF_INT_SIGNED);
	f->u32 = btf__add_int(f->btf, "unsigned int", 4, 0);
	f->dentry = btf__add_struct(f->btf, "dentry", 8);
	f->inode = btf__add_struct(f->btf, "inode", 8);
	f->qstr = btf__add_struct(f->btf, "qstr", 8);
	f->sb = btf__add_struct(f->btf, "super_block", 8);
	f->p_dentry = btf__add_ptr(f->btf, f->dentry);
	f->p_inode = btf__add_ptr(f->btf, f->inode);
	f->p_qstr = btf__add_ptr(f->btf, f->qstr);
	f->p_sb = btf__add_ptr(f->btf, f->sb);
	f->c_qstr = btf__add_const(f->btf, f->qstr);
	f->p_c_qstr = btf__add_ptr(f->btf, f->c_qstr);
	u32_td = btf__add_typedef(f->btf, "u32", f->u32);
	/* 6.12's shapes */
	func(f, "__dentry_kill", f->p_dentry, &f->p_dentry, 1);
	func(f, "__lookup_slow", f->p_dentry, (int[]){ f->p_c_qstr, f->p_dentry, u32_td }, 3);
	func(f, "get_next_ino", f->u32, NULL, 0);
	/* shapes a newer kernel might have */
	func(f, "evict_other", 0, &f->p_dentry, 1);
	func(f, "lookup_more", f->p_dentry, (int[]){ f->p_qstr, f->p_dentry, f->u32, f->i32 }, 4);
	func(f, "lookup_void", 0, (int[]){ f->p_qstr, f->p_dentry, f->u32 }, 3);
	func(f, "no_args", 0, NULL, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	btf__free(f->btf);
	free(f);
	return 0;
}

static void assert_refused(struct fx *f, const char *fn, const char *sig, const char *because)
{
	char why[160];

	assert_int_equal(btf_sig_check(f->btf, fn, sig, why, sizeof(why)), -EINVAL);
	if (!strstr(why, because))
		fail_msg("%s %s: '%s' lacks '%s'", fn, sig, why, because);
	assert_non_null(strstr(why, "signature changed"));
}

static void test_matches(void **state)
{
	struct fx *f = *state;
	char why[160] = "x";

	assert_int_equal(btf_sig_check(f->btf, "__dentry_kill", "dentry", why, sizeof(why)), 0);
	assert_string_equal(why, "");
	/* const struct qstr *, a u32 typedef: seen through */
	assert_int_equal(btf_sig_check(f->btf, "__lookup_slow", "qstr,dentry,int>dentry", why,
				       sizeof(why)), 0);
	assert_int_equal(btf_sig_check(f->btf, "get_next_ino", ">int", why, sizeof(why)), 0);
	assert_int_equal(btf_sig_check(f->btf, "__lookup_slow", "*,-", why, sizeof(why)), 0);
	/* without a return value read, more arguments are fine */
	assert_int_equal(btf_sig_check(f->btf, "lookup_more", "qstr,dentry", why, sizeof(why)), 0);
}

static void test_planted_mismatches(void **state)
{
	struct fx *f = *state;

	/* evict's program reads a struct inode * */
	assert_refused(f, "evict_other", "inode", "argument 1 is struct dentry *, evtrace reads struct inode *");
	/* one argument more: fexit's return value would be the fourth argument */
	assert_refused(f, "lookup_more", "qstr,dentry,int>dentry", "4 arguments");
	assert_refused(f, "lookup_void", "qstr,dentry,int>dentry", "returns void");
	assert_refused(f, "no_args", "dentry", "0 arguments");
	assert_refused(f, "__dentry_kill", "int", "argument 1 is struct dentry *, evtrace reads an integer");
	assert_refused(f, "get_next_ino", ">dentry", "returns unsigned int");
}

static void test_absent(void **state)
{
	struct fx *f = *state;
	char why[64];

	assert_int_equal(btf_sig_check(f->btf, "dentry_kill", "dentry", why, sizeof(why)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_mismatches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
