// rs_serve_load: the load generator of the reward-server benchmark. N keep-alive connections,
// each POSTs the next body of a file (one JSON body per line), waits for the whole answer and
// sends the next, until every body is sent: a trainer's burst of one-sample /get_reward
// requests with N in flight. Records each request's status, latency and answer.
//
//   rs_serve_load --port P --bodies FILE [--connections 256] [--path /get_reward]
//                 [--out ANSWERS.tsv]
//
// stdout: one JSON line {requests, ok, failed, seconds, rps, p50_ms, p99_ms, max_ms,
// client_cpu_s}. --out: one line per body, in file order: index, status (0: the connection
// failed), latency in microseconds, the answer body (JSON, no newline).
//
// C++ rather than Python on purpose: on 2 cores the client shares the machine with the server
// under test and the judge; one epoll thread costs a few microseconds per request, where an
// aiohttp client costs a few hundred and would cap a cached run (bench/serve/README.md).
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    int port = 0;
    int connections = 256;
    std::string path = "/get_reward";
    std::string bodies;
    std::string out;
};

struct Conn {
    int fd = -1;
    long request = -1; ///< the body index in flight, -1 when idle
    std::string in;
    Clock::time_point started;
};

struct Answer {
    int status = -1; ///< -1: never sent; 0: the connection failed
    long micros = 0;
    std::string body;
};

bool parseArgs(int argc, char **argv, Options *o) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (i + 1 >= argc)
            return false;
        const std::string v = argv[++i];
        if (a == "--port")
            o->port = std::atoi(v.c_str());
        else if (a == "--connections")
            o->connections = std::atoi(v.c_str());
        else if (a == "--path")
            o->path = v;
        else if (a == "--bodies")
            o->bodies = v;
        else if (a == "--out")
            o->out = v;
        else
            return false;
    }
    return o->port > 0 && o->connections > 0 && !o->bodies.empty();
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

/// Position of a header name (case-insensitive, at a line start) in head, or npos.
std::size_t findHeader(std::string_view head, std::string_view name) {
    for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;
         at = head.find("\r\n", at + 2)) {
        const std::string_view line = head.substr(at + 2);
        if (line.size() > name.size() && line[name.size()] == ':' &&
            std::equal(name.begin(), name.end(), line.begin(),
                       [](char x, char y) { return lower(x) == lower(y); }))
            return at + 2 + name.size() + 1;
    }
    return std::string_view::npos;
}

/// Length of the first complete answer in buf (0: incomplete; -1: unreadable framing).
long answerLength(const std::string &buf, int *status, bool *close) {
    const std::size_t headEnd = buf.find("\r\n\r\n");
    if (headEnd == std::string::npos)
        return 0;
    const std::string_view head(buf.data(), headEnd + 2);
    if (head.size() < 12 || head.substr(0, 5) != "HTTP/")
        return -1;
    *status = std::atoi(buf.c_str() + 9);
    const std::size_t cl = findHeader(head, "content-length");
    if (cl == std::string_view::npos)
        return -1; // both servers send a length; chunked answers are not expected here
    const long length = std::strtol(buf.c_str() + cl, nullptr, 10);
    const std::size_t conn = findHeader(head, "connection");
    *close = conn != std::string_view::npos &&
             lower(head[head.find_first_not_of(' ', conn)]) == 'c'; // "close"
    const std::size_t total = headEnd + 4 + std::size_t(length);
    return buf.size() >= total ? long(total) : 0;
}

int connectTo(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

} // namespace

