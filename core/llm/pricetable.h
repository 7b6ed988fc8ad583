#pragma once

#include "common/error.h"

#include <QHash>
#include <QString>

namespace rs::llm {

/// Dollars per million tokens, per model, from an editable JSON file
/// ({"models": {"gpt-4.1": {"input": 2.0, "output": 8.0}, ...}}). Unknown models cost 0 and
/// are reported as unpriced, so a missing price is visible rather than silently cheap.
class PriceTable final {
public:
    struct Price {
        double inputPerMTok = 0;
        double outputPerMTok = 0;
        double cachedInputPerMTok = -1; ///< prompt-cache reads; < 0: as input
        double cacheWritePerMTok = -1;  ///< prompt-cache writes (Anthropic); < 0: as input
    };

    static Expected<PriceTable> fromJson(const QByteArray &json, const QString &source = {});
    static Expected<PriceTable> load(const QString &path);

    bool has(const QString &model) const { return m_prices.contains(model); }
    double cost(const QString &model, qint64 tokensIn, qint64 tokensOut) const;
    /// tokensIn counts every input token; cachedIn and cacheWrite are the parts of it read from
    /// and written to the provider's prompt cache, priced at their own rates.
    double cost(const QString &model, qint64 tokensIn, qint64 cachedIn, qint64 cacheWrite,
                qint64 tokensOut) const;
    void set(const QString &model, Price price) { m_prices.insert(model, price); }

private:
    QHash<QString, Price> m_prices;
};

} // namespace rs::llm
