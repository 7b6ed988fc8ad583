#include "httpserver.h"

#include "common/threadname.h"

#include <QString>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace rs::serve {

/// Answers handed from handler threads to the I/O thread, which a byte on a pipe wakes.
/// Shared with every Respond so a late answer after stop() finds a closed box, not freed memory.
struct ServerOutbox {
    std::mutex mutex;
    std::vector<std::pair<std::uint64_t, HttpResponse>> answers;
    int wakeWrite = -1;
    bool closed = false;

    void post(std::uint64_t conn, HttpResponse response) {
        std::lock_guard lock(mutex);
        if (closed)
            return;
        const bool wasEmpty = answers.empty();
        answers.emplace_back(conn, std::move(response));
        if (wasEmpty) {
            const char b = 1;
            [[maybe_unused]] auto n = ::write(wakeWrite, &b, 1);
        }
    }
};

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr auto kDrainTime = std::chrono::seconds(2);

void setNonBlocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/// 256 trainer connections and the judges' sockets need more descriptors than the usual
/// soft limit of 1024 leaves when the process runs long.
void raiseFileLimit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

} // namespace

struct HttpServer::Loop {
    struct Conn {
        int fd = -1;
        std::string in;
        std::string out;
        std::size_t outSent = 0;
        RequestParser parser;
        bool busy = false;     ///< a request is with the handler
        bool keepAlive = true; ///< of the request being answered
        bool closeAfterWrite = false;
        bool draining = false; ///< answered and shut down for writing; reading until EOF
        bool peerClosed = false;
        bool sentContinue = false;
        Clock::time_point drainUntil{};
        std::uint32_t watched = 0; ///< the events epoll reports for it
        bool registered = false;
    };
    // epoll keys of the two descriptors that are not connections (connection ids count from 1).
    static constexpr std::uint64_t kWakeKey = ~std::uint64_t(0);
    static constexpr std::uint64_t kListenKey = kWakeKey - 1;
    static constexpr int kMaxEvents = 256;

    HttpServer &server;
    int epollFd = -1;
    bool listenWatched = false;
    int wakeRead = -1;
    std::unordered_map<std::uint64_t, Conn> conns;
    std::uint64_t nextId = 1;
    std::atomic<bool> stopping{false};
    Clock::time_point stopDeadline{};

    explicit Loop(HttpServer &s)
        : server(s)
        , epollFd(::epoll_create1(EPOLL_CLOEXEC)) {}
    ~Loop() {
        if (epollFd >= 0)
            ::close(epollFd);
    }
    Loop(const Loop &) = delete;
    Loop &operator=(const Loop &) = delete;

    void control(int op, int fd, std::uint32_t events, std::uint64_t key) const {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = key;
        ::epoll_ctl(epollFd, op, fd, &ev);
    }

    /// Tells epoll what the connection waits for now: input until the peer closed, output
    /// while an answer is pending. Level-triggered, so nothing is lost between rounds.
    void watch(std::uint64_t id, Conn &c) {
        const std::uint32_t want = (c.peerClosed ? 0U : std::uint32_t(EPOLLIN)) |
                                   (c.out.empty() ? 0U : std::uint32_t(EPOLLOUT));
        if (c.registered && want == c.watched)
            return;
        control(c.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c.fd, want, id);
        c.registered = true;
        c.watched = want;
    }

    /// Accepting pauses while the connection limit is reached.
    void watchListener(bool listening) {
        const bool want = listening && int(conns.size()) < server.m_options.maxConnections;
        if (want != listenWatched) {
            control(EPOLL_CTL_MOD, server.m_listenFd, want ? std::uint32_t(EPOLLIN) : 0U, kListenKey);
            listenWatched = want;
        }
    }

    void closeConn(std::uint64_t id) {
        auto it = conns.find(id);
        if (it == conns.end())
            return;
        ::close(it->second.fd); // which also takes it out of the epoll set
        conns.erase(it);
        server.m_openConnections.store(int(conns.size()));
    }

    void acceptAll() {
        for (;;) {
            if (int(conns.size()) >= server.m_options.maxConnections)
                return;
            const int fd = ::accept(server.m_listenFd, nullptr, nullptr);
            if (fd < 0)
                return; // EAGAIN, or a transient error: the next poll tries again
            setNonBlocking(fd);
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            Conn c{.fd = fd, .parser = RequestParser(server.m_options.limits)};
            const std::uint64_t id = nextId++;
            watch(id, conns.emplace(id, std::move(c)).first->second);
            server.m_openConnections.store(int(conns.size()));
        }
    }

