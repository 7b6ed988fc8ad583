#include "pricetable.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace rs::llm {

Expected<PriceTable> PriceTable::fromJson(const QByteArray &json, const QString &source)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("price table: %1").arg(err.errorString()), source);
    const QJsonObject models = doc.object().value(QStringLiteral("models")).toObject();
    PriceTable t;
    for (auto it = models.begin(); it != models.end(); ++it) {
        const QJsonObject p = it.value().toObject();
        t.m_prices.insert(it.key(), Price{p.value(QStringLiteral("input")).toDouble(),
                                          p.value(QStringLiteral("output")).toDouble(),
                                          p.value(QStringLiteral("cached_input")).toDouble(-1),
                                          p.value(QStringLiteral("cache_write")).toDouble(-1)});
    }
    return t;
}

Expected<PriceTable> PriceTable::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read price table: %1").arg(f.errorString()), path);
    return fromJson(f.readAll(), path);
}

double PriceTable::cost(const QString &model, qint64 tokensIn, qint64 tokensOut) const {
    return cost(model, tokensIn, 0, 0, tokensOut);
}

double PriceTable::cost(const QString &model, qint64 tokensIn, qint64 cachedIn, qint64 cacheWrite,
                        qint64 tokensOut) const {
    const auto it = m_prices.constFind(model);
    if (it == m_prices.cend())
        return 0;
    const double cachedRate =
        it->cachedInputPerMTok >= 0 ? it->cachedInputPerMTok : it->inputPerMTok;
    const double writeRate = it->cacheWritePerMTok >= 0 ? it->cacheWritePerMTok : it->inputPerMTok;
    const qint64 plain = std::max<qint64>(0, tokensIn - cachedIn - cacheWrite);
    return (double(plain) * it->inputPerMTok + double(cachedIn) * cachedRate +
            double(cacheWrite) * writeRate + double(tokensOut) * it->outputPerMTok) /
           1e6;
}

} // namespace rs::llm
