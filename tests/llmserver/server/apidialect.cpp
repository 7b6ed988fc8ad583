#include "apidialect.h"

#include "textrules.h"

namespace rs::llmserver {

namespace {
qint64 quarterRoundedUp(qsizetype chars) {
    return (qint64(chars) + 3) / 4;
}
} // namespace

Usage ApiDialect::usageFor(const ChatRequest &request, const QString &answer) {
    return {quarterRoundedUp(request.promptChars()),
            quarterRoundedUp(text::codePointCount(answer))};
}

QStringList ApiDialect::streamPieces(const QString &answer) {
    constexpr qsizetype kPiece = 24;
    QStringList pieces;
    qsizetype pos = 0;
    while (pos < answer.size()) {
        qsizetype len = qMin(kPiece, answer.size() - pos);
        if (pos + len < answer.size() && answer.at(pos + len - 1).isHighSurrogate())
            --len;
        pieces.append(answer.mid(pos, len));
        pos += len;
    }
    return pieces;
}

QByteArray ApiDialect::dump(const nlohmann::ordered_json &j) {
    return QByteArray::fromStdString(
        j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

} // namespace rs::llmserver
