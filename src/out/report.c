// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "out/report.h"

void report_run(FILE *f, const struct model *m, enum group_by by, int eis)
{
	if (eis) {
		model_print_eis(f, m, eis > 1);
		fputc('\n', f);
	}
	model_print_summary(f, m, by);
}
