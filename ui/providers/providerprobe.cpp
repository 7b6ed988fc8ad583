#include "providers/providerprobe.h"

#include "providers/keychainkeyresolver.h"
#include "llm/llmengine.h"
#include "llm/wireprotocol.h"
#include "common/uitext.h"

#include <QLocale>

namespace rs::ui {
namespace {
constexpr int kFirstLineChars = 160;
} // namespace

ProviderProbe::ProviderProbe(std::shared_ptr<KeychainKeyResolver> keys, QObject *parent)
    : QObject(parent)
    , m_keys(std::move(keys)) {}

ProviderProbe::~ProviderProbe() {
    // Directly, not deleteLater(): there may be no event loop left to run it. The engine's
    // destructor drops the request in flight and joins its thread.
    m_key.clear();
    if (m_engine)
        m_engine->cancel(m_job);
    m_engine.reset();
}

void ProviderProbe::start(const llm::ProviderConfig &provider) {
    cancel();
    m_running = true;
    const quint64 attempt = ++m_attempt;
    // A keychain key is read first (asynchronously): the engine asks for it on this thread,
    // where nothing may wait.
    m_keys->whenReady(provider, this, [this, provider, attempt] {
        if (attempt == m_attempt && m_running)
            send(provider, attempt);
    });
}

void ProviderProbe::send(const llm::ProviderConfig &provider, quint64 attempt) {
    Q_UNUSED(attempt);
    auto key = m_keys->key(provider);
    if (!key) {
        Result r;
        r.error = llm::wire::redact(key.error().message);
        finish(r);
        return;
    }
    m_key = key.value();

    // A test should answer quickly and say what is wrong: no retries, a bounded timeout.
    llm::ProviderConfig p = provider;
    p.maxRetries = 0;
    p.maxConcurrency = 1;
    p.timeoutMs = qMin(provider.timeoutMs, kMaxTimeoutMs);

    llm::LlmRequest request;
    request.system = QStringLiteral("You are answering a connection test. Reply with one short "
                                    "line.");
    request.messages = {{QStringLiteral("user"), QStringLiteral("Reply with the word: ready")}};
    request.maxTokens = 16;
    request.temperature = 0;

    llm::JobOptions options;
    options.kind = QStringLiteral("test");
    options.bypassCache = true;

    // No store: nothing is cached or written to a project's ledger.
    m_engine = std::make_unique<llm::LlmEngine>(llm::PriceTable(), nullptr, m_keys);
    connect(m_engine.get(), &llm::LlmEngine::resultReady, this, &ProviderProbe::onResult);
    m_clock.start();
    m_job = m_engine->submit(p, {request}, options);
}

void ProviderProbe::onResult(quint64 job, const llm::LlmResult &result) {
    if (!m_running || job != m_job)
        return;
    Result r;
    r.latencyMs = m_clock.elapsed();
    r.ok = result.ok;
    r.httpStatus = result.httpStatus;
    r.tokensIn = result.tokensIn;
    r.tokensOut = result.tokensOut;
    if (result.ok) {
        r.firstLine = llm::wire::redact(firstLine(result.text), m_key);
        if (r.firstLine.size() > kFirstLineChars)
            r.firstLine = r.firstLine.left(kFirstLineChars) + QChar(0x2026);
    } else {
        r.error = llm::wire::redact(result.errorText, m_key);
    }
    finish(r);
}

void ProviderProbe::finish(Result result) {
    m_running = false;
    m_key.clear();
    if (m_engine)
        m_engine.release()->deleteLater(); // we may be inside its signal
    Q_EMIT finished(result);
}

void ProviderProbe::cancel() {
    ++m_attempt;
    m_running = false;
    m_key.clear();
    if (m_engine) {
        m_engine->cancel(m_job);
        m_engine->disconnect(this);
        m_engine.release()->deleteLater();
    }
}

QString ProviderProbe::describe(const Result &r) {
    if (!r.ok) {
        const QString status = r.httpStatus > 0 ? tr(" (HTTP %1)").arg(r.httpStatus) : QString();
        return tr("Failed%1: %2").arg(status, r.error);
    }
    const QLocale locale;
    QString text = tr("OK in %1 ms").arg(locale.toString(r.latencyMs));
    if (r.tokensIn > 0 || r.tokensOut > 0)
        text +=
            tr(" · %1 → %2 tokens").arg(locale.toString(r.tokensIn), locale.toString(r.tokensOut));
    text += tr(" · answer: “%1”").arg(r.firstLine.isEmpty() ? tr("(empty)") : r.firstLine);
    return text;
}

} // namespace rs::ui
