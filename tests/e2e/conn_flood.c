/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conn_flood: the hostile clients of tests/e2e/http_guard.sh. It opens
 * groups of connections to 127.0.0.1:PORT, each group from a source
 * address of its own (127.0.0.x: the server counts connections per
 * address), and holds them for HOLD seconds:
 *   idle SRC N   N connections that send nothing;
 *   slow SRC N   N connections that send a request's head one byte every
 *                100 ms and never finish it (resetting an idle timeout);
 * then prints, per group, one line
 *   GROUP idle 127.0.0.2 opened 200 refused 0 closed 200 answered 0
 *     open 0 last_close_ms 2104
 * ("refused": the connection could not be made; "closed": the server
 * closed it, last_close_ms after it was opened at the latest; "answered":
 * the server sent something first, "open": still open at the end). The
 * first line, "ready", goes out once every connection was tried, so the
 * test can probe the server meanwhile.
 * Usage: conn_flood PORT HOLD (idle|slow) SRC N [(idle|slow) SRC N]...
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
    int fd, group;
    long opened_ms, closed_ms;
    int answered;
    size_t sent;
};

struct group {
    const char *kind, *src;
    int n, opened, refused;
};

static const char head[] =
    "POST /fsi/api/rsfComIfsService/callService HTTP/1.1\r\nHost: x\r\n"
    "Content-Type: application/json\r\nX-Pad: ";

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* A connection from src to 127.0.0.1:port, made within a second; -1 when
 * it cannot be. */
static int open_from(const char *src, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    if (fd < 0)
        return -1;
    inet_pton(AF_INET, src, &a.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 &&
        errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int err = 0;
    socklen_t len = sizeof err;
    if (poll(&p, 1, 1000) != 1 ||
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    if (argc < 6 || (argc - 3) % 3 != 0) {
        fprintf(stderr, "usage: conn_flood PORT HOLD (idle|slow) SRC N...\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    int port = atoi(argv[1]), ng = (argc - 3) / 3, total = 0;
    long hold = atol(argv[2]) * 1000L;
    struct group *g = calloc((size_t)ng, sizeof *g);
    for (int i = 0; i < ng; i++) {
        g[i] = (struct group){argv[3 + 3 * i], argv[4 + 3 * i],
                              atoi(argv[5 + 3 * i]), 0, 0};
        total += g[i].n;
    }
    struct conn *c = calloc((size_t)total, sizeof *c);
    struct pollfd *p = calloc((size_t)total, sizeof *p);
    int k = 0;
    for (int i = 0; i < ng; i++)
        for (int j = 0; j < g[i].n; j++, k++) {
            c[k].group = i;
            c[k].fd = open_from(g[i].src, port);
            c[k].opened_ms = now_ms();
            if (c[k].fd < 0)
                g[i].refused++;
            else
                g[i].opened++;
        }
    printf("ready\n");
    fflush(stdout);
    long start = now_ms(), next_byte = start;
    while (now_ms() - start < hold) {
        int n = 0;
        for (k = 0; k < total; k++) {
            p[k].fd = c[k].fd >= 0 && !c[k].closed_ms ? c[k].fd : -1;
            p[k].events = POLLIN;
            p[k].revents = 0;
            n += p[k].fd >= 0;
        }
        if (n == 0)
            break;
        poll(p, (nfds_t)total, 20);
        bool send_now = now_ms() >= next_byte;
        if (send_now)
            next_byte += 100;
        for (k = 0; k < total; k++) {
            if (p[k].fd < 0)
                continue;
            char buf[512];
            if (p[k].revents) {
                ssize_t r = read(c[k].fd, buf, sizeof buf);
                if (r > 0)
                    c[k].answered = 1;
                else if (r == 0 || errno != EAGAIN)
                    c[k].closed_ms = now_ms();
                continue;
            }
            if (send_now && strcmp(g[c[k].group].kind, "slow") == 0) {
                char b = c[k].sent < sizeof head - 1 ? head[c[k].sent] : 'a';
                if (write(c[k].fd, &b, 1) == 1)
                    c[k].sent++;
                else if (errno != EAGAIN)
                    c[k].closed_ms = now_ms();
            }
        }
    }
    for (int i = 0; i < ng; i++) {
        int closed = 0, answered = 0, open = 0;
        long last = 0;
        for (k = 0; k < total; k++) {
            if (c[k].group != i || c[k].fd < 0)
                continue;
            answered += c[k].answered;
            if (c[k].closed_ms) {
                closed++;
                if (c[k].closed_ms - c[k].opened_ms > last)
                    last = c[k].closed_ms - c[k].opened_ms;
            } else
                open++;
            close(c[k].fd);
        }
        printf("GROUP %s %s opened %d refused %d closed %d answered %d open "
               "%d last_close_ms %ld\n",
               g[i].kind, g[i].src, g[i].opened, g[i].refused, closed, answered,
               open, last);
    }
    free(c);
    free(p);
    free(g);
    return 0;
}