int main(int argc, char **argv) {
    Options o;
    if (!parseArgs(argc, argv, &o)) {
        std::fprintf(stderr, "usage: rs_serve_load --port P --bodies FILE [--connections 256] "
                             "[--path /get_reward] [--out ANSWERS.tsv]\n");
        return 2;
    }
    std::vector<std::string> requests;
    {
        std::ifstream in(o.bodies);
        if (!in) {
            std::fprintf(stderr, "rs_serve_load: cannot read %s\n", o.bodies.c_str());
            return 2;
        }
        std::string line;
        while (std::getline(in, line))
            if (!line.empty())
                requests.push_back("POST " + o.path +
                                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                   "application/json\r\nContent-Length: " +
                                   std::to_string(line.size()) + "\r\n\r\n" + line);
    }
    const long total = long(requests.size());
    std::vector<Answer> answers(requests.size());
    const int ep = epoll_create1(0);
    std::vector<Conn> conns(std::size_t(std::min<long>(o.connections, std::max(1L, total))));
    long next = 0, done = 0;

    const auto open = [&](std::size_t i) -> bool {
        Conn &c = conns[i];
        c.fd = connectTo(o.port);
        if (c.fd < 0)
            return false;
        c.in.clear();
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
        return true;
    };
    const auto send = [&](Conn &c) {
        if (next >= total) {
            c.request = -1;
            return;
        }
        c.request = next++;
        c.started = Clock::now();
        const std::string &r = requests[std::size_t(c.request)];
        // Blocking sockets: send() returns once the whole request is in the kernel's buffer.
        if (::send(c.fd, r.data(), r.size(), MSG_NOSIGNAL) != ssize_t(r.size()))
            std::perror("send"); // the failure shows as a closed connection below
    };
    const auto record = [&](Conn &c, int status, std::string body) {
        Answer &a = answers[std::size_t(c.request)];
        a.status = status;
        a.micros =
            long(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - c.started)
                     .count());
        a.body = std::move(body);
        ++done;
    };
    const auto reopen = [&](std::size_t i) -> bool {
        Conn &c = conns[i];
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
        return open(i);
    };

    for (std::size_t i = 0; i < conns.size(); ++i)
        if (!open(i)) {
            std::fprintf(stderr, "rs_serve_load: cannot connect to port %d: %s\n", o.port,
                         std::strerror(errno));
            return 1;
        }
    const double cpu0 = cpuSeconds();
    const Clock::time_point t0 = Clock::now();
    for (Conn &c : conns)
        send(c);

    std::vector<epoll_event> events(conns.size());
    std::vector<char> chunk(1 << 16);
    while (done < total) {
        const int n = epoll_wait(ep, events.data(), int(events.size()), 120000);
        if (n <= 0) {
            std::fprintf(stderr, "rs_serve_load: no progress for 120 s; %ld of %ld answered\n",
                         done, total);
            return 1;
        }
        for (int e = 0; e < n; ++e) {
            const std::size_t i = events[std::size_t(e)].data.u64;
            Conn &c = conns[i];
            const ssize_t got = ::recv(c.fd, chunk.data(), chunk.size(), 0);
            if (got <= 0) {
                // Closed under a request: that request failed (status 0); go on with the next.
                if (c.request >= 0) {
                    record(c, 0, got == 0 ? "closed" : std::strerror(errno));
                    c.request = -1;
                }
                if (next < total && reopen(i)) {
                    send(c);
                } else {
                    // Level-triggered epoll would keep reporting the closed socket.
                    epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
                    ::close(c.fd);
                    c.fd = -1;
                }
                continue;
            }
            c.in.append(chunk.data(), std::size_t(got));
            int status = 0;
            bool close = false;
            long len = 0;
            while (c.request >= 0 && (len = answerLength(c.in, &status, &close)) != 0) {
                if (len < 0) {
                    record(c, 0, "unreadable answer");
                    close = true;
                    len = long(c.in.size());
                } else {
                    const std::size_t bodyAt = c.in.find("\r\n\r\n") + 4;
                    record(c, status, c.in.substr(bodyAt, std::size_t(len) - bodyAt));
                }
                c.in.erase(0, std::size_t(len));
                c.request = -1;
                if (close && !reopen(i))
                    break;
                send(c);
            }
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const double cpu = cpuSeconds() - cpu0;

    std::vector<double> ms;
    long ok = 0;
    for (const Answer &a : answers) {
        ms.push_back(double(a.micros) / 1000.0);
        ok += a.status == 200;
    }
    std::sort(ms.begin(), ms.end());
    // Nearest rank: the smallest latency with at least p of the requests at or below it.
    const auto pct = [&](double p) {
        if (ms.empty())
            return 0.0;
        const std::size_t rank = std::size_t(std::max(1.0, std::ceil(p * double(ms.size()))));
        return ms[std::min(ms.size(), rank) - 1];
    };
    std::printf("{\"requests\":%ld,\"ok\":%ld,\"failed\":%ld,\"connections\":%zu,"
                "\"seconds\":%.6f,\"rps\":%.3f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
                "\"client_cpu_s\":%.3f}\n",
                total, ok, total - ok, conns.size(), seconds, double(total) / seconds, pct(0.50),
                pct(0.99), ms.empty() ? 0.0 : ms.back(), cpu);
    if (!o.out.empty()) {
        std::FILE *f = std::fopen(o.out.c_str(), "w");
        if (!f) {
            std::fprintf(stderr, "rs_serve_load: cannot write %s\n", o.out.c_str());
            return 1;
        }
        for (std::size_t i = 0; i < answers.size(); ++i) {
            std::string body = answers[i].body;
            std::replace(body.begin(), body.end(), '\n', ' ');
            std::replace(body.begin(), body.end(), '\t', ' ');
            std::fprintf(f, "%zu\t%d\t%ld\t%s\n", i, answers[i].status, answers[i].micros,
                         body.c_str());
        }
        std::fclose(f);
    }
    for (Conn &c : conns)
        if (c.fd >= 0)
            ::close(c.fd);
    ::close(ep);
    return ok == total ? 0 : 1;
}
