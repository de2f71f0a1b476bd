/* test_inventory.c - text and JSON inventories, errors with file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "err.h"
#include "inventory.h"

static struct tsam_inventory *parse_ok(const char *text)
{
	struct tsam_inventory *inv = NULL;
	struct tsam_errbuf eb;

	tsam_errbuf_clear(&eb);
	if (tsam_inventory_parse("inv.txt", text, strlen(text), &inv, &eb) !=
	    TSAM_OK)
		fail_msg("unexpected error: %s", eb.msg);
	return inv;
}

static void text_form(void **state)
{
	struct tsam_inventory *inv =
	    parse_ok("\xef\xbb\xbf# fleet of ACME\n"
		     "\n"
		     "admin@web[01-03].corp:2222 role=web site=tokyo # front\n"
		     "10.0.0.[1-2] role=db\n"
		     "[2001:db8::1]:2200 site=osaka\n"
		     "ops@[::1]\n"
		     "lb01 address=192.0.2.7 identity=/keys/lb product=sav\n");
	const struct tsam_host *h;

	(void)state;
	assert_int_equal(inv->n, 8);
	h = &inv->hosts[0];
	assert_string_equal(h->name, "web01.corp");
	assert_string_equal(h->user, "admin");
	assert_int_equal(h->port, 2222);
	assert_int_equal(h->line, 3);
	assert_string_equal(tsam_host_label(h, "role"), "web");
	assert_string_equal(tsam_host_label(h, "site"), "tokyo");
	assert_string_equal(inv->hosts[2].name, "web03.corp");
	assert_string_equal(inv->hosts[4].name, "10.0.0.2");
	assert_null(inv->hosts[4].user);
	assert_int_equal(inv->hosts[4].port, 0);
	assert_string_equal(inv->hosts[5].name, "2001:db8::1");
	assert_int_equal(inv->hosts[5].port, 2200);
	assert_string_equal(inv->hosts[6].name, "::1");
	assert_string_equal(inv->hosts[6].user, "ops");
	h = &inv->hosts[7];
	assert_string_equal(h->address, "192.0.2.7");
	assert_string_equal(tsam_host_label(h, "identity"), "/keys/lb");
	assert_null(tsam_host_label(h, "address"));
	assert_int_equal(strlen(inv->digest), 64);

	assert_true(tsam_host_matches(&inv->hosts[0], "web*"));
	assert_true(tsam_host_matches(&inv->hosts[0], "role=web"));
	assert_true(tsam_host_matches(&inv->hosts[0], "role=db,site=tok*"));
	assert_false(tsam_host_matches(&inv->hosts[0], "role=db"));
	assert_true(tsam_host_matches(&inv->hosts[7], "192.0.2.*"));
	assert_false(tsam_host_matches(&inv->hosts[7], "nolabel=x"));
	assert_int_equal(tsam_inventory_find(inv, "lb01"), 7);
	assert_int_equal(tsam_inventory_find(inv, "nope"), -1);
	tsam_inventory_free(inv);
}

static void json_form(void **state)
{
	struct tsam_inventory *inv = parse_ok(
	    "{\"hosts\": [\"root@a[1-2]:22\", {\"name\": \"b\", \"address\": "
	    "\"127.0.0.5\", \"port\": 2200, \"user\": \"u\", \"labels\": "
	    "{\"role\": \"x\"}}]}");

	(void)state;
	assert_int_equal(inv->n, 3);
	assert_string_equal(inv->hosts[1].name, "a2");
	assert_string_equal(inv->hosts[2].address, "127.0.0.5");
	assert_int_equal(inv->hosts[2].port, 2200);
	assert_string_equal(inv->hosts[2].user, "u");
	assert_string_equal(tsam_host_label(&inv->hosts[2], "role"), "x");
	tsam_inventory_free(inv);
}

static void errors_name_the_place(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} t[] = {
	    {"a\nb\na\n", "inv.txt:3: duplicate host 'a' (first at line 1)"},
	    {"web[1-3]\nweb2\n", "inv.txt:2: duplicate host 'web2'"},
	    {"a:0\n", "inv.txt:1: bad port '0'"},
	    {"a:70000\n", "inv.txt:1: bad port"},
	    {"a b\n", "inv.txt:1: 'b' is not key=value"},
	    {"a role=x role=y\n", "inv.txt:1: label 'role' given twice"},
	    {"a =x\n", "inv.txt:1: bad label name"},
	    {"a role=\n", "inv.txt:1: empty value"},
	    {"\n\nweb[3-1]\n", "inv.txt:3: reversed range"},
	    {"2001:db8::1\n",
	     "inv.txt:1: '2001:db8::1': IPv6 addresses go in brackets"},
	    {"a;rm -rf /\n", "inv.txt:1: bad host name"},
	    {"-oProxyCommand=x@h\n", "inv.txt:1: bad user name"},
	    {"h[1-2] address=10.0.0.1\n",
	     "inv.txt:1: address= cannot go with a host range"},
	    {"ok\n\xff\n", "inv.txt:2: not valid UTF-8"},
	    {"# nothing\n", "inv.txt: no hosts"},
	    {"{\"hosts\": [{\"nam\": \"x\"}]}",
	     "inv.txt: hosts[0]: unknown member 'nam'"},
	    {"{\"hosts\": [{\"name\": \"x\", \"port\": \"22\"}]}",
	     "inv.txt: hosts[0]: bad or repeated \"port\""},
	    {"{\"hosts\": [1]}",
	     "inv.txt: hosts[0]: a host is a string or an object"},
	    {"{\"hosts\": [\"a\", \"b\", \"a\"]}",
	     "inv.txt: hosts[2]: duplicate host 'a' (first in hosts[0])"},
	    {"{\"hosts\": [\n\"a\",\n]}", "inv.txt:3:"},
	    {"{\"host\": []}", "\"hosts\" (an array) is required"},
	    {"a become=su\n", "inv.txt:1: become=su: not sudo, doas or none"},
	    {"{\"hosts\": [{\"name\": \"web\\u0000evil\"}]}",
	     "inv.txt: hosts[0]: \"name\" (a string, no NUL) is required"},
	    {"{\"hosts\": [{\"name\": \"web\", \"labels\": {\"role\": "
	     "\"db\\u0000x\"}}]}",
	     "inv.txt: hosts[0]: label 'role' must be a string (no NUL)"},
	    {"group dmz become=root\na\n",
	     "inv.txt:1: become=root: not sudo, doas or none"},
	    {"group d;mz\na\n", "inv.txt:1: bad group name 'd;mz'"},
	    {"group dmz address=10.0.0.1\na\n",
	     "inv.txt:1: address= is a host's, not a group's"},
	    {"{\"groups\": [{\"name\": \"dmz\", \"hosts\": [\"a\"], "
	     "\"labels\": {\"become\": \"x\"}}]}",
	     "inv.txt: groups[0]: become=x: not sudo, doas or none"},
	    {"{\"groups\": [{\"name\": \"dmz\"}]}",
	     "inv.txt: groups[0]: \"hosts\" (an array) is required"},
	    {"{\"groups\": [{\"name\": \"dmz\", \"hosts\": [], \"x\": 1}]}",
	     "inv.txt: groups[0]: unknown member 'x'"},
	    {"{\"groups\": [{\"name\": \"dmz\", \"hosts\": [{\"nam\": "
	     "\"a\"}]}]}",
	     "inv.txt: groups[0].hosts[0]: unknown member 'nam'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tsam_inventory *inv = NULL;
		struct tsam_errbuf eb;
		tsam_errbuf_clear(&eb);
		assert_int_not_equal(tsam_inventory_parse("inv.txt", t[i].text,
							  strlen(t[i].text),
							  &inv, &eb),
				     TSAM_OK);
		assert_null(inv);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s' does not contain '%s'", i,
				 eb.msg, t[i].msg);
	}
}

/* Groups: labels for the hosts after a group line (text) or in a group
 * (JSON); a host's own labels win; group=NAME is added. */
