#ifndef OPENESIA_CLINUXSYS_SHIM_H
#define OPENESIA_CLINUXSYS_SHIM_H
// Linux interfaces that Swift's Glibc module does not expose.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <poll.h>
#include <sys/random.h>

int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

static inline int clinux_SOCK_NONBLOCK(void) { return SOCK_NONBLOCK; }
static inline int clinux_SOCK_CLOEXEC(void) { return SOCK_CLOEXEC; }
static inline int clinux_EFD_NONBLOCK(void) { return EFD_NONBLOCK; }
static inline int clinux_EFD_CLOEXEC(void) { return EFD_CLOEXEC; }
static inline int clinux_EPOLL_CLOEXEC(void) { return EPOLL_CLOEXEC; }

#include <sys/resource.h>
static inline int clinux_get_nofile(struct rlimit *r) { return getrlimit(RLIMIT_NOFILE, r); }
static inline int clinux_set_nofile(const struct rlimit *r) { return setrlimit(RLIMIT_NOFILE, r); }
// SIG_IGN is a cast macro Swift cannot import; writes to closed sockets must return EPIPE, not kill the process.
static inline void clinux_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

#endif
