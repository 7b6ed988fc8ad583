#pragma once

#include <chrono>
#include <optional>

typedef void CURLM; // as <curl/multi.h> declares it (without CURL_STRICTER)

namespace rs::llm {

/// Drives a curl multi handle through curl's socket interface with our own epoll set.
///
/// curl_multi_perform (and curl_multi_poll) look at every transfer's socket on every call — in
/// libcurl 7.88 a poll() per transfer — so with a hundred calls in flight most of the engine's
/// time went to asking sockets that had nothing to say. Here curl tells us which sockets to
/// watch and when its next timeout is due; a wait hands curl only the sockets that are ready.
/// Linux only (epoll and eventfd), as the reward server's HTTP loop.
class CurlSocketLoop final {
public:
    using Clock = std::chrono::steady_clock;

    /// Installs itself as `multi`'s socket and timer callbacks: `multi` must be cleaned up
    /// (curl_multi_cleanup calls back) before this loop is destroyed.
    explicit CurlSocketLoop(CURLM *multi);
    ~CurlSocketLoop();
    CurlSocketLoop(const CurlSocketLoop &) = delete;
    CurlSocketLoop &operator=(const CurlSocketLoop &) = delete;

    /// Any thread: ends the current (or the next) wait early.
    void wake();
    /// Runs curl's timeout handling when its timer is due (a transfer just added is due at once).
    void runDue();
    /// Waits at most `maxWait` (less when curl's timer is due sooner) for ready sockets or a
    /// wake-up, and hands every ready socket to curl.
    void wait(Clock::duration maxWait);

private:
    static int onSocket(void *easy, int socket, int what, void *self, void *socketData);
    static int onTimer(CURLM *multi, long timeoutMs, void *self);
    void watch(int socket, int what, bool watched);

    CURLM *m_multi;
    int m_epoll = -1;
    int m_wakeFd = -1;
    std::optional<Clock::time_point> m_due; ///< when curl wants its timeout handling
};

} // namespace rs::llm