static void groups(void **state)
{
	struct tsam_inventory *inv =
	    parse_ok("solo become=none\n"
		     "group dmz become=sudo site=osaka\n"
		     "web[1-2] role=web\n"
		     "db1 become=doas\n"
		     "group lab\n"
		     "t1\n");
	static const char json[] =
	    "{\"hosts\": [\"x\"], \"groups\": [{\"name\": \"dmz\", "
	    "\"labels\": {\"become\": \"sudo\"}, \"hosts\": [\"y\", {\"name\": "
	    "\"z\", \"labels\": {\"become\": \"none\"}}]}]}";
	struct tsam_errbuf eb;

	(void)state;
	assert_int_equal(inv->n, 5);
	assert_null(tsam_host_label(&inv->hosts[0], "group"));
	assert_string_equal(tsam_host_label(&inv->hosts[0], "become"), "none");
	assert_string_equal(tsam_host_label(&inv->hosts[1], "become"), "sudo");
	assert_string_equal(tsam_host_label(&inv->hosts[1], "site"), "osaka");
	assert_string_equal(tsam_host_label(&inv->hosts[1], "group"), "dmz");
	assert_string_equal(tsam_host_label(&inv->hosts[2], "role"), "web");
	assert_string_equal(tsam_host_label(&inv->hosts[3], "become"), "doas");
	assert_string_equal(tsam_host_label(&inv->hosts[4], "group"), "lab");
	assert_null(tsam_host_label(&inv->hosts[4], "become"));
	assert_int_equal(inv->hosts[4].line, 6);
	assert_true(tsam_host_matches(&inv->hosts[2], "group=dmz"));
	tsam_inventory_free(inv);

	tsam_errbuf_clear(&eb);
	assert_int_equal(
	    tsam_inventory_parse("i.json", json, strlen(json), &inv, &eb),
	    TSAM_OK);
	assert_int_equal(inv->n, 3);
	assert_null(tsam_host_label(&inv->hosts[0], "become"));
	assert_string_equal(tsam_host_label(&inv->hosts[1], "become"), "sudo");
	assert_string_equal(tsam_host_label(&inv->hosts[1], "group"), "dmz");
	assert_string_equal(tsam_host_label(&inv->hosts[2], "become"), "none");
	tsam_inventory_free(inv);
}

static void range_bound(void **state)
{
	struct tsam_inventory *inv = NULL;
	struct tsam_errbuf eb;
	const char *big = "h[1-99999999]x[1-99999999]\n";

	(void)state;
	tsam_errbuf_clear(&eb);
	assert_int_equal(tsam_inventory_parse("i", big, strlen(big), &inv, &eb),
			 TSAM_ERR_TOOBIG);
	assert_non_null(strstr(eb.msg, "i:1:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(text_form),
	    cmocka_unit_test(json_form),
	    cmocka_unit_test(errors_name_the_place),
	    cmocka_unit_test(groups),
	    cmocka_unit_test(range_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
