/* fuzz_knownhosts.c - libFuzzer target for known_hosts files. */
#include "knownhosts.h"
#include "log.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char blob[] = {
	    0,	 0,   0,   11, 's', 's', 'h', '-', 'e', 'd', '2', '5',
	    '5', '1', '9', 0,  0,   0,	 4,   1,   2,	3,   4};
	struct tsam_knownhosts *kh = NULL;
	char types[256];

	tsam_log_set_level(TSAM_LOG_ERROR);
	if (tsam_knownhosts_parse("fuzz", (const char *)data, size, &kh,
				  NULL) == TSAM_OK) {
		tsam_knownhosts_check(kh, "web01", "127.0.0.1", 2222, blob,
				      sizeof(blob), NULL);
		tsam_knownhosts_types(kh, "web01", "127.0.0.1", 22, types,
				      sizeof(types));
		tsam_knownhosts_free(kh);
	}
	return 0;
}
