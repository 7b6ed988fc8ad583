// rs-llm-load: a small epoll HTTP/1.1 load client for rs-llm-test-server. N keep-alive
// connections each send a judge request, wait for the whole answer, and send the next, until
// the total is reached; it reports throughput and latency. Plain POSIX, one thread, so on a
// small machine it takes as little CPU from the server under test as possible.
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    int port = 0;
    int connections = 64;
    long requests = 5000;
    bool anthropic = false;
    int staggerMs = 0; // spread the connections' first requests over this many ms
};

struct Conn {
    int fd = -1;
    std::string in;
    Clock::time_point started;
};

void usage() {
    std::fprintf(stderr, "usage: rs-llm-load --port P [--connections 64] [--requests 5000] "
                         "[--anthropic]\n");
}

bool parseArgs(int argc, char **argv, Options *o) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const auto value = [&]() -> long {
            if (i + 1 >= argc)
                return -1;
            return std::strtol(argv[++i], nullptr, 10);
        };
        if (a == "--port")
            o->port = int(value());
        else if (a == "--connections")
            o->connections = int(value());
        else if (a == "--requests")
            o->requests = value();
        else if (a == "--stagger-ms")
            o->staggerMs = int(value());
        else if (a == "--anthropic")
            o->anthropic = true;
        else
            return false;
    }
    return o->port > 0 && o->connections > 0 && o->requests > 0;
}

std::string makeRequest(bool anthropic) {
    // A judge call of realistic size: the server parses, judges and serialises each one.
    const std::string user =
        "<<<PROMPT\\nExplain how vaccines train the immune system.\\nPROMPT>>>\\n"
        "<<<RESPONSE\\nVaccines expose the immune system to a harmless antigen so that memory "
        "cells form and respond quickly to the real pathogen later.\\nRESPONSE>>>\\n"
        "<<<CRITERIA\\nc1: The response mentions \\\"antigen\\\".\\n"
        "c2: The response is at least 50 words long.\\nc3: The response is concise.\\n"
        "CRITERIA>>>";
    std::string body;
    std::string path;
    if (anthropic) {
        path = "/v1/messages";
        body =
            R"({"model":"load","max_tokens":64,"system":"[role:judge]","messages":[{"role":"user","content":")" +
            user + "\"}]}";
    } else {
        path = "/v1/chat/completions";
        body =
            R"({"model":"load","messages":[{"role":"system","content":"[role:judge]"},{"role":"user","content":")" +
            user + "\"}]}";
    }
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Length of the first complete response in buf (0: incomplete); *status gets its status.
std::size_t responseLength(const std::string &buf, int *status) {
    const std::size_t headEnd = buf.find("\r\n\r\n");
    if (headEnd == std::string::npos)
        return 0;
    *status = std::atoi(buf.c_str() + 9);
    std::size_t length = 0;
    const std::size_t cl = buf.find("Content-Length: ");
    if (cl != std::string::npos && cl < headEnd)
        length = std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
    const std::size_t total = headEnd + 4 + length;
    return buf.size() >= total ? total : 0;
}

} // namespace

int main(int argc, char **argv) {
    Options o;
    if (!parseArgs(argc, argv, &o)) {
        usage();
        return 2;
    }
    const std::string request = makeRequest(o.anthropic);
    const int ep = epoll_create1(0);
    std::vector<Conn> conns(std::size_t(o.connections));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(o.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    long issued = 0;
    long done = 0;
    long errors = 0;
    std::vector<double> latenciesMs;
    latenciesMs.reserve(std::size_t(o.requests));

    const auto startRequest = [&](Conn &c) {
        c.started = Clock::now();
        ++issued;
        // Blocking sockets: send() returns once the whole request is in the kernel's buffer.
        if (::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size()))
            std::perror("send");
    };

    for (std::size_t i = 0; i < conns.size(); ++i) {
        Conn &c = conns[i];
        c.fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int one = 1;
        ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(c.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            std::perror("connect");
            return 1;
        }
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
    }

    const Clock::time_point t0 = Clock::now();
    for (std::size_t i = 0; i < conns.size() && issued < o.requests; ++i) {
        if (o.staggerMs > 0 && i > 0)
            ::usleep(useconds_t(o.staggerMs * 1000 / o.connections));
        startRequest(conns[i]);
    }

    std::vector<epoll_event> events(conns.size());
    char chunk[65536];
    while (done < issued) {
        const int n = epoll_wait(ep, events.data(), int(events.size()), 30000);
        if (n <= 0) {
            std::fprintf(stderr, "no progress for 30 s; %ld of %ld answered\n", done, issued);
            return 1;
        }
        for (int e = 0; e < n; ++e) {
            Conn &c = conns[events[std::size_t(e)].data.u64];
            const ssize_t got = ::recv(c.fd, chunk, sizeof chunk, 0);
            if (got <= 0) {
                std::fprintf(stderr, "connection lost: %s\n",
                             got == 0 ? "closed" : std::strerror(errno));
                return 1;
            }
            c.in.append(chunk, std::size_t(got));
            int status = 0;
            while (const std::size_t len = responseLength(c.in, &status)) {
                c.in.erase(0, len);
                ++done;
                if (status != 200)
                    ++errors;
                latenciesMs.push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - c.started).count());
                if (issued < o.requests)
                    startRequest(c);
            }
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::sort(latenciesMs.begin(), latenciesMs.end());
    const auto pct = [&](double p) {
        return latenciesMs[std::min(latenciesMs.size() - 1,
                                    std::size_t(p * double(latenciesMs.size())))];
    };
    std::printf("requests %ld  non-200 %ld  connections %d  seconds %.3f  req/s %.0f  "
                "latency ms p50 %.2f p99 %.2f max %.2f\n",
                done, errors, o.connections, seconds, double(done) / seconds, pct(0.50), pct(0.99),
                latenciesMs.back());
    for (Conn &c : conns)
        ::close(c.fd);
    ::close(ep);
    return errors == 0 ? 0 : 1;
}
