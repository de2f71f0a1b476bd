/*
 * test_redact.c - credentials in every recognised form become <redacted>;
 * ordinary text, including look-alikes, is left as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

static void check(const char *in, const char *want, size_t want_count)
{
	size_t len, count;
	char *out = tsam_redact(in, strlen(in), &len, &count);

	assert_non_null(out);
	if (strcmp(out, want) != 0)
		fail_msg("redact(%s)\n got: %s\nwant: %s", in, out, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(count, want_count);
	free(out);
}

static void forms(void **state)
{
	(void)state;
	/* savconfig query */
	check("PrimaryUpdateUsername: acme\\upd\nPrimaryUpdatePassword: "
	      "S3cret!\n",
	      "PrimaryUpdateUsername: <redacted>\nPrimaryUpdatePassword: "
	      "<redacted>\n",
	      2);
	check("SecondaryUpdateProxyPassword: ********\n",
	      "SecondaryUpdateProxyPassword: <redacted>\n", 1);
	/* mcs.config */
	check("MCSPassword=UY6Password\nMCSID=9f54b277\nMCS_saved_token="
	      "2dda9f6c\n",
	      "MCSPassword=<redacted>\nMCSID=9f54b277\nMCS_saved_token=<"
	      "redacted>\n",
	      2);
	/* ini with spaces, CRLF kept */
	check("proxy_password = hunter2\r\nPRODUCT_VERSION = 1.1\r\n",
	      "proxy_password = <redacted>\r\nPRODUCT_VERSION = 1.1\r\n", 1);
	/* XML attributes and elements */
	check("<server UserName=\"acme\" UserPassword=\"p&amp;w\" "
	      "Address=\"x\"/>",
	      "<server UserName=\"<redacted>\" UserPassword=\"<redacted>\" "
	      "Address=\"x\"/>",
	      2);
	check("<Credentials><Password>abc</Password><Token>t0k</Token></"
	      "Credentials>",
	      "<Credentials><Password><redacted></Password><Token><redacted></"
	      "Token></Credentials>",
	      2);
	check("<proxy user='u' password='p'/>",
	      "<proxy user='u' password='<redacted>'/>", 1);
	/* URLs */
	check("PrimaryUpdateSourcePath: "
	      "http://upd:pa55@cache.acme.local:8191/sophos\n",
	      "PrimaryUpdateSourcePath: "
	      "http://<redacted>@cache.acme.local:8191/sophos\n",
	      1);
	check("proxy https://user:pw@proxy:3128 and http://plain.host/x\n",
	      "proxy https://<redacted>@proxy:3128 and http://plain.host/x\n",
	      1);
}

static void untouched(void **state)
{
	(void)state;
	check("User interface version    : 2.03.069\n",
	      "User interface version    : 2.03.069\n", 0);
	check("EmailNotifier: true\nUpdatePeriodMinutes: 60\n",
	      "EmailNotifier: true\nUpdatePeriodMinutes: 60\n", 0);
	check("Sophos Anti-Virus is active\n", "Sophos Anti-Virus is active\n",
	      0);
	check("http://host:8080/path user@example.com\n",
	      "http://host:8080/path user@example.com\n", 0);
	check("no newline at end", "no newline at end", 0);
	check("Password:\n", "Password:\n", 0); /* nothing to hide */
	check("", "", 0);
}

static void binary_safe(void **state)
{
	char in[4096];
	size_t i, len;
	char *out;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)((i * 131) % 256);
	out = tsam_redact(in, sizeof(in), &len, NULL);
	assert_non_null(out);
	free(out);
	/* the worst case: many tiny secrets */
	{
		char many[4000];
		for (i = 0; i + 8 <= sizeof(many); i += 8)
			memcpy(many + i, "token:x\n", 8);
		out = tsam_redact(many, sizeof(many), &len, &i);
		assert_non_null(out);
		assert_int_equal(i, 500);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(forms),
	    cmocka_unit_test(untouched),
	    cmocka_unit_test(binary_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