    void takeAnswers() {
        char drain[256];
        while (::read(wakeRead, drain, sizeof drain) > 0) {
        }
        std::vector<std::pair<std::uint64_t, HttpResponse>> answers;
        {
            std::lock_guard lock(server.m_outbox->mutex);
            answers.swap(server.m_outbox->answers);
        }
        for (auto &[id, response] : answers) {
            auto it = conns.find(id);
            if (it == conns.end() || !it->second.busy)
                continue; // the client went away meanwhile
            Conn &c = it->second;
            c.busy = false;
            const bool keep = c.keepAlive && !response.close && !stopping && !c.peerClosed;
            c.out += response.serialize(keep);
            if (!keep)
                c.closeAfterWrite = true;
            // Sent now rather than after another round of epoll: a socket with room takes an
            // answer of a few KB at once.
            if (writeSome(id, c))
                watch(id, c);
            else
                closeConn(id);
        }
    }

    /// Parses what the connection has read; hands a complete request to the handler.
    void process(std::uint64_t id, Conn &c) {
        if (c.busy || c.closeAfterWrite || c.draining)
            return;
        RequestParser::Result r = c.parser.parse(c.in);
        switch (r.state) {
        case RequestParser::State::NeedMore:
            if (r.expectContinue && !c.sentContinue) {
                c.out += "HTTP/1.1 100 Continue\r\n\r\n";
                c.sentContinue = true;
            }
            return;
        case RequestParser::State::Error:
            // The rest of the stream cannot be trusted (or, for 413, is not wanted): answer
            // and close. The body of a 413 is never read.
            c.out += errorResponse(r.status, r.error).serialize(false);
            c.closeAfterWrite = true;
            c.in.clear();
            return;
        case RequestParser::State::Complete:
            c.busy = true;
            c.sentContinue = false;
            c.keepAlive = r.request.keepAlive;
            std::shared_ptr<ServerOutbox> box = server.m_outbox;
            server.m_handler(std::move(r.request),
                             [box, id](HttpResponse resp) { box->post(id, std::move(resp)); });
            return;
        }
    }

