#pragma once

#include "common/error.h"
#include "httpmessage.h"
#include "requestparser.h"

#include <QtGlobal>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace rs::serve {

struct ServerOutbox;

/// A small HTTP/1.1 server on POSIX sockets: one thread waits (epoll) on the listening socket and
/// every connection (keep-alive, pipelining, hundreds at once), parses requests with RequestParser
/// and hands each complete one to the handler. The handler answers later, from any thread, through
/// the Respond it gets: the reward work runs elsewhere and the I/O thread never blocks on it.
///
/// Qt's QTcpServer would need an event loop per thread and QObject plumbing for the same job;
/// an epoll loop is a page of code and easy to reason about under SIGTERM; unlike poll(), its
/// cost per wake-up does not grow with the number of idle keep-alive connections.
class HttpServer final {
public:
    struct Options {
        std::string host = "127.0.0.1";
        quint16 port = 0; ///< 0: any free port
        RequestParser::Limits limits;
        int maxConnections = 4096;
    };
    /// Answers one request; call exactly once, from any thread.
    using Respond = std::function<void(HttpResponse)>;
    using Handler = std::function<void(HttpRequest &&, Respond)>;

    HttpServer(Options options, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    /// Binds and starts the I/O thread; the port actually bound.
    Expected<quint16> start();
    /// Stops accepting, closes idle connections, waits until every request already read has
    /// been answered and written (or `graceMs` passed), then stops the thread.
    void stop(int graceMs = 60000);

    int openConnections() const { return m_openConnections.load(); }

private:
    struct Loop;
    Options m_options;
    Handler m_handler;
    int m_listenFd = -1;
    std::shared_ptr<ServerOutbox> m_outbox;
    std::unique_ptr<Loop> m_loop;
    std::thread m_thread;
    std::atomic<int> m_openConnections{0};
};

} // namespace rs::serve
