#pragma once

#include "llm/providerconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>

namespace rs::llm {
class LlmEngine;
struct LlmResult;
} // namespace rs::llm

namespace rs::ui {

class KeychainKeyResolver;

/// The providers dialog's "Test": one tiny chat request through the real engine (same wire
/// format, key, timeout and TLS settings as a judge run, but no retries, no cache and nothing
/// stored), answered with the latency, the first line of the answer and the tokens, or the
/// error with any key taken out. Never blocks the GUI thread; a new test or cancel() drops the
/// previous one.
class ProviderProbe final : public QObject {
    Q_OBJECT

public:
    struct Result {
        bool ok = false;
        qint64 latencyMs = 0;
        QString firstLine; ///< of the answer
        qint64 tokensIn = 0;
        qint64 tokensOut = 0;
        int httpStatus = 0;
        QString error; ///< redacted
    };

    /// The longest a test waits for an answer, whatever the provider's own timeout.
    static constexpr int kMaxTimeoutMs = 30000;

    explicit ProviderProbe(std::shared_ptr<KeychainKeyResolver> keys, QObject *parent = nullptr);
    ~ProviderProbe() override;

    void start(const llm::ProviderConfig &provider);
    void cancel();
    bool isRunning() const { return m_running; }

    /// "OK in 312 ms · 24 → 3 tokens · “ready”" or "Failed: …", for a status line.
    static QString describe(const Result &result);

Q_SIGNALS:
    void finished(const rs::ui::ProviderProbe::Result &result);

private:
    void send(const llm::ProviderConfig &provider, quint64 attempt);
    void onResult(quint64 job, const llm::LlmResult &result);
    void finish(Result result);

    std::shared_ptr<KeychainKeyResolver> m_keys;
    std::unique_ptr<llm::LlmEngine> m_engine;
    QElapsedTimer m_clock;
    QString m_key; ///< only to redact it from errors; dropped when the test ends
    quint64 m_attempt = 0;
    std::uint64_t m_job = 0;
    bool m_running = false;
};

} // namespace rs::ui
