/* fuzz_inventory.c - libFuzzer target for inventory files (text and JSON). */
#include "inventory.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsam_inventory *inv = NULL;
	struct tsam_errbuf eb;
	size_t i;

	if (tsam_inventory_parse("fuzz", (const char *)data, size, &inv, &eb) ==
	    TSAM_OK) {
		for (i = 0; i < inv->n; i++)
			if (inv->hosts[i].name[0] == '\0' ||
			    (inv->hosts[i].port > 65535))
				__builtin_trap();
		tsam_host_matches(&inv->hosts[0], "role=*,web*");
		tsam_inventory_free(inv);
	} else if (memchr(eb.msg, '\0', sizeof(eb.msg)) == NULL) {
		__builtin_trap();
	}
	return 0;
}
