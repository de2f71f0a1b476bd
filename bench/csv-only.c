/*
 * csv-only.c - tsamkit's CSV reader (lib/csvread.c) over files with a
 * callback that only counts fields: the time reading alone needs, the
 * floor under tsam-cases. Usage: csv-only FILE...
 */
#include "csvread.h"

#include <stdio.h>

static int count(void *ctx, size_t line, char **f, const size_t *lens, size_t n,
		 const char *bad)
{
	(void)line;
	(void)f;
	(void)lens;
	(void)bad;
	*(size_t *)ctx += n;
	return 0;
}

int main(int argc, char **argv)
{
	size_t fields = 0;
	int i;

	for (i = 1; i < argc; i++)
		if (tsam_csv_read(argv[i], NULL, count, &fields, NULL) !=
		    TSAM_OK)
			return 1;
	printf("%zu\n", fields);
	return 0;
}
