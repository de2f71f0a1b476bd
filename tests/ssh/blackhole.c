/*
 * tsam-test-blackhole ADDR PORT - a TCP listener that completes the
 * handshake (the kernel does, from the backlog) and never says a word:
 * an SSH client connects and waits forever for a banner. For tests.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	int fd, one = 1;

	if (argc != 3)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)strtoul(argv[2], NULL, 10));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
		return 2;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 1024) != 0) {
		perror("blackhole");
		return 1;
	}
	for (;;)
		pause();
}
