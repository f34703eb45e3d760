/*
 * gai: the oracle's probe. Usage: gai NAME FAMILY FLAGS
 *   FAMILY: unspec | inet | inet6
 *   FLAGS:  comma list of AI_ADDRCONFIG, AI_V4MAPPED, AI_ALL, or "-"
 * Calls getaddrinfo(NAME, NULL, &hints, &res) with ai_socktype SOCK_STREAM
 * and prints one line of JSON, led by the version of the C library that
 * ran (the oracle refuses an answer from another version than it asked):
 *   {"libc":"2.41","order":[["7f000001",0],["20010db8...",3]]}   raw address bytes in hex, scope id
 *   {"libc":"2.41","error":"EAI_NONAME"}                          (EAI_SYSTEM adds "errno")
 * gai -v prints {"libc":"glibc","version":"2.41"}: glibc's is
 * gnu_get_libc_version(), asked at run time; musl has no such call, and a
 * static musl no version string, so the build passes the version of the
 * musl it links against as GAI_LIBC_VERSION (internal/oracle/probe.go).
 * With -c ADDR... it instead reports the kernel's source address for each
 * address (connect + getsockname on a UDP socket), see probe().
 * Formatting is left to the Go side on purpose: glibc's and musl's
 * inet_ntop differ. Built once per version: against each glibc's own
 * headers and libraries (run through its own loader), and statically
 * against each musl's libc.a.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#define GAI_LIBC "glibc"
#define GAI_VERSION gnu_get_libc_version()
#else
#ifndef GAI_LIBC_VERSION
#error "a musl build must define GAI_LIBC_VERSION (the musl version linked)"
#endif
#define GAI_LIBC "musl"
#define GAI_VERSION GAI_LIBC_VERSION
#endif

static const char *eainame(int e)
{
	switch (e) {
#ifdef EAI_BADFLAGS
	case EAI_BADFLAGS: return "EAI_BADFLAGS";
#endif
#ifdef EAI_NONAME
	case EAI_NONAME: return "EAI_NONAME";
#endif
#ifdef EAI_AGAIN
	case EAI_AGAIN: return "EAI_AGAIN";
#endif
#ifdef EAI_FAIL
	case EAI_FAIL: return "EAI_FAIL";
#endif
#ifdef EAI_NODATA
#if !defined(EAI_NONAME) || EAI_NODATA != EAI_NONAME
	case EAI_NODATA: return "EAI_NODATA";
#endif
#endif
#ifdef EAI_FAMILY
	case EAI_FAMILY: return "EAI_FAMILY";
#endif
#ifdef EAI_SOCKTYPE
	case EAI_SOCKTYPE: return "EAI_SOCKTYPE";
#endif
#ifdef EAI_SERVICE
	case EAI_SERVICE: return "EAI_SERVICE";
#endif
#ifdef EAI_ADDRFAMILY
	case EAI_ADDRFAMILY: return "EAI_ADDRFAMILY";
#endif
#ifdef EAI_MEMORY
	case EAI_MEMORY: return "EAI_MEMORY";
#endif
#ifdef EAI_SYSTEM
	case EAI_SYSTEM: return "EAI_SYSTEM";
#endif
#ifdef EAI_OVERFLOW
	case EAI_OVERFLOW: return "EAI_OVERFLOW";
#endif
#ifdef EAI_INPROGRESS
	case EAI_INPROGRESS: return "EAI_INPROGRESS";
#endif
#ifdef EAI_CANCELED
	case EAI_CANCELED: return "EAI_CANCELED";
#endif
#ifdef EAI_NOTCANCELED
	case EAI_NOTCANCELED: return "EAI_NOTCANCELED";
#endif
#ifdef EAI_ALLDONE
	case EAI_ALLDONE: return "EAI_ALLDONE";
#endif
#ifdef EAI_INTR
	case EAI_INTR: return "EAI_INTR";
#endif
#ifdef EAI_IDN_ENCODE
	case EAI_IDN_ENCODE: return "EAI_IDN_ENCODE";
#endif
	}
	return NULL;
}

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case ENETDOWN: return "ENETDOWN";
	case ENETUNREACH: return "ENETUNREACH";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ENOSYS: return "ENOSYS";
	}
	return NULL;
}

static void hex(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void hexaddr(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		printf("[\"");
		hex((const unsigned char *)&sin->sin_addr, 4);
		printf("\",0]");
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		printf("[\"");
		hex((const unsigned char *)&sin6->sin6_addr, 16);
		printf("\",%u]", (unsigned)sin6->sin6_scope_id);
	} else {
		printf("[\"family%d\",0]", sa->sa_family);
	}
}

/*
 * gai -c ADDR...: the kernel's answer for each address, as getaddrinfo's
 * sorting asks it: a UDP socket of the address's family, connect() (port 0),
 * getsockname(). Prints {"connect":[["0a000007",0],{"errno":"ENETUNREACH"}]}.
 */
