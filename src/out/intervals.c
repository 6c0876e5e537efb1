// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* hist INTERVAL: each interval's histogram as it ends (out/intervals.h). */
#include <stdlib.h>

#include "lib/tclock.h"
#include "model/hist.h"
#include "out/intervals.h"

static void on_interval(void *ctx, uint64_t n, uint64_t from_ns, uint64_t to_ns,
			const struct hist_set *hs)
{
	struct intervals *iv = ctx;
	char a[TCLOCK_LEN], b[TCLOCK_LEN];

	if (!iv->json) {
		/* on the one clock: seconds since the trace's start, or -T's time of day */
		fprintf(iv->f, "interval %llu: %s -> %s%s\n", (unsigned long long)n,
			tclock_fmt(a, sizeof(a), from_ns, 3), tclock_fmt(b, sizeof(b), to_ns, 3),
			tclock.wall ? "" : " s");
		if (hist_set_groups(hs))
			hist_print_text(iv->f, hs, iv->unit, iv->by);
		else
			fputs("  (no values)\n", iv->f);
		fputc('\n', iv->f);
	} else {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (m) {
			hist_print_json(m, hs, iv->unit);
			if (fclose(m))
				len = 0;
		}
		/* the printer ends its line: embedded without it */
		while (len && buf[len - 1] == '\n')
			len--;
		fprintf(iv->f, "{\"interval\":%llu,\"start\":%s,\"end\":%s,"
			"\"of\":\"%s\",\"by\":\"%s\",\"hist\":", (unsigned long long)n,
			tclock_fmt_rel(a, sizeof(a), from_ns, 3), tclock_fmt_rel(b, sizeof(b), to_ns, 3),
			iv->of, iv->by);
		if (len)
			fwrite(buf, 1, len, iv->f);
		else
			fputs("null", iv->f);
		fputs("}\n", iv->f);
		free(buf);
	}
	/* a pipe sees each interval when it ends, not when a buffer fills */
	fflush(iv->f);
}

struct sink *intervals_sink(struct intervals *iv, FILE *f, bool json, const char *of,
			    const char *by, const char *unit)
{
	*iv = (struct intervals){ .f = f, .json = json, .of = of, .by = by, .unit = unit };
	iv->sink.ctx = iv;
	iv->sink.interval = on_interval;
	return &iv->sink;
}