    /// Reads what is there; false when the connection is finished.
    bool readSome(std::uint64_t id, Conn &c) {
        char buf[kReadChunk];
        for (;;) {
            const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
            if (n > 0) {
                if (!c.draining)
                    c.in.append(buf, std::size_t(n));
                if (c.in.size() >
                    server.m_options.limits.maxBodyBytes + server.m_options.limits.maxHeaderBytes)
                    break; // the parser answers; stop reading more
                continue;
            }
            if (n == 0) {
                c.peerClosed = true;
                // A client that half-closed after its request still gets the answer.
                return c.busy || !c.out.empty() ? true : false;
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return false;
        }
        process(id, c);
        return true;
    }

    /// Writes what is pending; false when the connection is finished.
    bool writeSome(std::uint64_t id, Conn &c) {
        while (c.outSent < c.out.size()) {
            const ssize_t n =
                ::send(c.fd, c.out.data() + c.outSent, c.out.size() - c.outSent, MSG_NOSIGNAL);
            if (n > 0) {
                c.outSent += std::size_t(n);
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return true;
            return false;
        }
        c.out.clear();
        c.outSent = 0;
        if (c.closeAfterWrite && !c.draining) {
            // Closing with unread input makes the kernel send RST, which can destroy the answer
            // before the client reads it (a 413 sent while the upload is still coming). Shut
            // down writing and read until the client closes, for a short while.
            ::shutdown(c.fd, SHUT_WR);
            c.draining = true;
            c.drainUntil = Clock::now() + kDrainTime;
            return !c.peerClosed;
        }
        if (c.peerClosed && !c.busy)
            return false;
        if (!c.busy && !c.in.empty())
            process(id, c); // a pipelined request waits behind the one just answered
        return true;
    }

    bool finished() const {
        for (const auto &[id, c] : conns)
            if (c.busy || !c.out.empty())
                return false;
        return true;
    }

    void run() {
        control(EPOLL_CTL_ADD, wakeRead, EPOLLIN, kWakeKey);
        control(EPOLL_CTL_ADD, server.m_listenFd, EPOLLIN, kListenKey);
        listenWatched = true;
        std::vector<epoll_event> events(kMaxEvents);
        bool listening = true;
        for (;;) {
            if (stopping && listening) {
                listening = false;
                listenWatched = false;
                ::close(server.m_listenFd);
                server.m_listenFd = -1;
            }
            if (stopping) {
                // Idle and draining connections go now; busy ones once their answer is out.
                std::vector<std::uint64_t> idle;
                for (auto &[id, c] : conns)
                    if ((!c.busy && c.out.empty()) || c.draining)
                        idle.push_back(id);
                for (auto id : idle)
                    closeConn(id);
                if (finished() || Clock::now() > stopDeadline)
                    break;
            }
            const auto now = Clock::now();
            std::vector<std::uint64_t> expired;
            for (auto &[id, c] : conns)
                if (c.draining && now > c.drainUntil)
                    expired.push_back(id);
            for (auto id : expired)
                closeConn(id);
            if (listening)
                watchListener(true);
            const int n = ::epoll_wait(epollFd, events.data(), kMaxEvents, 250);
            if (n < 0 && errno != EINTR)
                break;
            for (int e = 0; e < n; ++e) {
                const std::uint64_t key = events[std::size_t(e)].data.u64;
                const std::uint32_t re = events[std::size_t(e)].events;
                if (key == kWakeKey) {
                    takeAnswers();
                    continue;
                }
                if (key == kListenKey) {
                    if (listening)
                        acceptAll();
                    continue;
                }
                auto it = conns.find(key);
                if (it == conns.end())
                    continue; // closed earlier in this round
                Conn &c = it->second;
                bool alive = (re & EPOLLERR) == 0;
                if (alive && (re & (EPOLLIN | EPOLLHUP))) {
                    if (c.busy && !c.draining) {
                        // Read no new request while one is answered, but see a hang-up.
                        char probe;
                        const ssize_t r = ::recv(c.fd, &probe, 1, MSG_PEEK);
                        if (r == 0)
                            c.peerClosed = true;
                        else if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                            alive = false;
                        else if (r > 0)
                            alive = readSome(key, c); // pipelined bytes: buffer them
                    } else {
                        alive = readSome(key, c);
                        if (c.draining && c.peerClosed)
                            alive = false;
                    }
                }
                if (alive && !c.out.empty())
                    alive = writeSome(key, c);
                if (alive)
                    watch(key, c);
                else
                    closeConn(key);
            }
        }
        std::vector<std::uint64_t> all;
        for (auto &[id, c] : conns)
            all.push_back(id);
        for (auto id : all)
            closeConn(id);
    }
};

HttpServer::HttpServer(Options options, Handler handler)
    : m_options(std::move(options))
    , m_handler(std::move(handler))
    , m_outbox(std::make_shared<ServerOutbox>()) {}

HttpServer::~HttpServer() {
    stop(0);
}

Expected<quint16> HttpServer::start() {
    raiseFileLimit();
    std::signal(SIGPIPE, SIG_IGN);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo *res = nullptr;
    const std::string port = std::to_string(m_options.port);
    if (int rc = ::getaddrinfo(m_options.host.c_str(), port.c_str(), &hints, &res); rc != 0)
        return makeError(
            QStringLiteral("cannot resolve %1: %2")
                .arg(QString::fromStdString(m_options.host), QString::fromUtf8(gai_strerror(rc))));
    int fd = -1;
    QString why;
    for (addrinfo *a = res; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0)
            continue;
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1024) == 0)
            break;
        why = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        fd = -1;
    }
    ::freeaddrinfo(res);
    if (fd < 0)
        return makeError(QStringLiteral("cannot listen on %1:%2: %3")
                             .arg(QString::fromStdString(m_options.host))
                             .arg(m_options.port)
                             .arg(why));
    setNonBlocking(fd);
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&bound), &len);
    const quint16 actual = bound.ss_family == AF_INET6
                               ? ntohs(reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port)
                               : ntohs(reinterpret_cast<sockaddr_in *>(&bound)->sin_port);
    int pipeFds[2];
    if (::pipe(pipeFds) != 0) {
        ::close(fd);
        return makeError(QStringLiteral("cannot create the server's wake pipe"));
    }
    setNonBlocking(pipeFds[0]);
    setNonBlocking(pipeFds[1]);
    m_listenFd = fd;
    m_outbox->wakeWrite = pipeFds[1];
    m_loop = std::make_unique<Loop>(*this);
    m_loop->wakeRead = pipeFds[0];
    m_thread = std::thread([this] {
        nameThisThread("rs-http");
        m_loop->run();
    });
    return actual;
}

void HttpServer::stop(int graceMs) {
    if (!m_thread.joinable())
        return;
    m_loop->stopDeadline = Clock::now() + std::chrono::milliseconds(graceMs);
    m_loop->stopping = true;
    m_outbox->post(0, HttpResponse{}); // wakes the loop; id 0 is never a connection
    m_thread.join();
    {
        std::lock_guard lock(m_outbox->mutex);
        m_outbox->closed = true;
        ::close(m_outbox->wakeWrite);
    }
    ::close(m_loop->wakeRead);
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    m_listenFd = -1;
}

} // namespace rs::serve
