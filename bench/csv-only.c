/*
 * csv-only.c - libcsv over files with no-op callbacks: the time the CSV
 * library alone needs, the floor under tsam-cases' reading.
 * Usage: csv-only FILE...
 */
#include <csv.h>
#include <stdio.h>

static size_t fields;

static void on_field(void *s, size_t n, void *data)
{
	(void)s;
	(void)n;
	(void)data;
	fields++;
}

static void on_record(int c, void *data)
{
	(void)c;
	(void)data;
}

int main(int argc, char **argv)
{
	static char buf[256 * 1024];
	struct csv_parser p;
	size_t n;
	int i;

	if (csv_init(&p, CSV_REPALL_NL) != 0)
		return 1;
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (f == NULL)
			return 1;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			csv_parse(&p, buf, n, on_field, on_record, NULL);
		fclose(f);
	}
	csv_fini(&p, on_field, on_record, NULL);
	csv_free(&p);
	printf("%zu\n", fields);
	return 0;
}
