#pragma once

#include "llm/capabilityprobe.h"
#include "llm/providerconfig.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <stop_token>

namespace rs::ui {

class KeychainKeyResolver;

/// The providers dialog's "Test": llm::probeModel (the same probe as `providers probe`) on a
/// worker thread, through a scheduler of its own with the provider's key, wire format and TLS
/// settings but no retries, a bounded timeout, no cache and no ledger. What it finds is stored
/// in the shared CapabilityStore, so the next runs send what the model accepts. Answers with
/// the report and the latency, or the error with any key taken out. Never blocks the GUI
/// thread; a new test, cancel() or the probe's destruction stops the previous one (its
/// requests are dropped and the store keeps what it held).
class ProviderProbe final : public QObject {
    Q_OBJECT

public:
    struct Result {
        bool ok = false;              ///< the model answered the probe and what it found is stored
        qint64 latencyMs = 0;         ///< the whole probe, resends after rejections included
        llm::ProviderConfig provider; ///< as tested (timeout capped, no retries)
        std::optional<llm::ProbeReport> report; ///< what was found, also when it did not answer
        QString error;                          ///< redacted
    };

    /// The longest a test waits for an answer, whatever the provider's own timeout.
    static constexpr int kMaxTimeoutMs = 30000;

    explicit ProviderProbe(std::shared_ptr<KeychainKeyResolver> keys, QObject *parent = nullptr);
    ~ProviderProbe() override;

    void start(const llm::ProviderConfig &provider);
    void cancel();
    bool isRunning() const { return m_running; }

    /// "OK in 312 ms · stored for the next runs" or "Failed: …", for a status line.
    static QString describe(const Result &result);

Q_SIGNALS:
    void finished(const rs::ui::ProviderProbe::Result &result);

private:
    void run(const llm::ProviderConfig &provider, quint64 attempt);
    void finish(Result result);

    std::shared_ptr<KeychainKeyResolver> m_keys;
    std::stop_source m_stop;
    quint64 m_attempt = 0;
    bool m_running = false;
};

} // namespace rs::ui
