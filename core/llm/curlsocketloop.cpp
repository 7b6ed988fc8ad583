#include "curlsocketloop.h"

#include <curl/curl.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace rs::llm {
namespace {
constexpr int kMaxEvents = 256;
} // namespace

CurlSocketLoop::CurlSocketLoop(CURLM *multi)
    : m_multi(multi)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wakeFd;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &ev);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlSocketLoop::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlSocketLoop::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
}

CurlSocketLoop::~CurlSocketLoop() {
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

void CurlSocketLoop::wake() {
    const std::uint64_t one = 1;
    (void)!::write(m_wakeFd, &one, sizeof one); // a full counter is a pending wake-up anyway
}

int CurlSocketLoop::onSocket(void * /*easy*/, int socket, int what, void *self, void *socketData) {
    // curl keeps a pointer per socket for us (curl_multi_assign): set, the socket is watched.
    static_cast<CurlSocketLoop *>(self)->watch(socket, what, socketData != nullptr);
    return 0;
}

int CurlSocketLoop::onTimer(CURLM * /*multi*/, long timeoutMs, void *self) {
    // curl must not be re-entered from here: the timeout is handled by the next runDue().
    auto *loop = static_cast<CurlSocketLoop *>(self);
    if (timeoutMs < 0)
        loop->m_due.reset();
    else
        loop->m_due = Clock::now() + std::chrono::milliseconds(timeoutMs);
    return 0;
}

void CurlSocketLoop::watch(int socket, int what, bool watched) {
    if (what == CURL_POLL_REMOVE) {
        // The socket may be closed already (then epoll dropped it itself): errors do not matter.
        // curl forgets its pointer for the socket with it.
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, socket, nullptr);
        return;
    }
    epoll_event ev{};
    ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
    ev.data.fd = socket;
    // A socket curl closed without saying so may come back under the same number: retry with
    // the other operation rather than lose it.
    if (epoll_ctl(m_epoll, watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, socket, &ev) != 0)
        epoll_ctl(m_epoll, watched ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, socket, &ev);
    if (!watched)
        curl_multi_assign(m_multi, socket, this);
}

void CurlSocketLoop::runDue() {
    if (!m_due || Clock::now() < *m_due)
        return;
    m_due.reset(); // curl sets the next one while it runs
    int running = 0;
    curl_multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
}

void CurlSocketLoop::wait(Clock::duration maxWait) {
    Clock::duration wait = maxWait;
    if (m_due)
        wait = std::min(wait, *m_due - Clock::now());
    // Rounded up: a timer due in 0.3 ms is waited for, not spun on.
    const auto ms =
        std::chrono::ceil<std::chrono::milliseconds>(std::max(wait, Clock::duration::zero()));
    std::array<epoll_event, kMaxEvents> events{};
    int n = epoll_wait(m_epoll, events.data(), kMaxEvents, int(ms.count()));
    if (n < 0 && errno == EINTR)
        n = 0;
    for (int i = 0; i < n; ++i) {
        const epoll_event &ev = events[size_t(i)];
        if (ev.data.fd == m_wakeFd) {
            std::uint64_t count = 0;
            (void)!::read(m_wakeFd, &count, sizeof count);
            continue;
        }
        int mask = 0;
        if (ev.events & EPOLLIN)
            mask |= CURL_CSELECT_IN;
        if (ev.events & EPOLLOUT)
            mask |= CURL_CSELECT_OUT;
        if (ev.events & (EPOLLERR | EPOLLHUP))
            mask |= CURL_CSELECT_ERR;
        int running = 0;
        curl_multi_socket_action(m_multi, ev.data.fd, mask, &running);
    }
    runDue();
}

} // namespace rs::llm