static int probe(int argc, char **argv)
{
	printf("{\"connect\":[");
	for (int i = 2; i < argc; i++) {
		struct addrinfo hints, *res = NULL;
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd, rc;

		if (i > 2)
			printf(",");
		memset(&hints, 0, sizeof hints);
		hints.ai_flags = AI_NUMERICHOST;
		hints.ai_socktype = SOCK_DGRAM;
		rc = getaddrinfo(argv[i], NULL, &hints, &res);
		if (rc != 0) {
			const char *n = eainame(rc);
			printf("{\"errno\":\"%s\"}", n ? n : "EAI_UNKNOWN");
			continue;
		}
		fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_IP);
		if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0 ||
		    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
			const char *en = errname(errno);
			if (en)
				printf("{\"errno\":\"%s\"}", en);
			else
				printf("{\"errno\":\"errno(%d)\"}", errno);
		} else {
			hexaddr((struct sockaddr *)&ss);
		}
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
	}
	printf("]}\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct addrinfo hints, *res = NULL, *ai;
	int rc, first = 1;

	if (argc >= 2 && !strcmp(argv[1], "-c"))
		return probe(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "-v")) {
		printf("{\"libc\":\"%s\",\"version\":\"%s\"}\n", GAI_LIBC, GAI_VERSION);
		return 0;
	}

	if (argc != 4) {
		fprintf(stderr, "usage: gai NAME unspec|inet|inet6 FLAGS|-\n");
		return 2;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if (!strcmp(argv[2], "unspec"))
		hints.ai_family = AF_UNSPEC;
	else if (!strcmp(argv[2], "inet"))
		hints.ai_family = AF_INET;
	else if (!strcmp(argv[2], "inet6"))
		hints.ai_family = AF_INET6;
	else {
		fprintf(stderr, "gai: bad family %s\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[3], "-")) {
		char *s = strdup(argv[3]), *tok, *save = NULL;
		for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "AI_ADDRCONFIG"))
				hints.ai_flags |= AI_ADDRCONFIG;
			else if (!strcmp(tok, "AI_V4MAPPED"))
				hints.ai_flags |= AI_V4MAPPED;
			else if (!strcmp(tok, "AI_ALL"))
				hints.ai_flags |= AI_ALL;
			else {
				fprintf(stderr, "gai: bad flag %s\n", tok);
				return 2;
			}
		}
	}

	errno = 0;
	rc = getaddrinfo(argv[1], NULL, &hints, &res);
	if (rc != 0) {
		int saved = errno;
		const char *n = eainame(rc);
		printf("{\"libc\":\"%s\",", GAI_VERSION);
		if (n)
			printf("\"error\":\"%s\"", n);
		else
			printf("\"error\":\"EAI_UNKNOWN(%d)\"", rc);
#ifdef EAI_SYSTEM
		if (rc == EAI_SYSTEM) {
			const char *en = errname(saved);
			if (en)
				printf(",\"errno\":\"%s\"", en);
			else
				printf(",\"errno\":\"errno(%d)\"", saved);
		}
#endif
		printf("}\n");
		return 0;
	}
	printf("{\"libc\":\"%s\",\"order\":[", GAI_VERSION);
	for (ai = res; ai; ai = ai->ai_next) {
		if (!first)
			printf(",");
		first = 0;
		if (ai->ai_family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
			printf("[\"");
			hex((const unsigned char *)&sin->sin_addr, 4);
			printf("\",0]");
		} else if (ai->ai_family == AF_INET6) {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ai->ai_addr;
			printf("[\"");
			hex((const unsigned char *)&sin6->sin6_addr, 16);
			printf("\",%u]", (unsigned)sin6->sin6_scope_id);
		} else {
			printf("[\"family%d\",0]", ai->ai_family);
		}
	}
	printf("]}\n");
	freeaddrinfo(res);
	return 0;
}
